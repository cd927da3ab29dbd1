package appraisal

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/appraisal/commission"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
)

// CommissionPlan is the tenant's commission plan at one of its versions.
type CommissionPlan struct {
	Version   int
	Plan      commission.Plan
	CreatedBy uuid.UUID
	CreatedAt time.Time
}

type planRow struct {
	TenantID  uuid.UUID
	Version   int
	Body      string
	CreatedBy uuid.UUID
	CreatedAt time.Time
}

func (planRow) TableName() string { return "commission_plan_versions" }

// payableBases are the bases the domains' figures can pay on: the orders' revenue and collected
// payments. Gross margin needs product costs, which no domain records yet.
var payableBases = []commission.Base{commission.Revenue, commission.Collected}

// SetCommissionPlan makes p the tenant's plan, as its next version; earlier versions stay, for
// the reports they paid by. The plan's currency must be one the tenant trades in.
func (s *Service) SetCommissionPlan(ctx context.Context, p commission.Plan) (CommissionPlan, error) {
	me, err := identity.SignedIn(ctx, "set the commission plan")
	if err != nil {
		return CommissionPlan{}, err
	}
	if err := p.Validate(); err != nil {
		return CommissionPlan{}, err
	}
	if !slices.Contains(payableBases, p.Base) {
		return CommissionPlan{}, fault.Field("body.base", "has no figures yet: pay on revenue or collected payments", string(p.Base))
	}
	currencies, err := s.deps.Currencies(ctx)
	if err != nil {
		return CommissionPlan{}, err
	}
	if !slices.Contains(currencies, p.Currency) {
		return CommissionPlan{}, fault.Field("body.currency", fmt.Sprintf("is not the tenant's: it trades in %v", currencies), p.Currency)
	}
	var out CommissionPlan
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if err := s.warden.Check(ctx, access.Update, access.Resource{Kind: access.KindAppraisalTemplate}); err != nil {
			return err
		}
		last, err := latestPlan(db)
		if err != nil && !fault.Is(err, fault.NotFound) {
			return err
		}
		body, err := json.Marshal(p)
		if err != nil {
			return err
		}
		out = CommissionPlan{Version: last.Version + 1, Plan: p, CreatedBy: me.UserID, CreatedAt: s.now()}
		return db.Create(&planRow{Version: out.Version, Body: string(body), CreatedBy: me.UserID, CreatedAt: out.CreatedAt}).Error
	})
	if err != nil {
		return CommissionPlan{}, fmt.Errorf("set commission plan: %w", err)
	}
	return out, nil
}

// GetCommissionPlan returns the plan in force; a tenant without one gets a not-found fault.
func (s *Service) GetCommissionPlan(ctx context.Context) (CommissionPlan, error) {
	var out CommissionPlan
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if err := s.warden.Check(ctx, access.Read, access.Resource{Kind: access.KindAppraisalTemplate}); err != nil {
			return err
		}
		var err error
		out, err = latestPlan(db)
		return err
	})
	return out, err
}

func latestPlan(db *gorm.DB) (CommissionPlan, error) {
	var r planRow
	err := db.Order("version DESC").Take(&r).Error
	if store.IsNotFound(err) {
		return CommissionPlan{}, fault.NotFoundf("commission plan")
	}
	if err != nil {
		return CommissionPlan{}, err
	}
	out := CommissionPlan{Version: r.Version, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt}
	if err := json.Unmarshal([]byte(r.Body), &out.Plan); err != nil {
		return CommissionPlan{}, fmt.Errorf("commission plan version %d: %w", r.Version, err)
	}
	return out, nil
}
