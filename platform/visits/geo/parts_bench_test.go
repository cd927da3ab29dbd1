package geo

import (
	"math"
	"testing"

	"github.com/google/uuid"
)

// BenchmarkContainingParts splits one match against BenchmarkContaining's 100,000 fences into
// what it is made of, on the same points: the R-tree search alone (a callback that does
// nothing), the search with the circles' exact test, and the whole match (AppendContaining). It
// reports per point the candidates (boxes containing it), how many of them are polygons, and the
// share of polygon candidates the raster decides without reading the polygon's vertices.
func BenchmarkContainingParts(b *testing.B) {
	w := world(b)
	var cand, polys, decided int
	for _, p := range w.points {
		w.index.tree.Search(Box{Min: p, Max: p}.lo(), Box{Min: p, Max: p}.hi(), func(_, _ [2]float32, s slot) bool {
			e := &w.index.entries[s]
			cand++
			if e.poly != nil {
				polys++
				if d, _ := e.poly.grid.decide(e.poly.box, p); d {
					decided++
				}
			}
			return true
		})
	}
	n := float64(len(w.points))
	report := func(b *testing.B) {
		b.ReportMetric(float64(cand)/n, "candidates/point")
		b.ReportMetric(float64(polys)/n, "polygons/point")
		b.ReportMetric(100*float64(decided)/float64(polys), "%raster-decided")
	}
	b.Run("search", func(b *testing.B) {
		hits := 0
		for i := 0; i < b.N; i++ {
			p := w.points[i%len(w.points)]
			w.index.tree.Search(Box{Min: p, Max: p}.lo(), Box{Min: p, Max: p}.hi(), func(_, _ [2]float32, _ slot) bool {
				hits++
				return true
			})
		}
		report(b)
	})
	b.Run("search+circles", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			p := w.points[i%len(w.points)]
			cosP := math.Cos(radians(p.Lat))
			w.index.tree.Search(Box{Min: p, Max: p}.lo(), Box{Min: p, Max: p}.hi(), func(_, _ [2]float32, s slot) bool {
				e := &w.index.entries[s]
				if e.poly == nil {
					_ = withinRadius(e.circle.Center, e.cosCentre, p, cosP, e.circle.Radius)
				}
				return true
			})
		}
	})
	b.Run("match", func(b *testing.B) {
		buf := make([]uuid.UUID, 0, 64)
		for i := 0; i < b.N; i++ {
			buf = w.index.AppendContaining(buf[:0], w.points[i%len(w.points)])
		}
	})
}
