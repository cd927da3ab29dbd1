package geo

import "github.com/google/uuid"

// match decides which of the fences whose boxes hold a point contain it. The tree's search only
// queues their slots; the fences are then decided in passes over the queue rather than one after
// the other: with 100,000 fences their data is cold, and each pass's reads (the entries, with a
// polygon's raster word and id; then, for a polygon the raster leaves, its row's edge list and
// those edges' vertices) do not depend on one another from fence to fence, so the processor has
// a pass's cache misses in flight at once. A match then waits for a few misses in a row instead
// of a few for every fence.
type match struct {
	p    Point
	cosP float64 // the cosine of p's latitude, for the circles
	n    int     // fences queued
	// Per queued fence: its slot, the raster cell holding p should it be a polygon, whether it
	// is decided and the verdict, its id, and for a polygon left undecided the edges of p's
	// raster row.
	slots   [matchBatch]slot
	cell    [matchBatch]int
	decided [matchBatch]bool
	inside  [matchBatch]bool
	ids     [matchBatch]uuid.UUID
	edges   [matchBatch][]uint16
	touched float64 // the vertices loaded ahead of the ray cast, summed: a kept sum keeps the loads
}

// matchBatch is how many fences a match queues: more than a point meets in any plausible tenant
// (about 9 in the benchmark's dense 100,000), so a batch is nearly always the whole match.
const matchBatch = 64

// add queues slot s, whose box in the tree is lo-hi, first deciding the queue into dst when it is
// full. A polygon's box is the tree's (NewPolygon rounds it to float32 values), so the raster
// cell is found here, from the tree's copy, and the first pass reads nothing of a polygon but
// that cell's word.
func (m *match) add(dst []uuid.UUID, ix *Index, s slot, lo, hi [2]float32) []uuid.UUID {
	if m.n == matchBatch {
		dst = m.flush(dst, ix)
	}
	box := Box{Min: Point{Lat: float64(lo[1]), Lon: float64(lo[0])}, Max: Point{Lat: float64(hi[1]), Lon: float64(hi[0])}}
	m.cell[m.n] = cellOf(box, m.p)
	m.slots[m.n] = s
	m.n++
	return dst
}

// flush decides the queued fences of ix (under its read lock), appends to dst the ids of those
// that contain p, and empties the queue.
func (m *match) flush(dst []uuid.UUID, ix *Index) []uuid.UUID {
	slots := m.slots[:m.n]
	// Circles outright; polygons by their raster. The ids are read here too, each in a line
	// this pass reads anyway or loads alongside.
	for i, s := range slots {
		if s.polygon() {
			e := &ix.polygons[s.at()]
			m.decided[i], m.inside[i] = e.poly.grid.mark(m.cell[i])
			m.ids[i] = e.id
		} else {
			c := &ix.circles[s.at()]
			m.decided[i], m.inside[i] = true, withinRadius(c.circle.Center, c.cosCentre, m.p, m.cosP, c.circle.Radius)
			m.ids[i] = c.id
		}
	}
	// The row's edge list of each polygon left undecided, its row from the cell found with the
	// tree's box: the polygon's own box is in another cache line.
	for i, s := range slots {
		if m.decided[i] {
			continue
		}
		poly := &ix.polygons[s.at()].poly
		if m.cell[i] >= 0 {
			m.edges[i] = poly.rowEdgesOf(m.cell[i] / rasterSide)
		} else {
			m.edges[i] = poly.rowEdgesAt(m.p)
		}
		// Load the edges' vertices now, with no branch on what they hold: the ray cast below
		// branches on every vertex, so its own loads would wait one polygon after the other.
		for _, j := range m.edges[i] {
			m.touched += poly.pts[j].Lat
		}
	}
	// Ray casting over those edges.
	for i, s := range slots {
		if !m.decided[i] {
			m.inside[i] = ix.polygons[s.at()].poly.castInRow(m.p, m.edges[i])
		}
		if m.inside[i] {
			dst = append(dst, m.ids[i])
		}
	}
	m.n = 0
	return dst
}
