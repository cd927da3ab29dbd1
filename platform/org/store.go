package org

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
)

// The gorm rows mirror migrations/0001_core.go. Only this file touches them; the service works
// with the domain types of model.go through the converters below.

type regionRow struct {
	TenantID  uuid.UUID
	ID        uuid.UUID
	ParentID  *uuid.UUID
	Name      string
	Path      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (regionRow) TableName() string { return "regions" }

type userRow struct {
	TenantID  uuid.UUID
	ID        uuid.UUID
	Email     string
	Name      string
	Phone     string
	RegionID  uuid.UUID
	ManagerID *uuid.UUID
	Status    string
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (userRow) TableName() string { return "users" }

type userRoleRow struct {
	TenantID uuid.UUID
	UserID   uuid.UUID
	Role     string
}

func (userRoleRow) TableName() string { return "user_roles" }

type loginEmailRow struct {
	Email    string
	TenantID uuid.UUID
	UserID   uuid.UUID
}

func (loginEmailRow) TableName() string { return "login_emails" }

type teamRow struct {
	TenantID  uuid.UUID
	ID        uuid.UUID
	Name      string
	RegionID  uuid.UUID
	LeadID    *uuid.UUID
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (teamRow) TableName() string { return "teams" }

type teamMemberRow struct {
	TenantID uuid.UUID
	TeamID   uuid.UUID
	UserID   uuid.UUID
}

func (teamMemberRow) TableName() string { return "team_members" }

// tenantRow reads the global tenants table, through the owner handle only (see Me).
type tenantRow struct {
	ID       uuid.UUID
	Slug     string
	Name     string
	Industry string
	TimeZone string
	Currency string
}

func (tenantRow) TableName() string { return "tenants" }

func toRegion(r regionRow) Region {
	return Region{ID: r.ID, ParentID: r.ParentID, Name: r.Name, Path: r.Path, Depth: strings.Count(r.Path, "/") - 2,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

func toTeam(r teamRow, members []uuid.UUID) Team {
	if members == nil {
		members = []uuid.UUID{}
	}
	return Team{ID: r.ID, Name: r.Name, RegionID: r.RegionID, LeadID: r.LeadID, MemberIDs: members,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

func toTenant(r tenantRow) Tenant {
	return Tenant{ID: r.ID, Name: r.Name, Slug: r.Slug, Industry: r.Industry, TimeZone: r.TimeZone, Currency: r.Currency}
}

func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// sortRoles puts roles in the order of identity.Roles, so answers are stable.
func sortRoles(roles []string) []string {
	out := slices.Clone(roles)
	slices.SortFunc(out, func(a, b string) int { return slices.Index(identity.Roles, a) - slices.Index(identity.Roles, b) })
	return slices.Compact(out)
}

// forUpdate locks the rows a query reads until the transaction ends, so two concurrent changes
// cannot both pass a rule such as "one tenant admin must remain". SQLite needs no lock: its
// transactions take the database's write lock at BEGIN.
func forUpdate(s *store.Store, db *gorm.DB) *gorm.DB {
	return lockRows(s, db, clause.LockingStrengthUpdate)
}

// forShare keeps the rows a query reads from changing until the transaction ends: a region
// whose path a new row depends on cannot move meanwhile.
func forShare(s *store.Store, db *gorm.DB) *gorm.DB {
	return lockRows(s, db, clause.LockingStrengthShare)
}

func lockRows(s *store.Store, db *gorm.DB, strength string) *gorm.DB {
	if s.Dialect() != store.Postgres {
		return db
	}
	return db.Clauses(clause.Locking{Strength: strength})
}

func findRegion(db *gorm.DB, id uuid.UUID) (regionRow, error) {
	var r regionRow
	err := db.Where("id = ?", id).Take(&r).Error
	return r, err
}

func findTeam(db *gorm.DB, id uuid.UUID) (teamRow, error) {
	var t teamRow
	err := db.Where("id = ?", id).Take(&t).Error
	return t, err
}

// findUser loads one user with roles and region path.
func findUser(db *gorm.DB, id uuid.UUID) (User, error) {
	var r userRow
	if err := db.Where("id = ?", id).Take(&r).Error; err != nil {
		return User{}, err
	}
	us, err := hydrateUsers(db, []userRow{r})
	if err != nil {
		return User{}, err
	}
	return us[0], nil
}

// hydrateUsers adds roles and region paths to user rows, with one query for each.
func hydrateUsers(db *gorm.DB, rows []userRow) ([]User, error) {
	if len(rows) == 0 {
		return []User{}, nil
	}
	ids := make([]uuid.UUID, len(rows))
	regionIDs := make([]uuid.UUID, 0, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
		if !slices.Contains(regionIDs, r.RegionID) {
			regionIDs = append(regionIDs, r.RegionID)
		}
	}
	var roles []userRoleRow
	if err := db.Where("user_id IN ?", ids).Find(&roles).Error; err != nil {
		return nil, fmt.Errorf("load roles: %w", err)
	}
	var regions []regionRow
	if err := db.Select("id", "path").Where("id IN ?", regionIDs).Find(&regions).Error; err != nil {
		return nil, fmt.Errorf("load regions: %w", err)
	}
	rolesOf := map[uuid.UUID][]string{}
	for _, r := range roles {
		rolesOf[r.UserID] = append(rolesOf[r.UserID], r.Role)
	}
	pathOf := map[uuid.UUID]string{}
	for _, r := range regions {
		pathOf[r.ID] = r.Path
	}
	out := make([]User, len(rows))
	for i, r := range rows {
		out[i] = User{ID: r.ID, Email: r.Email, Name: r.Name, Phone: r.Phone, Roles: sortRoles(rolesOf[r.ID]),
			RegionID: r.RegionID, RegionPath: pathOf[r.RegionID], ManagerID: r.ManagerID, Status: Status(r.Status),
			CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	}
	return out, nil
}

// teamMembers returns the member ids of each team.
func teamMembers(db *gorm.DB, teamIDs []uuid.UUID) (map[uuid.UUID][]uuid.UUID, error) {
	out := map[uuid.UUID][]uuid.UUID{}
	if len(teamIDs) == 0 {
		return out, nil
	}
	var rows []teamMemberRow
	if err := db.Where("team_id IN ?", teamIDs).Order("user_id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load team members: %w", err)
	}
	for _, r := range rows {
		out[r.TeamID] = append(out[r.TeamID], r.UserID)
	}
	return out, nil
}

func replaceRoles(db *gorm.DB, userID uuid.UUID, roles []string) error {
	if err := db.Where("user_id = ?", userID).Delete(&userRoleRow{}).Error; err != nil {
		return fmt.Errorf("clear roles: %w", err)
	}
	rows := make([]userRoleRow, len(roles))
	for i, r := range roles {
		rows[i] = userRoleRow{UserID: userID, Role: r}
	}
	if err := db.Create(&rows).Error; err != nil {
		return fmt.Errorf("write roles: %w", err)
	}
	return nil
}

// likePrefix is a LIKE pattern matching every string that starts with p. Paths hold only ids and
// slashes, but escaping keeps the pattern exact whatever it is given.
func likePrefix(p string) string { return escapeLike(p) + "%" }

func likeContains(p string) string { return "%" + escapeLike(p) + "%" }

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

func escapeLike(s string) string { return likeEscaper.Replace(s) }
