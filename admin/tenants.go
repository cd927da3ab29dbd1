package admin

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/store"
)

const (
	defaultPage = 50
	maxPage     = 200
)

// likeEscaper makes a search term match itself: % and _ are LIKE's wildcards.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// SearchTenants lists the tenants matching f, newest first, one page at a time.
func (s *Service) SearchTenants(ctx context.Context, f TenantFilter) (TenantPage, error) {
	if f.Limit == 0 {
		f.Limit = defaultPage
	}
	if f.Limit < 1 || f.Limit > maxPage {
		return TenantPage{}, fault.Field("query.limit", fmt.Sprintf("must be between 1 and %d", maxPage), f.Limit)
	}
	f.Query = strings.TrimSpace(f.Query)
	if err := s.audit(ctx, entry{action: actionSearchTenants, detail: fmt.Sprintf("q=%q status=%q industry=%q", f.Query, f.Status, f.Industry)}); err != nil {
		return TenantPage{}, err
	}
	q := s.st.Owner(ctx).Model(&tenantRow{})
	if f.Query != "" {
		like := "%" + likeEscaper.Replace(strings.ToLower(f.Query)) + "%"
		q = q.Where(`(LOWER(name) LIKE ? ESCAPE '\' OR LOWER(slug) LIKE ? ESCAPE '\')`, like, like)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.Industry != "" {
		q = q.Where("industry = ?", f.Industry)
	}
	var page TenantPage
	if err := q.Session(&gorm.Session{}).Count(&page.Total).Error; err != nil {
		return TenantPage{}, fmt.Errorf("count tenants: %w", err)
	}
	if f.Before != nil {
		q = q.Where("id < ?", *f.Before)
	}
	var rows []tenantRow
	if err := q.Order("id DESC").Limit(f.Limit + 1).Find(&rows).Error; err != nil {
		return TenantPage{}, fmt.Errorf("search tenants: %w", err)
	}
	if len(rows) > f.Limit {
		rows = rows[:f.Limit]
		next := rows[len(rows)-1].ID
		page.Next = &next
	}
	page.Tenants = make([]Tenant, 0, len(rows))
	for _, r := range rows {
		page.Tenants = append(page.Tenants, r.tenant())
	}
	return page, nil
}

// Tenant returns one tenant with its billing state and usage.
func (s *Service) Tenant(ctx context.Context, id uuid.UUID) (TenantDetail, error) {
	if err := s.audit(ctx, entry{action: actionViewTenant, tenant: &id}); err != nil {
		return TenantDetail{}, err
	}
	row, err := s.tenantRow(s.st.Owner(ctx), id)
	if err != nil {
		return TenantDetail{}, err
	}
	out := TenantDetail{Tenant: row.tenant()}
	if out.Billing, err = s.billing(ctx, id); err != nil {
		return TenantDetail{}, fmt.Errorf("tenant %s: billing: %w", id, err)
	}
	if out.Usage, err = s.usage(ctx, id); err != nil {
		return TenantDetail{}, fmt.Errorf("tenant %s: usage: %w", id, err)
	}
	return out, nil
}

func (s *Service) tenantRow(db *gorm.DB, id uuid.UUID) (tenantRow, error) {
	var row tenantRow
	if err := db.Where("id = ?", id).Take(&row).Error; err != nil {
		if store.IsNotFound(err) {
			return row, fault.NotFoundf("tenant")
		}
		return row, fmt.Errorf("read tenant %s: %w", id, err)
	}
	return row, nil
}

// Suspend stops a tenant's service: tenants.status becomes suspended. The sign-in and request
// checks that honour it are wired outside this package (see Suspended).
func (s *Service) Suspend(ctx context.Context, id uuid.UUID, reason string) (Tenant, error) {
	return s.setStatus(ctx, id, reason, StatusActive, StatusSuspended, actionSuspend)
}

// Resume puts a suspended tenant back in service.
func (s *Service) Resume(ctx context.Context, id uuid.UUID, reason string) (Tenant, error) {
	return s.setStatus(ctx, id, reason, StatusSuspended, StatusActive, actionResume)
}

// CancelDeletion keeps a tenant its admin asked to delete, before the purge: back in service,
// its data untouched. The deletion's own service changes the tenant (in a transaction of its
// own: on the embedded database a second writer would wait for this one), then the action is
// recorded.
func (s *Service) CancelDeletion(ctx context.Context, id uuid.UUID, reason string) (Tenant, error) {
	op, err := operator(ctx)
	if err != nil {
		return Tenant{}, err
	}
	e := entry{operator: &op, action: actionCancelDeletion, tenant: &id, reason: reason}
	if e.reason, err = checkReason(reason); err != nil {
		return Tenant{}, s.refused(ctx, e, err)
	}
	if s.cancel == nil {
		return Tenant{}, s.refused(ctx, e, fault.New(fault.Unavailable, "no_data_rights", "this server cannot cancel deletions"))
	}
	if err := s.cancel(ctx, id); err != nil {
		if _, ok := fault.As(err); ok {
			return Tenant{}, s.refused(ctx, e, err)
		}
		return Tenant{}, fmt.Errorf("cancel the deletion of %s: %w", id, err)
	}
	if err := s.record(ctx, s.st.Owner(ctx), e); err != nil {
		return Tenant{}, err
	}
	row, err := s.tenantRow(s.st.Owner(ctx), id)
	return row.tenant(), err
}

// Reasons are read later by whoever asks why a tenant lost service or who looked at its data:
// a word or two does not answer that.
const (
	minReason = 10
	maxReason = 500
)

func checkReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if n := utf8.RuneCountInString(reason); n < minReason || n > maxReason {
		return "", fault.Field("body.reason", fmt.Sprintf("must have %d to %d characters: say why, for the audit", minReason, maxReason), reason)
	}
	return reason, nil
}

var errWrongStatus = errors.New("wrong status")

func (s *Service) setStatus(ctx context.Context, id uuid.UUID, reason, from, to, action string) (Tenant, error) {
	op, err := operator(ctx)
	if err != nil {
		return Tenant{}, err
	}
	e := entry{operator: &op, action: action, tenant: &id, reason: reason, detail: from + " -> " + to}
	if reason, err = checkReason(reason); err != nil {
		return Tenant{}, s.refused(ctx, e, err)
	}
	e.reason = reason
	var row tenantRow
	var was string
	err = s.st.Owner(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if row, err = s.tenantRow(tx, id); err != nil {
			return err
		}
		if was = row.Status; was != from {
			return errWrongStatus
		}
		row.Status, row.UpdatedAt = to, s.now()
		// The status in the WHERE makes a concurrent change lose cleanly instead of being undone.
		res := tx.Model(&tenantRow{}).Where("id = ? AND status = ?", id, from).
			Updates(map[string]any{"status": row.Status, "updated_at": row.UpdatedAt})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return errWrongStatus
		}
		return s.record(ctx, tx, e)
	})
	if errors.Is(err, errWrongStatus) {
		err = fault.Newf(fault.Conflict, "wrong_status", "the tenant is %s: only a tenant that is %s can be set %s", was, from, to)
	}
	if fault.Is(err, fault.Conflict) || fault.Is(err, fault.NotFound) {
		return Tenant{}, s.refused(ctx, e, err)
	}
	if err != nil {
		return Tenant{}, fmt.Errorf("%s %s: %w", action, id, err)
	}
	return row.tenant(), nil
}
