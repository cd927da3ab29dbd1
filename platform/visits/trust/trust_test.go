package trust

import (
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/repflow/repflow/platform/visits/geo"
)

var (
	server = time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC)
	centre = geo.Point{Lat: 52.52, Lon: 13.405}
	fence  = geo.Circle{Center: centre, Radius: 100}
)

// north is the point m metres due north of p (exact on the sphere: a meridian arc).
func north(p geo.Point, m float64) geo.Point {
	return geo.Point{Lat: p.Lat + m/geo.EarthRadius*180/math.Pi, Lon: p.Lon}
}

// clean is an honest check-in: at the customer, fresh, walked in from 600 m away in 10 min,
// with recent fixes at the same spot carrying different noise.
func clean() CheckIn {
	return CheckIn{
		Fix:        Fix{Point: north(centre, 20), Accuracy: 12, DeviceTime: server.Add(-5 * time.Second), Provider: "gps"},
		ServerTime: server,
		Fence:      fence,
		Previous:   &Fix{Point: north(centre, -600), Accuracy: 8, DeviceTime: server.Add(-10 * time.Minute), Provider: "gps"},
		RecentFixes: []Fix{
			{Point: geo.Point{Lat: north(centre, 20).Lat + 3e-7, Lon: centre.Lon}, Accuracy: 12, DeviceTime: server.Add(-time.Minute)},
			{Point: north(centre, 20), Accuracy: 9, DeviceTime: server.Add(-2 * time.Minute)},
		},
	}
}

// codes lists a verdict's reasons as "severity:code", in order.
func codes(v Verdict) []string {
	out := []string{}
	for _, r := range v.Reasons {
		out = append(out, string(r.Severity)+":"+string(r.Code))
	}
	return out
}

func TestEvaluate(t *testing.T) {
	// mover puts the previous fix m metres south of the fix (zero accuracies) taken d before it.
	mover := func(m float64, d time.Duration) func(*CheckIn) {
		return func(c *CheckIn) {
			c.Fix.Accuracy = 0
			c.Previous = &Fix{Point: north(c.Fix.Point, -m), DeviceTime: c.Fix.DeviceTime.Add(-d)}
		}
	}
	tests := []struct {
		name   string
		change func(*CheckIn)
		want   []string
	}{
		{"clean", func(*CheckIn) {}, nil},
		{"nil previous", func(c *CheckIn) { c.Previous = nil }, nil},
		{"no recent fixes", func(c *CheckIn) { c.RecentFixes = nil }, nil},
		{"zero accuracy at the centre", func(c *CheckIn) { c.Fix.Accuracy = 0 }, nil},
		{"polygon fence", func(c *CheckIn) { c.Fence = square(t, centre, 200) }, nil},

		// Fence: tolerance max(accuracy, 30 m), accuracy credited up to MaxAccuracy.
		{"zero accuracy just inside tolerance", func(c *CheckIn) { c.Fix = at(129.9, 0) }, nil},
		{"zero accuracy just outside tolerance", func(c *CheckIn) { c.Fix = at(130.1, 0) }, []string{"block:outside_fence"}},
		{"accuracy widens tolerance", func(c *CheckIn) { c.Fix = at(149.9, 50) }, nil},
		{"just beyond accuracy", func(c *CheckIn) { c.Fix = at(150.1, 50) }, []string{"block:outside_fence"}},
		{"accuracy credit is capped", func(c *CheckIn) { c.Fix = at(200.1, 400) }, []string{"block:outside_fence", "warn:poor_accuracy"}},
		{"no fence", func(c *CheckIn) { c.Fence = nil }, []string{"block:outside_fence"}},
		{"nil polygon", func(c *CheckIn) { c.Fence = (*geo.Polygon)(nil) }, []string{"block:outside_fence"}},
		{"invalid latitude", func(c *CheckIn) { c.Fix.Point.Lat = 91 }, []string{"block:outside_fence"}},
		{"NaN longitude", func(c *CheckIn) { c.Fix.Point.Lon = math.NaN() }, []string{"block:outside_fence"}},

		{"mock location", func(c *CheckIn) { c.Fix.Mock = true }, []string{"block:mock_location"}},

		// Accuracy: at most 100 m.
		{"accuracy at limit", func(c *CheckIn) { c.Fix.Accuracy = 100 }, nil},
		{"accuracy just over", func(c *CheckIn) { c.Fix.Accuracy = 100.01 }, []string{"warn:poor_accuracy"}},
		{"negative accuracy", func(c *CheckIn) { c.Fix.Accuracy = -1 }, []string{"warn:poor_accuracy"}},
		{"NaN accuracy", func(c *CheckIn) { c.Fix.Accuracy = math.NaN() }, []string{"warn:poor_accuracy"}},

		// Speed: 200 km/h is 3333.3 m in a minute.
		{"speed just under", mover(3330, time.Minute), nil},
		{"speed just over", mover(3340, time.Minute), []string{"block:impossible_speed"}},
		{"jitter is not speed", func(c *CheckIn) {
			c.Previous = &Fix{Point: north(c.Fix.Point, -40), Accuracy: 30, DeviceTime: c.Fix.DeviceTime.Add(-time.Second)}
		}, nil},
		{"clock standing still", mover(100, 0), []string{"block:impossible_speed"}},
		{"clock running backwards", mover(100, -time.Hour), []string{"block:impossible_speed"}},
		{"clock set forward cannot slow a jump", func(c *CheckIn) {
			mover(50_000, 0)(c)
			c.Previous.DeviceTime = server.Add(-3 * time.Minute)
			c.Fix.DeviceTime = server.Add(4 * time.Minute) // under the skew threshold
		}, []string{"block:impossible_speed"}},

		// Teleport: more than 10 km in under 2 min, reported instead of impossible speed.
		{"teleport", mover(10_001, 119*time.Second), []string{"block:teleport"}},
		{"teleport window is exclusive", mover(10_001, 2*time.Minute), []string{"block:impossible_speed"}},
		{"teleport distance is exclusive", mover(9_999, time.Minute), []string{"block:impossible_speed"}},

		// Clock skew: device ahead by more than 5 min warns, by more than 1 h blocks.
		{"skew at limit", func(c *CheckIn) { c.Fix.DeviceTime = server.Add(5 * time.Minute) }, nil},
		{"skew just over", func(c *CheckIn) { c.Fix.DeviceTime = server.Add(5*time.Minute + time.Second) }, []string{"warn:clock_skew"}},
		{"skew at block limit", func(c *CheckIn) { c.Fix.DeviceTime = server.Add(time.Hour) }, []string{"warn:clock_skew"}},
		{"skew just over block limit", func(c *CheckIn) { c.Fix.DeviceTime = server.Add(time.Hour + time.Second) }, []string{"block:clock_skew"}},

		// Stale: older than 10 min on arrival.
		{"age at limit", func(c *CheckIn) { c.Fix.DeviceTime = server.Add(-10 * time.Minute); c.Previous = nil }, nil},
		{"age just over", func(c *CheckIn) { c.Fix.DeviceTime = server.Add(-10*time.Minute - time.Second); c.Previous = nil }, []string{"warn:stale_fix"}},

		// Replay: same coordinates to 1e-7 degrees and same accuracy at another time.
		{"replay of a recent fix", func(c *CheckIn) {
			c.RecentFixes = append(c.RecentFixes, Fix{Point: c.Fix.Point, Accuracy: c.Fix.Accuracy, DeviceTime: server.Add(-time.Hour)})
		}, []string{"block:replayed_fix"}},
		{"replay within precision", func(c *CheckIn) {
			p := c.Fix.Point
			p.Lon += 0.9e-7
			c.RecentFixes = append(c.RecentFixes, Fix{Point: p, Accuracy: c.Fix.Accuracy, DeviceTime: server.Add(-time.Hour)})
		}, []string{"block:replayed_fix"}},
		{"replay of the previous fix", func(c *CheckIn) {
			c.Previous = &Fix{Point: c.Fix.Point, Accuracy: c.Fix.Accuracy, DeviceTime: server.Add(-time.Hour)}
		}, []string{"block:replayed_fix"}},
		{"same place beyond precision", func(c *CheckIn) {
			p := c.Fix.Point
			p.Lat += 1.1e-7
			c.RecentFixes = append(c.RecentFixes, Fix{Point: p, Accuracy: c.Fix.Accuracy, DeviceTime: server.Add(-time.Hour)})
		}, nil},
		{"same place other accuracy", func(c *CheckIn) {
			c.RecentFixes = append(c.RecentFixes, Fix{Point: c.Fix.Point, Accuracy: c.Fix.Accuracy + 1, DeviceTime: server.Add(-time.Hour)})
		}, nil},
		{"still phone repeats its fix", func(c *CheckIn) {
			c.Previous = &Fix{Point: c.Fix.Point, Accuracy: c.Fix.Accuracy, DeviceTime: c.Fix.DeviceTime.Add(-29 * time.Minute)}
		}, nil},
		{"repeat just past the quiet window", func(c *CheckIn) {
			c.RecentFixes = append(c.RecentFixes, Fix{Point: c.Fix.Point, Accuracy: c.Fix.Accuracy, DeviceTime: c.Fix.DeviceTime.Add(-30 * time.Minute)})
		}, []string{"block:replayed_fix"}},
		{"same reading sent twice", func(c *CheckIn) {
			c.RecentFixes = append(c.RecentFixes, c.Fix)
		}, nil},

		// Combinations, sorted by severity then code.
		{"mock outside and vague", func(c *CheckIn) { c.Fix = at(500, 150); c.Fix.Mock = true },
			[]string{"block:mock_location", "block:outside_fence", "warn:poor_accuracy"}},
		{"teleported replay with skew", func(c *CheckIn) {
			old := c.Fix
			old.DeviceTime = server.Add(-30 * time.Minute)
			c.RecentFixes = []Fix{old}
			c.Previous = &Fix{Point: north(centre, 50_000), DeviceTime: server.Add(-time.Minute)}
			c.Fix.DeviceTime = server.Add(10 * time.Minute)
		}, []string{"block:replayed_fix", "block:teleport", "warn:clock_skew"}},
		{"only warnings stay trusted", func(c *CheckIn) {
			c.Fix.Accuracy = 120
			c.Fix.DeviceTime = server.Add(-20 * time.Minute)
			c.Previous = nil
		}, []string{"warn:poor_accuracy", "warn:stale_fix"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := clean()
			tt.change(&c)
			v := Evaluate(c, DefaultPolicy())
			want := tt.want
			if want == nil {
				want = []string{}
			}
			if diff := cmp.Diff(want, codes(v)); diff != "" {
				t.Errorf("reasons (-want +got):\n%s\n%+v", diff, v.Reasons)
			}
			blocked := false
			for _, r := range v.Reasons {
				blocked = blocked || r.Severity == Block
			}
			if v.Trusted == blocked {
				t.Errorf("Trusted = %v with reasons %v", v.Trusted, codes(v))
			}
		})
	}
}

// at is a fresh fix m metres north of the fence's centre with the given accuracy.
func at(m, accuracy float64) Fix {
	return Fix{Point: north(centre, m), Accuracy: accuracy, DeviceTime: server.Add(-5 * time.Second)}
}

// square is a polygon fence of side metres around p.
func square(t *testing.T, p geo.Point, side float64) *geo.Polygon {
	t.Helper()
	dLat := side / 2 / geo.EarthRadius * 180 / math.Pi
	dLon := dLat / math.Cos(p.Lat*math.Pi/180)
	pg, err := geo.NewPolygon([][]geo.Point{{
		{Lat: p.Lat - dLat, Lon: p.Lon - dLon}, {Lat: p.Lat - dLat, Lon: p.Lon + dLon},
		{Lat: p.Lat + dLat, Lon: p.Lon + dLon}, {Lat: p.Lat + dLat, Lon: p.Lon - dLon},
		{Lat: p.Lat - dLat, Lon: p.Lon - dLon},
	}})
	if err != nil {
		t.Fatalf("square fence: %v", err)
	}
	return pg
}

// TestReasonDetails pins the messages and measured values that reviewers and clients see.
func TestReasonDetails(t *testing.T) {
	c := clean()
	c.Fix = at(237, 0)
	c.Previous = &Fix{Point: north(c.Fix.Point, -48_000), DeviceTime: c.Fix.DeviceTime.Add(-2 * time.Minute)}
	c.Fix.DeviceTime = server.Add(-12 * time.Minute)
	c.Previous.DeviceTime = c.Fix.DeviceTime.Add(-2 * time.Minute)
	c.Fix.Accuracy = 0
	v := Evaluate(c, DefaultPolicy())
	want := Verdict{Trusted: false, Reasons: []Reason{
		{Code: ImpossibleSpeed, Severity: Block, Message: "moved 48 km in 2 min (1440 km/h), faster than 200 km/h",
			Metres: 48_000, Speed: 1440, Elapsed: 2 * time.Minute},
		{Code: OutsideFence, Severity: Block, Message: "outside the customer's area by 137 m (tolerance 30 m)", Metres: 137},
		{Code: StaleFix, Severity: Warn, Message: "the fix was 12 min old when it reached the server", Age: 12 * time.Minute},
	}}
	approx := cmp.Comparer(func(a, b float64) bool { return math.Abs(a-b) < 1e-6 })
	if diff := cmp.Diff(want, v, approx); diff != "" {
		t.Errorf("verdict (-want +got):\n%s", diff)
	}

	c = clean()
	c.Fix.DeviceTime = server.Add(2 * time.Hour)
	c.Previous = nil
	got := Evaluate(c, DefaultPolicy()).Reasons
	wantSkew := []Reason{{Code: ClockSkew, Severity: Block, Skew: 2 * time.Hour,
		Message: "the phone's clock is 2.0 h ahead of the server"}}
	if diff := cmp.Diff(wantSkew, got); diff != "" {
		t.Errorf("skew (-want +got):\n%s", diff)
	}
}

// TestDeterministic checks that the same input gives the same verdict, and that Evaluate
// does not modify its input (the replay check prepends Previous to the recent fixes).
func TestDeterministic(t *testing.T) {
	c := clean()
	c.Fix.Mock = true
	c.RecentFixes = make([]Fix, 1, 4)
	c.RecentFixes[0] = Fix{Point: north(centre, 900), DeviceTime: server.Add(-time.Hour)}
	before := append([]Fix(nil), c.RecentFixes[:cap(c.RecentFixes)]...)
	first := Evaluate(c, DefaultPolicy())
	for range 10 {
		if diff := cmp.Diff(first, Evaluate(c, DefaultPolicy())); diff != "" {
			t.Fatalf("verdict changed between runs:\n%s", diff)
		}
	}
	if diff := cmp.Diff(before, c.RecentFixes[:cap(c.RecentFixes)]); diff != "" {
		t.Errorf("input modified:\n%s", diff)
	}
}
