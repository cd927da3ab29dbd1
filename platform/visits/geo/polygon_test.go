package geo

import (
	"math"
	"testing"
)

// at is a point x, y thousandths of a degree east and north of a corner in Jinan: a grid unit is
// about 89 m east-west and 111 m north-south.
func at(x, y float64) Point { return Point{Lat: 36.65 + y*1e-3, Lon: 117.0 + x*1e-3} }

func ring(xy ...float64) []Point {
	var r []Point
	for i := 0; i+1 < len(xy); i += 2 {
		r = append(r, at(xy[i], xy[i+1]))
	}
	return r
}

func mid(a, b Point) Point { return Point{(a.Lat + b.Lat) / 2, (a.Lon + b.Lon) / 2} }

func mustPolygon(t testing.TB, rings ...[]Point) *Polygon {
	t.Helper()
	p, err := NewPolygon(rings)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

var (
	square = ring(0, 0, 1, 0, 1, 1, 0, 1, 0, 0)
	// A U (clockwise, to show orientation does not matter) whose notch, x 1..2 above y 1, is
	// outside.
	letterU = ring(0, 0, 0, 3, 1, 3, 1, 1, 2, 1, 2, 3, 3, 3, 3, 0, 0, 0)
	// A square of 4 with a square hole of 2 in its middle.
	frame     = ring(0, 0, 4, 0, 4, 4, 0, 4, 0, 0)
	frameHole = ring(1, 1, 1, 3, 3, 3, 3, 1, 1, 1)
	// A triangle with a diagonal edge from (2, 0) to (0, 2).
	triangle = ring(0, 0, 2, 0, 0, 2, 0, 0)
)

func TestPolygonContains(t *testing.T) {
	const e = 1e-9 // degrees, about 0.1 mm
	sq := mustPolygon(t, square)
	u := mustPolygon(t, letterU)
	holed := mustPolygon(t, frame, frameHole)
	tri := mustPolygon(t, triangle)
	diag := mid(triangle[1], triangle[2])
	tests := []struct {
		name string
		p    *Polygon
		pt   Point
		want bool
	}{
		{"square centre", sq, at(0.5, 0.5), true},
		{"square far outside", sq, at(5, 5), false},
		{"square left of it, on the ray's line", sq, at(-1, 0.5), false},
		{"square right of it", sq, at(1.5, 0.5), false},
		{"square above it", sq, at(0.5, 1.5), false},
		{"U left arm", u, at(0.5, 2), true},
		{"U right arm", u, at(2.5, 2), true},
		{"U base under the notch", u, at(1.5, 0.5), true},
		{"U inside the notch is outside", u, at(1.5, 2), false},
		{"U notch, level with the arms' tops", u, at(1.5, 3), false},
		{"U notch, just above its floor", u, Point{at(1.5, 1).Lat + e, at(1.5, 1).Lon}, false},
		{"U notch floor, just below", u, Point{at(1.5, 1).Lat - e, at(1.5, 1).Lon}, true},
		{"U notch side, just inside the notch", u, Point{at(1, 2).Lat, at(1, 2).Lon + e}, false},
		{"U notch side, just inside the arm", u, Point{at(1, 2).Lat, at(1, 2).Lon - e}, true},
		{"U, ray through two vertices", u, at(-1, 3), false},
		{"U, ray along the notch floor", u, at(-0.5, 1), false},
		{"hole: in the hole is outside", holed, at(2, 2), false},
		{"hole: in the frame", holed, at(0.5, 0.5), true},
		{"hole: in the frame, right of the hole", holed, at(3.5, 2), true},
		{"hole: just inside the hole", holed, Point{at(1, 2).Lat, at(1, 2).Lon + e}, false},
		{"hole: just outside the hole", holed, Point{at(1, 2).Lat, at(1, 2).Lon - e}, true},
		{"hole: just outside the frame", holed, Point{at(4, 2).Lat, at(4, 2).Lon + e}, false},
		{"triangle: just inside the diagonal", tri, Point{diag.Lat - e, diag.Lon - e}, true},
		{"triangle: just outside the diagonal", tri, Point{diag.Lat + e, diag.Lon + e}, false},
		{"square: just inside the bottom edge", sq, Point{square[0].Lat + e, at(0.5, 0).Lon}, true},
		{"square: just outside the bottom edge", sq, Point{square[0].Lat - e, at(0.5, 0).Lon}, false},
		{"square: just outside a corner", sq, Point{square[2].Lat + e, square[2].Lon + e}, false},
	}
	for _, tt := range tests {
		if got := tt.p.Contains(tt.pt); got != tt.want {
			t.Errorf("%s: Contains(%v) = %v, want %v", tt.name, tt.pt, got, tt.want)
		}
		// Distance agrees in sign with containment.
		if d := tt.p.Distance(tt.pt); (d <= 0) != tt.want {
			t.Errorf("%s: Distance(%v) = %v, whose sign disagrees with Contains = %v", tt.name, tt.pt, d, tt.want)
		}
	}
}

// TestPolygonBoundaryIsInside checks every vertex and every edge midpoint of every ring, the
// holes' included.
func TestPolygonBoundaryIsInside(t *testing.T) {
	for name, rings := range map[string][][]Point{
		"square": {square}, "U": {letterU}, "frame with hole": {frame, frameHole}, "triangle": {triangle},
	} {
		p := mustPolygon(t, rings...)
		for ri, r := range rings {
			for i := 0; i+1 < len(r); i++ {
				for what, pt := range map[string]Point{"vertex": r[i], "midpoint": mid(r[i], r[i+1])} {
					if !p.Contains(pt) {
						t.Errorf("%s: ring %d %s after vertex %d (%v) is not inside", name, ri, what, i, pt)
					}
					if d := p.Distance(pt); math.Abs(d) > 1e-3 {
						t.Errorf("%s: ring %d %s after vertex %d: distance %v m, want 0", name, ri, what, i, d)
					}
				}
			}
		}
	}
}

func TestPolygonDistance(t *testing.T) {
	sq := mustPolygon(t, square)
	u := mustPolygon(t, letterU)
	holed := mustPolygon(t, frame, frameHole)
	tests := []struct {
		name string
		p    *Polygon
		pt   Point
		foot Point // the nearest boundary point
		in   bool
	}{
		{"37 m north of the square", sq, destination(mid(square[2], square[3]), 0, 37), mid(square[2], square[3]), false},
		{"square centre, nearest the east-west edges", sq, at(0.5, 0.5), at(1, 0.5), true},
		{"beyond a corner", sq, destination(square[2], 45, 50), square[2], false},
		{"in the U's notch", u, at(1.5, 2), at(1, 2), false},
		{"in the hole, nearest its ring", holed, at(2, 1.5), at(2, 1), false},
		{"in the frame near the hole", holed, at(2, 0.9), at(2, 1), true},
	}
	for _, tt := range tests {
		want := Distance(tt.pt, tt.foot)
		if tt.in {
			want = -want
		}
		// The equirectangular projection around the point and the sphere agree to millimetres
		// over a fence's size.
		if got := tt.p.Distance(tt.pt); math.Abs(got-want) > 0.01 {
			t.Errorf("%s: Distance = %.4f m, want %.4f", tt.name, got, want)
		}
	}
	if d := sq.Distance(destination(mid(square[2], square[3]), 0, 37)); math.Round(d) != 37 {
		t.Errorf("37 m north of the square reads as %.3f m", d)
	}
}

func TestCircle(t *testing.T) {
	c := Circle{Center: at(0, 0), Radius: 100}
	north := func(m float64) Point { return destination(c.Center, 0, m) }
	tests := []struct {
		name string
		pt   Point
		in   bool
		dist float64
	}{
		{"centre", c.Center, true, -100},
		{"99.99 m north", north(99.99), true, -0.01},
		{"100.01 m north", north(100.01), false, 0.01},
		{"137 m east", destination(c.Center, 90, 137), false, 37},
		{"1 mm inside to the south-west", destination(c.Center, 225, 99.999), true, -0.001},
	}
	for _, tt := range tests {
		if got := c.Contains(tt.pt); got != tt.in {
			t.Errorf("%s: Contains = %v, want %v", tt.name, got, tt.in)
		}
		if got := c.Distance(tt.pt); math.Abs(got-tt.dist) > 1e-6 {
			t.Errorf("%s: Distance = %.7f, want %.7f", tt.name, got, tt.dist)
		}
	}
	// Across the antimeridian, a circle works (its box widens to every longitude).
	east := Circle{Center: Point{10, 179.9999}, Radius: 100}
	if !east.Contains(Point{10, -179.9999}) || !east.Bounds().Contains(Point{10, -179.9999}) {
		t.Errorf("a circle on the antimeridian misses a point 22 m away on the other side")
	}
	for _, bad := range []Circle{{at(0, 0), 0}, {at(0, 0), -5}, {at(0, 0), math.NaN()}, {at(0, 0), MaxRadius + 1}, {Point{91, 0}, 10}} {
		if err := bad.Validate(); err == nil {
			t.Errorf("circle %+v: no validation error", bad)
		}
	}
}
