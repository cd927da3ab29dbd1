package geo

import (
	"fmt"
	"math"
)

// Fence is a customer's geofence: a Circle or a *Polygon, and nothing else (the Index keeps each
// kind in its own compact form). Points on the boundary count as inside, so a rep standing on the
// line is not turned away by rounding.
type Fence interface {
	// Contains reports whether p lies inside the fence or on its boundary.
	Contains(p Point) bool
	// Distance is the distance in metres from p to the fence's boundary: positive outside,
	// negative inside ("outside by 37 m" is 37).
	Distance(p Point) float64
	// Bounds is a box holding every point the fence contains.
	Bounds() Box
	// Validate reports why the fence is unusable, or nil.
	Validate() error

	fence() // seals the interface to this package's two kinds
}

func (Circle) fence()   {}
func (*Polygon) fence() {}

// MaxRadius bounds a circle fence (metres): a customer's area is a site, not a province, and a
// huge fence would be a candidate for every point the index is asked about.
const MaxRadius = 100_000

// Circle is a fence of all points within Radius metres (great-circle) of Center. It works across
// the antimeridian and around the poles, where its bounding box widens to every longitude.
type Circle struct {
	Center Point
	Radius float64 // metres
}

// Validate reports an invalid centre or a radius that is not in (0, MaxRadius].
func (c Circle) Validate() error {
	if err := c.Center.Validate(); err != nil {
		return fmt.Errorf("circle centre: %w", err)
	}
	if math.IsNaN(c.Radius) || c.Radius <= 0 || c.Radius > MaxRadius {
		return fmt.Errorf("%w: circle radius %v m is outside (0, %d]", ErrInvalid, c.Radius, MaxRadius)
	}
	return nil
}

// Contains reports whether p is at most Radius metres from the centre.
func (c Circle) Contains(p Point) bool {
	return withinRadius(c.Center, math.Cos(radians(c.Center.Lat)), p, math.Cos(radians(p.Lat)), c.Radius)
}

// Distance is the signed distance from p to the circle's edge in metres.
func (c Circle) Distance(p Point) float64 { return Distance(c.Center, p) - c.Radius }

// Bounds is the box of the circle, clamped at the poles.
func (c Circle) Bounds() Box { return around(c.Center, c.Radius) }
