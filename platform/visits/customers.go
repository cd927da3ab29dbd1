package visits

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
	"github.com/repflow/repflow/platform/visits/geo"
)

// CreateCustomer adds a customer. The location and fence are converted to WGS84 first; the owner
// must be an active rep and the region an existing one, both visible to the caller.
func (s *Service) CreateCustomer(ctx context.Context, in NewCustomer) (Customer, error) {
	c := Customer{ID: identity.NewID(), Grade: in.Grade, OwnerID: in.OwnerID, RegionID: in.RegionID}
	var err error
	if err = c.setText(&in.Name, &in.ContactName, &in.Phone, &in.Address); err != nil {
		return Customer{}, err
	}
	if !c.Grade.Valid() {
		return Customer{}, fault.Field("body.grade", "must be A, B, C or D", string(in.Grade))
	}
	if c.Location, err = in.Location.wgs84("body.location"); err != nil {
		return Customer{}, err
	}
	if c.Fence, err = in.Fence.build(c.Location, in.Location.Datum); err != nil {
		return Customer{}, err
	}
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		region, err := s.placement(ctx, db, c.OwnerID, c.RegionID)
		if err != nil {
			return err
		}
		if err := s.warden.Check(ctx, access.Create, resource(c, region.Path)); err != nil {
			return err
		}
		c.CreatedAt = s.now()
		c.UpdatedAt = c.CreatedAt
		row, err := toRow(c)
		if err != nil {
			return err
		}
		if err := db.Create(&row).Error; err != nil {
			return err
		}
		return fencesChanged(db, c.ID)
	})
	if err != nil {
		return Customer{}, fmt.Errorf("create customer: %w", err)
	}
	return c, nil
}

// GetCustomer returns one customer; one outside the caller's scope is not found.
func (s *Service) GetCustomer(ctx context.Context, id uuid.UUID) (Customer, error) {
	var c Customer
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		var err error
		c, err = s.loadCustomer(ctx, db, id, access.Read)
		return err
	})
	if err != nil {
		return Customer{}, fmt.Errorf("get customer %s: %w", id, err)
	}
	return c, nil
}

// UpdateCustomer applies ch. Moving a customer to another owner or region needs the update right
// where it is and the create right where it goes.
func (s *Service) UpdateCustomer(ctx context.Context, id uuid.UUID, ch CustomerChanges) (Customer, error) {
	var c Customer
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		var err error
		if c, err = s.loadCustomer(ctx, db, id, access.Update); err != nil {
			return err
		}
		if err := c.apply(ch); err != nil {
			return err
		}
		if ch.OwnerID != nil || ch.RegionID != nil {
			region, err := s.placement(ctx, db, c.OwnerID, c.RegionID)
			if err != nil {
				return err
			}
			// The create right where it goes: a rep keeps their own customers wherever they
			// are, but places them only in their own region, as when adding one.
			if err := s.warden.Check(ctx, access.Create, resource(c, region.Path)); err != nil {
				return err
			}
		}
		c.UpdatedAt = s.now()
		row, err := toRow(c)
		if err != nil {
			return err
		}
		err = db.Model(&customerRow{}).Where("id = ?", id).Updates(map[string]any{
			"name": row.Name, "contact_name": row.ContactName, "phone": row.Phone, "address": row.Address,
			"grade": row.Grade, "owner_id": row.OwnerID, "region_id": row.RegionID, "lat": row.Lat, "lon": row.Lon,
			"fence_kind": row.FenceKind, "fence_radius": row.FenceRadius, "fence_polygon": row.FencePolygon,
			"updated_at": row.UpdatedAt,
		}).Error
		if err != nil {
			return err
		}
		return fencesChanged(db, id)
	})
	if err != nil {
		return Customer{}, fmt.Errorf("update customer %s: %w", id, err)
	}
	return c, nil
}

// DeleteCustomer removes a customer that was never visited; visits are never lost with it.
func (s *Service) DeleteCustomer(ctx context.Context, id uuid.UUID) error {
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if _, err := s.loadCustomer(ctx, db, id, access.Delete); err != nil {
			return err
		}
		var visited int64
		if err := db.Model(&visitRow{}).Where("customer_id = ?", id).Count(&visited).Error; err != nil {
			return err
		}
		if visited > 0 {
			return fault.Newf(fault.Conflict, "customer_has_visits",
				"the customer has %d visits, which are the record of work done: they are kept, so the customer cannot be deleted", visited)
		}
		// Other domains' records of the customer (orders, opportunities, contacts...) keep it too;
		// the database knows them all, so its refusal is the answer.
		if err := db.Where("id = ?", id).Delete(&customerRow{}).Error; err != nil {
			if store.IsForeignKeyViolation(err) {
				return fault.New(fault.Conflict, "customer_has_records",
					"the customer has orders, opportunities, contacts or other records, which are kept: it cannot be deleted")
			}
			return err
		}
		return fencesChanged(db, id)
	})
	if err != nil {
		return fmt.Errorf("delete customer %s: %w", id, err)
	}
	return nil
}

// apply validates ch and applies it to c, converting a new location and fence to WGS84.
func (c *Customer) apply(ch CustomerChanges) error {
	if err := c.setText(ch.Name, ch.ContactName, ch.Phone, ch.Address); err != nil {
		return err
	}
	if ch.Grade != nil {
		if !ch.Grade.Valid() {
			return fault.Field("body.grade", "must be A, B, C or D", string(*ch.Grade))
		}
		c.Grade = *ch.Grade
	}
	if ch.OwnerID != nil {
		c.OwnerID = *ch.OwnerID
	}
	if ch.RegionID != nil {
		c.RegionID = *ch.RegionID
	}
	datum := WGS84
	if ch.Location != nil {
		loc, err := ch.Location.wgs84("body.location")
		if err != nil {
			return err
		}
		c.Location, datum = loc, ch.Location.Datum
	}
	switch {
	case ch.Fence != nil:
		f, err := ch.Fence.build(c.Location, datum)
		if err != nil {
			return err
		}
		c.Fence = f
	case ch.Location != nil:
		// A circle fence is centred on the customer, so it moves along; a polygon stays.
		if circle, ok := c.Fence.(geo.Circle); ok {
			circle.Center = c.Location
			c.Fence = circle
		}
	}
	return nil
}

// customerColumns are where a customer row keeps what access scopes by.
var customerColumns = access.Columns{Owner: "customers.owner_id", RegionID: "customers.region_id"}

// ListCustomers returns the customers the caller may list, ordered by id (time of creation), one
// page at a time.
func (s *Service) ListCustomers(ctx context.Context, f CustomerFilter) (CustomerPage, error) {
	if f.Limit <= 0 {
		f.Limit = DefaultPageSize
	}
	f.Limit = min(f.Limit, MaxPageSize)
	if f.Grade != "" && !f.Grade.Valid() {
		return CustomerPage{}, fault.Field("query.grade", "must be A, B, C or D", string(f.Grade))
	}
	var page CustomerPage
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		scope, err := s.warden.Scope(ctx, access.List, KindCustomer, customerColumns)
		if err != nil {
			return err
		}
		q := db.Model(&customerRow{}).Scopes(scope)
		if f.OwnerID != nil {
			q = q.Where("customers.owner_id = ?", *f.OwnerID)
		}
		if f.RegionID != nil {
			r, err := s.referencedRegion(ctx, db, *f.RegionID, "query.region_id")
			if err != nil {
				return err
			}
			q = q.Where(`customers.region_id IN (SELECT r.id FROM regions r WHERE r.tenant_id = customers.tenant_id AND r.path LIKE ? ESCAPE '\')`, likePrefix(r.Path))
		}
		if f.Grade != "" {
			q = q.Where("customers.grade = ?", string(f.Grade))
		}
		q = createdIn(q, f.CreatedFrom, f.CreatedTo)
		if t := strings.ToLower(strings.TrimSpace(f.Query)); t != "" {
			like := likeContains(t)
			q = q.Where(`(LOWER(customers.name) LIKE ? ESCAPE '\' OR LOWER(customers.contact_name) LIKE ? ESCAPE '\' OR LOWER(customers.address) LIKE ? ESCAPE '\')`, like, like, like)
		}
		if f.After != nil {
			q = q.Where("customers.id > ?", *f.After)
		}
		var rows []customerRow
		if err := q.Order("customers.id").Limit(f.Limit + 1).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) > f.Limit {
			rows = rows[:f.Limit]
			last := rows[len(rows)-1].ID
			page.Next = &last
		}
		page.Customers = make([]Customer, len(rows))
		ids := make([]uuid.UUID, len(rows))
		for i, r := range rows {
			if page.Customers[i], err = toCustomer(r); err != nil {
				return err
			}
			ids[i] = r.ID
		}
		// One grouped query for the page (visits_customer_time answers it), so that a list
		// shows when each customer is due without a request per row.
		page.LastVisits, err = lastVisits(db, ids, s.now())
		return err
	})
	if err != nil {
		return CustomerPage{}, fmt.Errorf("list customers: %w", err)
	}
	return page, nil
}

// loadCustomer loads a customer and asks the warden whether the caller may act on it. A customer
// outside the caller's scope is "not found", like a missing one.
func (s *Service) loadCustomer(ctx context.Context, db *gorm.DB, id uuid.UUID, a access.Action) (Customer, error) {
	r, err := findCustomer(db, id)
	if store.IsNotFound(err) {
		return Customer{}, fault.NotFoundf("customer")
	}
	if err != nil {
		return Customer{}, fmt.Errorf("load customer: %w", err)
	}
	region, err := findRegion(db, r.RegionID)
	if err != nil {
		return Customer{}, fmt.Errorf("load customer's region: %w", err)
	}
	c, err := toCustomer(r)
	if err != nil {
		return Customer{}, err
	}
	if err := s.warden.CheckRow(ctx, a, resource(c, region.Path), "customer"); err != nil {
		return Customer{}, err
	}
	return c, nil
}

// placement checks a customer's owner and region and returns the region.
func (s *Service) placement(ctx context.Context, db *gorm.DB, ownerID, regionID uuid.UUID) (regionRow, error) {
	region, err := s.referencedRegion(ctx, db, regionID, "body.region_id")
	if err != nil {
		return regionRow{}, err
	}
	return region, s.referencedRep(ctx, db, ownerID, "body.owner_id")
}

// referencedRegion loads a region named in a request: one the caller cannot see is an invalid
// reference, not a missing resource.
func (s *Service) referencedRegion(ctx context.Context, db *gorm.DB, id uuid.UUID, location string) (regionRow, error) {
	r, err := findRegion(locked(s.store, db, clause.LockingStrengthShare), id)
	if store.IsNotFound(err) {
		return regionRow{}, fault.Reference(location, "there is no such region", id)
	}
	if err != nil {
		return regionRow{}, fmt.Errorf("load region: %w", err)
	}
	err = s.warden.CheckRow(ctx, access.Read, access.Resource{Kind: access.KindRegion, ID: r.ID, RegionPath: r.Path}, "region")
	if fault.Is(err, fault.NotFound) {
		return regionRow{}, fault.Reference(location, "there is no such region", id)
	}
	return r, err
}

// referencedRep checks that id is an active rep the caller can see: only reps own customers.
func (s *Service) referencedRep(ctx context.Context, db *gorm.DB, id uuid.UUID, location string) error {
	u, err := findUser(locked(s.store, db, clause.LockingStrengthShare), id)
	if store.IsNotFound(err) {
		return fault.Reference(location, "there is no such user", id)
	}
	if err != nil {
		return fmt.Errorf("load owner: %w", err)
	}
	home, err := findRegion(db, u.RegionID)
	if err != nil {
		return fmt.Errorf("load owner's region: %w", err)
	}
	err = s.warden.CheckRow(ctx, access.Read, access.Resource{Kind: access.KindUser, ID: u.ID, OwnerID: u.ID, RegionPath: home.Path}, "user")
	if fault.Is(err, fault.NotFound) {
		return fault.Reference(location, "there is no such user", id)
	}
	if err != nil {
		return err
	}
	if u.Status != "active" {
		return fault.Reference(location, u.Name+" is disabled", id)
	}
	rep, err := hasRole(db, id, identity.RoleRep)
	if err != nil {
		return fmt.Errorf("load owner's roles: %w", err)
	}
	if !rep {
		return fault.Reference(location, u.Name+" is not a rep: only reps own customers", id)
	}
	return nil
}

func resource(c Customer, regionPath string) access.Resource {
	return access.Resource{Kind: KindCustomer, ID: c.ID, OwnerID: c.OwnerID, RegionPath: regionPath}
}

// Owners returns the owner of each of the customers named that the caller may see; the others
// are left out.
func (s *Service) Owners(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]uuid.UUID, error) {
	out := make(map[uuid.UUID]uuid.UUID, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		scope, err := s.warden.Scope(ctx, access.List, KindCustomer, customerColumns)
		if err != nil {
			return err
		}
		var rows []struct{ ID, OwnerID uuid.UUID }
		if err := db.Model(&customerRow{}).Scopes(scope).Select("customers.id, customers.owner_id").
			Where("customers.id IN ?", ids).Scan(&rows).Error; err != nil {
			return err
		}
		for _, r := range rows {
			out[r.ID] = r.OwnerID
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("customers' owners: %w", err)
	}
	return out, nil
}
