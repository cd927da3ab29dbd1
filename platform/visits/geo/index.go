package geo

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"sync"

	"github.com/google/uuid"
	"github.com/tidwall/rtree"
)

// Index holds many fences by id: an R-tree of their bounding boxes narrows a query to a few
// candidates, then the exact test decides (tile38's collection, in small).
//
// It is safe for any number of concurrent readers (Containing, Near, Fence, Len, Transition) and
// writers (Insert, Delete): a sync.RWMutex lets readers share the index while a writer holds it
// alone, so a write waits for the readers in flight and then blocks readers only for the time of
// one tree update.
type Index struct {
	mu       sync.RWMutex
	tree     rtree.RTreeGN[float32, slot]
	circles  []circleEntry  // by slot; a free one is zero
	polygons []polygonEntry // by slot; a free one is zero
	free     [2][]int       // the free places in circles, then in polygons
	slots    map[uuid.UUID]slot
}

// slot is where a fence is: bit 31 tells a polygon from a circle, the other bits are its place
// in Index.polygons or Index.circles. The tree holds slots, not the fences: a leaf's items are
// then 256 bytes instead of 3.5 KB, and a search reads a few of their cache lines where it read
// one a candidate, which stalled it on memory for each. The entries are read after the search,
// all at once, and the slot alone says where: a polygon's raster is one read away, with no
// pointer to follow first.
type slot uint32

const polygonSlot slot = 1 << 31

func (s slot) polygon() bool { return s&polygonSlot != 0 }
func (s slot) at() int       { return int(s &^ polygonSlot) }

// circleEntry is a circle as the index keeps it, with the cosine the distance needs, computed
// once: a match reads no memory for a circle beyond its entry.
type circleEntry struct {
	id        uuid.UUID
	circle    Circle
	cosCentre float64 // the cosine of the centre's latitude
}

// polygonEntry holds its polygon by value (polygons are immutable once built, so the copy shares
// their vertices): the raster word a match needs is then at a place the slot gives. With 100,000
// fences, cache and TLB misses are most of the cost, and the pointer to a polygon was one more
// miss in a row for each. The entry is 384 bytes, six cache lines; its last holds the polygon's
// rows and pts and the id, which a match reads in the same pass as the raster word, so that
// neither the id of a fence found nor the edges of a polygon the raster leaves wait for another
// miss after it.
type polygonEntry struct {
	poly Polygon
	id   uuid.UUID
}

// NewIndex returns an empty index.
func NewIndex() *Index { return &Index{slots: map[uuid.UUID]slot{}} }

// Insert validates f and stores it under id, replacing the fence id had, if any.
func (ix *Index) Insert(id uuid.UUID, f Fence) error {
	if p, ok := f.(*Polygon); f == nil || ok && p == nil {
		return fmt.Errorf("index fence %s: %w: no fence", id, ErrInvalid)
	}
	if err := f.Validate(); err != nil {
		return fmt.Errorf("index fence %s: %w", id, err)
	}
	box := f.Bounds()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if s, ok := ix.slots[id]; ok {
		ix.remove(s)
	}
	var s slot
	switch f := f.(type) {
	case Circle:
		s = slot(store(&ix.circles, &ix.free[0], circleEntry{id: id, circle: f, cosCentre: math.Cos(radians(f.Center.Lat))}))
	case *Polygon:
		s = slot(store(&ix.polygons, &ix.free[1], polygonEntry{poly: *f, id: id})) | polygonSlot
	}
	ix.slots[id] = s
	ix.tree.Insert(box.lo(), box.hi(), s)
	return nil
}

// store puts e at a free place of entries if there is one, else at the end, and returns where.
func store[E any](entries *[]E, free *[]int, e E) int {
	if n := len(*free); n > 0 {
		at := (*free)[n-1]
		*free = (*free)[:n-1]
		(*entries)[at] = e
		return at
	}
	*entries = append(*entries, e)
	return len(*entries) - 1
}

// remove takes slot s out of the tree, under the box its fence was inserted with (Bounds is a
// pure function of the fence, so computing it again finds the same box), and frees it.
func (ix *Index) remove(s slot) {
	var box Box
	if s.polygon() {
		e := &ix.polygons[s.at()]
		box = e.poly.Bounds()
		delete(ix.slots, e.id)
		*e = polygonEntry{} // lets the vertices go
		ix.free[1] = append(ix.free[1], s.at())
	} else {
		e := &ix.circles[s.at()]
		box = e.circle.Bounds()
		delete(ix.slots, e.id)
		*e = circleEntry{}
		ix.free[0] = append(ix.free[0], s.at())
	}
	ix.tree.Delete(box.lo(), box.hi(), s)
}

// id is the id of the fence in slot s.
func (ix *Index) id(s slot) uuid.UUID {
	if s.polygon() {
		return ix.polygons[s.at()].id
	}
	return ix.circles[s.at()].id
}

// Delete removes the fence stored under id and reports whether there was one.
func (ix *Index) Delete(id uuid.UUID) bool {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	s, ok := ix.slots[id]
	if ok {
		ix.remove(s)
	}
	return ok
}

// Fence returns the fence stored under id. A polygon is a copy: its entry's place is reused once
// the fence is deleted.
func (ix *Index) Fence(id uuid.UUID) (Fence, bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	s, ok := ix.slots[id]
	switch {
	case !ok:
		return nil, false
	case s.polygon():
		p := ix.polygons[s.at()].poly
		return &p, true
	default:
		return ix.circles[s.at()].circle, true
	}
}

// Len is the number of fences in the index.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.slots)
}

// Containing returns the ids of the fences that contain p (boundary included), sorted; nil when
// there are none.
func (ix *Index) Containing(p Point) []uuid.UUID {
	var found [32]uuid.UUID // on the stack: one allocation per match, of the result
	ids := ix.AppendContaining(found[:0], p)
	if len(ids) == 0 {
		return nil
	}
	return slices.Clone(ids)
}

// AppendContaining appends the ids of the fences that contain p to dst, sorted, and returns the
// extended slice: Containing without allocating, for hot paths that reuse dst. Garbage per match
// is not free here: with a heap of 100,000 fences it brings collector cycles and fresh pages,
// and those are what the slowest matches wait on.
func (ix *Index) AppendContaining(dst []uuid.UUID, p Point) []uuid.UUID {
	start := len(dst)
	m := match{p: p, cosP: math.Cos(radians(p.Lat))}
	at := Box{Min: p, Max: p}
	ix.mu.RLock()
	ix.tree.Search(at.lo(), at.hi(), func(lo, hi [2]float32, s slot) bool {
		dst = m.add(dst, ix, s, lo, hi)
		return true
	})
	dst = m.flush(dst, ix)
	ix.mu.RUnlock()
	slices.SortFunc(dst[start:], compareIDs)
	return dst
}

// Proximity is a fence near a point and the signed distance from the point to its boundary
// (negative inside, as Fence.Distance).
type Proximity struct {
	ID       uuid.UUID
	Distance float64 // metres
}

// Near returns every fence within metres of p, sorted by id: the fences that contain p, however
// deep inside, and those outside whose boundary is at most metres away. These are exactly the
// fences whose state hysteresis can keep or change for a fix with that margin.
func (ix *Index) Near(p Point, metres float64) []Proximity {
	// The polygon distance is planar around p, the box is spherical: a little slack covers the
	// difference, and the exact distance decides.
	search := around(p, metres*1.001+0.01)
	var out []Proximity
	ix.mu.RLock()
	ix.tree.Search(search.lo(), search.hi(), func(_, _ [2]float32, s slot) bool {
		var d float64
		if s.polygon() {
			d = ix.polygons[s.at()].poly.Distance(p)
		} else {
			d = ix.circles[s.at()].circle.Distance(p)
		}
		if d <= metres {
			out = append(out, Proximity{ID: ix.id(s), Distance: d})
		}
		return true
	})
	ix.mu.RUnlock()
	slices.SortFunc(out, func(a, b Proximity) int { return compareIDs(a.ID, b.ID) })
	return out
}

// compareIDs orders ids as bytes.Compare does, on two big-endian words instead of 16 bytes: the
// sort was a sixth of a match.
func compareIDs(a, b uuid.UUID) int {
	if c := cmp.Compare(binary.BigEndian.Uint64(a[:8]), binary.BigEndian.Uint64(b[:8])); c != 0 {
		return c
	}
	return cmp.Compare(binary.BigEndian.Uint64(a[8:]), binary.BigEndian.Uint64(b[8:]))
}

// lo and hi are a box's corners as the R-tree takes them: [lon, lat] in float32, rounded outwards
// so that the tree's box always holds the exact one.
func (b Box) lo() [2]float32 { return [2]float32{down32(b.Min.Lon), down32(b.Min.Lat)} }
func (b Box) hi() [2]float32 { return [2]float32{up32(b.Max.Lon), up32(b.Max.Lat)} }

func down32(v float64) float32 {
	f := float32(v)
	if float64(f) > v {
		return math.Nextafter32(f, float32(math.Inf(-1)))
	}
	return f
}

func up32(v float64) float32 {
	f := float32(v)
	if float64(f) < v {
		return math.Nextafter32(f, float32(math.Inf(1)))
	}
	return f
}
