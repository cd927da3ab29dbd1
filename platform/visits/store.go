package visits

import (
	"database/sql/driver"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/repflow/repflow/platform/store"
	"github.com/repflow/repflow/platform/visits/geo"
)

// The gorm rows mirror migrations/0005_customers.go, plus read-only views of the core tables a
// customer refers to. Only this file touches them.

type customerRow struct {
	TenantID     uuid.UUID
	ID           uuid.UUID
	Name         string
	ContactName  string
	Phone        string
	Address      string
	Grade        string
	OwnerID      uuid.UUID
	RegionID     uuid.UUID
	Lat          float64
	Lon          float64
	FenceKind    string
	FenceRadius  *float64
	FencePolygon *string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (customerRow) TableName() string { return "customers" }

// regionRow is what a customer needs of its region: the path that places it for access checks.
type regionRow struct {
	TenantID uuid.UUID
	ID       uuid.UUID
	Path     string
}

func (regionRow) TableName() string { return "regions" }

// userRow is what a customer needs of its owner.
type userRow struct {
	TenantID uuid.UUID
	ID       uuid.UUID
	Name     string
	RegionID uuid.UUID
	Status   string
}

func (userRow) TableName() string { return "users" }

// toRow writes c's fence in the columns of its kind; polygons as their WGS84 GeoJSON geometry.
func toRow(c Customer) (customerRow, error) {
	r := customerRow{ID: c.ID, Name: c.Name, ContactName: c.ContactName, Phone: c.Phone, Address: c.Address,
		Grade: string(c.Grade), OwnerID: c.OwnerID, RegionID: c.RegionID, Lat: c.Location.Lat, Lon: c.Location.Lon,
		CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
	switch f := c.Fence.(type) {
	case geo.Circle:
		r.FenceKind, r.FenceRadius = string(FenceCircle), &f.Radius
	case *geo.Polygon:
		raw, err := f.MarshalJSON()
		if err != nil {
			return r, fmt.Errorf("encode fence polygon: %w", err)
		}
		s := string(raw)
		r.FenceKind, r.FencePolygon = string(FencePolygon), &s
	default:
		return r, fmt.Errorf("customer %s has no fence", c.ID)
	}
	return r, nil
}

func toCustomer(r customerRow) (Customer, error) {
	c := Customer{ID: r.ID, Name: r.Name, ContactName: r.ContactName, Phone: r.Phone, Address: r.Address,
		Grade: Grade(r.Grade), OwnerID: r.OwnerID, RegionID: r.RegionID, Location: geo.Point{Lat: r.Lat, Lon: r.Lon},
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	switch {
	case r.FenceKind == string(FenceCircle) && r.FenceRadius != nil:
		c.Fence = geo.Circle{Center: c.Location, Radius: *r.FenceRadius}
	case r.FenceKind == string(FencePolygon) && r.FencePolygon != nil:
		p, err := geo.ParsePolygon([]byte(*r.FencePolygon))
		if err != nil {
			return c, fmt.Errorf("customer %s: stored fence: %w", r.ID, err)
		}
		c.Fence = p
	default:
		return c, fmt.Errorf("customer %s: stored fence kind %q has no geometry", r.ID, r.FenceKind)
	}
	return c, nil
}

func findCustomer(db *gorm.DB, id uuid.UUID) (customerRow, error) {
	var r customerRow
	err := db.Where("id = ?", id).Take(&r).Error
	return r, err
}

func findRegion(db *gorm.DB, id uuid.UUID) (regionRow, error) {
	var r regionRow
	err := db.Where("id = ?", id).Take(&r).Error
	return r, err
}

func findUser(db *gorm.DB, id uuid.UUID) (userRow, error) {
	var u userRow
	err := db.Where("id = ?", id).Take(&u).Error
	return u, err
}

// hasRole reports whether user id holds role.
func hasRole(db *gorm.DB, id uuid.UUID, role string) (bool, error) {
	var n int64
	err := db.Table("user_roles").Where("user_id = ? AND role = ?", id, role).Count(&n).Error
	return n > 0, err
}

// locked keeps the rows a query reads from changing until the transaction ends, sharing them
// (clause.LockingStrengthShare: a region whose path a customer is checked against cannot move,
// nor its owner be disabled, meanwhile) or alone (LockingStrengthUpdate: a rep's fence state while
// a batch moves it). SQLite needs no lock: its transactions take the write lock at BEGIN.
func locked(s *store.Store, db *gorm.DB, strength string) *gorm.DB {
	if s.Dialect() != store.Postgres {
		return db
	}
	return db.Clauses(clause.Locking{Strength: strength})
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// likePrefix matches every string that starts with p.
func likePrefix(p string) string { return likeEscaper.Replace(p) + "%" }

// likeContains matches every string that contains p.
func likeContains(p string) string { return "%" + likeEscaper.Replace(p) + "%" }

// aggregateTime scans a timestamp computed by SQL (MAX, MIN): PostgreSQL returns a time, SQLite
// the text the driver stored.
type aggregateTime struct{ time.Time }

// sqliteTimeLayouts are the ways the embedded driver writes times.
var sqliteTimeLayouts = []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05"}

func (t *aggregateTime) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		t.Time = time.Time{}
		return nil
	case time.Time:
		t.Time = x.UTC()
		return nil
	case []byte:
		return t.Scan(string(x))
	case string:
		for _, layout := range sqliteTimeLayouts {
			if parsed, err := time.Parse(layout, x); err == nil {
				t.Time = parsed.UTC()
				return nil
			}
		}
		return fmt.Errorf("cannot read %q as a time", x)
	}
	return fmt.Errorf("cannot read a %T as a time", v)
}

// Value lets gorm treat the type as a column, not a relation.
func (t aggregateTime) Value() (driver.Value, error) { return t.Time, nil }
