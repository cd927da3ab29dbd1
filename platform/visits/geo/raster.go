package geo

// raster is a 32 x 32 grid over a polygon's box that marks the cells wholly inside the polygon
// and the cells wholly outside it. A point in a marked cell is decided without reading a single
// vertex: with 100,000 fences the vertices are cold, and a cache or TLB miss costs more than the
// whole ray cast. Only points in cells crossed by an edge need the exact test.
//
// The marks are exact, not approximate: a cell is marked only when no edge comes within
// rasterMargin of it, so every point in it is more than onEdge from every edge and on the same
// side of every ring as the cell's centre, whose side the exact test decided.
type raster struct {
	cells [rasterSide * rasterSide / 32]uint64 // 2 bits a cell: decided, then inside
}

const (
	rasterSide   = 32
	rasterMargin = 4 * onEdge // the cells are widened by this when looking for edges
)

func newRaster(p *Polygon) raster {
	var r raster
	w := (p.box.Max.Lon - p.box.Min.Lon) / rasterSide
	h := (p.box.Max.Lat - p.box.Min.Lat) / rasterSide
	cell := func(cx, cy int) Box {
		return Box{
			Min: Point{p.box.Min.Lat + float64(cy)*h - rasterMargin, p.box.Min.Lon + float64(cx)*w - rasterMargin},
			Max: Point{p.box.Min.Lat + float64(cy+1)*h + rasterMargin, p.box.Min.Lon + float64(cx+1)*w + rasterMargin},
		}
	}
	// First the cells that some edge meets: for each edge, the cells around its own box.
	var crossed [rasterSide * rasterSide]bool
	clamp := func(v float64) int { return max(0, min(int(v), rasterSide-1)) }
	for i := range p.ends {
		ring := p.ring(i)
		for j := 0; j+1 < len(ring); j++ {
			a, b := ring[j], ring[j+1]
			x0, x1 := clamp((min(a.Lon, b.Lon)-p.box.Min.Lon)/w-1), clamp((max(a.Lon, b.Lon)-p.box.Min.Lon)/w+1)
			y0, y1 := clamp((min(a.Lat, b.Lat)-p.box.Min.Lat)/h-1), clamp((max(a.Lat, b.Lat)-p.box.Min.Lat)/h+1)
			for cy := y0; cy <= y1; cy++ {
				for cx := x0; cx <= x1; cx++ {
					if !crossed[cy*rasterSide+cx] && segmentMeetsBox(a, b, cell(cx, cy)) {
						crossed[cy*rasterSide+cx] = true
					}
				}
			}
		}
	}
	// Then every other cell takes the side of its centre, ray cast over its row's edges (p.rows
	// is built first).
	for k, c := range crossed {
		if c {
			continue
		}
		b := cell(k%rasterSide, k/rasterSide)
		mark := uint64(1)
		centre := Point{(b.Min.Lat + b.Max.Lat) / 2, (b.Min.Lon + b.Max.Lon) / 2}
		if p.castInRow(centre, p.rowEdgesAt(centre)) {
			mark = 3
		}
		r.cells[k/32] |= mark << (2 * (k % 32))
	}
	return r
}

// cellOf is the raster cell of pt in a polygon whose box is box, or -1 outside the grid. A point
// that rounding puts in a neighbouring cell is within rasterMargin of it, where that cell's mark
// holds too.
func cellOf(box Box, pt Point) int {
	cx := int((pt.Lon - box.Min.Lon) * rasterSide / (box.Max.Lon - box.Min.Lon))
	cy := int((pt.Lat - box.Min.Lat) * rasterSide / (box.Max.Lat - box.Min.Lat))
	if cx < 0 || cy < 0 || cx >= rasterSide || cy >= rasterSide {
		return -1
	}
	return cy*rasterSide + cx
}

// mark looks cell k up: decided reports whether it is marked, inside which mark.
func (r *raster) mark(k int) (decided, inside bool) {
	if k < 0 {
		return false, false
	}
	m := r.cells[k/32] >> (2 * (k % 32))
	return m&1 != 0, m&2 != 0
}

// segmentMeetsBox tests a segment against a box on three axes (the box's two and the segment's
// normal): they meet unless one of them separates them.
func segmentMeetsBox(a, b Point, box Box) bool {
	if max(a.Lon, b.Lon) < box.Min.Lon || min(a.Lon, b.Lon) > box.Max.Lon ||
		max(a.Lat, b.Lat) < box.Min.Lat || min(a.Lat, b.Lat) > box.Max.Lat {
		return false
	}
	side := func(lat, lon float64) float64 {
		return (b.Lon-a.Lon)*(lat-a.Lat) - (b.Lat-a.Lat)*(lon-a.Lon)
	}
	s := [4]float64{side(box.Min.Lat, box.Min.Lon), side(box.Min.Lat, box.Max.Lon), side(box.Max.Lat, box.Min.Lon), side(box.Max.Lat, box.Max.Lon)}
	return !(s[0] > 0 && s[1] > 0 && s[2] > 0 && s[3] > 0) && !(s[0] < 0 && s[1] < 0 && s[2] < 0 && s[3] < 0)
}
