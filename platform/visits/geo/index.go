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
	mu      sync.RWMutex
	tree    rtree.RTreeGN[float32, slot]
	entries []indexed // by slot; a free slot is zero
	free    []slot
	slots   map[uuid.UUID]slot
}

// slot is where a fence is in Index.entries. The tree holds slots, not the fences: a leaf's
// items are then 256 bytes instead of 3.5 KB, and a search reads a few of their cache lines
// where it read one a candidate, which stalled it on memory for each. The entries, one compact
// array, are read after the search, all at once.
type slot uint32

// indexed is one fence as the index keeps it: a circle inline (with the cosine the distance
// needs, computed once), a polygon by pointer. A match then reads no memory for a circle beyond
// its entry, and for most polygons one word of the polygon's raster: with 100,000 fences, cache
// and TLB misses are most of the cost.
type indexed struct {
	id        uuid.UUID
	circle    Circle   // when poly is nil
	cosCentre float64  // the cosine of the circle centre's latitude
	poly      *Polygon // or nil
}

func (e *indexed) asFence() Fence {
	if e.poly != nil {
		return e.poly
	}
	return e.circle
}

// NewIndex returns an empty index.
func NewIndex() *Index { return &Index{slots: map[uuid.UUID]slot{}} }

// Insert validates f and stores it under id, replacing the fence id had, if any. A *Polygon is
// kept by pointer (polygons are immutable once built).
func (ix *Index) Insert(id uuid.UUID, f Fence) error {
	e := indexed{id: id}
	switch f := f.(type) {
	case Circle:
		e.circle, e.cosCentre = f, math.Cos(radians(f.Center.Lat))
	case *Polygon:
		if f == nil {
			return fmt.Errorf("index fence %s: %w: nil polygon", id, ErrInvalid)
		}
		e.poly = f
	default:
		return fmt.Errorf("index fence %s: %w: no fence", id, ErrInvalid)
	}
	if err := f.Validate(); err != nil {
		return fmt.Errorf("index fence %s: %w", id, err)
	}
	box := f.Bounds()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	s, ok := ix.slots[id]
	switch {
	case ok:
		ix.untree(s)
	case len(ix.free) > 0:
		s, ix.free = ix.free[len(ix.free)-1], ix.free[:len(ix.free)-1]
	default:
		s = slot(len(ix.entries))
		ix.entries = append(ix.entries, indexed{})
	}
	ix.entries[s] = e
	ix.slots[id] = s
	ix.tree.Insert(box.lo(), box.hi(), s)
	return nil
}

// untree takes slot s out of the tree, under the box its fence was inserted with (Bounds is a
// pure function of the fence, so computing it again finds the same box).
func (ix *Index) untree(s slot) {
	box := ix.entries[s].asFence().Bounds()
	ix.tree.Delete(box.lo(), box.hi(), s)
}

// Delete removes the fence stored under id and reports whether there was one.
func (ix *Index) Delete(id uuid.UUID) bool {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	s, ok := ix.slots[id]
	if !ok {
		return false
	}
	ix.untree(s)
	ix.entries[s] = indexed{} // lets the polygon go
	ix.free = append(ix.free, s)
	delete(ix.slots, id)
	return true
}

// Fence returns the fence stored under id.
func (ix *Index) Fence(id uuid.UUID) (Fence, bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	s, ok := ix.slots[id]
	if !ok {
		return nil, false
	}
	return ix.entries[s].asFence(), true
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
		dst = m.add(dst, ix.entries, s, lo, hi)
		return true
	})
	dst = m.flush(dst, ix.entries)
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
		e := &ix.entries[s]
		if d := e.asFence().Distance(p); d <= metres {
			out = append(out, Proximity{ID: e.id, Distance: d})
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
