package geo

import (
	"fmt"
	"math"
)

// MaxVertices bounds a polygon's positions over all its rings: validation is quadratic in it, and
// a site needs far fewer.
const MaxVertices = 1024

// validateRings checks a polygon's rings and names the ring and vertex at fault. Ring 0 is the
// outer ring, rings 1 and on are holes. Rings may not touch or cross themselves or each other
// (stricter than OGC, which lets a hole touch the outer ring at one point).
func validateRings(rings [][]Point) error {
	if len(rings) == 0 {
		return fmt.Errorf("%w: polygon has no rings", ErrInvalid)
	}
	total := 0
	for _, r := range rings {
		total += len(r)
	}
	if total > MaxVertices {
		return fmt.Errorf("%w: polygon has %d vertices, at most %d are allowed", ErrInvalid, total, MaxVertices)
	}
	minLon, maxLon := math.Inf(1), math.Inf(-1)
	for ri, r := range rings {
		if len(r) < 4 {
			return fmt.Errorf("%w: ring %d has %d positions, a ring needs at least 4 (the last repeating the first)", ErrInvalid, ri, len(r))
		}
		for vi, v := range r {
			if err := v.Validate(); err != nil {
				return fmt.Errorf("ring %d vertex %d: %w", ri, vi, err)
			}
			if vi > 0 && v == r[vi-1] {
				return fmt.Errorf("%w: ring %d vertex %d repeats vertex %d", ErrInvalid, ri, vi, vi-1)
			}
			minLon, maxLon = math.Min(minLon, v.Lon), math.Max(maxLon, v.Lon)
		}
		if r[0] != r[len(r)-1] {
			return fmt.Errorf("%w: ring %d is not closed: its last vertex %d %v differs from vertex 0 %v", ErrInvalid, ri, len(r)-1, lonLat(r[len(r)-1]), lonLat(r[0]))
		}
	}
	if maxLon-minLon > 180 {
		return fmt.Errorf("%w: polygon spans %.6g degrees of longitude; polygons across the antimeridian are not supported", ErrInvalid, maxLon-minLon)
	}
	if err := checkCrossings(rings); err != nil {
		return err
	}
	return checkHoles(rings)
}

// lonLat prints a vertex the way GeoJSON writes it.
func lonLat(p Point) string { return fmt.Sprintf("[%v, %v]", p.Lon, p.Lat) }

// edge is the segment from vertex i to vertex i+1 of ring r.
type edge struct {
	r, i int
	a, b Point
}

func (e edge) String() string {
	return fmt.Sprintf("ring %d edge from vertex %d to %d", e.r, e.i, e.i+1)
}

// checkCrossings tests every pair of edges (quadratic, fine for MaxVertices): edges that share a
// vertex in the ring's order may only meet there, any other two may not meet at all.
func checkCrossings(rings [][]Point) error {
	var edges []edge
	for ri, r := range rings {
		for i := 0; i+1 < len(r); i++ {
			edges = append(edges, edge{ri, i, r[i], r[i+1]})
		}
	}
	for x := range edges {
		e := edges[x]
		for _, f := range edges[x+1:] {
			if math.Max(e.a.Lon, e.b.Lon) < math.Min(f.a.Lon, f.b.Lon) || math.Max(f.a.Lon, f.b.Lon) < math.Min(e.a.Lon, e.b.Lon) ||
				math.Max(e.a.Lat, e.b.Lat) < math.Min(f.a.Lat, f.b.Lat) || math.Max(f.a.Lat, f.b.Lat) < math.Min(e.a.Lat, e.b.Lat) {
				continue
			}
			if e.r == f.r {
				n := len(rings[e.r]) - 1 // edges in the ring
				switch {
				case f.i == e.i+1: // e.b == f.a
					if doublesBack(e.b, e.a, f.b) {
						return fmt.Errorf("%w: %v doubles back over the previous edge", ErrInvalid, f)
					}
					continue
				case e.i == 0 && f.i == n-1: // f.b == e.a
					if doublesBack(e.a, e.b, f.a) {
						return fmt.Errorf("%w: %v doubles back over %v", ErrInvalid, f, e)
					}
					continue
				}
			}
			if segmentsMeet(e.a, e.b, f.a, f.b) {
				if e.r == f.r {
					return fmt.Errorf("%w: ring %d intersects itself: %v meets %v", ErrInvalid, e.r, e, f)
				}
				return fmt.Errorf("%w: ring %d and ring %d intersect: %v meets %v", ErrInvalid, e.r, f.r, e, f)
			}
		}
	}
	return nil
}

// doublesBack reports whether two edges leaving the shared vertex s towards p and q overlap:
// collinear and in the same direction.
func doublesBack(s, p, q Point) bool {
	return orient(s, p, q) == 0 && (p.Lon-s.Lon)*(q.Lon-s.Lon)+(p.Lat-s.Lat)*(q.Lat-s.Lat) > 0
}

// orient is the sign of the turn a -> b -> c: positive counter-clockwise, 0 collinear.
func orient(a, b, c Point) float64 {
	v := (b.Lon-a.Lon)*(c.Lat-a.Lat) - (b.Lat-a.Lat)*(c.Lon-a.Lon)
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// segmentsMeet reports whether segments a-b and c-d share any point, touching included.
func segmentsMeet(a, b, c, d Point) bool {
	o1, o2, o3, o4 := orient(a, b, c), orient(a, b, d), orient(c, d, a), orient(c, d, b)
	if o1*o2 < 0 && o3*o4 < 0 {
		return true
	}
	return (o1 == 0 && within(a, b, c)) || (o2 == 0 && within(a, b, d)) ||
		(o3 == 0 && within(c, d, a)) || (o4 == 0 && within(c, d, b))
}

// within reports whether p, collinear with a-b, lies in the segment's box.
func within(a, b, p Point) bool {
	return p.Lon >= math.Min(a.Lon, b.Lon) && p.Lon <= math.Max(a.Lon, b.Lon) &&
		p.Lat >= math.Min(a.Lat, b.Lat) && p.Lat <= math.Max(a.Lat, b.Lat)
}

// checkHoles requires every hole inside the outer ring and outside the other holes. Rings do not
// meet (checkCrossings), so one vertex of a hole tells where the whole hole lies.
func checkHoles(rings [][]Point) error {
	for h := 1; h < len(rings); h++ {
		v := rings[h][0]
		if ringSide(rings[0], v) != inside {
			return fmt.Errorf("%w: ring %d (a hole) is not inside ring 0 (the outer ring): its vertex 0 %v is outside or on it", ErrInvalid, h, lonLat(v))
		}
		for o := 1; o < len(rings); o++ {
			if o != h && ringSide(rings[o], v) == inside {
				return fmt.Errorf("%w: ring %d (a hole) lies inside ring %d (another hole)", ErrInvalid, h, o)
			}
		}
	}
	return nil
}
