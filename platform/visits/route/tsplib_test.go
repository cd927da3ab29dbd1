package route_test

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/repflow/repflow/platform/visits/route"
)

// tsplibInstances lists the shipped instances with their optimal tour lengths as published with
// TSPLIB (Reinelt, "TSPLIB 95"); the tests check the shipped optimal tours against them.
var tsplibInstances = []struct {
	name    string
	optimum float64
}{
	{"berlin52", 7542},
	{"kroA100", 21282},
}

func loadTSPLIB(t testing.TB, file string) *route.TSPLIB {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	in, err := route.ParseTSPLIB(f)
	if err != nil {
		t.Fatalf("parse %s: %v", file, err)
	}
	return in
}

// TestOptimalToursMatchPublishedOptima verifies the shipped coordinates: a single mistyped digit
// would change the length of the known optimal tour.
func TestOptimalToursMatchPublishedOptima(t *testing.T) {
	for _, tc := range tsplibInstances {
		t.Run(tc.name, func(t *testing.T) {
			in := loadTSPLIB(t, tc.name+".tsp")
			opt := loadTSPLIB(t, tc.name+".opt.tour")
			if in.Type != "TSP" || in.EdgeWeightType != "EUC_2D" || len(in.Nodes) != in.Dimension {
				t.Fatalf("instance header: type %q, weights %q, %d nodes of %d", in.Type, in.EdgeWeightType, len(in.Nodes), in.Dimension)
			}
			if opt.Type != "TOUR" || opt.Dimension != in.Dimension {
				t.Fatalf("tour header: type %q, dimension %d", opt.Type, opt.Dimension)
			}
			got, err := in.TourLength(opt.Tour)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.optimum {
				t.Errorf("optimal tour length = %v, want %v", got, tc.optimum)
			}
		})
	}
}

func TestParseTSPLIB(t *testing.T) {
	in, err := route.ParseTSPLIB(strings.NewReader(
		"NAME : tiny\nTYPE: TSP\nCOMMENT : a\nCOMMENT: b\nDIMENSION :3\nBEST_KNOWN : 7\nEDGE_WEIGHT_TYPE : EUC_2D\n" +
			"NODE_COORD_SECTION\n2 3 4\n1 0.0 0.0\n3 -1.5e1 2\nEOF\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []route.Point{{Lat: 0, Lon: 0}, {Lat: 4, Lon: 3}, {Lat: 2, Lon: -15}}
	if in.Name != "tiny" || len(in.Comments) != 2 || in.Dimension != 3 {
		t.Errorf("header = %+v", in)
	}
	for i, p := range want {
		if in.Nodes[i] != p {
			t.Errorf("node %d = %+v, want %+v", i+1, in.Nodes[i], p)
		}
	}
	if got, _ := in.TourLength([]int{1, 2, 3}); got != 5+math.Floor(math.Sqrt(18*18+4)+0.5)+math.Floor(math.Sqrt(15*15+4)+0.5) {
		t.Errorf("tour length = %v", got)
	}
	if _, err := in.TourLength([]int{1, 1, 3}); err == nil {
		t.Error("tour with a repeated node accepted")
	}
}

func TestParseTSPLIBRejects(t *testing.T) {
	head := "NAME: x\nTYPE: TSP\nDIMENSION: 2\nEDGE_WEIGHT_TYPE: EUC_2D\n"
	tourHead := "NAME: x\nTYPE: TOUR\nDIMENSION: 3\n"
	tests := []struct {
		name, input, want string
	}{
		{"no type", "DIMENSION: 1\nNODE_COORD_SECTION\n1 0 0\n", "TYPE"},
		{"other weights", strings.Replace(head, "EUC_2D", "GEO", 1) + "NODE_COORD_SECTION\n1 0 0\n2 1 1\n", "EUC_2D"},
		{"section before dimension", "TYPE: TSP\nNODE_COORD_SECTION\n1 0 0\n", "before DIMENSION"},
		{"missing node", head + "NODE_COORD_SECTION\n1 0 0\nEOF\n", "1 of 2 nodes"},
		{"node twice", head + "NODE_COORD_SECTION\n1 0 0\n1 1 1\n", "given twice"},
		{"node out of range", head + "NODE_COORD_SECTION\n1 0 0\n3 1 1\n", "between 1 and 2"},
		{"short node line", head + "NODE_COORD_SECTION\n1 0\n2 1 1\n", "two coordinates"},
		{"not a number", head + "NODE_COORD_SECTION\n1 0 x\n2 1 1\n", "finite"},
		{"infinite", head + "NODE_COORD_SECTION\n1 0 1e999\n2 1 1\n", "finite"},
		{"nan", head + "NODE_COORD_SECTION\n1 0 NaN\n2 1 1\n", "finite"},
		{"explicit weights", head + "EDGE_WEIGHT_SECTION\n0 1\n", "unsupported section"},
		{"huge dimension", "TYPE: TSP\nDIMENSION: 99999999999\n", "DIMENSION"},
		{"dimension twice", "DIMENSION: 2\nDIMENSION: 2\n", "twice"},
		{"garbage", "hello\n", "expected KEYWORD"},
		{"no coordinates", head, "without NODE_COORD_SECTION"},
		{"tour without end", tourHead + "TOUR_SECTION\n1 2 3\nEOF\n", "-1"},
		{"tour repeats", tourHead + "TOUR_SECTION\n1 2 2\n-1\n", "given twice"},
		{"tour after end", tourHead + "TOUR_SECTION\n1 2 3 -1 1\n", "after -1"},
		{"tour short", tourHead + "TOUR_SECTION\n1 2 -1\n", "2 of 3 nodes"},
		{"tour missing", tourHead, "without TOUR_SECTION"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := route.ParseTSPLIB(strings.NewReader(tc.input))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one mentioning %q", err, tc.want)
			}
		})
	}
}

// FuzzParseTSPLIB checks that any input either fails cleanly or yields an instance whose nodes
// and tour are complete and well formed.
func FuzzParseTSPLIB(f *testing.F) {
	for _, name := range []string{"berlin52.tsp", "berlin52.opt.tour", "kroA100.tsp", "kroA100.opt.tour"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(data))
	}
	f.Add("TYPE: TSP\nDIMENSION: 2\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 3 4\nEOF\n")
	f.Add("TYPE: TOUR\nDIMENSION: 2\nTOUR_SECTION\n2 1\n-1\n")
	f.Fuzz(func(t *testing.T, input string) {
		in, err := route.ParseTSPLIB(strings.NewReader(input))
		if err != nil {
			return
		}
		switch in.Type {
		case "TSP":
			if len(in.Nodes) != in.Dimension {
				t.Fatalf("%d nodes for dimension %d", len(in.Nodes), in.Dimension)
			}
			for i, p := range in.Nodes {
				if math.IsNaN(p.Lat+p.Lon) || math.IsInf(p.Lat, 0) || math.IsInf(p.Lon, 0) {
					t.Fatalf("node %d = %+v", i+1, p)
				}
			}
		case "TOUR":
			seen := make(map[int]bool)
			for _, id := range in.Tour {
				if id < 1 || id > in.Dimension || seen[id] {
					t.Fatalf("tour node %d out of range or repeated", id)
				}
				seen[id] = true
			}
			if len(in.Tour) != in.Dimension {
				t.Fatalf("tour of %d nodes for dimension %d", len(in.Tour), in.Dimension)
			}
		default:
			t.Fatalf("accepted type %q", in.Type)
		}
	})
}
