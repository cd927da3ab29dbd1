package org

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
)

// Service holds the organisation's rules. Every operation runs in a tenant transaction of the
// context's principal and asks the warden first; rows outside the caller's scope answer exactly
// like missing ones.
type Service struct {
	store     *store.Store
	warden    *access.Warden
	passwords Passwords
	seats     SeatLimit // nil: no limit
}

// NewService returns the organisation service. passwords may be nil only where no user is ever
// created with a password.
func NewService(s *store.Store, w *access.Warden, passwords Passwords) *Service {
	return &Service{store: s, warden: w, passwords: passwords}
}

// Principal loads the principal of an active user in the context's tenant: roles, region and
// region path. A missing or disabled user answers ErrUserInactive.
func (s *Service) Principal(ctx context.Context, userID uuid.UUID) (identity.Principal, error) {
	var p identity.Principal
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		u, err := findUser(db, userID)
		if store.IsNotFound(err) {
			return ErrUserInactive
		}
		if err != nil {
			return err
		}
		if u.Status != StatusActive {
			return ErrUserInactive
		}
		p = identity.Principal{TenantID: identity.TenantID(ctx), UserID: u.ID, Roles: u.Roles, RegionID: u.RegionID, RegionPath: u.RegionPath}
		return nil
	})
	if err != nil {
		return identity.Principal{}, fmt.Errorf("load principal: %w", err)
	}
	return p, nil
}

// Administrator loads the principal of the context's tenant's longest-serving active tenant
// admin: whom the platform's scheduled work acts as when it does what an admin would (the
// monthly appraisal report), so that it sees exactly what that admin sees. A tenant with no
// active admin answers a NotFound fault.
func (s *Service) Administrator(ctx context.Context) (identity.Principal, error) {
	var ids []uuid.UUID
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		return db.Model(&userRow{}).
			Joins("JOIN user_roles ur ON ur.tenant_id = users.tenant_id AND ur.user_id = users.id AND ur.role = ?", identity.RoleTenantAdmin).
			Where("users.status = ?", StatusActive).Order("users.created_at, users.id").Limit(1).Pluck("users.id", &ids).Error
	})
	if err != nil {
		return identity.Principal{}, fmt.Errorf("find the tenant's administrator: %w", err)
	}
	if len(ids) == 0 {
		return identity.Principal{}, fault.NotFoundf("active tenant administrator")
	}
	return s.Principal(ctx, ids[0])
}

// Me returns the caller's user, region, manager, teams and tenant.
func (s *Service) Me(ctx context.Context) (Me, error) {
	p, ok := identity.From(ctx)
	if !ok || p.UserID == uuid.Nil {
		return Me{}, fault.New(fault.Unauthorized, "unauthenticated", "sign in first")
	}
	var me Me
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		u, err := s.loadUser(ctx, db, p.UserID, access.Read)
		if err != nil {
			return err
		}
		me.User = u
		r, err := findRegion(db, u.RegionID)
		if err != nil {
			return fmt.Errorf("load region: %w", err)
		}
		me.Region = toRegion(r)
		if u.ManagerID != nil {
			// One's own manager is part of one's own record, whatever one may read of other users.
			m, err := findUser(db, *u.ManagerID)
			if err != nil {
				return fmt.Errorf("load manager: %w", err)
			}
			me.Manager = &m
		}
		me.Teams, err = s.teamsOf(ctx, db, u.ID)
		return err
	})
	if err != nil {
		return Me{}, fmt.Errorf("me: %w", err)
	}
	// The tenants table is global: the owner handle reads it, filtered by the principal's tenant.
	var t tenantRow
	if err := s.store.Owner(ctx).Where("id = ?", p.TenantID).Take(&t).Error; err != nil {
		return Me{}, fmt.Errorf("me: load tenant: %w", err)
	}
	me.Tenant = toTenant(t)
	return me, nil
}

// TimeZone is the time zone of the caller's tenant, in which its days (plans, daily metrics)
// begin and end.
func (s *Service) TimeZone(ctx context.Context) (*time.Location, error) {
	tenant := identity.TenantID(ctx)
	if tenant == uuid.Nil {
		return nil, store.ErrNoTenant
	}
	var t tenantRow
	if err := s.store.Owner(ctx).Where("id = ?", tenant).Take(&t).Error; err != nil {
		return nil, fmt.Errorf("load tenant's time zone: %w", err)
	}
	loc, err := time.LoadLocation(t.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("tenant's time zone %q: %w", t.TimeZone, err)
	}
	return loc, nil
}

// Currencies returns the ISO 4217 codes the caller's tenant trades in: the one it chose at
// sign-up. Money in any other currency is refused, so that every sum a report makes is of one
// currency.
func (s *Service) Currencies(ctx context.Context) ([]string, error) {
	tenant := identity.TenantID(ctx)
	if tenant == uuid.Nil {
		return nil, store.ErrNoTenant
	}
	var t tenantRow
	if err := s.store.Owner(ctx).Where("id = ?", tenant).Take(&t).Error; err != nil {
		return nil, fmt.Errorf("load tenant's currency: %w", err)
	}
	return []string{t.Currency}, nil
}

// Bootstrap creates a new tenant's root region and first administrator, who holds the roles
// tenant_admin and hq. It exists for provisioning only: it runs as the platform
// (identity.System, no user) and refuses a tenant that already has a region. The password, if
// given, is stored in the same transaction.
func (s *Service) Bootstrap(ctx context.Context, rootName string, admin NewUser) (Region, User, error) {
	if p, _ := identity.From(ctx); p.UserID != uuid.Nil {
		return Region{}, User{}, fault.New(fault.Forbidden, "forbidden", "only provisioning creates a tenant's first administrator")
	}
	admin.Roles = []string{identity.RoleTenantAdmin, identity.RoleHQ}
	admin.ManagerID = nil
	in, err := validNewUser(admin)
	if err != nil {
		return Region{}, User{}, err
	}
	rootName, err = validName(rootName, "body.name")
	if err != nil {
		return Region{}, User{}, err
	}
	var root Region
	var u User
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		var n int64
		if err := db.Model(&regionRow{}).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return fault.New(fault.Conflict, "already_provisioned", "this tenant already has its organisation")
		}
		id := identity.NewID()
		t := now()
		r := regionRow{ID: id, Name: rootName, Path: "/" + id.String() + "/", CreatedAt: t, UpdatedAt: t}
		if err := db.Create(&r).Error; err != nil {
			return fmt.Errorf("create root region: %w", err)
		}
		root = toRegion(r)
		in.RegionID = id
		u, err = s.insertUser(ctx, db, identity.NewID(), in, r.Path)
		return err
	})
	if err != nil {
		return Region{}, User{}, fmt.Errorf("bootstrap: %w", err)
	}
	return root, u, nil
}

// loadUser loads a user and asks the warden whether the caller may act on it. A user outside
// the caller's scope is "not found", like a missing one.
func (s *Service) loadUser(ctx context.Context, db *gorm.DB, id uuid.UUID, a access.Action) (User, error) {
	u, err := findUser(db, id)
	if store.IsNotFound(err) {
		return User{}, fault.NotFoundf("user")
	}
	if err != nil {
		return User{}, fmt.Errorf("load user: %w", err)
	}
	if err := s.warden.CheckRow(ctx, a, userResource(u), "user"); err != nil {
		return User{}, err
	}
	return u, nil
}

func (s *Service) loadRegion(ctx context.Context, db *gorm.DB, id uuid.UUID, a access.Action) (regionRow, error) {
	r, err := findRegion(db, id)
	if store.IsNotFound(err) {
		return regionRow{}, fault.NotFoundf("region")
	}
	if err != nil {
		return regionRow{}, fmt.Errorf("load region: %w", err)
	}
	if err := s.warden.CheckRow(ctx, a, regionResource(r), "region"); err != nil {
		return regionRow{}, err
	}
	return r, nil
}

// referencedRegion loads a region named in a request body: one the caller cannot see is an
// invalid reference, not a missing resource.
func (s *Service) referencedRegion(ctx context.Context, db *gorm.DB, id uuid.UUID, location string) (regionRow, error) {
	// Shared lock: the region cannot move (and change its path) while a row placed by it is written.
	r, err := s.loadRegion(ctx, forShare(s.store, db), id, access.Read)
	if fault.Is(err, fault.NotFound) {
		return regionRow{}, fault.New(fault.Invalid, "invalid_reference", "there is no such region",
			fault.Detail{Location: location, Message: "no such region", Value: id.String()})
	}
	return r, err
}

// referencedUser is referencedRegion for users (managers, team leads, team members).
func (s *Service) referencedUser(ctx context.Context, db *gorm.DB, id uuid.UUID, location string) (User, error) {
	u, err := s.loadUser(ctx, db, id, access.Read)
	if fault.Is(err, fault.NotFound) {
		return User{}, fault.New(fault.Invalid, "invalid_reference", "there is no such user",
			fault.Detail{Location: location, Message: "no such user", Value: id.String()})
	}
	return u, err
}

func userResource(u User) access.Resource {
	// A user row is "owned" by that user: a rep's own-rows scope covers their own record.
	return access.Resource{Kind: access.KindUser, ID: u.ID, OwnerID: u.ID, RegionPath: u.RegionPath}
}

func regionResource(r regionRow) access.Resource {
	return access.Resource{Kind: access.KindRegion, ID: r.ID, RegionPath: r.Path}
}

func teamResource(t teamRow, regionPath string) access.Resource {
	return access.Resource{Kind: access.KindTeam, ID: t.ID, RegionPath: regionPath}
}
