package geo

import "math"

// Polygon is a fence bounded by an outer ring with optional holes (the GeoJSON Polygon model).
// Every ring is closed (its last vertex repeats the first); either orientation is accepted.
//
// Containment is computed on plain longitude/latitude, as if the earth were flat under the fence:
// fences are customer sites a few hundred metres across, where the curvature of an edge between
// two vertices is millimetres. Polygons across the antimeridian are not supported (NewPolygon
// rejects any spanning more than 180 degrees of longitude).
type Polygon struct {
	// The box and the raster come first: Contains reads nothing else for most points (an index's
	// match reads one word of the raster), and with 100,000 fences in an index the polygons are
	// cold, where each cache miss costs more than arithmetic. rows and pts come last, so that in
	// the index's entry they share one cache line with the fence's id (see polygonEntry).
	box   Box
	grid  raster   // decides most points without reading pts
	outer int      // the outer ring is pts[:outer]
	ends  []int    // ring i ends at pts[ends[i]] (exclusive); ends[0] == outer
	rows  []uint16 // the edges each raster row reaches (rowEdges), for the points the raster leaves
	pts   []Point  // every ring, one after the other
}

// onEdge is how far from an edge, in degrees (about 10 micrometres), a point still counts as on
// it: the midpoint of an edge, computed in floating point, misses the exact line by 1e-14 degrees.
const onEdge = 1e-10

// NewPolygon validates rings (the outer ring first, then the holes) and returns the polygon.
func NewPolygon(rings [][]Point) (*Polygon, error) {
	if err := validateRings(rings); err != nil {
		return nil, err
	}
	p := &Polygon{box: Box{Min: rings[0][0], Max: rings[0][0]}, outer: len(rings[0])}
	for _, r := range rings {
		p.pts = append(p.pts, r...)
		p.ends = append(p.ends, len(p.pts))
	}
	for _, v := range rings[0] {
		p.box.Min.Lat, p.box.Max.Lat = math.Min(p.box.Min.Lat, v.Lat), math.Max(p.box.Max.Lat, v.Lat)
		p.box.Min.Lon, p.box.Max.Lon = math.Min(p.box.Min.Lon, v.Lon), math.Max(p.box.Max.Lon, v.Lon)
	}
	// Widened by onEdge, then out to float32 values: the box is then exactly the one the index's
	// tree keeps, so a match finds the raster cell from the tree's box without reading this one.
	p.box.Min.Lat, p.box.Min.Lon = float64(down32(p.box.Min.Lat-onEdge)), float64(down32(p.box.Min.Lon-onEdge))
	p.box.Max.Lat, p.box.Max.Lon = float64(up32(p.box.Max.Lat+onEdge)), float64(up32(p.box.Max.Lon+onEdge))
	p.rows = rowEdges(p)
	p.grid = newRaster(p)
	return p, nil
}

// ring returns ring i (0 is the outer ring) without copying.
func (p *Polygon) ring(i int) []Point {
	if i == 0 {
		return p.pts[:p.outer]
	}
	return p.pts[p.ends[i-1]:p.ends[i]]
}

// Rings returns a copy of the rings: the outer ring, then the holes.
func (p *Polygon) Rings() [][]Point {
	out := make([][]Point, len(p.ends))
	for i := range p.ends {
		out[i] = append([]Point(nil), p.ring(i)...)
	}
	return out
}

// Validate re-checks the rings; a polygon from NewPolygon or ParsePolygon is always valid.
func (p *Polygon) Validate() error { return validateRings(p.Rings()) }

// Bounds is the box of the outer ring.
func (p *Polygon) Bounds() Box { return p.box }

// Contains reports whether pt is inside the outer ring and not strictly inside a hole; a point on
// any ring, a hole's included, counts as inside.
func (p *Polygon) Contains(pt Point) bool {
	if decided, inside := p.locate(pt); decided {
		return inside
	}
	return p.castInRow(pt, p.rowEdgesAt(pt))
}

// locate decides pt without reading a vertex when it can: outside the box, or in a cell the
// raster marks.
func (p *Polygon) locate(pt Point) (decided, inside bool) {
	if p.outer == 0 || !p.box.Contains(pt) {
		return true, false
	}
	return p.grid.mark(cellOf(p.box, pt))
}

// containsExactly is Contains by ray casting over every edge, without the raster or the rows:
// the reference the tests hold them to.
func (p *Polygon) containsExactly(pt Point) bool {
	switch ringSide(p.pts[:p.outer], pt) {
	case outside:
		return false
	case boundary:
		return true
	}
	for i := 1; i < len(p.ends); i++ {
		if ringSide(p.ring(i), pt) == inside {
			return false
		}
	}
	return true
}

// Distance is the signed distance from pt to the nearest edge of any ring in metres, measured in
// a local equirectangular projection centred on pt (exact enough for fence-sized polygons).
func (p *Polygon) Distance(pt Point) float64 {
	if p.outer == 0 {
		return math.Inf(1)
	}
	// Metres per degree around pt.
	ky := radians(1) * EarthRadius
	kx := ky * math.Cos(radians(pt.Lat))
	best := math.Inf(1)
	for i := range p.ends {
		r := p.ring(i)
		for j := 0; j+1 < len(r); j++ {
			ax, ay := (r[j].Lon-pt.Lon)*kx, (r[j].Lat-pt.Lat)*ky
			bx, by := (r[j+1].Lon-pt.Lon)*kx, (r[j+1].Lat-pt.Lat)*ky
			best = math.Min(best, originToSegment(ax, ay, bx, by))
		}
	}
	if p.Contains(pt) {
		return -best
	}
	return best
}

// originToSegment is the distance from (0, 0) to the segment a-b in a plane.
func originToSegment(ax, ay, bx, by float64) float64 {
	dx, dy := bx-ax, by-ay
	t := 0.0
	if l2 := dx*dx + dy*dy; l2 > 0 {
		t = math.Max(0, math.Min(1, -(ax*dx+ay*dy)/l2))
	}
	return math.Hypot(ax+t*dx, ay+t*dy)
}

type side int

const (
	outside side = iota
	inside
	boundary
)

// ringSide locates pt against a closed ring by ray casting.
func ringSide(ring []Point, pt Point) side {
	in := false
	for i := 0; i+1 < len(ring); i++ {
		crosses, on := edgeMeets(ring[i], ring[i+1], pt)
		if on {
			return boundary
		}
		if crosses {
			in = !in
		}
	}
	if in {
		return inside
	}
	return outside
}

// edgeMeets tells whether the edge a-b crosses the ray from pt towards east (half-open in
// latitude, so that a vertex on the ray counts once) and whether pt lies on the edge (within
// onEdge). Plain comparisons rather than math.Min and math.Max: this is the hot loop of every
// polygon match.
func edgeMeets(a, b, pt Point) (crosses, on bool) {
	y, x := pt.Lat, pt.Lon
	// Most edges lie wholly above or below the point: they can neither cross the ray nor pass
	// through the point.
	if (a.Lat > y+onEdge && b.Lat > y+onEdge) || (a.Lat < y-onEdge && b.Lat < y-onEdge) {
		return false, false
	}
	if !((a.Lon > x+onEdge && b.Lon > x+onEdge) || (a.Lon < x-onEdge && b.Lon < x-onEdge)) {
		dx, dy := b.Lon-a.Lon, b.Lat-a.Lat
		if math.Abs(dx*(y-a.Lat)-dy*(x-a.Lon)) <= onEdge*math.Hypot(dx, dy) {
			return false, true
		}
	}
	return (a.Lat > y) != (b.Lat > y) && x < a.Lon+(y-a.Lat)*(b.Lon-a.Lon)/(b.Lat-a.Lat), false
}
