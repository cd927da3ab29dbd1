package route

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/repflow/repflow/platform/fault"
)

// Point is a position: WGS84 degrees for Haversine, plane coordinates (Lon as x, Lat as y) for
// Euclidean2D.
type Point struct {
	Lat, Lon float64
}

// Matrix holds what it takes to go from Points[i] to Points[j]: Distance is what the planner
// minimises (metres for map providers, plain units for Euclidean2D); Duration is the travel time
// the schedule and the time windows use. Both are square, one row per point, and need not be
// symmetric (one-way streets, traffic).
type Matrix struct {
	Distance [][]float64
	Duration [][]time.Duration
}

// DistanceProvider answers a whole matrix at once rather than one pair at a time: road and
// traffic services (OSRM's table, distance-matrix APIs) answer n×n in one request, where per-pair
// calls would cost n² round trips, and the local search reads each pair thousands of times, so it
// needs every pair at hand anyway.
type DistanceProvider interface {
	Matrix(ctx context.Context, points []Point) (Matrix, error)
}

// CitySpeedKmh is a typical door-to-door speed for a rep driving in a city.
const CitySpeedKmh = 30

// earthRadiusMetres is the IUGG mean radius of the Earth.
const earthRadiusMetres = 6371008.8

// Haversine measures great-circle distance in metres and turns it into travel time at a constant
// speed. It underestimates real road distance but needs nothing beyond the coordinates.
type Haversine struct {
	SpeedKmh float64 // average travel speed; CitySpeedKmh suits a city
}

// Matrix implements DistanceProvider.
func (h Haversine) Matrix(ctx context.Context, points []Point) (Matrix, error) {
	if !(h.SpeedKmh > 0) || math.IsInf(h.SpeedKmh, 1) {
		return Matrix{}, fmt.Errorf("haversine matrix: speed %v km/h is not a positive speed", h.SpeedKmh)
	}
	for i, p := range points {
		if !validLatLon(p) {
			return Matrix{}, fault.New(fault.Invalid, "invalid_position",
				"latitude must be within [-90, 90] and longitude within [-180, 180]",
				fault.Detail{Location: fmt.Sprintf("points[%d]", i), Message: "position out of range", Value: p})
		}
	}
	metresPerSecond := h.SpeedKmh * 1000 / 3600
	m := newMatrix(len(points))
	for i := range points {
		for j := i + 1; j < len(points); j++ {
			d := haversineMetres(points[i], points[j])
			t := time.Duration(d / metresPerSecond * float64(time.Second))
			m.Distance[i][j], m.Distance[j][i] = d, d
			m.Duration[i][j], m.Duration[j][i] = t, t
		}
	}
	return m, ctx.Err()
}

func validLatLon(p Point) bool {
	return p.Lat >= -90 && p.Lat <= 90 && p.Lon >= -180 && p.Lon <= 180
}

func haversineMetres(a, b Point) float64 {
	const rad = math.Pi / 180
	dLat := (b.Lat - a.Lat) * rad
	dLon := (b.Lon - a.Lon) * rad
	s := math.Sin(dLat/2)*math.Sin(dLat/2) +
		math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthRadiusMetres * math.Asin(math.Min(1, math.Sqrt(s)))
}

// Euclidean2D is TSPLIB's EUC_2D distance on plane coordinates (Lon as x, Lat as y): the
// straight-line distance rounded to the nearest integer, nint(sqrt(dx²+dy²)), so tour lengths
// compare exactly with published optima.
type Euclidean2D struct {
	// UnitsPerHour turns distance into travel time; zero means travel takes no time, which is
	// what TSPLIB instances (no clock at all) need.
	UnitsPerHour float64
}

// Matrix implements DistanceProvider.
func (e Euclidean2D) Matrix(ctx context.Context, points []Point) (Matrix, error) {
	if e.UnitsPerHour < 0 || math.IsNaN(e.UnitsPerHour) || math.IsInf(e.UnitsPerHour, 1) {
		return Matrix{}, fmt.Errorf("euclidean matrix: speed %v units/h is not a speed", e.UnitsPerHour)
	}
	for i, p := range points {
		if math.IsNaN(p.Lat) || math.IsNaN(p.Lon) || math.IsInf(p.Lat, 0) || math.IsInf(p.Lon, 0) {
			return Matrix{}, fault.New(fault.Invalid, "invalid_position", "coordinates must be finite",
				fault.Detail{Location: fmt.Sprintf("points[%d]", i), Message: "not a finite coordinate"})
		}
	}
	m := newMatrix(len(points))
	for i := range points {
		for j := i + 1; j < len(points); j++ {
			d := EUC2D(points[i], points[j])
			var t time.Duration
			if e.UnitsPerHour > 0 {
				t = time.Duration(d / e.UnitsPerHour * float64(time.Hour))
			}
			m.Distance[i][j], m.Distance[j][i] = d, d
			m.Duration[i][j], m.Duration[j][i] = t, t
		}
	}
	return m, ctx.Err()
}

// EUC2D is the TSPLIB EUC_2D distance between two points, nint(sqrt(dx²+dy²)).
func EUC2D(a, b Point) float64 {
	dx, dy := a.Lon-b.Lon, a.Lat-b.Lat
	return math.Floor(math.Sqrt(dx*dx+dy*dy) + 0.5)
}

func newMatrix(n int) Matrix {
	m := Matrix{Distance: make([][]float64, n), Duration: make([][]time.Duration, n)}
	dist := make([]float64, n*n)
	dur := make([]time.Duration, n*n)
	for i := range n {
		m.Distance[i] = dist[i*n : (i+1)*n]
		m.Duration[i] = dur[i*n : (i+1)*n]
	}
	return m
}
