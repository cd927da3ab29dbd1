// Package geo is the geometric core of the visits domain: WGS84 points and distances, the GCJ-02
// datum of Chinese phones and maps, geofences (circles and polygons), an R-tree index of many
// fences, and the enter/exit/dwell transitions of a rep between two fixes. It is pure computation:
// no storage, no HTTP.
package geo

import (
	"errors"
	"fmt"
	"math"
)

// EarthRadius is the mean Earth radius in metres (IUGG R1), the sphere every distance here uses.
const EarthRadius = 6371008.8

// ErrInvalid is wrapped by every validation error of this package, so that callers can turn
// them into a 4xx while the message names the offending value (ring, vertex, lat or lon).
var ErrInvalid = errors.New("invalid geometry")

// Point is a WGS84 position in degrees.
type Point struct{ Lat, Lon float64 }

// Validate reports a latitude outside [-90, 90], a longitude outside [-180, 180], or a NaN or
// infinite value, naming which of the two is wrong.
func (p Point) Validate() error {
	if err := checkDegrees("latitude", p.Lat, 90); err != nil {
		return err
	}
	return checkDegrees("longitude", p.Lon, 180)
}

func checkDegrees(name string, v, limit float64) error {
	switch {
	case math.IsNaN(v):
		return fmt.Errorf("%w: %s is NaN", ErrInvalid, name)
	case math.IsInf(v, 0):
		return fmt.Errorf("%w: %s is infinite", ErrInvalid, name)
	case v < -limit || v > limit:
		return fmt.Errorf("%w: %s %v is outside [-%v, %v]", ErrInvalid, name, v, limit, limit)
	}
	return nil
}

// Distance is the great-circle distance between a and b in metres (haversine on the mean sphere;
// the error against the ellipsoid, under 0.5 %, is far below GPS noise).
func Distance(a, b Point) float64 {
	return haversine(a, math.Cos(radians(a.Lat)), b, math.Cos(radians(b.Lat)))
}

// haversine is Distance with the cosines of both latitudes given, so that the index computes the
// query point's once per match and each circle's once per insert, with bit-identical results.
func haversine(a Point, cosA float64, b Point, cosB float64) float64 {
	sinDLat := math.Sin(radians(b.Lat-a.Lat) / 2)
	sinDLon := math.Sin(radians(b.Lon-a.Lon) / 2)
	h := sinDLat*sinDLat + cosA*cosB*sinDLon*sinDLon
	return 2 * EarthRadius * math.Asin(math.Sqrt(math.Min(h, 1)))
}

// withinRadius reports whether haversine(a, cosA, b, cosB) <= r, with the same answer bit for
// bit, but mostly without trigonometry (the sines and the arcsine were over a third of a match's
// arithmetic, profiled on warm data).
// Within 0.01 rad a sine is its argument to a relative x*x/3 < 4e-5, so the haversine's h is
// x*x + cosA*cosB*y*y of the half-angles to that much, and the limit r is sin^2(r/2R) ~ (r/2R)^2
// to 2e-5 (r <= MaxRadius): a point farther than 1e-4 from the limit in h, a few centimetres from
// a 500 m circle, is decided by that comparison, and only the others take the exact formula.
func withinRadius(a Point, cosA float64, b Point, cosB float64, r float64) bool {
	x, y := radians(b.Lat-a.Lat)/2, radians(b.Lon-a.Lon)/2
	if math.Abs(x) <= 0.01 && math.Abs(y) <= 0.01 {
		h := x*x + cosA*cosB*y*y
		limit := r / (2 * EarthRadius)
		limit *= limit
		switch {
		case h <= limit*(1-1e-4):
			return true
		case h >= limit*(1+1e-4):
			return false
		}
	}
	return haversine(a, cosA, b, cosB) <= r
}

func radians(deg float64) float64 { return deg * math.Pi / 180 }

func degrees(rad float64) float64 { return rad * 180 / math.Pi }

// Box is a bounding box in degrees; Min holds the south-west corner, Max the north-east one.
type Box struct{ Min, Max Point }

// Contains reports whether p lies in the box, edges included.
func (b Box) Contains(p Point) bool {
	return p.Lat >= b.Min.Lat && p.Lat <= b.Max.Lat && p.Lon >= b.Min.Lon && p.Lon <= b.Max.Lon
}

// around is the box of every point within metres of p, clamped at the poles; near a pole or
// across the antimeridian it widens to every longitude rather than wrap (conservative, never
// missing a point).
func around(p Point, metres float64) Box {
	angle := metres / EarthRadius // angular radius in radians
	// A hair of slack so that rounding never drops a point that the exact test accepts.
	const slack = 1e-9
	dLat := degrees(angle) + slack
	b := Box{Min: Point{p.Lat - dLat, p.Lon}, Max: Point{p.Lat + dLat, p.Lon}}
	if b.Min.Lat <= -90 || b.Max.Lat >= 90 || angle >= math.Pi/2 {
		// The cap holds a pole, so it reaches every meridian.
		b.Min.Lat, b.Max.Lat = math.Max(b.Min.Lat, -90), math.Min(b.Max.Lat, 90)
		b.Min.Lon, b.Max.Lon = -180, 180
		return b
	}
	// The widest longitude of a spherical cap that holds no pole: asin(sin(angle) / cos(lat)).
	dLon := degrees(math.Asin(math.Min(math.Sin(angle)/math.Cos(radians(p.Lat)), 1))) + slack
	b.Min.Lon, b.Max.Lon = p.Lon-dLon, p.Lon+dLon
	if b.Min.Lon < -180 || b.Max.Lon > 180 {
		b.Min.Lon, b.Max.Lon = -180, 180
	}
	return b
}
