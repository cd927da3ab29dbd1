// Package visits is the visits domain: customers on the map with their geofences, and (later)
// tracks, check-ins and routes. Everything stored is WGS84; clients may send GCJ-02 (the datum of
// Chinese phones and maps) and say so, and the service converts before anything is validated
// against a fence or written.
package visits

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/visits/geo"
)

// KindCustomer is the access kind of customer rows; the built-in role policies grant it.
const KindCustomer = access.KindCustomer

// Grade ranks a customer; visit cadences are set per grade.
type Grade string

// The grades, A the most valuable.
const (
	GradeA Grade = "A"
	GradeB Grade = "B"
	GradeC Grade = "C"
	GradeD Grade = "D"
)

// Valid reports whether g is one of the four grades.
func (g Grade) Valid() bool { return g == GradeA || g == GradeB || g == GradeC || g == GradeD }

// Datum is the geodetic datum a client's coordinates are given in.
type Datum string

const (
	WGS84 Datum = "wgs84"
	GCJ02 Datum = "gcj02"
)

// FenceKind tells a customer's circle fence from a polygon one.
type FenceKind string

const (
	FenceCircle  FenceKind = "circle"
	FencePolygon FenceKind = "polygon"
)

// Limits of the free-text fields, in characters.
const (
	MaxNameLen    = 200
	MaxPhoneLen   = 40
	MaxAddressLen = 500
)

// Page sizes of the customer list.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
)

// Customer is a customer as the domain sees it, always in WGS84.
type Customer struct {
	ID          uuid.UUID
	Name        string
	ContactName string
	Phone       string
	Address     string
	Grade       Grade
	OwnerID     uuid.UUID
	RegionID    uuid.UUID
	Location    geo.Point
	// Fence is a geo.Circle centred on Location or a *geo.Polygon.
	Fence     geo.Fence
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Position is a point as a client gives it, with its datum.
type Position struct {
	Point geo.Point
	Datum Datum
}

// FenceInput is a fence as a client gives it: a circle (RadiusM, centred on the customer's
// location) or a GeoJSON Polygon geometry in Datum.
type FenceInput struct {
	Kind    FenceKind
	RadiusM float64
	Polygon []byte // GeoJSON Polygon geometry, for FencePolygon
	Datum   Datum
}

// NewCustomer is the input of CreateCustomer.
type NewCustomer struct {
	Name        string
	ContactName string
	Phone       string
	Address     string
	Grade       Grade
	OwnerID     uuid.UUID
	RegionID    uuid.UUID
	Location    Position
	Fence       FenceInput
}

// CustomerChanges is the input of UpdateCustomer; nil fields stay as they are. A new Location
// moves a circle fence with it; a polygon fence stays where it is unless Fence is given too.
type CustomerChanges struct {
	Name        *string
	ContactName *string
	Phone       *string
	Address     *string
	Grade       *Grade
	OwnerID     *uuid.UUID
	RegionID    *uuid.UUID
	Location    *Position
	Fence       *FenceInput
}

// CustomerFilter narrows ListCustomers.
type CustomerFilter struct {
	OwnerID  *uuid.UUID
	RegionID *uuid.UUID // the region's whole subtree
	Grade    Grade
	Query    string // contained in the name, contact name or address, case-insensitive
	// CreatedFrom and CreatedTo keep the customers created in [CreatedFrom, CreatedTo): with the
	// owner, what a rep's new-customer figure of that period counts. Zero: no such filter.
	CreatedFrom, CreatedTo time.Time
	Limit                  int
	After                  *uuid.UUID // keyset cursor: the last id of the previous page
}

// CustomerPage is one page of customers ordered by id; Next is nil on the last page.
type CustomerPage struct {
	Customers []Customer
	// LastVisits holds when each listed customer was last visited (by anyone, not counting
	// rejected visits): what its next visit is due from. A customer never visited is missing.
	LastVisits map[uuid.UUID]time.Time
	Next       *uuid.UUID
}

// wgs84 validates p and converts it to WGS84; location names the field ("body.location").
func (p Position) wgs84(location string) (geo.Point, error) {
	// Each coordinate alone, so that the fault names the offending one.
	if err := (geo.Point{Lat: p.Point.Lat}).Validate(); err != nil {
		return geo.Point{}, fault.Field(location+".lat", geoMessage(err), p.Point.Lat)
	}
	if err := (geo.Point{Lon: p.Point.Lon}).Validate(); err != nil {
		return geo.Point{}, fault.Field(location+".lon", geoMessage(err), p.Point.Lon)
	}
	switch p.Datum {
	case WGS84:
		return p.Point, nil
	case GCJ02:
		return geo.FromGCJ02(p.Point), nil
	}
	return geo.Point{}, fault.Field(location+".datum", `must be "wgs84" or "gcj02"`, string(p.Datum))
}

// build validates f and returns the WGS84 fence; a circle is centred on center (already WGS84).
// A polygon without a datum of its own is taken to be in locationDatum, the datum the client
// gave the customer's location in.
func (f FenceInput) build(center geo.Point, locationDatum Datum) (geo.Fence, error) {
	switch f.Kind {
	case FenceCircle:
		if len(f.Polygon) > 0 {
			return nil, fault.Field("body.fence.polygon", "is only for polygon fences", nil)
		}
		c := geo.Circle{Center: center, Radius: f.RadiusM}
		if err := c.Validate(); err != nil {
			return nil, fault.Field("body.fence.radius_m", geoMessage(err), f.RadiusM)
		}
		return c, nil
	case FencePolygon:
		if f.RadiusM != 0 {
			return nil, fault.Field("body.fence.radius_m", "is only for circle fences", f.RadiusM)
		}
		if len(f.Polygon) == 0 {
			return nil, fault.Field("body.fence.polygon", "is required for a polygon fence", nil)
		}
		datum := f.Datum
		if datum == "" {
			datum = locationDatum
		}
		if datum != WGS84 && datum != GCJ02 {
			return nil, fault.Field("body.fence.datum", `must be "wgs84" or "gcj02"`, string(f.Datum))
		}
		p, err := geo.ParsePolygon(f.Polygon)
		if err != nil {
			return nil, fault.Field("body.fence.polygon", geoMessage(err), nil)
		}
		if datum == WGS84 {
			return p, nil
		}
		rings := p.Rings()
		for _, r := range rings {
			for i := range r {
				r[i] = geo.FromGCJ02(r[i])
			}
		}
		// Validated again: the conversion moves each vertex by its own offset.
		if p, err = geo.NewPolygon(rings); err != nil {
			return nil, fault.Field("body.fence.polygon", "after conversion from GCJ-02: "+geoMessage(err), nil)
		}
		return p, nil
	}
	return nil, fault.Field("body.fence.kind", `must be "circle" or "polygon"`, string(f.Kind))
}

// geoMessage is a geo validation error without the sentinel's text, which the fault's code says.
func geoMessage(err error) string {
	return strings.ReplaceAll(err.Error(), geo.ErrInvalid.Error()+": ", "")
}

// setText validates and sets the free-text fields that are not nil.
func (c *Customer) setText(name, contact, phone, address *string) error {
	var err error
	if name != nil {
		if c.Name, err = text(*name, "body.name", MaxNameLen, true); err != nil {
			return err
		}
	}
	if contact != nil {
		if c.ContactName, err = text(*contact, "body.contact_name", MaxNameLen, false); err != nil {
			return err
		}
	}
	if phone != nil {
		if c.Phone, err = text(*phone, "body.phone", MaxPhoneLen, false); err != nil {
			return err
		}
		if strings.Trim(c.Phone, "0123456789+-() .") != "" {
			return fault.Field("body.phone", "may hold only digits, spaces and + - ( ) .", *phone)
		}
	}
	if address != nil {
		if c.Address, err = text(*address, "body.address", MaxAddressLen, false); err != nil {
			return err
		}
	}
	return nil
}

func text(v, location string, maxLen int, required bool) (string, error) {
	t := strings.TrimSpace(v)
	if required && t == "" {
		return "", fault.Field(location, "is required", v)
	}
	if utf8.RuneCountInString(t) > maxLen {
		return "", fault.Field(location, fmt.Sprintf("is longer than %d characters", maxLen), v)
	}
	return t, nil
}
