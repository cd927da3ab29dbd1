package geo

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestPointValidate(t *testing.T) {
	tests := []struct {
		p    Point
		want string // substring of the error; empty for valid
	}{
		{Point{36.65, 117}, ""},
		{Point{90, 180}, ""},
		{Point{-90, -180}, ""},
		{Point{90.000001, 0}, "latitude 90.000001 is outside [-90, 90]"},
		{Point{-91, 0}, "latitude -91 is outside"},
		{Point{0, 180.5}, "longitude 180.5 is outside [-180, 180]"},
		{Point{0, -181}, "longitude -181 is outside"},
		{Point{math.NaN(), 0}, "latitude is NaN"},
		{Point{0, math.NaN()}, "longitude is NaN"},
		{Point{math.Inf(1), 0}, "latitude is infinite"},
		{Point{0, math.Inf(-1)}, "longitude is infinite"},
	}
	for _, tt := range tests {
		err := tt.p.Validate()
		if tt.want == "" {
			if err != nil {
				t.Errorf("%+v: unexpected error %v", tt.p, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: error %v, want one wrapping ErrInvalid and containing %q", tt.p, err, tt.want)
		}
	}
}

func TestDistance(t *testing.T) {
	oneDegree := EarthRadius * math.Pi / 180 // 111,195.08 m
	tests := []struct {
		name string
		a, b Point
		want float64
	}{
		{"same point", Point{36.65, 117}, Point{36.65, 117}, 0},
		{"one degree of latitude", Point{36, 117}, Point{37, 117}, oneDegree},
		{"one degree on the equator", Point{0, 117}, Point{0, 118}, oneDegree},
		{"across the antimeridian", Point{0, 179.5}, Point{0, -179.5}, oneDegree},
		{"equator to pole", Point{0, 10}, Point{90, 0}, EarthRadius * math.Pi / 2},
		{"antipodes", Point{0, 0}, Point{0, 180}, EarthRadius * math.Pi},
		// Along the parallel this is half a degree on the equator (55,597.54 m); the great circle
		// is shorter. Expected value by the spherical law of cosines, an independent formula.
		{"60N one degree east", Point{60, 10}, Point{60, 11},
			EarthRadius * math.Acos(0.75+0.25*math.Cos(math.Pi/180))},
	}
	for _, tt := range tests {
		got := Distance(tt.a, tt.b)
		if math.Abs(got-tt.want) > 1e-6 {
			t.Errorf("%s: Distance = %.4f, want %.4f", tt.name, got, tt.want)
		}
		if back := Distance(tt.b, tt.a); math.Abs(back-got) > 1e-9 {
			t.Errorf("%s: not symmetric: %v vs %v", tt.name, got, back)
		}
	}
}

// destination is the point metres away from p on the initial bearing (degrees from north), on
// the same sphere: an independent way to place points at a known distance.
func destination(p Point, bearing, metres float64) Point {
	lat1, lon1, th, d := radians(p.Lat), radians(p.Lon), radians(bearing), metres/EarthRadius
	lat2 := math.Asin(math.Sin(lat1)*math.Cos(d) + math.Cos(lat1)*math.Sin(d)*math.Cos(th))
	lon2 := lon1 + math.Atan2(math.Sin(th)*math.Sin(d)*math.Cos(lat1), math.Cos(d)-math.Sin(lat1)*math.Sin(lat2))
	lon := math.Mod(degrees(lon2)+540, 360) - 180
	return Point{Lat: degrees(lat2), Lon: lon}
}

// TestCircleBounds checks that the box of a circle holds its whole edge, near the poles and the
// antimeridian too.
func TestCircleBounds(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	centres := []Point{{36.65, 117}, {0, 0}, {89.999, 40}, {-89.9995, -120}, {85, 179.999}, {-60, -179.9999}, {89.99, 0}}
	for range 200 {
		centres = append(centres, Point{rng.Float64()*178 - 89, rng.Float64()*360 - 180})
	}
	for _, c := range centres {
		for _, r := range []float64{1, 50, 500, 5000, MaxRadius} {
			circle := Circle{Center: c, Radius: r}
			box := circle.Bounds()
			if box.Min.Lat < -90 || box.Max.Lat > 90 || box.Min.Lon < -180 || box.Max.Lon > 180 {
				t.Fatalf("circle %+v: box %+v leaves the globe", circle, box)
			}
			for b := 0.0; b < 360; b += 0.5 {
				// The property: every point the circle contains is in its box. destination is
				// imprecise by about 1e-8 degrees next to a pole, so a point meant for the edge
				// counts only when the exact test agrees that it is inside.
				edge := destination(c, b, r*(1-1e-9))
				if circle.Contains(edge) && !box.Contains(edge) {
					t.Fatalf("circle %+v: box %+v misses the edge point %+v at bearing %v", circle, box, edge, b)
				}
				if near := destination(c, b, r*0.99); !circle.Contains(near) || !box.Contains(near) {
					t.Fatalf("circle %+v: point %+v 1 %% inside the edge: contained %v, in box %+v %v", circle, near, circle.Contains(near), box, box.Contains(near))
				}
			}
		}
	}
	// A circle holding the pole spans every longitude; one that does not stays narrow.
	if b := (Circle{Point{89.999, 40}, 500}).Bounds(); b.Min.Lon != -180 || b.Max.Lon != 180 || b.Max.Lat != 90 {
		t.Errorf("circle around the north pole: box %+v, want every longitude up to 90N", b)
	}
	if b := (Circle{Point{36.65, 117}, 500}).Bounds(); b.Max.Lon-b.Min.Lon > 0.02 || b.Max.Lat-b.Min.Lat > 0.01 {
		t.Errorf("500 m circle at Jinan: box %+v is too wide", b)
	}
}

// TestWithinRadiusIsTheHaversine checks that the circle test's shortcut never changes an answer:
// for circles of 1 m to MaxRadius at latitudes up to 89 degrees, points at random and points a
// hair inside and outside the circle (where the shortcut must hand over to the exact formula)
// get the same verdict as haversine <= r.
func TestWithinRadiusIsTheHaversine(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	exact := 0
	for range 20_000 {
		c := Point{Lat: -89 + 178*rng.Float64(), Lon: -180 + 360*rng.Float64()}
		r := math.Pow(10, 5*rng.Float64()) // 1 m to 100 km
		bearing := 360 * rng.Float64()
		for _, f := range []float64{0, 0.3, 0.99, 0.99999, 1 - 1e-9, 1, 1 + 1e-9, 1.00001, 1.01, 1.5, 3 * rng.Float64()} {
			p := destination(c, bearing, f*r)
			cosC, cosP := math.Cos(radians(c.Lat)), math.Cos(radians(p.Lat))
			want := haversine(c, cosC, p, cosP) <= r
			if got := withinRadius(c, cosC, p, cosP, r); got != want {
				t.Fatalf("centre %v, radius %v m, point %v (%v of the radius): withinRadius %v, haversine %v", c, r, p, f, got, want)
			}
			if f > 0.99999 && f < 1.00001 {
				exact++
			}
		}
	}
	if exact == 0 {
		t.Fatal("no point near the circle: the hand-over to the exact formula went untested")
	}
}
