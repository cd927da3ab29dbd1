package trust

import (
	"fmt"
	"math"
	"time"

	"github.com/repflow/repflow/platform/visits/geo"
)

// checkFence blocks a fix farther outside the customer's fence than the tolerance. Without a
// fence or a valid position there is nothing to show the rep was there, so it blocks too.
func checkFence(c CheckIn, p Policy) (Reason, bool) {
	block := func(msg string, metres float64) (Reason, bool) {
		return Reason{Code: OutsideFence, Severity: Block, Message: msg, Metres: metres}, true
	}
	if fence, ok := c.Fence.(*geo.Polygon); c.Fence == nil || (ok && fence == nil) {
		return block("the customer has no area to check the position against", 0)
	}
	if err := c.Fix.Point.Validate(); err != nil {
		return block(fmt.Sprintf("the position is not a valid coordinate: %v", err), 0)
	}
	d := c.Fence.Distance(c.Fix.Point)
	if math.IsNaN(d) || math.IsInf(d, 0) {
		return block("the distance to the customer's area cannot be measured", 0)
	}
	tolerance := math.Max(credit(c.Fix.Accuracy, p), p.FenceTolerance)
	if d <= tolerance {
		return Reason{}, false
	}
	return block(fmt.Sprintf("outside the customer's area by %s (tolerance %s)", metres(d), metres(tolerance)), d)
}

// credit is how much of a fix's accuracy counts as slack: a valid accuracy, at most MaxAccuracy.
func credit(accuracy float64, p Policy) float64 {
	if !(accuracy >= 0) || math.IsInf(accuracy, 1) {
		return 0
	}
	return math.Min(accuracy, p.MaxAccuracy)
}

func checkMock(c CheckIn, _ Policy) (Reason, bool) {
	if !c.Fix.Mock {
		return Reason{}, false
	}
	return Reason{Code: MockLocation, Severity: Block,
		Message: "the phone reports the position as coming from a mock-location app"}, true
}

// checkMovement measures the move from the previous fix. Only the part that the two fixes'
// accuracy circles cannot explain counts as movement, so GPS jitter between two close readings
// is not speed. The fix's time is the earlier of device and server time (a fix cannot be taken
// after it arrived), so a clock set forward cannot slow a jump down; elapsed times under a second
// count as a second, keeping the speed finite when the clock stands still or runs backwards.
// A teleport is also an impossible speed; it is reported once, as the more specific teleport.
func checkMovement(c CheckIn, p Policy) (Reason, bool) {
	prev := c.Previous
	if prev == nil || prev.Point.Validate() != nil || c.Fix.Point.Validate() != nil {
		return Reason{}, false
	}
	moved := geo.Distance(prev.Point, c.Fix.Point) - credit(prev.Accuracy, p) - credit(c.Fix.Accuracy, p)
	if moved <= 0 {
		return Reason{}, false
	}
	at := c.Fix.DeviceTime
	if c.ServerTime.Before(at) {
		at = c.ServerTime
	}
	elapsed := max(at.Sub(prev.DeviceTime), time.Second)
	speed := moved / 1000 / elapsed.Hours()
	r := Reason{Severity: Block, Metres: moved, Speed: speed, Elapsed: elapsed}
	move := fmt.Sprintf("%s in %s (%.0f km/h)", metres(moved), duration(elapsed), speed)
	switch {
	case moved > p.TeleportDistance && elapsed < p.TeleportWithin:
		r.Code, r.Message = Teleport, "jumped "+move
	case speed > p.MaxSpeed:
		r.Code, r.Message = ImpossibleSpeed, fmt.Sprintf("moved %s, faster than %.0f km/h", move, p.MaxSpeed)
	default:
		return Reason{}, false
	}
	return r, true
}

// checkReplay blocks a fix that repeats a recent one: real receivers never report the same
// coordinates to 1e-7 degrees with the same accuracy twice, even standing still. A fix with the
// same device time as well is the same reading sent twice (the app posts its check-in fix in
// its track too), not a replay, and an old fix resent with its own time is a stale fix.
func checkReplay(c CheckIn, p Policy) (Reason, bool) {
	f := c.Fix
	recent := c.RecentFixes
	if c.Previous != nil {
		recent = append([]Fix{*c.Previous}, recent...)
	}
	for _, r := range recent {
		// A phone standing still repeats its last fix to the digit: a copy of the rep's own last
		// minutes is no replay.
		if age := f.DeviceTime.Sub(r.DeviceTime); age >= 0 && age < p.ReplayQuiet {
			continue
		}
		if math.Abs(r.Point.Lat-f.Point.Lat) <= p.ReplayPrecision &&
			math.Abs(r.Point.Lon-f.Point.Lon) <= p.ReplayPrecision &&
			r.Accuracy == f.Accuracy && !r.DeviceTime.Equal(f.DeviceTime) {
			return Reason{Code: ReplayedFix, Severity: Block, Message: fmt.Sprintf(
				"the fix repeats exactly the one taken at %s (%.7f, %.7f, accuracy %s)",
				r.DeviceTime.UTC().Format(time.RFC3339), r.Point.Lat, r.Point.Lon, metres(r.Accuracy))}, true
		}
	}
	return Reason{}, false
}

// checkAccuracy warns of a fix too vague to place the rep, or whose accuracy is not a number.
func checkAccuracy(c CheckIn, p Policy) (Reason, bool) {
	a := c.Fix.Accuracy
	switch {
	case math.IsNaN(a) || math.IsInf(a, 0) || a < 0:
		return Reason{Code: PoorAccuracy, Severity: Warn,
			Message: fmt.Sprintf("the accuracy %v is not a valid distance", a)}, true
	case a > p.MaxAccuracy:
		return Reason{Code: PoorAccuracy, Severity: Warn, Metres: a, Message: fmt.Sprintf(
			"accuracy %s is worse than %s", metres(a), metres(p.MaxAccuracy))}, true
	}
	return Reason{}, false
}

// checkSkew looks only at a device clock ahead of the server: no fix comes from the future, so
// only a wrong clock explains it. Behind the server, a slow clock and a fix sent late look
// alike; that is checkStale's, against its longer threshold.
func checkSkew(c CheckIn, p Policy) (Reason, bool) {
	skew := c.Fix.DeviceTime.Sub(c.ServerTime)
	if skew <= p.MaxClockSkew {
		return Reason{}, false
	}
	r := Reason{Code: ClockSkew, Severity: Warn, Skew: skew,
		Message: fmt.Sprintf("the phone's clock is %s ahead of the server", duration(skew))}
	if skew > p.BlockClockSkew {
		r.Severity = Block
	}
	return r, true
}

// checkStale warns of a fix that was already old when the server got it: it shows where the rep
// was then, not at check-in.
func checkStale(c CheckIn, p Policy) (Reason, bool) {
	age := c.ServerTime.Sub(c.Fix.DeviceTime)
	if age <= p.StaleAfter {
		return Reason{}, false
	}
	return Reason{Code: StaleFix, Severity: Warn, Age: age,
		Message: fmt.Sprintf("the fix was %s old when it reached the server", duration(age))}, true
}

// metres formats a distance for people: "137 m", "4.2 km", "48 km".
func metres(m float64) string {
	switch {
	case m < 1000:
		return fmt.Sprintf("%.0f m", m)
	case m < 10_000:
		return fmt.Sprintf("%.1f km", m/1000)
	}
	return fmt.Sprintf("%.0f km", m/1000)
}

// duration formats a time span for people: "45 s", "2 min", "3.5 h", "2.0 d".
func duration(d time.Duration) string {
	switch {
	case d < 2*time.Minute:
		return fmt.Sprintf("%.0f s", d.Seconds())
	case d < 2*time.Hour:
		return fmt.Sprintf("%.0f min", d.Minutes())
	case d < 48*time.Hour:
		return fmt.Sprintf("%.1f h", d.Hours())
	}
	return fmt.Sprintf("%.1f d", d.Hours()/24)
}
