package geo

import (
	"maps"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// walk feeds fixes through Index.Transition and returns the final state and every event.
func walk(ix *Index, h Hysteresis, fixes []Fix) (State, []Event) {
	var s State
	var all []Event
	for _, f := range fixes {
		var evs []Event
		s, evs = ix.Transition(s, f, h)
		all = append(all, evs...)
	}
	return s, all
}

func kinds(evs []Event) []EventKind {
	var out []EventKind
	for _, e := range evs {
		out = append(out, e.Kind)
	}
	return out
}

// TestTransitionJitter walks into a 100 m circle and out again, lingering at the edge each way
// with fixes scattered +-15 m across it (accuracy 10 m): one enter and one exit, not a flurry.
func TestTransitionJitter(t *testing.T) {
	ix := NewIndex()
	shop := uuid.New()
	if err := ix.Insert(shop, Circle{Center: jinan, Radius: 100}); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(11, 12))
	var fixes []Fix
	at := t0
	fix := func(fromCentre float64) {
		fixes = append(fixes, Fix{Point: destination(jinan, 90, fromCentre), Accuracy: 10, Time: at})
		at = at.Add(10 * time.Second)
	}
	for d := 400.0; d > 130; d -= 20 { // approach from the east
		fix(d)
	}
	for range 60 { // dither at the edge
		fix(100 + (rng.Float64()*2-1)*15)
	}
	for d := 60.0; d >= 0; d -= 20 { // go in
		fix(d)
	}
	for range 60 { // back at the edge
		fix(100 + (rng.Float64()*2-1)*15)
	}
	for d := 130.0; d < 400; d += 20 { // leave
		fix(d)
	}
	// The dithering does cross the line both ways many times.
	crossings := 0
	for i := 1; i < len(fixes); i++ {
		if (Distance(jinan, fixes[i].Point) <= 100) != (Distance(jinan, fixes[i-1].Point) <= 100) {
			crossings++
		}
	}
	if crossings < 20 {
		t.Fatalf("only %d crossings: the walk does not test jitter", crossings)
	}

	h := Hysteresis{MinMargin: 20, MaxAccuracy: 50}
	s, evs := walk(ix, h, fixes)
	if diff := cmp.Diff([]EventKind{Enter, Exit}, kinds(evs)); diff != "" {
		t.Fatalf("events (-want +got):\n%s", diff)
	}
	if evs[0].Fence != shop || evs[1].Fence != shop || !evs[1].Since.Equal(evs[0].Time) || !evs[1].Time.After(evs[0].Time) {
		t.Errorf("events %+v: want an enter and an exit of the shop, the exit since the enter", evs)
	}
	if len(s.Inside) != 0 {
		t.Errorf("after leaving, still inside %v", s.Inside)
	}

	// Without a margin beyond the accuracy, the same walk flaps: hysteresis is what prevents it.
	_, flaps := walk(ix, Hysteresis{}, fixes)
	if len(flaps) <= 2 {
		t.Errorf("with no minimum margin the jittery walk gave only %v", kinds(flaps))
	}
}

func TestTransitionDwell(t *testing.T) {
	ix := NewIndex()
	shop := uuid.New()
	if err := ix.Insert(shop, Circle{Center: jinan, Radius: 100}); err != nil {
		t.Fatal(err)
	}
	h := Hysteresis{MinMargin: 10, DwellAfter: 5 * time.Minute}
	var fixes []Fix
	for i := range 20 { // 20 minutes at the centre, a fix a minute
		fixes = append(fixes, Fix{Point: jinan, Accuracy: 5, Time: t0.Add(time.Duration(i) * time.Minute)})
	}
	fixes = append(fixes, Fix{Point: destination(jinan, 0, 500), Accuracy: 5, Time: t0.Add(21 * time.Minute)})
	_, evs := walk(ix, h, fixes)
	want := []Event{
		{Kind: Enter, Fence: shop, Time: t0, Since: t0},
		{Kind: Dwell, Fence: shop, Time: t0.Add(5 * time.Minute), Since: t0},
		{Kind: Exit, Fence: shop, Time: t0.Add(21 * time.Minute), Since: t0},
	}
	if diff := cmp.Diff(want, evs); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	// A rep who leaves before the dwell time never dwells.
	_, evs = walk(ix, h, []Fix{fixes[0], fixes[3], fixes[len(fixes)-1]})
	if diff := cmp.Diff([]EventKind{Enter, Exit}, kinds(evs)); diff != "" {
		t.Errorf("a short stay (-want +got):\n%s", diff)
	}
}

func TestTransitionIgnoresUnusableFixes(t *testing.T) {
	ix := NewIndex()
	shop := uuid.New()
	if err := ix.Insert(shop, Circle{Center: jinan, Radius: 100}); err != nil {
		t.Fatal(err)
	}
	h := Hysteresis{MinMargin: 10, MaxAccuracy: 50, DwellAfter: time.Minute}
	in, _ := ix.Transition(State{}, Fix{Point: jinan, Accuracy: 5, Time: t0}, h)
	far := destination(jinan, 0, 2000)
	for name, f := range map[string]Fix{
		"poor accuracy":        {Point: far, Accuracy: 80, Time: t0.Add(time.Hour)},
		"NaN accuracy":         {Point: far, Accuracy: math.NaN(), Time: t0.Add(time.Hour)},
		"negative accuracy":    {Point: far, Accuracy: -1, Time: t0.Add(time.Hour)},
		"older than the state": {Point: far, Accuracy: 5, Time: t0.Add(-time.Second)},
		"invalid point":        {Point: Point{Lat: 91, Lon: 0}, Accuracy: 5, Time: t0.Add(time.Hour)},
	} {
		got, evs := ix.Transition(in, f, h)
		if len(evs) != 0 {
			t.Errorf("%s: events %+v, want none", name, evs)
		}
		if diff := cmp.Diff(in, got); diff != "" {
			t.Errorf("%s: state changed (-before +after):\n%s", name, diff)
		}
	}
	// The same far fix with good accuracy does leave.
	if _, evs := ix.Transition(in, Fix{Point: far, Accuracy: 5, Time: t0.Add(time.Hour)}, h); len(evs) != 1 || evs[0].Kind != Exit {
		t.Errorf("a good far fix gave %+v, want one exit", evs)
	}
}

// TestTransitionNestedAndOverlapping walks east through a mall (a polygon) holding a shop (a
// circle) and past a kiosk (a circle overlapping the mall's east side): each fence gets its own
// enter and exit, in the order the walk meets them.
func TestTransitionNestedAndOverlapping(t *testing.T) {
	ix := NewIndex()
	mall, shop, kiosk := uuid.New(), uuid.New(), uuid.New()
	for id, f := range map[uuid.UUID]Fence{
		mall:  mustPolygon(t, []Point{place(jinan, -500, -300), place(jinan, 500, -300), place(jinan, 500, 300), place(jinan, -500, 300), place(jinan, -500, -300)}),
		shop:  Circle{Center: jinan, Radius: 80},
		kiosk: Circle{Center: place(jinan, 500, 0), Radius: 100},
	} {
		if err := ix.Insert(id, f); err != nil {
			t.Fatal(err)
		}
	}
	h := Hysteresis{MinMargin: 15}
	var fixes []Fix
	for i, east := 0, -800.0; east <= 800; i, east = i+1, east+25 {
		fixes = append(fixes, Fix{Point: place(jinan, east, 0), Accuracy: 5, Time: t0.Add(time.Duration(i) * 10 * time.Second)})
	}
	_, evs := walk(ix, h, fixes)
	type seen struct {
		Kind  EventKind
		Fence uuid.UUID
	}
	var got []seen
	for _, e := range evs {
		got = append(got, seen{e.Kind, e.Fence})
	}
	want := []seen{{Enter, mall}, {Enter, shop}, {Exit, shop}, {Enter, kiosk}, {Exit, mall}, {Exit, kiosk}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}

	// A single fix deep inside both the mall and the shop enters both at once, ordered by id.
	s, evs := ix.Transition(State{}, Fix{Point: jinan, Accuracy: 5, Time: t0}, h)
	if len(evs) != 2 || evs[0].Kind != Enter || evs[1].Kind != Enter || compareIDs(evs[0].Fence, evs[1].Fence) >= 0 || len(s.Inside) != 2 {
		t.Errorf("one fix in two fences: %+v", evs)
	}
}

// TestTransitionIsPure checks that the previous state is left as it was, and that a fence
// deleted from the index counts as left.
func TestTransitionIsPure(t *testing.T) {
	ix := NewIndex()
	shop := uuid.New()
	if err := ix.Insert(shop, Circle{Center: jinan, Radius: 100}); err != nil {
		t.Fatal(err)
	}
	h := Hysteresis{MinMargin: 10}
	in, _ := ix.Transition(State{}, Fix{Point: jinan, Accuracy: 5, Time: t0}, h)
	before := State{At: in.At, Inside: map[uuid.UUID]Stay{shop: in.Inside[shop]}}
	ix.Delete(shop)
	out, evs := ix.Transition(in, Fix{Point: jinan, Accuracy: 5, Time: t0.Add(time.Minute)}, h)
	if diff := cmp.Diff(before, in); diff != "" {
		t.Errorf("Transition changed the state it was given (-before +after):\n%s", diff)
	}
	if len(evs) != 1 || evs[0].Kind != Exit || len(out.Inside) != 0 {
		t.Errorf("after the fence was deleted: events %+v, state %+v; want one exit", evs, out)
	}
	// The pure form, given the fences near the fix, decides the band around the edge.
	for _, tt := range []struct {
		d      float64
		inside bool // the rep was inside before
		want   []EventKind
	}{
		{-10, false, []EventKind{Enter}}, // exactly the margin inside enters
		{-9.9, false, nil},               // less deep does not
		{10, true, nil},                  // exactly the margin outside stays
		{10.1, true, []EventKind{Exit}},  // beyond it leaves
	} {
		prev := State{}
		if tt.inside {
			prev = State{At: t0, Inside: map[uuid.UUID]Stay{shop: {Since: t0}}}
		}
		_, evs := Transition(prev, []Proximity{{ID: shop, Distance: tt.d}}, Fix{Point: jinan, Accuracy: 10, Time: t0.Add(time.Minute)}, Hysteresis{MinMargin: 5})
		if diff := cmp.Diff(tt.want, kinds(evs)); diff != "" {
			t.Errorf("distance %v, inside before %v (-want +got):\n%s", tt.d, tt.inside, diff)
		}
	}
}

// The steady shortcut agrees with the full computation: on random states and fixes, whenever it
// says nothing changes, the full computation finds no event and the same fences.
func TestSteadyAgreesWithChange(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	h := Hysteresis{MinMargin: 15, DwellAfter: 5 * time.Minute}
	ids := []uuid.UUID{uuid.New(), uuid.New(), uuid.New(), uuid.New()}
	base := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	steadyCases := 0
	for range 20_000 {
		prev := State{At: base, Inside: map[uuid.UUID]Stay{}}
		for _, id := range ids {
			if rng.IntN(3) == 0 {
				prev.Inside[id] = Stay{Since: base.Add(-time.Duration(rng.IntN(600)) * time.Second), Dwelled: rng.IntN(2) == 0}
			}
		}
		var next []Proximity
		for _, id := range ids {
			if rng.IntN(2) == 0 {
				next = append(next, Proximity{ID: id, Distance: rng.Float64()*80 - 40})
			}
		}
		fix := Fix{Point: Point{Lat: 36.6, Lon: 117}, Accuracy: rng.Float64() * 30, Time: base.Add(time.Duration(rng.IntN(120)) * time.Second)}
		margin := h.Margin(fix)
		if !steady(prev, next, fix, h, margin) {
			continue
		}
		steadyCases++
		got, events := change(prev, next, fix, h, margin)
		if len(events) != 0 || !maps.Equal(got.Inside, prev.Inside) {
			t.Fatalf("steady said no change, the full computation gives events %v and fences %v (was %v)", events, got.Inside, prev.Inside)
		}
	}
	if steadyCases < 1000 {
		t.Fatalf("only %d steady cases in 20,000: the generator is off", steadyCases)
	}
}
