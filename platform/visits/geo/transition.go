package geo

import (
	"math"
	"slices"
	"time"

	"github.com/google/uuid"
)

// Fix is one GPS position of a rep.
type Fix struct {
	Point    Point
	Accuracy float64 // metres, the radius the device reports for 68 % confidence
	Time     time.Time
}

// Hysteresis tunes how fixes change a rep's fence state.
type Hysteresis struct {
	// MinMargin (metres) is the least depth a fix must be inside a fence to enter it, or
	// outside to leave it; a fix's accuracy raises the margin for that fix.
	MinMargin float64
	// MaxAccuracy (metres): a fix whose accuracy is worse changes nothing. Zero accepts any.
	MaxAccuracy float64
	// DwellAfter is how long a rep must stay inside a fence before its one Dwell event. Zero
	// disables dwell events.
	DwellAfter time.Duration
}

// Margin is the depth a fix must reach past a boundary to change state: max(accuracy, MinMargin).
// A fence narrower than twice the margin cannot be entered by that fix: with such an accuracy
// nobody can tell whether the rep is inside.
func (h Hysteresis) Margin(f Fix) float64 { return math.Max(f.Accuracy, h.MinMargin) }

// State is what a rep's last fixes established: the fences they are inside and since when. It is
// a value: Transition never changes the State it is given, so callers must not change Inside in
// place either.
type State struct {
	At     time.Time          // time of the last fix that counted; zero before the first
	Inside map[uuid.UUID]Stay // by fence id
}

// Stay is a rep's current presence in one fence.
type Stay struct {
	Since   time.Time // time of the fix that entered
	Dwelled bool      // the Dwell event has been emitted
}

// EventKind names a fence event; the values are stable for storage and the API.
type EventKind string

const (
	Enter EventKind = "enter"
	Exit  EventKind = "exit"
	Dwell EventKind = "dwell"
)

// Event is a change in a rep's presence in a fence, caused by the fix at Time.
type Event struct {
	Kind  EventKind
	Fence uuid.UUID
	Time  time.Time // the fix's time
	Since time.Time // when the rep entered the fence (equal to Time for Enter)
}

// Transition compares a rep's previous state with a new fix, as tile38's fences do: a pure
// function of the old state and the new position. next lists the fences near the fix with their
// signed distances and must hold every fence within h.Margin(fix) of it, as
// Index.Near(fix.Point, h.Margin(fix)) returns (Index.Transition does both steps).
//
// A fix enters a fence when it lies at least the margin inside (distance <= -margin), and
// leaves a fence it was in when it lies more than the margin outside (a fence missing from next
// is far away, or deleted); in between the previous state stands, so GPS jitter at the edge does
// not flap. A fix that is older than the state, has an unusable accuracy (negative, NaN, or worse
// than h.MaxAccuracy) or an invalid point changes nothing. Events come exits first, then enters,
// then dwells, each sorted by fence id.
func Transition(prev State, next []Proximity, fix Fix, h Hysteresis) (State, []Event) {
	if !usable(prev, fix, h) {
		return prev, nil
	}
	margin := h.Margin(fix)
	if steady(prev, next, fix, h, margin) {
		// Nearly every fix changes nothing (a rep driving between customers, or standing in one):
		// the fences it is in are the same map, shared, which callers never change in place.
		return State{At: fix.Time, Inside: prev.Inside}, nil
	}
	return change(prev, next, fix, h, margin)
}

// change is Transition for a fix that does change the state: it builds the new state's map.
func change(prev State, next []Proximity, fix Fix, h Hysteresis, margin float64) (State, []Event) {
	dist := make(map[uuid.UUID]float64, len(next))
	for _, n := range next {
		dist[n.ID] = n.Distance
	}
	state := State{At: fix.Time, Inside: make(map[uuid.UUID]Stay, len(prev.Inside)+1)}
	var exits, enters, dwells []Event
	for id, stay := range prev.Inside {
		if d, ok := dist[id]; !ok || d > margin {
			exits = append(exits, Event{Kind: Exit, Fence: id, Time: fix.Time, Since: stay.Since})
			continue
		}
		state.Inside[id] = stay
	}
	for _, n := range next {
		if _, in := prev.Inside[n.ID]; !in && n.Distance <= -margin {
			state.Inside[n.ID] = Stay{Since: fix.Time}
			enters = append(enters, Event{Kind: Enter, Fence: n.ID, Time: fix.Time, Since: fix.Time})
		}
	}
	if h.DwellAfter > 0 {
		for id, stay := range state.Inside {
			if !stay.Dwelled && fix.Time.Sub(stay.Since) >= h.DwellAfter {
				stay.Dwelled = true
				state.Inside[id] = stay
				dwells = append(dwells, Event{Kind: Dwell, Fence: id, Time: fix.Time, Since: stay.Since})
			}
		}
	}
	byFence := func(a, b Event) int { return compareIDs(a.Fence, b.Fence) }
	slices.SortFunc(exits, byFence)
	slices.SortFunc(enters, byFence)
	slices.SortFunc(dwells, byFence)
	return state, slices.Concat(exits, enters, dwells)
}

// steady reports whether fix leaves prev's fences as they are: no exit, no enter, no dwell due.
// next is short (the fences within the margin), so it is scanned rather than mapped.
func steady(prev State, next []Proximity, fix Fix, h Hysteresis, margin float64) bool {
	for id, stay := range prev.Inside {
		found := false
		for _, n := range next {
			if n.ID == id {
				if n.Distance > margin {
					return false // an exit
				}
				found = true
				break
			}
		}
		if !found {
			return false // an exit: far away, or deleted
		}
		if h.DwellAfter > 0 && !stay.Dwelled && fix.Time.Sub(stay.Since) >= h.DwellAfter {
			return false // a dwell
		}
	}
	for _, n := range next {
		if _, in := prev.Inside[n.ID]; !in && n.Distance <= -margin {
			return false // an enter
		}
	}
	return true
}

// usable reports whether a fix may change the state at all.
func usable(prev State, fix Fix, h Hysteresis) bool {
	switch {
	case fix.Point.Validate() != nil:
		return false
	case math.IsNaN(fix.Accuracy) || math.IsInf(fix.Accuracy, 0) || fix.Accuracy < 0:
		return false
	case h.MaxAccuracy > 0 && fix.Accuracy > h.MaxAccuracy:
		return false
	case fix.Time.Before(prev.At):
		return false
	}
	return true
}

// Transition looks up the fences near the fix with the fix's margin and applies the pure
// Transition to them.
func (ix *Index) Transition(prev State, fix Fix, h Hysteresis) (State, []Event) {
	if !usable(prev, fix, h) {
		return prev, nil
	}
	return Transition(prev, ix.Near(fix.Point, h.Margin(fix)), fix, h)
}
