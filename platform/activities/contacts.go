package activities

import (
	"context"
	"fmt"
	"net/mail"
	"slices"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
)

// Role is a contact's part in the account's buying decision.
type Role string

// Roles lists every buying role.
var Roles = []Role{"decision_maker", "influencer", "user", "gatekeeper", "technical", "champion", "procurement", "other"}

// Contact is a person at an account. It is placed (owner and region) like its account was when
// the contact was added.
type Contact struct {
	ID, CustomerID, OwnerID, RegionID uuid.UUID
	Name, Title                       string
	Role                              Role
	Phone, Email                      string
	CreatedAt, UpdatedAt              time.Time
}

// NewContact is the input of CreateContact.
type NewContact struct {
	CustomerID                uuid.UUID
	Name, Title, Phone, Email string
	Role                      Role
}

// ContactChanges is the input of UpdateContact; nil fields stay as they are.
type ContactChanges struct {
	Name, Title, Phone, Email *string
	Role                      *Role
}

// ContactFilter narrows ListContacts.
type ContactFilter struct {
	CustomerID *uuid.UUID
	Role       Role
	Limit      int
	After      *uuid.UUID // the last id of the previous page
}

// ContactPage is one page of contacts ordered by id; Next is nil on the last page.
type ContactPage struct {
	Contacts []Contact
	Next     *uuid.UUID
}

type contactRow struct {
	TenantID, ID, CustomerID, OwnerID, RegionID uuid.UUID
	Name, Title, Role, Phone, Email             string
	CreatedAt, UpdatedAt                        time.Time
}

func (contactRow) TableName() string { return "contacts" }

func toContact(r contactRow) Contact {
	return Contact{ID: r.ID, CustomerID: r.CustomerID, OwnerID: r.OwnerID, RegionID: r.RegionID, Name: r.Name, Title: r.Title,
		Role: Role(r.Role), Phone: r.Phone, Email: r.Email, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

// CreateContact adds a contact to an account the caller may see.
func (s *Service) CreateContact(ctx context.Context, in NewContact) (Contact, error) {
	c := Contact{ID: identity.NewID(), CustomerID: in.CustomerID}
	if err := c.apply(ContactChanges{Name: &in.Name, Title: &in.Title, Phone: &in.Phone, Email: &in.Email, Role: &in.Role}); err != nil {
		return Contact{}, err
	}
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		acc, err := s.account(ctx, db, in.CustomerID, "body.customer_id")
		if err != nil {
			return err
		}
		if err := s.warden.Check(ctx, access.Create, acc.resource(access.KindContact, uuid.Nil, acc.OwnerID)); err != nil {
			return err
		}
		c.OwnerID, c.RegionID = acc.OwnerID, acc.RegionID
		c.CreatedAt = s.now()
		c.UpdatedAt = c.CreatedAt
		return db.Create(&contactRow{ID: c.ID, CustomerID: c.CustomerID, OwnerID: c.OwnerID, RegionID: c.RegionID, Name: c.Name,
			Title: c.Title, Role: string(c.Role), Phone: c.Phone, Email: c.Email, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}).Error
	})
	if err != nil {
		return Contact{}, fmt.Errorf("create contact: %w", err)
	}
	return c, nil
}

// GetContact returns one contact; one outside the caller's scope is not found.
func (s *Service) GetContact(ctx context.Context, id uuid.UUID) (Contact, error) {
	var c Contact
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		var err error
		c, err = s.loadContact(ctx, db, id, access.Read)
		return err
	})
	if err != nil {
		return Contact{}, fmt.Errorf("get contact %s: %w", id, err)
	}
	return c, nil
}

// UpdateContact applies ch to a contact the caller may update.
func (s *Service) UpdateContact(ctx context.Context, id uuid.UUID, ch ContactChanges) (Contact, error) {
	var c Contact
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		var err error
		if c, err = s.loadContact(ctx, db, id, access.Update); err != nil {
			return err
		}
		if err := c.apply(ch); err != nil {
			return err
		}
		c.UpdatedAt = s.now()
		return db.Model(&contactRow{}).Where("id = ?", id).Updates(map[string]any{"name": c.Name, "title": c.Title,
			"role": string(c.Role), "phone": c.Phone, "email": c.Email, "updated_at": c.UpdatedAt}).Error
	})
	if err != nil {
		return Contact{}, fmt.Errorf("update contact %s: %w", id, err)
	}
	return c, nil
}

func (c *Contact) apply(ch ContactChanges) error {
	var err error
	for _, f := range []struct {
		v        *string
		to       *string
		location string
		max      int
		required bool
	}{{ch.Name, &c.Name, "body.name", MaxNameLen, true}, {ch.Title, &c.Title, "body.title", MaxNameLen, false},
		{ch.Phone, &c.Phone, "body.phone", MaxPhoneLen, false}, {ch.Email, &c.Email, "body.email", MaxEmailLen, false}} {
		if f.v != nil {
			if *f.to, err = text(*f.v, f.location, f.max, f.required); err != nil {
				return err
			}
		}
	}
	if ch.Email != nil && c.Email != "" {
		if a, err := mail.ParseAddress(c.Email); err != nil || a.Address != c.Email {
			return fault.Field("body.email", "is not an e-mail address", c.Email)
		}
	}
	if ch.Role != nil {
		if !slices.Contains(Roles, *ch.Role) {
			return fault.Field("body.role", fmt.Sprintf("must be one of %v", Roles), string(*ch.Role))
		}
		c.Role = *ch.Role
	}
	return nil
}

// ListContacts returns the contacts the caller may list, oldest first, one page at a time.
func (s *Service) ListContacts(ctx context.Context, f ContactFilter) (ContactPage, error) {
	if f.Limit <= 0 {
		f.Limit = DefaultPageSize
	}
	f.Limit = min(f.Limit, MaxPageSize)
	if f.Role != "" && !slices.Contains(Roles, f.Role) {
		return ContactPage{}, fault.Field("query.role", fmt.Sprintf("must be one of %v", Roles), string(f.Role))
	}
	var page ContactPage
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		q, err := s.visibleContacts(ctx, db)
		if err != nil {
			return err
		}
		if f.CustomerID != nil {
			q = q.Where("contacts.customer_id = ?", *f.CustomerID)
		}
		if f.Role != "" {
			q = q.Where("contacts.role = ?", string(f.Role))
		}
		if f.After != nil {
			q = q.Where("contacts.id > ?", *f.After)
		}
		var rows []contactRow
		if err := q.Order("contacts.id").Limit(f.Limit + 1).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) > f.Limit {
			rows = rows[:f.Limit]
			page.Next = &rows[len(rows)-1].ID
		}
		page.Contacts = make([]Contact, len(rows))
		for i, r := range rows {
			page.Contacts[i] = toContact(r)
		}
		return nil
	})
	if err != nil {
		return ContactPage{}, fmt.Errorf("list contacts: %w", err)
	}
	return page, nil
}

// visibleContacts is a query on the contacts the caller may list.
func (s *Service) visibleContacts(ctx context.Context, db *gorm.DB) (*gorm.DB, error) {
	scope, err := s.warden.Scope(ctx, access.List, access.KindContact, access.Columns{Owner: "contacts.owner_id", RegionID: "contacts.region_id"})
	if err != nil {
		return nil, err
	}
	return db.Model(&contactRow{}).Scopes(scope), nil
}

// loadContact loads a contact and asks the warden whether the caller may act on it.
func (s *Service) loadContact(ctx context.Context, db *gorm.DB, id uuid.UUID, a access.Action) (Contact, error) {
	var r contactRow
	err := db.Where("id = ?", id).Take(&r).Error
	if store.IsNotFound(err) {
		return Contact{}, fault.NotFoundf("contact")
	}
	if err != nil {
		return Contact{}, fmt.Errorf("load contact: %w", err)
	}
	if err := s.checkRow(ctx, db, a, access.KindContact, r.ID, r.OwnerID, r.RegionID, "contact"); err != nil {
		return Contact{}, err
	}
	return toContact(r), nil
}

// contactOfAccount checks that a contact named at location belongs to the customer. The caller
// has already been allowed to see the customer, and with it the people one meets there.
func contactOfAccount(db *gorm.DB, id, customer uuid.UUID, location string) error {
	var n int64
	if err := db.Model(&contactRow{}).Where("id = ? AND customer_id = ?", id, customer).Count(&n).Error; err != nil {
		return fmt.Errorf("load contact: %w", err)
	}
	if n == 0 {
		return fault.Reference(location, "is not a contact of this customer", id)
	}
	return nil
}
