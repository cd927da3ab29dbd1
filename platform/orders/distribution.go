package orders

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
)

// Distribution (numeric distribution, in FMCG terms) of an SKU over a period:
//
//   - a store is covered when it had at least one shelf check in the period;
//   - a covered store carries the SKU when its latest check in the period found it present (an
//     SKU the latest check does not list is absent: a check is a full audit);
//   - the rate is stores carrying over stores covered.
//
// The SKUs reported are those listed by any check in the period that the query reaches, so a
// rep whose stores lack an SKU others carry shows 0 for it rather than nothing. Broken down by
// rep or region, a store belongs to the rep and region of its latest check in the period.

// Grouping breaks the distribution down.
type Grouping string

const (
	GroupNone   Grouping = ""
	GroupRep    Grouping = "rep"
	GroupRegion Grouping = "region"
)

// DistributionQuery selects shelf checks of [From, To), optionally one SKU, some reps or a
// region subtree.
type DistributionQuery struct {
	From, To   time.Time
	SKU        string
	GroupBy    Grouping
	RepIDs     []uuid.UUID
	RegionPath string // the subtree of this region path
}

// DistributionRow is one SKU's distribution, in one group when grouped.
type DistributionRow struct {
	ProductID  uuid.UUID
	SKU        string
	RepID      uuid.UUID // GroupRep only
	RegionPath string    // GroupRegion only
	Covered    int
	Carrying   int
	Rate       float64 // Carrying / Covered
}

// storeCheck is a store's latest check in the period, reduced to what distribution needs.
type storeCheck struct {
	customer   uuid.UUID
	rep        uuid.UUID
	regionPath string
	at         time.Time
	id         uuid.UUID
	present    map[uuid.UUID]bool // product -> found on the shelf
}

type product struct {
	id  uuid.UUID
	sku string
}

// distribution computes the rows from the stores' latest checks, for the given SKUs.
func distribution(stores []storeCheck, products []product, by Grouping) []DistributionRow {
	type key struct {
		rep    uuid.UUID
		region string
	}
	groups := map[key][]storeCheck{}
	for _, st := range stores {
		var k key
		switch by {
		case GroupRep:
			k.rep = st.rep
		case GroupRegion:
			k.region = st.regionPath
		}
		groups[k] = append(groups[k], st)
	}
	var out []DistributionRow
	for k, members := range groups {
		for _, p := range products {
			row := DistributionRow{ProductID: p.id, SKU: p.sku, RepID: k.rep, RegionPath: k.region, Covered: len(members)}
			for _, st := range members {
				if st.present[p.id] {
					row.Carrying++
				}
			}
			row.Rate = float64(row.Carrying) / float64(row.Covered)
			out = append(out, row)
		}
	}
	slices.SortFunc(out, func(a, b DistributionRow) int {
		return cmp.Or(strings.Compare(a.SKU, b.SKU), strings.Compare(a.RepID.String(), b.RepID.String()), strings.Compare(a.RegionPath, b.RegionPath))
	})
	return out
}

// Distribution computes the distribution rate per SKU over the shelf checks the caller may list.
func (s *Service) Distribution(ctx context.Context, q DistributionQuery) ([]DistributionRow, error) {
	if !q.To.After(q.From) {
		return nil, fault.Field("query.to", "must be after from", q.To)
	}
	if q.GroupBy != GroupNone && q.GroupBy != GroupRep && q.GroupBy != GroupRegion {
		return nil, fault.Field("query.group_by", `must be "rep" or "region"`, string(q.GroupBy))
	}
	var out []DistributionRow
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		stores, products, err := s.latestChecks(ctx, db, q)
		if err != nil {
			return err
		}
		out = distribution(stores, products, q.GroupBy)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("distribution: %w", err)
	}
	return out, nil
}

// latestChecks loads each store's latest check of the period within the caller's scope, and the
// SKUs that the period's checks list.
func (s *Service) latestChecks(ctx context.Context, db *gorm.DB, q DistributionQuery) ([]storeCheck, []product, error) {
	scope, err := s.warden.Scope(ctx, access.List, access.KindShelfCheck, shelfColumns)
	if err != nil {
		return nil, nil, err
	}
	var only *productRow
	if q.SKU != "" {
		var p productRow
		if err := db.Where("sku = ?", q.SKU).Take(&p).Error; err != nil {
			return nil, nil, fault.Field("query.sku", "is not in the catalogue", q.SKU)
		}
		only = &p
	}
	period := func(tx *gorm.DB) *gorm.DB {
		tx = tx.Scopes(scope).Where("shelf_checks.checked_at >= ? AND shelf_checks.checked_at < ?", q.From.UTC(), q.To.UTC())
		if len(q.RepIDs) > 0 {
			tx = tx.Where("shelf_checks.owner_id IN ?", q.RepIDs)
		}
		if q.RegionPath != "" {
			tx = tx.Where(`shelf_checks.region_id IN (SELECT r.id FROM regions r WHERE r.tenant_id = shelf_checks.tenant_id AND r.path LIKE ? ESCAPE '\')`, likePrefix(q.RegionPath))
		}
		return tx
	}
	var checks []shelfCheckRow
	if err := period(db.Model(&shelfCheckRow{})).Find(&checks).Error; err != nil {
		return nil, nil, fmt.Errorf("load shelf checks: %w", err)
	}
	var items []struct {
		CheckID   uuid.UUID
		ProductID uuid.UUID
		Present   bool
		SKU       string `gorm:"column:sku"`
	}
	err = period(db.Model(&shelfItemRow{}).
		Select("shelf_check_items.check_id, shelf_check_items.product_id, shelf_check_items.present, products.sku").
		Joins("JOIN shelf_checks ON shelf_checks.tenant_id = shelf_check_items.tenant_id AND shelf_checks.id = shelf_check_items.check_id").
		Joins("JOIN products ON products.tenant_id = shelf_check_items.tenant_id AND products.id = shelf_check_items.product_id")).
		Find(&items).Error
	if err != nil {
		return nil, nil, fmt.Errorf("load shelf items: %w", err)
	}
	paths, err := regionPaths(db)
	if err != nil {
		return nil, nil, err
	}
	latest := map[uuid.UUID]*storeCheck{}
	byCheck := map[uuid.UUID]*storeCheck{}
	for _, c := range checks {
		cur := latest[c.CustomerID]
		if cur != nil && (cur.at.After(c.CheckedAt) || (cur.at.Equal(c.CheckedAt) && cur.id.String() > c.ID.String())) {
			continue
		}
		st := &storeCheck{customer: c.CustomerID, rep: c.OwnerID, regionPath: paths[c.RegionID], at: c.CheckedAt, id: c.ID,
			present: map[uuid.UUID]bool{}}
		latest[c.CustomerID] = st
	}
	for _, st := range latest {
		byCheck[st.id] = st
	}
	seen := map[uuid.UUID]bool{}
	var products []product
	if only != nil {
		products = append(products, product{only.ID, only.SKU})
		seen[only.ID] = true
	}
	for _, it := range items {
		if st := byCheck[it.CheckID]; st != nil && it.Present {
			st.present[it.ProductID] = true
		}
		if !seen[it.ProductID] && only == nil {
			seen[it.ProductID] = true
			products = append(products, product{it.ProductID, it.SKU})
		}
	}
	stores := make([]storeCheck, 0, len(latest))
	for _, st := range latest {
		stores = append(stores, *st)
	}
	return stores, products, nil
}

// regionPaths maps every region of the tenant to its path (a tenant has tens, not thousands).
func regionPaths(db *gorm.DB) (map[uuid.UUID]string, error) {
	var rows []regionRow
	if err := db.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load regions: %w", err)
	}
	out := make(map[uuid.UUID]string, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Path
	}
	return out, nil
}
