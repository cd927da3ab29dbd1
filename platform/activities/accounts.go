package activities

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
)

// An account is a customer seen as a key account: its place in the group it belongs to (one
// parent, any number of children) and whether it is key.
//
// An account is key when it has a row in key_accounts. Marking one needs the right to update the
// customer, and nobody marks an account they own themselves: key-account touches count in the
// owner's appraisal, so the mark is their manager's (or an admin's) call.

// AccountRef names an account.
type AccountRef struct {
	ID   uuid.UUID
	Name string
}

// Account is a customer's key-account facts. Linked accounts the caller may not see are left out.
type Account struct {
	AccountRef
	Key         bool
	KeyMarkedBy *uuid.UUID
	KeyMarkedAt *time.Time
	Parent      *AccountRef
	Ancestors   []AccountRef // parent first, up to the top of the group
	Children    []AccountRef
}

type accountLinkRow struct {
	TenantID, ChildID, ParentID, LinkedBy uuid.UUID
	LinkedAt                              time.Time
}

func (accountLinkRow) TableName() string { return "account_links" }

type keyAccountRow struct {
	TenantID, CustomerID, MarkedBy uuid.UUID
	MarkedAt                       time.Time
}

func (keyAccountRow) TableName() string { return "key_accounts" }

// GetAccount returns an account's key flag and its place in its group.
func (s *Service) GetAccount(ctx context.Context, id uuid.UUID) (Account, error) {
	var a Account
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		acc, err := s.account(ctx, db, id, "")
		if err != nil {
			return err
		}
		a, err = s.describe(ctx, db, acc)
		return err
	})
	if err != nil {
		return Account{}, fmt.Errorf("get account %s: %w", id, err)
	}
	return a, nil
}

// LinkAccount places child under parent, replacing its earlier parent. It needs the right to
// update the child; a link that would make an account its own ancestor is refused, naming both.
func (s *Service) LinkAccount(ctx context.Context, child, parent uuid.UUID) (Account, error) {
	p, err := identity.SignedIn(ctx, "link accounts")
	if err != nil {
		return Account{}, err
	}
	if child == parent {
		return Account{}, fault.Field("body.parent_id", "is the account itself: an account cannot be its own parent", parent)
	}
	var a Account
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		c, err := s.updatableAccount(ctx, db, child)
		if err != nil {
			return err
		}
		par, err := s.account(ctx, db, parent, "body.parent_id")
		if err != nil {
			return err
		}
		if err := s.serialize(ctx, db, graphAccounts); err != nil {
			return err
		}
		chain, err := cyclePath(child, parent, func(id uuid.UUID) (uuid.UUID, bool, error) { return parentOf(db, id) })
		if err != nil {
			return err
		}
		if chain != nil {
			return fault.Newf(fault.Conflict, "account_cycle",
				"%q cannot be placed under %q: %q is already part of the group below %q (%d levels down), and an account cannot be its own ancestor; unlink one of them first",
				c.Name, par.Name, par.Name, c.Name, len(chain)-1)
		}
		if err := db.Where("child_id = ?", child).Delete(&accountLinkRow{}).Error; err != nil {
			return err
		}
		if err := db.Create(&accountLinkRow{ChildID: child, ParentID: parent, LinkedBy: p.UserID, LinkedAt: s.now()}).Error; err != nil {
			return err
		}
		a, err = s.describe(ctx, db, c)
		return err
	})
	if err != nil {
		return Account{}, fmt.Errorf("link account %s: %w", child, err)
	}
	return a, nil
}

// UnlinkAccount takes an account out of its group (its own children stay under it).
func (s *Service) UnlinkAccount(ctx context.Context, child uuid.UUID) (Account, error) {
	var a Account
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		c, err := s.updatableAccount(ctx, db, child)
		if err != nil {
			return err
		}
		if err := db.Where("child_id = ?", child).Delete(&accountLinkRow{}).Error; err != nil {
			return err
		}
		a, err = s.describe(ctx, db, c)
		return err
	})
	if err != nil {
		return Account{}, fmt.Errorf("unlink account %s: %w", child, err)
	}
	return a, nil
}

// MarkKey marks an account key (or, with key false, unmarks it). Doing it again changes nothing.
func (s *Service) MarkKey(ctx context.Context, id uuid.UUID, key bool) (Account, error) {
	p, err := identity.SignedIn(ctx, "mark key accounts")
	if err != nil {
		return Account{}, err
	}
	var a Account
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		c, err := s.updatableAccount(ctx, db, id)
		if err != nil {
			return err
		}
		if c.OwnerID == p.UserID {
			return fault.New(fault.Forbidden, "own_account",
				"you own this account, and key-account work counts in your appraisal: your manager marks key accounts")
		}
		if key {
			row := keyAccountRow{CustomerID: id, MarkedBy: p.UserID, MarkedAt: s.now()}
			// A second mark keeps the first one's author and time.
			if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
				return err
			}
		} else if err := db.Where("customer_id = ?", id).Delete(&keyAccountRow{}).Error; err != nil {
			return err
		}
		a, err = s.describe(ctx, db, c)
		return err
	})
	if err != nil {
		return Account{}, fmt.Errorf("mark account %s: %w", id, err)
	}
	return a, nil
}

// updatableAccount is an account the caller may change as a customer.
func (s *Service) updatableAccount(ctx context.Context, db *gorm.DB, id uuid.UUID) (account, error) {
	c, err := s.account(ctx, db, id, "")
	if err != nil {
		return c, err
	}
	return c, s.warden.Check(ctx, access.Update, c.resource(access.KindCustomer, c.ID, c.OwnerID))
}

func parentOf(db *gorm.DB, id uuid.UUID) (uuid.UUID, bool, error) {
	var ids []uuid.UUID
	if err := db.Model(&accountLinkRow{}).Where("child_id = ?", id).Limit(1).Pluck("parent_id", &ids).Error; err != nil || len(ids) == 0 {
		return uuid.Nil, false, err
	}
	return ids[0], true, nil
}

// describe gathers an account's key flag and links, naming the linked accounts the caller sees.
func (s *Service) describe(ctx context.Context, db *gorm.DB, c account) (Account, error) {
	a := Account{AccountRef: AccountRef{ID: c.ID, Name: c.Name}, Ancestors: []AccountRef{}, Children: []AccountRef{}}
	var key []keyAccountRow
	if err := db.Where("customer_id = ?", c.ID).Find(&key).Error; err != nil {
		return a, err
	}
	if len(key) == 1 {
		at := key[0].MarkedAt.UTC()
		a.Key, a.KeyMarkedBy, a.KeyMarkedAt = true, &key[0].MarkedBy, &at
	}
	visible := func(id uuid.UUID) (*AccountRef, error) {
		ref, err := s.customers.Customer(ctx, id)
		if fault.Is(err, fault.NotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return &AccountRef{ID: ref.ID, Name: ref.Name}, nil
	}
	for node, depth := c.ID, 0; depth < maxDepth; depth++ {
		up, ok, err := parentOf(db, node)
		if err != nil || !ok {
			if err != nil {
				return a, err
			}
			break
		}
		ref, err := visible(up)
		if err != nil {
			return a, err
		}
		if ref != nil {
			if depth == 0 {
				a.Parent = ref
			}
			a.Ancestors = append(a.Ancestors, *ref)
		}
		node = up
	}
	var children []uuid.UUID
	if err := db.Model(&accountLinkRow{}).Where("parent_id = ?", c.ID).Order("child_id").Pluck("child_id", &children).Error; err != nil {
		return a, err
	}
	for _, id := range children {
		ref, err := visible(id)
		if err != nil {
			return a, err
		}
		if ref != nil {
			a.Children = append(a.Children, *ref)
		}
	}
	return a, nil
}
