package org

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
)

// CreateUser adds a user to the tenant, with their login e-mail and, if given, password.
func (s *Service) CreateUser(ctx context.Context, in NewUser) (User, error) {
	in, err := validNewUser(in)
	if err != nil {
		return User{}, err
	}
	var u User
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		region, err := s.referencedRegion(ctx, db, in.RegionID, "body.region_id")
		if err != nil {
			return err
		}
		if err := s.warden.Check(ctx, access.Create, access.Resource{Kind: access.KindUser, RegionPath: region.Path}); err != nil {
			return err
		}
		if err := checkRoleGrant(ctx, nil, in.Roles); err != nil {
			return err
		}
		id := identity.NewID()
		next := User{ID: id, Roles: in.Roles, RegionID: region.ID, RegionPath: region.Path, ManagerID: in.ManagerID, Status: StatusActive}
		if err := s.checkReportingLine(ctx, db, next); err != nil {
			return err
		}
		if err := s.checkSeats(ctx, db); err != nil {
			return err
		}
		u, err = s.insertUser(ctx, db, id, in, region.Path)
		return err
	})
	if err != nil {
		return User{}, fmt.Errorf("create user: %w", err)
	}
	return u, nil
}

// GetUser returns one user the caller may read.
func (s *Service) GetUser(ctx context.Context, id uuid.UUID) (User, error) {
	var u User
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) (err error) {
		u, err = s.loadUser(ctx, db, id, access.Read)
		return err
	})
	if err != nil {
		return User{}, fmt.Errorf("get user: %w", err)
	}
	return u, nil
}

// ListUsers returns the users the caller may list, ordered by id (time of creation), one page
// at a time.
func (s *Service) ListUsers(ctx context.Context, f UserFilter) (UserPage, error) {
	if f.Limit <= 0 {
		f.Limit = DefaultPageSize
	}
	f.Limit = min(f.Limit, MaxPageSize)
	if f.Role != "" && !identity.ValidRole(f.Role) {
		return UserPage{}, fault.Field("query.role", "is not a role; use one of "+strings.Join(identity.Roles, ", "), f.Role)
	}
	if f.Status != "" && f.Status != StatusActive && f.Status != StatusDisabled {
		return UserPage{}, fault.Field("query.status", "must be active or disabled", string(f.Status))
	}
	var page UserPage
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		scope, err := s.warden.Scope(ctx, access.List, access.KindUser, access.Columns{Owner: "users.id", RegionID: "users.region_id"})
		if err != nil {
			return err
		}
		q := db.Model(&userRow{}).Scopes(scope)
		if f.Role != "" {
			q = q.Where("EXISTS (SELECT 1 FROM user_roles ur WHERE ur.tenant_id = users.tenant_id AND ur.user_id = users.id AND ur.role = ?)", f.Role)
		}
		if f.RegionID != nil {
			r, err := s.referencedRegion(ctx, db, *f.RegionID, "query.region_id")
			if err != nil {
				return err
			}
			q = q.Where(`users.region_id IN (SELECT r.id FROM regions r WHERE r.tenant_id = users.tenant_id AND r.path LIKE ? ESCAPE '\')`, likePrefix(r.Path))
		}
		if f.Status != "" {
			q = q.Where("users.status = ?", string(f.Status))
		}
		if text := strings.ToLower(strings.TrimSpace(f.Query)); text != "" {
			q = q.Where(`(LOWER(users.name) LIKE ? ESCAPE '\' OR users.email LIKE ? ESCAPE '\')`, likeContains(text), likeContains(text))
		}
		if f.After != nil {
			q = q.Where("users.id > ?", *f.After)
		}
		var rows []userRow
		if err := q.Order("users.id").Limit(f.Limit + 1).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) > f.Limit {
			rows = rows[:f.Limit]
			last := rows[len(rows)-1].ID
			page.Next = &last
		}
		page.Users, err = hydrateUsers(db, rows)
		return err
	})
	if err != nil {
		return UserPage{}, fmt.Errorf("list users: %w", err)
	}
	return page, nil
}

// UpdateUser changes a user's profile, roles, place or status under the organisation's rules.
func (s *Service) UpdateUser(ctx context.Context, id uuid.UUID, ch UserChanges) (User, error) {
	if err := validChanges(&ch); err != nil {
		return User{}, err
	}
	var u User
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if err := lockUsers(s.store, db, id); err != nil {
			return err
		}
		cur, err := s.loadUser(ctx, db, id, access.Update)
		if err != nil {
			return err
		}
		next := cur
		set := map[string]any{}
		if ch.Name != nil {
			next.Name, set["name"] = *ch.Name, *ch.Name
		}
		if ch.Phone != nil {
			next.Phone, set["phone"] = *ch.Phone, *ch.Phone
		}
		if ch.Roles != nil {
			next.Roles = ch.Roles
		}
		if ch.SetManager {
			next.ManagerID, set["manager_id"] = ch.ManagerID, ch.ManagerID
		}
		if ch.Status != nil {
			next.Status, set["status"] = *ch.Status, string(*ch.Status)
		}
		if ch.RegionID != nil && *ch.RegionID != cur.RegionID {
			r, err := s.referencedRegion(ctx, db, *ch.RegionID, "body.region_id")
			if err != nil {
				return err
			}
			next.RegionID, next.RegionPath, set["region_id"] = r.ID, r.Path, r.ID
			// Moving a user is also an update at the destination: nobody moves users out of reach.
			if err := s.warden.Check(ctx, access.Update, userResource(next)); err != nil {
				return err
			}
		}
		if err := s.checkTransition(ctx, db, cur, next); err != nil {
			return err
		}
		if cur.Status != StatusActive && next.Status == StatusActive {
			if err := s.checkSeats(ctx, db); err != nil {
				return err
			}
		}
		if len(set) > 0 {
			set["updated_at"] = now()
			if err := db.Model(&userRow{}).Where("id = ?", id).Updates(set).Error; err != nil {
				return fmt.Errorf("write user: %w", err)
			}
		}
		if !slices.Equal(cur.Roles, next.Roles) {
			if err := replaceRoles(db, id, next.Roles); err != nil {
				return err
			}
		}
		u, err = findUser(db, id)
		return err
	})
	if err != nil {
		return User{}, fmt.Errorf("update user: %w", err)
	}
	return u, nil
}

// DeactivateUser disables a user; their rows stay for history.
func (s *Service) DeactivateUser(ctx context.Context, id uuid.UUID) error {
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if err := lockUsers(s.store, db, id); err != nil {
			return err
		}
		cur, err := s.loadUser(ctx, db, id, access.Delete)
		if err != nil {
			return err
		}
		if cur.Status == StatusDisabled {
			return nil
		}
		next := cur
		next.Status = StatusDisabled
		if err := s.checkTransition(ctx, db, cur, next); err != nil {
			return err
		}
		return db.Model(&userRow{}).Where("id = ?", id).Updates(map[string]any{"status": string(StatusDisabled), "updated_at": now()}).Error
	})
	if err != nil {
		return fmt.Errorf("deactivate user: %w", err)
	}
	return nil
}

// insertUser writes a validated user: the row, the platform-wide login e-mail, the roles and the
// password, all in the caller's transaction.
func (s *Service) insertUser(ctx context.Context, db *gorm.DB, id uuid.UUID, in NewUser, regionPath string) (User, error) {
	// The login directory first: its primary key is the e-mail across every tenant.
	if err := db.Create(&loginEmailRow{Email: in.Email, UserID: id}).Error; err != nil {
		if store.IsUniqueViolation(err) {
			return User{}, errEmailTaken
		}
		return User{}, fmt.Errorf("register login e-mail: %w", err)
	}
	t := now()
	row := userRow{ID: id, Email: in.Email, Name: in.Name, Phone: in.Phone, RegionID: in.RegionID,
		ManagerID: in.ManagerID, Status: string(StatusActive), CreatedAt: t, UpdatedAt: t}
	if err := db.Create(&row).Error; err != nil {
		if store.IsUniqueViolation(err) {
			return User{}, errEmailTaken
		}
		return User{}, fmt.Errorf("insert user: %w", err)
	}
	if err := replaceRoles(db, id, in.Roles); err != nil {
		return User{}, err
	}
	if in.Password != "" {
		if s.passwords == nil {
			return User{}, errors.New("no password store is configured")
		}
		if err := s.passwords.SetPassword(ctx, id, in.Password); err != nil {
			// A refused password is the caller's to fix: point at the field.
			if f, ok := fault.As(err); ok && f.Kind == fault.Invalid && len(f.Details) == 0 {
				return User{}, fault.New(f.Kind, f.Code, f.Message, fault.Detail{Location: "body.password", Message: f.Message})
			}
			return User{}, fmt.Errorf("set password: %w", err)
		}
	}
	return User{ID: id, Email: in.Email, Name: in.Name, Phone: in.Phone, Roles: in.Roles, RegionID: in.RegionID,
		RegionPath: regionPath, ManagerID: in.ManagerID, Status: StatusActive, CreatedAt: t, UpdatedAt: t}, nil
}

// ManagerOf returns the manager of user id, if the user has one. It reads without an access
// check: it is for the platform's own work on a tenant's behalf (the workflow engine escalating
// an overdue task), never for a caller's request.
func (s *Service) ManagerOf(ctx context.Context, id uuid.UUID) (uuid.UUID, bool, error) {
	var u User
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) (err error) {
		u, err = findUser(db, id)
		return err
	})
	if store.IsNotFound(err) {
		return uuid.Nil, false, nil
	}
	if err != nil {
		return uuid.Nil, false, fmt.Errorf("manager of %s: %w", id, err)
	}
	if u.ManagerID == nil {
		return uuid.Nil, false, nil
	}
	return *u.ManagerID, true, nil
}
