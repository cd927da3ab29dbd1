package geo

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestRasterAgreesWithRayCasting checks that the raster never changes an answer: on random
// polygons, random points in the box and points at and a hair either side of the edges, Contains
// (raster first) and containsExactly (every edge) agree.
func TestRasterAgreesWithRayCasting(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	decided, total := 0, 0
	for range 1000 {
		p := starPolygon(rng, randomPoint(rng, jinan, 10_000), 50+450*rng.Float64(), 3+rng.IntN(61), rng.IntN(3) == 0)
		var pts []Point
		for range 200 {
			pts = append(pts, Point{
				Lat: p.box.Min.Lat + rng.Float64()*(p.box.Max.Lat-p.box.Min.Lat),
				Lon: p.box.Min.Lon + rng.Float64()*(p.box.Max.Lon-p.box.Min.Lon),
			})
		}
		for i := range p.ends {
			r := p.ring(i)
			for j := 0; j+1 < len(r); j++ {
				a, b := r[j], r[j+1]
				at := a
				f := rng.Float64()
				at.Lat, at.Lon = a.Lat+f*(b.Lat-a.Lat), a.Lon+f*(b.Lon-a.Lon)
				// Unit normal to the edge, in degrees.
				nx, ny := -(b.Lat - a.Lat), b.Lon-a.Lon
				l := math.Hypot(nx, ny)
				for _, off := range []float64{0, 1e-12, -1e-12, 1e-10, -1e-10, 3e-10, -3e-10, 1e-9, -1e-9, 1e-7, -1e-7} {
					pts = append(pts, Point{Lat: at.Lat + off*ny/l, Lon: at.Lon + off*nx/l})
				}
				pts = append(pts, a)
			}
		}
		for k, pt := range pts {
			if got, want := p.Contains(pt), p.containsExactly(pt); got != want {
				t.Fatalf("polygon %v: point %v: Contains %v, ray casting %v", p.Rings(), pt, got, want)
			}
			if k < 200 { // the random points
				if d, _ := p.grid.mark(cellOf(p.box, pt)); d {
					decided++
				}
				total++
			}
		}
	}
	// The raster earns its keep: it decides most random points in the box.
	if decided*2 < total {
		t.Errorf("the raster decided only %d of %d random points", decided, total)
	}
	t.Logf("the raster decided %d of %d random points", decided, total)
}

// TestRasterEdgeJustPastACell puts an edge 5e-11 degrees past a cell's side: a point in that cell
// within onEdge of the edge is on the boundary (inside), though the cell itself is outside.
func TestRasterEdgeJustPastACell(t *testing.T) {
	const u = 1e-3
	o := Point{36.65, 117}
	v := func(x, y float64) Point { return Point{o.Lat + y, o.Lon + x} }
	// A square of 16 units with its north-west quarter-and-more cut away by a notch whose east
	// side runs just east of the line between the middle two raster columns. The box, hence that
	// line, is the square's (the notch is inside it).
	square := mustPolygon(t, []Point{v(0, 0), v(16*u, 0), v(16*u, 16*u), v(0, 16*u), v(0, 0)})
	w := (square.box.Max.Lon - square.box.Min.Lon) / rasterSide
	side := square.box.Min.Lon + rasterSide/2*w
	cx := side - o.Lon + 5e-11
	p := mustPolygon(t, []Point{v(0, 0), v(16*u, 0), v(16*u, 16*u), v(cx, 16*u), v(cx, 8*u), v(0, 8*u), v(0, 0)})
	if p.box != square.box {
		t.Fatalf("the notch changed the box: %v, not %v", p.box, square.box)
	}
	if d := o.Lon + cx - side; d <= 0 || d > onEdge {
		t.Fatalf("the column side is at %v, the edge at %v: not the case under test", side, o.Lon+cx)
	}
	for _, tt := range []struct {
		pt   Point
		want bool
	}{
		{v(cx-8e-11, 12*u), true},  // within onEdge west of the edge: on it
		{v(cx-3e-10, 12*u), false}, // farther west: in the notch
		{v(cx-w/2, 12*u), false},   // the middle of the cell: in the notch
		{v(cx+1e-9, 12*u), true},   // east of the edge: inside
	} {
		if got := p.Contains(tt.pt); got != tt.want {
			t.Errorf("Contains(%v) = %v, want %v", tt.pt, got, tt.want)
		}
	}
}
