package route

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// TSPLIB is a parsed TSPLIB file of type TSP (EUC_2D node coordinates) or TOUR: the library of
// travelling-salesman instances with known optimal tours the planner is measured against.
type TSPLIB struct {
	Name           string
	Type           string // "TSP" or "TOUR"
	Comments       []string
	Dimension      int
	EdgeWeightType string  // "EUC_2D" for TSP files
	Nodes          []Point // Nodes[i] is node i+1; x in Lon, y in Lat, as Euclidean2D reads them
	Tour           []int   // node numbers 1..Dimension in visiting order, for TOUR files
}

// maxTSPLIBDimension keeps a hostile header from making the parser allocate without bound.
const maxTSPLIBDimension = 1_000_000

// ParseTSPLIB reads a TSPLIB file. Only what the planner's benchmarks need is supported: TSP
// files with EUC_2D coordinates in NODE_COORD_SECTION, and TOUR files with one TOUR_SECTION.
// Unknown specification keywords (OPTIMUM, BEST_KNOWN in some copies) are ignored; unsupported
// sections are an error.
func ParseTSPLIB(r io.Reader) (*TSPLIB, error) {
	p := &tsplibParser{in: &TSPLIB{}}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		p.line++
		done, err := p.parseLine(strings.TrimSpace(sc.Text()))
		if err != nil {
			return nil, fmt.Errorf("parse tsplib line %d: %w", p.line, err)
		}
		if done {
			break
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("parse tsplib line %d: %w", p.line+1, err)
	}
	if err := p.finish(); err != nil {
		return nil, fmt.Errorf("parse tsplib: %w", err)
	}
	return p.in, nil
}

type tsplibParser struct {
	in       *TSPLIB
	line     int
	section  string
	seen     []bool // node numbers already given in the current section
	count    int
	tourDone bool
}

func (p *tsplibParser) parseLine(line string) (done bool, err error) {
	if line == "" {
		return false, nil
	}
	if line == "EOF" {
		return true, nil
	}
	if p.section != "" && (line[0] == '-' || line[0] == '+' || line[0] == '.' || (line[0] >= '0' && line[0] <= '9')) {
		return false, p.parseData(line)
	}
	key, value, hasValue := strings.Cut(line, ":")
	key, value = strings.TrimSpace(key), strings.TrimSpace(value)
	if strings.HasSuffix(key, "_SECTION") {
		return false, p.startSection(key)
	}
	if !hasValue {
		return false, fmt.Errorf("expected KEYWORD : value, got %q", line)
	}
	switch key {
	case "NAME":
		p.in.Name = value
	case "TYPE":
		p.in.Type = value
	case "COMMENT":
		p.in.Comments = append(p.in.Comments, value)
	case "EDGE_WEIGHT_TYPE":
		p.in.EdgeWeightType = value
	case "DIMENSION":
		if p.in.Dimension != 0 {
			return false, errors.New("DIMENSION given twice")
		}
		n, err := strconv.Atoi(value)
		if err != nil || n < 1 || n > maxTSPLIBDimension {
			return false, fmt.Errorf("DIMENSION %q is not a count between 1 and %d", value, maxTSPLIBDimension)
		}
		p.in.Dimension = n
	}
	return false, nil
}

func (p *tsplibParser) startSection(name string) error {
	if p.in.Dimension == 0 {
		return fmt.Errorf("%s before DIMENSION", name)
	}
	switch name {
	case "NODE_COORD_SECTION":
		if p.in.Nodes != nil {
			return errors.New("NODE_COORD_SECTION given twice")
		}
		p.in.Nodes = make([]Point, p.in.Dimension)
	case "TOUR_SECTION":
		if p.in.Tour != nil {
			return errors.New("TOUR_SECTION given twice")
		}
		p.in.Tour = make([]int, 0, p.in.Dimension)
	default:
		return fmt.Errorf("unsupported section %s", name)
	}
	if err := p.endSection(); err != nil {
		return err
	}
	p.section, p.seen, p.count = name, make([]bool, p.in.Dimension+1), 0
	return nil
}

// endSection checks that the section just read named every node.
func (p *tsplibParser) endSection() error {
	switch {
	case p.section == "":
		return nil
	case p.count != p.in.Dimension:
		return fmt.Errorf("%s lists %d of %d nodes", p.section, p.count, p.in.Dimension)
	case p.section == "TOUR_SECTION" && !p.tourDone:
		return errors.New("TOUR_SECTION does not end with -1")
	}
	return nil
}

func (p *tsplibParser) parseData(line string) error {
	fields := strings.Fields(line)
	if p.section == "TOUR_SECTION" {
		for _, f := range fields {
			if err := p.tourNode(f); err != nil {
				return err
			}
		}
		return nil
	}
	if len(fields) != 3 {
		return fmt.Errorf("node line %q needs a number and two coordinates", line)
	}
	id, err := p.node(fields[0])
	if err != nil {
		return err
	}
	x, errX := strconv.ParseFloat(fields[1], 64)
	y, errY := strconv.ParseFloat(fields[2], 64)
	if errX != nil || errY != nil || math.IsInf(x, 0) || math.IsInf(y, 0) || math.IsNaN(x) || math.IsNaN(y) {
		return fmt.Errorf("node %d: coordinates %q %q are not finite numbers", id, fields[1], fields[2])
	}
	p.in.Nodes[id-1] = Point{Lat: y, Lon: x}
	return nil
}

func (p *tsplibParser) tourNode(f string) error {
	if p.tourDone {
		return fmt.Errorf("tour continues after -1 with %q", f)
	}
	if f == "-1" {
		p.tourDone = true
		return nil
	}
	id, err := p.node(f)
	if err != nil {
		return err
	}
	p.in.Tour = append(p.in.Tour, id)
	return nil
}

// node parses a node number of the current section, which must be new and within DIMENSION.
func (p *tsplibParser) node(f string) (int, error) {
	id, err := strconv.Atoi(f)
	if err != nil || id < 1 || id > p.in.Dimension {
		return 0, fmt.Errorf("node %q is not a number between 1 and %d", f, p.in.Dimension)
	}
	if p.seen[id] {
		return 0, fmt.Errorf("node %d given twice", id)
	}
	p.seen[id] = true
	p.count++
	return id, nil
}

func (p *tsplibParser) finish() error {
	if err := p.endSection(); err != nil {
		return err
	}
	switch p.in.Type {
	case "TSP":
		if p.in.EdgeWeightType != "EUC_2D" {
			return fmt.Errorf("EDGE_WEIGHT_TYPE %q is not supported, only EUC_2D", p.in.EdgeWeightType)
		}
		if p.in.Nodes == nil {
			return errors.New("TSP without NODE_COORD_SECTION")
		}
	case "TOUR":
		if p.in.Tour == nil {
			return errors.New("TOUR without TOUR_SECTION")
		}
	default:
		return fmt.Errorf("TYPE %q is not supported, only TSP and TOUR", p.in.Type)
	}
	return nil
}

// TourLength is the EUC_2D length of the closed tour visiting t's nodes (numbers 1..Dimension)
// in the given order, each once.
func (t *TSPLIB) TourLength(tour []int) (float64, error) {
	if len(tour) != len(t.Nodes) {
		return 0, fmt.Errorf("tour length: %d nodes for an instance of %d", len(tour), len(t.Nodes))
	}
	seen := make([]bool, len(t.Nodes)+1)
	sum := 0.0
	for i, id := range tour {
		if id < 1 || id > len(t.Nodes) || seen[id] {
			return 0, fmt.Errorf("tour length: node %d is unknown or repeated", id)
		}
		seen[id] = true
		sum += EUC2D(t.Nodes[id-1], t.Nodes[tour[(i+1)%len(tour)]-1])
	}
	return sum, nil
}
