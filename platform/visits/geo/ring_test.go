package geo

import (
	"errors"
	"strings"
	"testing"
)

func TestPolygonValidation(t *testing.T) {
	big := make([]Point, 0, MaxVertices+1)
	for i := range MaxVertices {
		big = append(big, destination(at(0, 0), float64(i)*360/MaxVertices, 100))
	}
	big = append(big, big[0])                                    // 1025 positions
	atLimit := append(big[:MaxVertices-1:MaxVertices-1], big[0]) // 1024 positions
	tests := []struct {
		name  string
		rings [][]Point
		want  string // substring of the error
	}{
		{"no rings", nil, "polygon has no rings"},
		{"too few positions", [][]Point{ring(0, 0, 1, 0, 0, 0)}, "ring 0 has 3 positions"},
		{"hole too short", [][]Point{frame, ring(1, 1, 2, 1, 1, 1)}, "ring 1 has 3 positions"},
		{"not closed", [][]Point{ring(0, 0, 1, 0, 1, 1, 0, 1)}, "ring 0 is not closed: its last vertex 3"},
		{"bad latitude", [][]Point{{at(0, 0), {95, 117}, at(1, 1), at(0, 0)}}, "ring 0 vertex 1: invalid geometry: latitude 95 is outside"},
		{"bad longitude in a hole", [][]Point{frame, {at(1, 1), at(2, 1), {36.651, 200}, at(1, 1)}}, "ring 1 vertex 2: invalid geometry: longitude 200"},
		{"repeated vertex", [][]Point{ring(0, 0, 1, 0, 1, 0, 1, 1, 0, 0)}, "ring 0 vertex 2 repeats vertex 1"},
		{"bow tie", [][]Point{ring(0, 0, 1, 1, 1, 0, 0, 1, 0, 0)}, "ring 0 intersects itself: ring 0 edge from vertex 0 to 1 meets ring 0 edge from vertex 2 to 3"},
		{"spike back along an edge", [][]Point{ring(0, 0, 2, 0, 1, 0, 1, 1, 0, 0)}, "ring 0 edge from vertex 1 to 2 doubles back"},
		{"flat triangle", [][]Point{ring(0, 0, 1, 0, 2, 0, 0, 0)}, "doubles back"},
		{"vertex touching an edge", [][]Point{ring(0, 0, 2, 0, 2, 2, 1, 0, 0, 2, 0, 0)}, "ring 0 intersects itself"},
		{"hole crossing the outer ring", [][]Point{square, ring(0.5, 0.5, 1.5, 0.5, 1.5, 0.7, 0.5, 0.7, 0.5, 0.5)}, "ring 0 and ring 1 intersect"},
		{"hole outside", [][]Point{square, ring(2, 2, 3, 2, 3, 3, 2, 2)}, "ring 1 (a hole) is not inside ring 0"},
		{"hole in a hole", [][]Point{frame, frameHole, ring(1.5, 1.5, 2.5, 1.5, 2.5, 2.5, 1.5, 1.5)}, "ring 2 (a hole) lies inside ring 1"},
		{"too many vertices", [][]Point{big}, "polygon has 1025 vertices, at most 1024"},
		{"across the antimeridian", [][]Point{{{10, 179.9}, {10, -179.9}, {11, -179.9}, {11, 179.9}, {10, 179.9}}}, "spans 359.8 degrees of longitude; polygons across the antimeridian are not supported"},
	}
	for _, tt := range tests {
		_, err := NewPolygon(tt.rings)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: error %v, want one wrapping ErrInvalid and containing %q", tt.name, err, tt.want)
		}
	}
	for name, rings := range map[string][][]Point{
		"square": {square}, "U": {letterU}, "frame with hole": {frame, frameHole}, "triangle": {triangle},
		"1024 vertices":     {atLimit},
		"two holes":         {frame, ring(0.5, 0.5, 1.5, 0.5, 1.5, 1.5, 0.5, 0.5), ring(2.5, 2.5, 3.5, 2.5, 3.5, 3.5, 2.5, 2.5)},
		"170 degrees wide":  {{{10, -85}, {10, 85}, {11, 85}, {11, -85}, {10, -85}}},
		"hole near the rim": {frame, ring(0.001, 0.001, 3.999, 0.001, 3.999, 3.999, 0.001, 0.001)},
	} {
		if _, err := NewPolygon(rings); err != nil {
			t.Errorf("%s: unexpected error %v", name, err)
		}
	}
}
