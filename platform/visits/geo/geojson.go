package geo

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// geoJSONPolygon is the GeoJSON (RFC 7946) geometry this package reads and writes. Only the
// Polygon type is accepted: a customer's fence is one area, and a MultiPolygon would need a
// containment rule per part that nobody has asked for.
type geoJSONPolygon struct {
	Type        string        `json:"type"`
	Coordinates [][][]float64 `json:"coordinates"`
}

// ParsePolygon reads a GeoJSON Polygon geometry ({"type":"Polygon","coordinates":[[[lon, lat],
// ...], ...]}: the outer ring, then the holes) and validates it. Positions may carry a third
// number (altitude), which is dropped. Errors name the ring and vertex at fault.
func ParsePolygon(data []byte) (*Polygon, error) {
	var g geoJSONPolygon
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&g); err != nil {
		return nil, fmt.Errorf("%w: GeoJSON polygon: %v", ErrInvalid, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: GeoJSON polygon: unexpected data after the geometry", ErrInvalid)
	}
	if g.Type != "Polygon" {
		return nil, fmt.Errorf("%w: GeoJSON type %q is not supported, only \"Polygon\"", ErrInvalid, g.Type)
	}
	rings := make([][]Point, len(g.Coordinates))
	for ri, r := range g.Coordinates {
		rings[ri] = make([]Point, len(r))
		for vi, pos := range r {
			if len(pos) != 2 && len(pos) != 3 {
				return nil, fmt.Errorf("%w: ring %d vertex %d: a position is [lon, lat] or [lon, lat, alt], got %d numbers", ErrInvalid, ri, vi, len(pos))
			}
			rings[ri][vi] = Point{Lat: pos[1], Lon: pos[0]}
		}
	}
	p, err := NewPolygon(rings)
	if err != nil {
		return nil, fmt.Errorf("GeoJSON polygon: %w", err)
	}
	return p, nil
}

// MarshalJSON writes the polygon as a GeoJSON Polygon geometry, positions as [lon, lat].
func (p *Polygon) MarshalJSON() ([]byte, error) {
	g := geoJSONPolygon{Type: "Polygon", Coordinates: make([][][]float64, len(p.ends))}
	for ri := range p.ends {
		r := p.ring(ri)
		g.Coordinates[ri] = make([][]float64, len(r))
		for vi, v := range r {
			g.Coordinates[ri][vi] = []float64{v.Lon, v.Lat}
		}
	}
	return json.Marshal(g)
}

// UnmarshalJSON reads a GeoJSON Polygon geometry as ParsePolygon does.
func (p *Polygon) UnmarshalJSON(data []byte) error {
	q, err := ParsePolygon(data)
	if err != nil {
		return err
	}
	*p = *q
	return nil
}
