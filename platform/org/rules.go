package org

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
)

// checkTransition checks a change of a user from cur to next against the organisation's rules:
// people do not rewrite their own standing, only tenant admins hand out roles beyond rep, the
// reporting line stays valid on both ends, and one active tenant admin always remains.
func (s *Service) checkTransition(ctx context.Context, db *gorm.DB, cur, next User) error {
	p, _ := identity.From(ctx)
	rolesChanged := !slices.Equal(cur.Roles, next.Roles)
	placeChanged := cur.RegionID != next.RegionID || !sameID(cur.ManagerID, next.ManagerID)
	statusChanged := cur.Status != next.Status
	if p.UserID == cur.ID && !p.HasRole(identity.RoleTenantAdmin) && (rolesChanged || placeChanged || statusChanged) {
		return fault.New(fault.Forbidden, "self_change", "you cannot change your own roles, region, manager or status; ask a tenant admin")
	}
	if rolesChanged {
		if err := checkRoleGrant(ctx, cur.Roles, next.Roles); err != nil {
			return err
		}
	}
	if next.Status == StatusActive && (rolesChanged || placeChanged || statusChanged) {
		if err := s.checkReportingLine(ctx, db, next); err != nil {
			return err
		}
	}
	if rolesChanged || statusChanged {
		if err := s.checkLastAdmin(db, cur, next); err != nil {
			return err
		}
	}
	if rolesChanged || statusChanged || cur.RegionID != next.RegionID {
		return checkReports(db, next)
	}
	return nil
}

// checkRoleGrant lets a tenant admin give and take any role, and anyone else (a manager with a
// custom policy to create users, say) only the rep role, so that no policy hands out privilege.
func checkRoleGrant(ctx context.Context, before, after []string) error {
	p, _ := identity.From(ctx)
	if p.HasRole(identity.RoleTenantAdmin) {
		return nil
	}
	for _, r := range identity.Roles {
		if r != identity.RoleRep && slices.Contains(before, r) != slices.Contains(after, r) {
			return fault.Newf(fault.Forbidden, "role_grant", "only a tenant admin can grant or remove the role %s", r)
		}
	}
	return nil
}

// checkReportingLine checks u's manager: every rep has one; a manager holds the manager role, is
// active, and manages (through their own region's subtree) the region of u; nobody manages
// themselves.
func (s *Service) checkReportingLine(ctx context.Context, db *gorm.DB, u User) error {
	if u.ManagerID == nil {
		if slices.Contains(u.Roles, identity.RoleRep) {
			return fault.New(fault.Invalid, "manager_required", "a rep needs a manager: set manager_id to a manager of the rep's region",
				fault.Detail{Location: "body.manager_id", Message: "is required for a rep"})
		}
		return nil
	}
	mid := *u.ManagerID
	if mid == u.ID {
		return fault.New(fault.Invalid, "own_manager", "a user cannot be their own manager",
			fault.Detail{Location: "body.manager_id", Message: "is the user themselves", Value: mid.String()})
	}
	// Locked, so that the manager cannot be disabled or moved while this user is assigned to them.
	if err := lockUsers(s.store, db, mid); err != nil {
		return err
	}
	m, err := s.referencedUser(ctx, db, mid, "body.manager_id")
	if err != nil {
		return err
	}
	detail := func(msg string) fault.Detail {
		return fault.Detail{Location: "body.manager_id", Message: msg, Value: mid.String()}
	}
	switch {
	case m.Status != StatusActive:
		return fault.New(fault.Invalid, "manager_disabled", m.Name+" is disabled and cannot manage anyone", detail("is disabled"))
	case !slices.Contains(m.Roles, identity.RoleManager):
		return fault.New(fault.Invalid, "not_a_manager", m.Name+" does not hold the manager role", detail("does not hold the manager role"))
	case !strings.HasPrefix(u.RegionPath, m.RegionPath):
		var r regionRow
		if err := db.Select("name").Where("id = ?", m.RegionID).Take(&r).Error; err != nil {
			return fmt.Errorf("load manager's region: %w", err)
		}
		return fault.New(fault.Invalid, "manager_outside_region",
			m.Name+" manages "+r.Name+" and its subregions, which do not include this user's region", detail("manages another part of the region tree"))
	}
	return nil
}

// checkLastAdmin keeps at least one active tenant admin.
func (s *Service) checkLastAdmin(db *gorm.DB, cur, next User) error {
	wasAdmin := cur.Status == StatusActive && slices.Contains(cur.Roles, identity.RoleTenantAdmin)
	staysAdmin := next.Status == StatusActive && slices.Contains(next.Roles, identity.RoleTenantAdmin)
	if !wasAdmin || staysAdmin {
		return nil
	}
	var others []uuid.UUID
	q := forUpdate(s.store, db.Model(&userRow{})).
		Joins("JOIN user_roles ur ON ur.tenant_id = users.tenant_id AND ur.user_id = users.id").
		Where("ur.role = ? AND users.status = ? AND users.id <> ?", identity.RoleTenantAdmin, string(StatusActive), cur.ID)
	if err := q.Pluck("users.id", &others).Error; err != nil {
		return fmt.Errorf("count tenant admins: %w", err)
	}
	if len(others) == 0 {
		return fault.New(fault.Conflict, "last_admin",
			cur.Name+" is the last active tenant admin and cannot be disabled or lose the role; make someone else tenant admin first")
	}
	return nil
}

// checkReports makes sure that the active users who report to u still may after the change.
func checkReports(db *gorm.DB, u User) error {
	var rows []userRow
	if err := db.Where("manager_id = ? AND status = ?", u.ID, string(StatusActive)).Order("id").Find(&rows).Error; err != nil {
		return fmt.Errorf("load reports: %w", err)
	}
	reports, err := hydrateUsers(db, rows)
	if err != nil {
		return err
	}
	var stranded []fault.Detail
	for _, r := range reports {
		if u.Status != StatusActive || !slices.Contains(u.Roles, identity.RoleManager) || !strings.HasPrefix(r.RegionPath, u.RegionPath) {
			stranded = append(stranded, fault.Detail{Message: r.Name + " reports to " + u.Name, Value: r.ID.String()})
		}
	}
	if len(stranded) > 0 {
		return fault.New(fault.Conflict, "has_reports",
			fmt.Sprintf("%d active users report to %s and could no longer; give them another manager first", len(stranded), u.Name), stranded...)
	}
	return nil
}

// checkSubtreeReporting checks every active user in the subtree at path against their manager,
// after the subtree moved: a manager outside it may no longer cover its new place.
func checkSubtreeReporting(db *gorm.DB, path string) error {
	type line struct {
		Name        string
		ID          uuid.UUID
		ManagerName string
		ManagerPath string
		RegionPath  string
	}
	var lines []line
	err := db.Model(&userRow{}).
		Select("users.id, users.name, m.name AS manager_name, mr.path AS manager_path, r.path AS region_path").
		Joins("JOIN regions r ON r.tenant_id = users.tenant_id AND r.id = users.region_id").
		Joins("JOIN users m ON m.tenant_id = users.tenant_id AND m.id = users.manager_id").
		Joins("JOIN regions mr ON mr.tenant_id = m.tenant_id AND mr.id = m.region_id").
		Where(`users.status = ? AND r.path LIKE ? ESCAPE '\'`, string(StatusActive), likePrefix(path)).
		Order("users.id").Scan(&lines).Error
	if err != nil {
		return fmt.Errorf("check reporting lines: %w", err)
	}
	var broken []fault.Detail
	for _, l := range lines {
		if !strings.HasPrefix(l.RegionPath, l.ManagerPath) {
			broken = append(broken, fault.Detail{Message: l.Name + " reports to " + l.ManagerName + ", who would no longer manage their region", Value: l.ID.String()})
		}
	}
	if len(broken) > 0 {
		return fault.New(fault.Conflict, "breaks_reporting",
			fmt.Sprintf("this move would put %d users outside their manager's regions; reassign them first", len(broken)), broken...)
	}
	return nil
}

// lockUsers locks user rows until the transaction ends (PostgreSQL; see forUpdate).
func lockUsers(s *store.Store, db *gorm.DB, ids ...uuid.UUID) error {
	if s.Dialect() != store.Postgres {
		return nil
	}
	var got []uuid.UUID
	if err := forUpdate(s, db.Model(&userRow{})).Where("id IN ?", ids).Order("id").Pluck("id", &got).Error; err != nil {
		return fmt.Errorf("lock users: %w", err)
	}
	return nil
}

func sameID(a, b *uuid.UUID) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
