package trust

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/repflow/repflow/platform/visits/geo"
)

// FuzzEvaluate feeds arbitrary positions, accuracies, times and fences, including NaN and
// infinities, and checks that Evaluate never panics, that Trusted agrees with the reasons, that
// reasons are sorted and unique, and that every measured value is finite (verdicts are stored).
func FuzzEvaluate(f *testing.F) {
	f.Add(52.52, 13.405, 10.0, int64(-5), false, 52.51, 13.40, 8.0, int64(-600), true, 100.0, false)
	f.Add(52.52, 13.405, 0.0, int64(7200), true, 53.0, 14.0, 0.0, int64(0), true, 50.0, true)
	f.Add(math.NaN(), 200.0, math.Inf(1), int64(math.MaxInt64), false, math.NaN(), 0.0, -1.0, int64(math.MinInt64), true, -3.0, false)
	f.Fuzz(func(t *testing.T, lat, lon, acc float64, offset int64, mock bool,
		prevLat, prevLon, prevAcc float64, prevOffset int64, hasPrev bool, radius float64, polygon bool) {
		c := CheckIn{
			Fix: Fix{Point: geo.Point{Lat: lat, Lon: lon}, Accuracy: acc,
				DeviceTime: server.Add(time.Duration(offset) * time.Second), Mock: mock},
			ServerTime: server,
			Fence:      geo.Circle{Center: centre, Radius: radius},
		}
		if polygon {
			c.Fence = square(t, centre, 300)
		}
		if hasPrev {
			prev := Fix{Point: geo.Point{Lat: prevLat, Lon: prevLon}, Accuracy: prevAcc,
				DeviceTime: server.Add(time.Duration(prevOffset) * time.Second)}
			c.Previous = &prev
			c.RecentFixes = []Fix{prev, c.Fix}
		}
		v := Evaluate(c, DefaultPolicy())
		blocked := false
		for i, r := range v.Reasons {
			blocked = blocked || r.Severity == Block
			if r.Severity != Block && r.Severity != Warn {
				t.Errorf("reason %s has severity %q", r.Code, r.Severity)
			}
			if r.Message == "" {
				t.Errorf("reason %s has no message", r.Code)
			}
			for _, x := range []float64{r.Metres, r.Speed} {
				if math.IsNaN(x) || math.IsInf(x, 0) {
					t.Errorf("reason %s measures %v", r.Code, x)
				}
			}
			if i > 0 {
				a, b := v.Reasons[i-1], r
				if rank(a.Severity) > rank(b.Severity) || (a.Severity == b.Severity && a.Code >= b.Code) {
					t.Errorf("reasons out of order or repeated: %v", codes(v))
				}
			}
		}
		if v.Trusted == blocked {
			t.Errorf("Trusted = %v with reasons %v", v.Trusted, codes(v))
		}
		if mock && v.Trusted {
			t.Errorf("mock location trusted: %v", codes(v))
		}
		if c.Fix.Point.Validate() != nil && !slices.ContainsFunc(v.Reasons, func(r Reason) bool { return r.Code == OutsideFence }) {
			t.Errorf("invalid position %v not blocked: %v", c.Fix.Point, codes(v))
		}
	})
}
