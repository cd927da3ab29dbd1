package geo

import "math"

// GCJ-02 is the datum that Chinese law requires of maps published in mainland China: a WGS84
// position shifted by a non-linear offset of a few hundred metres. Phones and map SDKs there
// (Amap, Tencent) report GCJ-02; everything stored here is WGS84. The forward formula below is
// the one reverse-engineered from the official implementation and shared by every open-source
// converter (e.g. googollee/eviltransform, wandergis/coordtransform): the offset computed on the
// Krasovsky 1940 ellipsoid.
const (
	krasovskyA  = 6378245.0              // semi-major axis, metres
	krasovskyE2 = 0.00669342162296594323 // first eccentricity squared
)

// outOfChina is the usual rough box of mainland China (eviltransform's): outside it GCJ-02 is
// WGS84 unchanged. It is a box, so it also shifts Taiwan, parts of neighbouring countries and the
// sea, exactly as the phones do.
func outOfChina(p Point) bool {
	return p.Lon < 72.004 || p.Lon > 137.8347 || p.Lat < 0.8293 || p.Lat > 55.8271
}

// ToGCJ02 converts a WGS84 point to GCJ-02; outside mainland China it returns p unchanged.
func ToGCJ02(p Point) Point {
	if outOfChina(p) {
		return p
	}
	dLat, dLon := gcjOffset(p)
	return Point{Lat: p.Lat + dLat, Lon: p.Lon + dLon}
}

// gcjMaxIterations bounds the inversion; the offset changes by less than 1 % of a step per step,
// so it converges in 3 or 4 iterations and the bound only guards the box edge.
const gcjMaxIterations = 16

// gcjTolerance is the residual at which the inversion stops, in degrees (about 0.1 mm): far below
// the 1e-7 degrees (1 cm) the callers need.
const gcjTolerance = 1e-9

// FromGCJ02 converts a GCJ-02 point back to WGS84. The formula has no closed-form inverse; the
// common one-step approximation (subtract the offset computed at the GCJ-02 point) is off by up to
// a few metres, so this iterates w <- w - (ToGCJ02(w) - g), a contraction that converges to below
// 1e-9 degrees. Outside mainland China it returns p unchanged.
func FromGCJ02(g Point) Point {
	if outOfChina(g) {
		return g
	}
	w := g
	for range gcjMaxIterations {
		s := ToGCJ02(w)
		dLat, dLon := s.Lat-g.Lat, s.Lon-g.Lon
		w.Lat -= dLat
		w.Lon -= dLon
		if math.Abs(dLat) < gcjTolerance && math.Abs(dLon) < gcjTolerance {
			break
		}
	}
	return w
}

// gcjOffset is the GCJ-02 shift at p in degrees.
func gcjOffset(p Point) (dLat, dLon float64) {
	x, y := p.Lon-105.0, p.Lat-35.0
	dLat = gcjLatWave(x, y)
	dLon = gcjLonWave(x, y)
	lat := radians(p.Lat)
	sin := math.Sin(lat)
	magic := 1 - krasovskyE2*sin*sin
	sqrtMagic := math.Sqrt(magic)
	// Metres of the wave turned into degrees on the Krasovsky ellipsoid: the meridian radius of
	// curvature for latitude, the parallel's radius for longitude.
	dLat = dLat * 180.0 / ((krasovskyA * (1 - krasovskyE2)) / (magic * sqrtMagic) * math.Pi)
	dLon = dLon * 180.0 / (krasovskyA / sqrtMagic * math.Cos(lat) * math.Pi)
	return dLat, dLon
}

func gcjLatWave(x, y float64) float64 {
	r := -100.0 + 2.0*x + 3.0*y + 0.2*y*y + 0.1*x*y + 0.2*math.Sqrt(math.Abs(x))
	r += (20.0*math.Sin(6.0*x*math.Pi) + 20.0*math.Sin(2.0*x*math.Pi)) * 2.0 / 3.0
	r += (20.0*math.Sin(y*math.Pi) + 40.0*math.Sin(y/3.0*math.Pi)) * 2.0 / 3.0
	r += (160.0*math.Sin(y/12.0*math.Pi) + 320*math.Sin(y*math.Pi/30.0)) * 2.0 / 3.0
	return r
}

func gcjLonWave(x, y float64) float64 {
	r := 300.0 + x + 2.0*y + 0.1*x*x + 0.1*x*y + 0.1*math.Sqrt(math.Abs(x))
	r += (20.0*math.Sin(6.0*x*math.Pi) + 20.0*math.Sin(2.0*x*math.Pi)) * 2.0 / 3.0
	r += (20.0*math.Sin(x*math.Pi) + 40.0*math.Sin(x/3.0*math.Pi)) * 2.0 / 3.0
	r += (150.0*math.Sin(x/12.0*math.Pi) + 300.0*math.Sin(x/30.0*math.Pi)) * 2.0 / 3.0
	return r
}
