package geo

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const holedJSON = `{"type":"Polygon","coordinates":[
	[[117.0,36.65],[117.004,36.65],[117.004,36.654],[117.0,36.654],[117.0,36.65]],
	[[117.001,36.651],[117.001,36.653],[117.003,36.653],[117.003,36.651],[117.001,36.651]]]}`

func TestParsePolygon(t *testing.T) {
	p, err := ParsePolygon([]byte(holedJSON))
	if err != nil {
		t.Fatal(err)
	}
	want := [][]Point{
		{{36.65, 117.0}, {36.65, 117.004}, {36.654, 117.004}, {36.654, 117.0}, {36.65, 117.0}},
		{{36.651, 117.001}, {36.653, 117.001}, {36.653, 117.003}, {36.651, 117.003}, {36.651, 117.001}},
	}
	if diff := cmp.Diff(want, p.Rings()); diff != "" {
		t.Fatalf("rings (-want +got):\n%s", diff)
	}
	if !p.Contains(Point{36.6505, 117.0005}) || p.Contains(Point{36.652, 117.002}) {
		t.Errorf("the frame must contain its rim and not its hole")
	}

	// Written back, it reads the same.
	out, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var again Polygon
	if err := json.Unmarshal(out, &again); err != nil {
		t.Fatalf("re-reading %s: %v", out, err)
	}
	if diff := cmp.Diff(p.Rings(), again.Rings()); diff != "" {
		t.Errorf("round trip (-first +second):\n%s", diff)
	}
	if !strings.HasPrefix(string(out), `{"type":"Polygon","coordinates":[[[117,36.65],[117.004,36.65]`) {
		t.Errorf("written as %s, want GeoJSON with [lon, lat] positions", out)
	}

	// A third number (altitude) is dropped.
	p3, err := ParsePolygon([]byte(`{"type":"Polygon","coordinates":[[[117,36.65,30],[117.001,36.65,31],[117.001,36.651,32],[117,36.65,30]]]}`))
	if err != nil || len(p3.Rings()[0]) != 4 {
		t.Errorf("positions with altitude: %v", err)
	}
}

func TestParsePolygonRejects(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"not JSON", `{"type":`, "GeoJSON polygon: unexpected EOF"},
		{"trailing data", `{"type":"Polygon","coordinates":[]} {}`, "unexpected data after the geometry"},
		{"MultiPolygon", `{"type":"MultiPolygon","coordinates":[]}`, `GeoJSON type "MultiPolygon" is not supported, only "Polygon"`},
		{"Feature", `{"type":"Feature","geometry":{}}`, `GeoJSON type "Feature" is not supported`},
		{"no type", `{"coordinates":[]}`, `GeoJSON type "" is not supported`},
		{"null", `null`, `GeoJSON type "" is not supported`},
		{"no rings", `{"type":"Polygon","coordinates":[]}`, "polygon has no rings"},
		{"one number", `{"type":"Polygon","coordinates":[[[117,36.65],[117.001],[117.001,36.651],[117,36.65]]]}`, "ring 0 vertex 1: a position is [lon, lat] or [lon, lat, alt], got 1 numbers"},
		{"string coordinate", `{"type":"Polygon","coordinates":[[["117",36.65]]]}`, "cannot unmarshal string"},
		{"lat and lon swapped", `{"type":"Polygon","coordinates":[[[36.65,117],[36.66,117],[36.66,117.01],[36.65,117]]]}`, "ring 0 vertex 0: invalid geometry: latitude 117 is outside [-90, 90]"},
		{"open ring", `{"type":"Polygon","coordinates":[[[117,36.65],[117.001,36.65],[117.001,36.651],[117,36.651]]]}`, "ring 0 is not closed"},
		{"self-intersecting", `{"type":"Polygon","coordinates":[[[117,36.65],[117.001,36.651],[117.001,36.65],[117,36.651],[117,36.65]]]}`, "ring 0 intersects itself"},
		{"huge number", `{"type":"Polygon","coordinates":[[[1e400,36.65]]]}`, "cannot unmarshal number 1e400"},
	}
	for _, tt := range tests {
		_, err := ParsePolygon([]byte(tt.in))
		if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: error %v, want one wrapping ErrInvalid and containing %q", tt.name, err, tt.want)
		}
	}
}

// FuzzParsePolygon feeds outside input to the parser: it must never panic, and whatever it
// accepts must be a polygon that survives a round trip and contains its own vertices.
func FuzzParsePolygon(f *testing.F) {
	f.Add([]byte(holedJSON))
	f.Add([]byte(`{"type":"Polygon","coordinates":[[[117,36.65],[117.001,36.65],[117.001,36.651],[117,36.65]]]}`))
	f.Add([]byte(`{"type":"Polygon","coordinates":[[[117,36.65],[117.001,36.651],[117.001,36.65],[117,36.651],[117,36.65]]]}`))
	f.Add([]byte(`{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]]]}`))
	f.Add([]byte(`{"type":"Polygon","coordinates":[[[179.9,10],[-179.9,10],[-179.9,11],[179.9,10]]]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePolygon(data)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		out, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParsePolygon(out)
		if err != nil {
			t.Fatalf("accepted %s but not its own output %s: %v", data, out, err)
		}
		if diff := cmp.Diff(p.Rings(), again.Rings()); diff != "" {
			t.Fatalf("round trip changed the rings:\n%s", diff)
		}
		for ri, r := range p.Rings() {
			for vi, v := range r {
				if !p.Contains(v) {
					t.Fatalf("ring %d vertex %d %v is not inside its own polygon", ri, vi, v)
				}
			}
		}
	})
}
