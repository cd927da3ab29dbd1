package geo

import (
	"bytes"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
)

// place is the point east and north metres away from c, on the local flat approximation that
// the generated fences are drawn in.
func place(c Point, east, north float64) Point {
	ky := radians(1) * EarthRadius
	return Point{Lat: c.Lat + north/ky, Lon: c.Lon + east/(ky*math.Cos(radians(c.Lat)))}
}

// starPolygon is a polygon of n vertices around c at random angles and at random distances
// between r/2 and r: star-shaped, hence simple, and concave more often than not. With a hole
// (n >= 12 only, so that the hole stays clear of the rim), a hexagon of radius 0.3 r is cut out.
func starPolygon(rng *rand.Rand, c Point, r float64, n int, hole bool) *Polygon {
	outer := make([]Point, 0, n+1)
	for i := range n {
		a := 2 * math.Pi * (float64(i) + 0.8*rng.Float64()) / float64(n)
		d := r * (0.5 + 0.5*rng.Float64())
		outer = append(outer, place(c, d*math.Sin(a), d*math.Cos(a)))
	}
	rings := [][]Point{append(outer, outer[0])}
	if hole && n >= 12 {
		var h []Point
		for i := range 6 {
			a := 2 * math.Pi * float64(i) / 6
			h = append(h, place(c, 0.3*r*math.Sin(a), 0.3*r*math.Cos(a)))
		}
		rings = append(rings, append(h, h[0]))
	}
	p, err := NewPolygon(rings)
	if err != nil {
		panic(err) // the construction guarantees a valid polygon; a failure is a bug here
	}
	return p
}

// randomFences spreads n fences over a square of side metres around c: half circles of radius
// 50 to 500 m, half star polygons of 3 to 63 vertices (4 to 64 positions) of the same size, one
// in ten of those with 12 vertices or more holding a hole.
func randomFences(rng *rand.Rand, n int, c Point, side float64) ([]uuid.UUID, []Fence) {
	ids, fences := make([]uuid.UUID, n), make([]Fence, n)
	for i := range n {
		ids[i] = uuid.UUID(randomBytes(rng))
		centre := randomPoint(rng, c, side)
		r := 50 + 450*rng.Float64()
		if i%2 == 0 {
			fences[i] = Circle{Center: centre, Radius: r}
		} else {
			fences[i] = starPolygon(rng, centre, r, 3+rng.IntN(61), rng.IntN(10) == 0)
		}
	}
	return ids, fences
}

func randomPoint(rng *rand.Rand, c Point, side float64) Point {
	return place(c, (rng.Float64()-0.5)*side, (rng.Float64()-0.5)*side)
}

func randomBytes(rng *rand.Rand) (b [16]byte) {
	for i := range b {
		b[i] = byte(rng.IntN(256))
	}
	return b
}

var jinan = Point{36.65, 117.0}

func buildIndex(t testing.TB, ids []uuid.UUID, fences []Fence) *Index {
	t.Helper()
	ix := NewIndex()
	for i, f := range fences {
		if err := ix.Insert(ids[i], f); err != nil {
			t.Fatal(err)
		}
	}
	return ix
}

// linearContaining is the reference the index must agree with: every fence, its box, then the
// same exact test.
func linearContaining(ids []uuid.UUID, fences []Fence, boxes []Box, p Point) []uuid.UUID {
	var out []uuid.UUID
	for i, f := range fences {
		if boxes[i].Contains(p) && f.Contains(p) {
			out = append(out, ids[i])
		}
	}
	slices.SortFunc(out, compareIDs)
	return out
}

// TestIndexMatchesLinearScan asks 10,000 random fences about 10,000 random points and about every
// polygon vertex (the boundary), through the index and through a plain scan.
func TestIndexMatchesLinearScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	ids, fences := randomFences(rng, 10_000, jinan, 20_000)
	ix := buildIndex(t, ids, fences)
	boxes := make([]Box, len(fences))
	for i, f := range fences {
		boxes[i] = f.Bounds()
	}
	points := make([]Point, 0, 20_000)
	for range 10_000 {
		points = append(points, randomPoint(rng, jinan, 20_000))
	}
	for _, f := range fences[:2000] {
		if p, ok := f.(*Polygon); ok {
			points = append(points, p.ring(0)[rng.IntN(len(p.ring(0)))])
		}
	}
	hits, most := 0, 0
	for _, p := range points {
		want := linearContaining(ids, fences, boxes, p)
		if diff := cmp.Diff(want, ix.Containing(p)); diff != "" {
			t.Fatalf("point %v: index and scan disagree (-scan +index):\n%s", p, diff)
		}
		hits += len(want)
		most = max(most, len(want))
	}
	// The data must make the comparison mean something: most points inside some fence, and
	// some inside several.
	if hits < len(points) || most < 3 {
		t.Fatalf("only %d hits over %d points (at most %d at one point): the fences are too sparse", hits, len(points), most)
	}
	t.Logf("%d points, %d hits, at most %d fences at one point", len(points), hits, most)
}

func TestIndexNearMatchesLinearScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	ids, fences := randomFences(rng, 2000, jinan, 10_000)
	ix := buildIndex(t, ids, fences)
	found := 0
	for range 800 {
		p, metres := randomPoint(rng, jinan, 10_000), 200*rng.Float64()
		var want []Proximity
		for i, f := range fences {
			if d := f.Distance(p); d <= metres {
				want = append(want, Proximity{ID: ids[i], Distance: d})
			}
		}
		slices.SortFunc(want, func(a, b Proximity) int { return compareIDs(a.ID, b.ID) })
		if diff := cmp.Diff(want, ix.Near(p, metres)); diff != "" {
			t.Fatalf("point %v within %.1f m: index and scan disagree (-scan +index):\n%s", p, metres, diff)
		}
		found += len(want)
	}
	if found < 800 {
		t.Fatalf("only %d fences found near 800 points: the test data is too sparse", found)
	}
}

func TestIndexInsertReplaceDelete(t *testing.T) {
	ix := NewIndex()
	a, b := uuid.New(), uuid.New()
	here, there := jinan, place(jinan, 5000, 0)
	if err := ix.Insert(a, Circle{Center: here, Radius: 100}); err != nil {
		t.Fatal(err)
	}
	if err := ix.Insert(b, mustPolygon(t, ring(-1, -1, 1, -1, 1, 1, -1, 1, -1, -1))); err != nil {
		t.Fatal(err)
	}
	want := []uuid.UUID{a, b}
	slices.SortFunc(want, compareIDs)
	if diff := cmp.Diff(want, ix.Containing(here)); diff != "" {
		t.Fatalf("both fences hold the point (-want +got):\n%s", diff)
	}
	// Replacing moves the fence: found at its new place, no longer at the old one.
	if err := ix.Insert(a, Circle{Center: there, Radius: 100}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]uuid.UUID{b}, ix.Containing(here)); diff != "" {
		t.Errorf("after the move, at the old place (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]uuid.UUID{a}, ix.Containing(there)); diff != "" {
		t.Errorf("after the move, at the new place (-want +got):\n%s", diff)
	}
	if ix.Len() != 2 {
		t.Errorf("Len = %d after a replace, want 2", ix.Len())
	}
	// An invalid fence is refused and leaves the old one in place.
	if err := ix.Insert(a, Circle{Center: there, Radius: -1}); err == nil {
		t.Errorf("a negative radius was accepted")
	}
	if f, ok := ix.Fence(a); !ok || f.(Circle).Center != there {
		t.Errorf("after a refused replace, Fence = %v, %v", f, ok)
	}
	if !ix.Delete(a) || ix.Delete(a) {
		t.Errorf("Delete must report true once, then false")
	}
	if got := ix.Containing(there); len(got) != 0 {
		t.Errorf("a deleted fence is still found: %v", got)
	}
	if _, ok := ix.Fence(a); ok || ix.Len() != 1 {
		t.Errorf("a deleted fence is still held")
	}
	// A circle on the antimeridian is found from the other side.
	c := uuid.New()
	if err := ix.Insert(c, Circle{Center: Point{10, 179.9999}, Radius: 100}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]uuid.UUID{c}, ix.Containing(Point{10, -179.9999})); diff != "" {
		t.Errorf("across the antimeridian (-want +got):\n%s", diff)
	}
	// c took the slot a left: a's old places find nothing of either.
	if len(ix.circles) != 1 {
		t.Errorf("%d circle slots for 1 circle: the freed one was not reused", len(ix.circles))
	}
	if got := ix.Containing(there); len(got) != 0 {
		t.Errorf("at the deleted fence's place, after its slot was reused: %v", got)
	}
	if f, ok := ix.Fence(c); !ok || f.(Circle).Center != (Point{10, 179.9999}) {
		t.Errorf("Fence(c) = %v, %v", f, ok)
	}
	// Polygons have slots of their own, reused the same way: d takes b's, far from b.
	if !ix.Delete(b) {
		t.Fatal("b was not deleted")
	}
	d := uuid.New()
	if err := ix.Insert(d, mustPolygon(t, ring(10, 10, 11, 10, 11, 11, 10, 11, 10, 10))); err != nil {
		t.Fatal(err)
	}
	if len(ix.polygons) != 1 {
		t.Errorf("%d polygon slots for 1 polygon: the freed one was not reused", len(ix.polygons))
	}
	if got := ix.Containing(here); len(got) != 0 {
		t.Errorf("at the deleted polygon's place, after its slot was reused: %v", got)
	}
	if diff := cmp.Diff([]uuid.UUID{d}, ix.Containing(at(10.5, 10.5))); diff != "" {
		t.Errorf("in the polygon that took the freed slot (-want +got):\n%s", diff)
	}
	if f, ok := ix.Fence(d); !ok || f.Bounds() != ix.polygons[0].poly.Bounds() {
		t.Errorf("Fence(d) = %v, %v", f, ok)
	}
}

// TestIndexConcurrentReaders runs readers while a writer moves fences; run with -race. A point
// that one fixed fence holds must be found by every read, whatever the writer is doing.
func TestIndexConcurrentReaders(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	ids, fences := randomFences(rng, 500, jinan, 5000)
	ix := buildIndex(t, ids, fences)
	fixed := uuid.New()
	if err := ix.Insert(fixed, Circle{Center: jinan, Radius: 30}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	done := make(chan struct{})
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				if !slices.Contains(ix.Containing(jinan), fixed) {
					t.Error("the fixed fence went missing during a write")
					return
				}
				ix.Near(jinan, 50)
			}
		}()
	}
	for i := range 2000 {
		j := i % len(ids)
		if i%3 == 0 {
			ix.Delete(ids[j])
		} else if err := ix.Insert(ids[j], Circle{Center: randomPoint(rng, jinan, 5000), Radius: 100}); err != nil {
			t.Error(err)
		}
	}
	close(done)
	wg.Wait()
}

// TestCompareIDsIsByteOrder checks the word-wise comparison against bytes.Compare, on random ids
// and on ids that differ in one byte only, first half and second.
func TestCompareIDsIsByteOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	for range 10_000 {
		a := uuid.UUID(randomBytes(rng))
		b := a
		if rng.IntN(2) == 0 {
			b = uuid.UUID(randomBytes(rng))
		} else {
			b[rng.IntN(16)] = byte(rng.IntN(256))
		}
		if got, want := compareIDs(a, b), bytes.Compare(a[:], b[:]); got != want {
			t.Fatalf("compareIDs(%s, %s) = %d, bytes.Compare %d", a, b, got, want)
		}
	}
}

// TestTreeKeepsPolygonBoxesExactly checks what a match relies on to find a polygon's raster cell
// from the tree: the tree's box of a polygon is its box, bit for bit.
func TestTreeKeepsPolygonBoxesExactly(t *testing.T) {
	rng := rand.New(rand.NewPCG(25, 26))
	ids, fences := randomFences(rng, 2000, jinan, 20_000)
	ix := buildIndex(t, ids, fences)
	polygons := 0
	ix.tree.Scan(func(lo, hi [2]float32, s slot) bool {
		if s.polygon() {
			polygons++
			tree := Box{Min: Point{Lat: float64(lo[1]), Lon: float64(lo[0])}, Max: Point{Lat: float64(hi[1]), Lon: float64(hi[0])}}
			if e := &ix.polygons[s.at()]; tree != e.poly.Bounds() {
				t.Fatalf("polygon %s: the tree's box %v, the polygon's %v", e.id, tree, e.poly.Bounds())
			}
		}
		return true
	})
	if polygons != 1000 {
		t.Fatalf("%d polygons in the tree, want 1000", polygons)
	}
}

// A match reads a polygon's id, rows and pts in the pass that reads its raster word: they must
// share one cache line of the entry, and an entry must be whole lines, so that in an array that
// starts on a line (as Go places arrays of this size) no entry shares a line with the next.
func TestPolygonEntryKeepsWhatAMatchReadsInOneLine(t *testing.T) {
	var e polygonEntry
	if size := unsafe.Sizeof(e); size%64 != 0 {
		t.Errorf("a polygon entry is %d bytes, not whole cache lines", size)
	}
	line := func(offset uintptr) uintptr { return offset / 64 }
	id, rows, pts := unsafe.Offsetof(e.id), unsafe.Offsetof(e.poly)+unsafe.Offsetof(e.poly.rows), unsafe.Offsetof(e.poly)+unsafe.Offsetof(e.poly.pts)
	if line(id) != line(id+15) || line(rows) != line(id) || line(pts) != line(id) || line(pts+23) != line(id) {
		t.Errorf("id at %d, rows at %d, pts at %d: not in one cache line", id, rows, pts)
	}
}
