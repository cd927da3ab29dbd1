package activities

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
)

// KeyTouch is a key account in a period: since when it is key, and whether an activity touched
// it in the period.
type KeyTouch struct {
	MarkedAt time.Time
	Touched  bool
}

// KeyAccountTouches lists every key account with whether an activity the caller may list
// touched it in [from, to): what key-account coverage and retention are judged on. Whose key
// accounts they are is their customers' owner, which the visits domain keeps.
func (s *Service) KeyAccountTouches(ctx context.Context, from, to time.Time) (map[uuid.UUID]KeyTouch, error) {
	if err := checkSpan(from, to); err != nil {
		return nil, err
	}
	var out map[uuid.UUID]KeyTouch
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		var err error
		out, err = s.keyTouches(ctx, db, from, to)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("key-account touches: %w", err)
	}
	return out, nil
}

func (s *Service) keyTouches(ctx context.Context, db *gorm.DB, from, to time.Time) (map[uuid.UUID]KeyTouch, error) {
	scope, err := s.warden.Scope(ctx, access.List, access.KindActivity, activityColumns)
	if err != nil {
		return nil, err
	}
	var keys []struct {
		CustomerID uuid.UUID
		MarkedAt   time.Time
		Touched    bool
	}
	// Asked key account by key account, through activities_customer_time: a month of a large
	// tenant is millions of activities and its key accounts a few hundred.
	touched := db.Model(&activityRow{}).Scopes(scope).Select("1").
		Where("activities.customer_id = key_accounts.customer_id AND activities.occurred_at >= ? AND activities.occurred_at < ?", from.UTC(), to.UTC())
	if err := db.Model(&keyAccountRow{}).Select("key_accounts.customer_id, key_accounts.marked_at, EXISTS (?) AS touched", touched).Scan(&keys).Error; err != nil {
		return nil, err
	}
	out := make(map[uuid.UUID]KeyTouch, len(keys))
	for _, k := range keys {
		out[k.CustomerID] = KeyTouch{MarkedAt: k.MarkedAt.UTC(), Touched: k.Touched}
	}
	return out, nil
}

// KeyAccountQuery asks for the key accounts of the owner (or of every rep) in [From, To), as the
// key-account figures of that period judge them; a MarkedBefore keeps those key since before it.
type KeyAccountQuery struct {
	OwnerID      *uuid.UUID
	From, To     time.Time
	MarkedBefore time.Time
}

// KeyAccountWork is a key account of OwnerID's in a period: Touched by an activity in it (the
// coverage's numerator), KeyAtStart when marked before it began (retention's denominator), and
// Ordered (nil when not known here) when an order of it counts in the period.
type KeyAccountWork struct {
	CustomerID, OwnerID uuid.UUID
	KeyTouch
	KeyAtStart bool
	Ordered    *bool
}

// Retained is whether the account counts as kept in the period, retention's numerator: key at
// its start, and touched or ordered; nil when that cannot be told.
func (k KeyAccountWork) Retained() *bool {
	kept := k.KeyAtStart && k.Touched
	if !k.KeyAtStart || k.Touched {
		return &kept
	}
	return k.Ordered
}

// KeyAccounts lists the key accounts the key-account figures of the period count, from what they
// are computed from: the key accounts with their touches (keyTouches), whose they are as far as
// the caller may list the customers (CustomerOwners), and which ordered (Options.Ordered). By
// customer id.
func (s *Service) KeyAccounts(ctx context.Context, q KeyAccountQuery) ([]KeyAccountWork, error) {
	if err := checkSpan(q.From, q.To); err != nil {
		return nil, err
	}
	customers, ok := s.customers.(CustomerOwners)
	if !ok {
		return nil, fault.New(fault.Unavailable, "key_accounts_unavailable", "this server cannot tell whose key accounts are whose")
	}
	out := []KeyAccountWork{}
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		keys, err := s.keyTouches(ctx, db, q.From, q.To)
		if err != nil {
			return err
		}
		owners, err := customers.Owners(ctx, slices.Collect(maps.Keys(keys)))
		if err != nil {
			return err
		}
		var ids []uuid.UUID
		for customer, k := range keys {
			owner, seen := owners[customer]
			if !seen || (q.OwnerID != nil && owner != *q.OwnerID) || (!q.MarkedBefore.IsZero() && !k.MarkedAt.Before(q.MarkedBefore)) {
				continue
			}
			out = append(out, KeyAccountWork{CustomerID: customer, OwnerID: owner, KeyTouch: k, KeyAtStart: k.MarkedAt.Before(q.From)})
			ids = append(ids, customer)
		}
		slices.SortFunc(out, func(a, b KeyAccountWork) int { return bytes.Compare(a.CustomerID[:], b.CustomerID[:]) })
		if s.opts.Ordered == nil || len(ids) == 0 {
			return nil
		}
		ordered, err := s.opts.Ordered(ctx, ids, q.From, q.To)
		if err != nil {
			return err
		}
		for i := range out {
			o := ordered[out[i].CustomerID]
			out[i].Ordered = &o
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("key accounts: %w", err)
	}
	return out, nil
}
