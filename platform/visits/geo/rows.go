package geo

// rowEdges lists, for each of the raster's rows, the edges whose latitude span reaches the row
// (widened by rasterMargin, as the raster's cells are): a ray cast from a point in that row can
// meet no other edge, so it tests a handful of edges instead of all of them. The first
// rasterSide+1 entries are where each row's list starts and ends; every list that follows holds
// the index in pts of each edge's first vertex, in increasing order, hence ring by ring.
// uint16 is enough: MaxVertices edges times 32 rows is 32,768.
func rowEdges(p *Polygon) []uint16 {
	h := (p.box.Max.Lat - p.box.Min.Lat) / rasterSide
	rows := make([]uint16, rasterSide+1, rasterSide+1+2*len(p.pts))
	for cy := range rasterSide {
		lo := p.box.Min.Lat + float64(cy)*h - rasterMargin
		hi := p.box.Min.Lat + float64(cy+1)*h + rasterMargin
		for i := range p.ends {
			start := 0
			if i > 0 {
				start = p.ends[i-1]
			}
			for j := start; j+1 < p.ends[i]; j++ {
				a, b := p.pts[j], p.pts[j+1]
				if max(a.Lat, b.Lat) >= lo && min(a.Lat, b.Lat) <= hi {
					rows = append(rows, uint16(j))
				}
			}
		}
		rows[cy+1] = uint16(len(rows) - (rasterSide + 1))
	}
	return rows
}

// row is the raster row of pt, a point inside the polygon's box, clamped to the grid: a point on
// the box's top edge belongs to the last row, whose span reaches it.
func (p *Polygon) row(pt Point) int {
	cy := int((pt.Lat - p.box.Min.Lat) * rasterSide / (p.box.Max.Lat - p.box.Min.Lat))
	return max(0, min(cy, rasterSide-1))
}

// rowEdgesAt is the edge list of pt's row.
func (p *Polygon) rowEdgesAt(pt Point) []uint16 { return p.rowEdgesOf(p.row(pt)) }

// rowEdgesOf is the edge list of raster row cy.
func (p *Polygon) rowEdgesOf(cy int) []uint16 {
	return p.rows[rasterSide+1+int(p.rows[cy]) : rasterSide+1+int(p.rows[cy+1])]
}

// castInRow is containsExactly over edges, the edge list of pt's row: the same ray cast, ring by
// ring, on the only edges that can meet the ray.
func (p *Polygon) castInRow(pt Point, edges []uint16) bool {
	ring, end := 0, p.outer // the ring being crossed, and where its vertices end in pts
	in := false             // whether the ray has crossed this ring an odd number of times
	for _, j := range edges {
		for int(j) >= end { // the edge is in a later ring: settle this one first
			if ring == 0 && !in || ring > 0 && in {
				return false // outside the outer ring, or strictly inside a hole
			}
			ring, in = ring+1, false
			end = p.ends[ring]
		}
		crosses, on := edgeMeets(p.pts[j], p.pts[j+1], pt)
		if on {
			return true // on a ring: the boundary counts as inside
		}
		if crosses {
			in = !in
		}
	}
	if ring == 0 {
		return in
	}
	return !in // rings after this one have no edge in the row: the point is in none of them
}
