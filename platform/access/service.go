package access

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
)

// Policies lists ctx's tenant's policies, for those allowed to read them.
func (w *Warden) Policies(ctx context.Context) ([]Policy, error) {
	if err := w.Check(ctx, List, Resource{Kind: KindPolicy}); err != nil {
		return nil, err
	}
	return w.load(ctx, identity.TenantID(ctx))
}

// Policy returns one policy of ctx's tenant.
func (w *Warden) Policy(ctx context.Context, id uuid.UUID) (Policy, error) {
	var p Policy
	err := w.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if err := w.CheckRow(ctx, Read, Resource{Kind: KindPolicy, ID: id}, "policy"); err != nil {
			return err
		}
		r, err := getPolicy(db, id)
		p = r.policy()
		return err
	})
	if err != nil {
		return Policy{}, notFound(err)
	}
	return p, nil
}

// SavePolicy creates p (when p.ID is nil) or replaces the custom policy p.ID. A built-in policy
// keeps its rules: only Disabled changes.
func (w *Warden) SavePolicy(ctx context.Context, p Policy) (Policy, error) {
	action := Update
	if p.ID == uuid.Nil {
		action = Create
		p.ID = identity.NewID()
	}
	if err := w.Check(ctx, action, Resource{Kind: KindPolicy, ID: p.ID}); err != nil {
		return Policy{}, err
	}
	p.Builtin = false
	if err := p.Validate(); err != nil {
		return Policy{}, err
	}
	err := w.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if action == Update {
			old, err := getPolicy(db, p.ID)
			if err != nil {
				return err
			}
			if old.Builtin {
				disabled := p.Disabled
				p = old.policy()
				p.Disabled = disabled
			}
		}
		if err := w.keepsAdminsInCharge(ctx, p, false); err != nil {
			return err
		}
		row := toRow(p)
		if action == Create {
			return db.Create(&row).Error
		}
		return db.Model(&row).Select("description", "subjects", "actions", "kinds", "scope", "effect", "disabled", "updated_at").Updates(&row).Error
	})
	w.forget(identity.TenantID(ctx))
	if err != nil {
		return Policy{}, notFound(err)
	}
	return p, nil
}

// DeletePolicy removes a custom policy. Built-in ones can only be disabled.
func (w *Warden) DeletePolicy(ctx context.Context, id uuid.UUID) error {
	if err := w.CheckRow(ctx, Delete, Resource{Kind: KindPolicy, ID: id}, "policy"); err != nil {
		return err
	}
	err := w.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		old, err := getPolicy(db, id)
		if err != nil {
			return err
		}
		if old.Builtin {
			return fault.New(fault.Conflict, "builtin_policy", "built-in policies cannot be deleted; disable it instead")
		}
		if err := w.keepsAdminsInCharge(ctx, old.policy(), true); err != nil {
			return err
		}
		return db.Delete(&policyRow{}, "id = ?", id).Error
	})
	w.forget(identity.TenantID(ctx))
	return notFound(err)
}

// keepsAdminsInCharge refuses a change after which tenant admins could no longer manage policies:
// nobody could undo it.
func (w *Warden) keepsAdminsInCharge(ctx context.Context, changed Policy, removed bool) error {
	t := identity.TenantID(ctx)
	current, err := w.load(ctx, t)
	if err != nil {
		return err
	}
	var next []Policy
	for _, p := range current {
		if p.ID != changed.ID {
			next = append(next, p)
		}
	}
	if !removed {
		next = append(next, changed)
	}
	ix, err := NewIndex(t, next)
	if err != nil {
		return err
	}
	admin := identity.Principal{TenantID: t, UserID: otherRep, Roles: []string{identity.RoleTenantAdmin}}
	for _, a := range []Action{Read, Update} {
		if !ix.Allows(ctx, admin, a, Resource{Kind: KindPolicy}) {
			return fault.New(fault.Conflict, "locks_out_admins",
				fmt.Sprintf("this change would stop tenant admins from being able to %s policies, and nobody could undo it", a))
		}
	}
	return nil
}

func notFound(err error) error {
	if err != nil && isNotFound(err) {
		return fault.NotFoundf("policy")
	}
	return err
}

func isNotFound(err error) bool { return store.IsNotFound(err) || fault.Is(err, fault.NotFound) }
