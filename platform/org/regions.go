package org

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
)

// ListRegions returns the regions the caller may list, in path order: each region comes right
// after its ancestors, so the flat list reads as the tree.
func (s *Service) ListRegions(ctx context.Context) ([]Region, error) {
	var out []Region
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		scope, err := s.warden.Scope(ctx, access.List, access.KindRegion, access.Columns{RegionPath: "regions.path"})
		if err != nil {
			return err
		}
		var rows []regionRow
		if err := db.Model(&regionRow{}).Scopes(scope).Order("regions.path").Find(&rows).Error; err != nil {
			return err
		}
		out = make([]Region, len(rows))
		for i, r := range rows {
			out[i] = toRegion(r)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list regions: %w", err)
	}
	return out, nil
}

// GetRegion returns one region the caller may read.
func (s *Service) GetRegion(ctx context.Context, id uuid.UUID) (Region, error) {
	var out Region
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		r, err := s.loadRegion(ctx, db, id, access.Read)
		out = toRegion(r)
		return err
	})
	if err != nil {
		return Region{}, fmt.Errorf("get region: %w", err)
	}
	return out, nil
}

// CreateRegion adds a region under parentID. A tenant's only root is made at provisioning.
func (s *Service) CreateRegion(ctx context.Context, name string, parentID uuid.UUID) (Region, error) {
	name, err := validName(name, "body.name")
	if err != nil {
		return Region{}, err
	}
	var out Region
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		parent, err := s.referencedRegion(ctx, db, parentID, "body.parent_id")
		if err != nil {
			return err
		}
		id := identity.NewID()
		t := now()
		r := regionRow{ID: id, ParentID: &parent.ID, Name: name, Path: parent.Path + id.String() + "/", CreatedAt: t, UpdatedAt: t}
		if err := s.warden.Check(ctx, access.Create, access.Resource{Kind: access.KindRegion, RegionPath: r.Path}); err != nil {
			return err
		}
		if err := db.Create(&r).Error; err != nil {
			if store.IsUniqueViolation(err) {
				return nameTaken(name, parent.Name)
			}
			return err
		}
		out = toRegion(r)
		return nil
	})
	if err != nil {
		return Region{}, fmt.Errorf("create region: %w", err)
	}
	return out, nil
}

// UpdateRegion renames a region and/or moves it, with its whole subtree, under another parent.
func (s *Service) UpdateRegion(ctx context.Context, id uuid.UUID, ch RegionChanges) (Region, error) {
	if ch.Name != nil {
		n, err := validName(*ch.Name, "body.name")
		if err != nil {
			return Region{}, err
		}
		ch.Name = &n
	}
	var out Region
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		cur, err := s.loadRegion(ctx, forUpdate(s.store, db), id, access.Update)
		if err != nil {
			return err
		}
		set := map[string]any{}
		parentName := ""
		if ch.Name != nil && *ch.Name != cur.Name {
			set["name"] = *ch.Name
		}
		if ch.ParentID != nil && !sameID(ch.ParentID, cur.ParentID) {
			parent, err := s.moveSubtree(ctx, db, cur, *ch.ParentID)
			if err != nil {
				return err
			}
			set["parent_id"], parentName = parent.ID, parent.Name
		}
		if len(set) == 0 {
			out = toRegion(cur)
			return nil
		}
		set["updated_at"] = now()
		if err := db.Model(&regionRow{}).Where("id = ?", id).Updates(set).Error; err != nil {
			if store.IsUniqueViolation(err) {
				name := cur.Name
				if ch.Name != nil {
					name = *ch.Name
				}
				return nameTaken(name, parentName)
			}
			return fmt.Errorf("write region: %w", err)
		}
		r, err := findRegion(db, id)
		out = toRegion(r)
		return err
	})
	if err != nil {
		return Region{}, fmt.Errorf("update region: %w", err)
	}
	return out, nil
}

// moveSubtree re-paths cur and every region below it to sit under parentID, in the caller's
// transaction, and checks that the reporting lines inside still hold.
func (s *Service) moveSubtree(ctx context.Context, db *gorm.DB, cur regionRow, parentID uuid.UUID) (regionRow, error) {
	if cur.ParentID == nil {
		return regionRow{}, fault.New(fault.Invalid, "root_region", "the root region cannot be moved",
			fault.Detail{Location: "body.parent_id", Message: "the root region has no parent", Value: parentID.String()})
	}
	parent, err := s.referencedRegion(ctx, db, parentID, "body.parent_id")
	if err != nil {
		return regionRow{}, err
	}
	if strings.HasPrefix(parent.Path, cur.Path) {
		return regionRow{}, fault.New(fault.Invalid, "region_cycle", "a region cannot move under itself or one of its own subregions",
			fault.Detail{Location: "body.parent_id", Message: parent.Name + " lies inside " + cur.Name, Value: parentID.String()})
	}
	// Lock the whole subtree first: a region being created below it waits and then sees new paths.
	var locked []uuid.UUID
	if err := forUpdate(s.store, db.Model(&regionRow{})).Where(`path LIKE ? ESCAPE '\'`, likePrefix(cur.Path)).Pluck("id", &locked).Error; err != nil {
		return regionRow{}, fmt.Errorf("lock subtree: %w", err)
	}
	newPath := parent.Path + cur.ID.String() + "/"
	// Moving is also an update at the destination: nobody moves a subtree out of their own reach.
	if err := s.warden.Check(ctx, access.Update, access.Resource{Kind: access.KindRegion, ID: cur.ID, RegionPath: newPath}); err != nil {
		return regionRow{}, err
	}
	// One statement rewrites the prefix of the whole subtree. No new path can collide with an old
	// one: a region's id appears once in any path, so the prefixes differ wherever the parents do.
	err = db.Model(&regionRow{}).Where(`path LIKE ? ESCAPE '\'`, likePrefix(cur.Path)).Updates(map[string]any{
		"path":       gorm.Expr("CAST(? AS TEXT) || SUBSTR(path, ?)", newPath, len(cur.Path)+1),
		"updated_at": now(),
	}).Error
	if err != nil {
		return regionRow{}, fmt.Errorf("re-path subtree: %w", err)
	}
	if err := checkSubtreeReporting(db, newPath); err != nil {
		return regionRow{}, err
	}
	return parent, nil
}

// DeleteRegion removes an empty region: no subregions, users (even disabled ones) or teams.
func (s *Service) DeleteRegion(ctx context.Context, id uuid.UUID) error {
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		cur, err := s.loadRegion(ctx, forUpdate(s.store, db), id, access.Delete)
		if err != nil {
			return err
		}
		if cur.ParentID == nil {
			return fault.New(fault.Conflict, "root_region", "the root region cannot be deleted")
		}
		var children, users, teams int64
		if err := db.Model(&regionRow{}).Where("parent_id = ?", id).Count(&children).Error; err != nil {
			return err
		}
		if err := db.Model(&userRow{}).Where("region_id = ?", id).Count(&users).Error; err != nil {
			return err
		}
		if err := db.Model(&teamRow{}).Where("region_id = ?", id).Count(&teams).Error; err != nil {
			return err
		}
		if children+users+teams > 0 {
			return fault.Newf(fault.Conflict, "region_in_use",
				"%s is still in use (%d subregions, %d users including disabled ones, %d teams); move or delete them first",
				cur.Name, children, users, teams)
		}
		// Other domains' rows (customers, and the visits, orders and targets placed by them) hold
		// the region through foreign keys: their refusal is the same conflict, not a server fault.
		if err := db.Where("id = ?", id).Delete(&regionRow{}).Error; err != nil {
			if store.IsForeignKeyViolation(err) {
				return fault.Newf(fault.Conflict, "region_in_use",
					"%s still holds customers or their records (visits, orders, targets); move the customers to another region first", cur.Name)
			}
			return err
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete region: %w", err)
	}
	return nil
}

func nameTaken(name, parent string) error {
	msg := "a region named " + name + " already exists here"
	if parent != "" {
		msg = "a region named " + name + " already exists under " + parent
	}
	return fault.New(fault.Conflict, "region_name_taken", msg, fault.Detail{Location: "body.name", Message: "is taken", Value: name})
}
