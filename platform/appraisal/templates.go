package appraisal

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/appraisal/kpi"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
)

// Template is a stored KPI template at one of its versions.
type Template struct {
	ID        uuid.UUID
	Version   int // grows with every edit; a report names the version that scored it
	Latest    int // the template's newest version
	Body      kpi.Template
	CreatedBy *uuid.UUID // nil for the version provisioning made
	CreatedAt time.Time  // of this version
}

type templateRow struct {
	TenantID  uuid.UUID
	ID        uuid.UUID
	Name      string
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (templateRow) TableName() string { return "appraisal_templates" }

type versionRow struct {
	TenantID   uuid.UUID
	TemplateID uuid.UUID
	Version    int
	Body       string
	CreatedBy  *uuid.UUID
	CreatedAt  time.Time
}

func (versionRow) TableName() string { return "appraisal_template_versions" }

// ListTemplates returns the tenant's templates at their newest versions, oldest first.
func (s *Service) ListTemplates(ctx context.Context) ([]Template, error) {
	var out []Template
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if err := s.warden.Check(ctx, access.List, access.Resource{Kind: access.KindAppraisalTemplate}); err != nil {
			return err
		}
		var rows []templateRow
		if err := db.Order("created_at, id").Find(&rows).Error; err != nil {
			return err
		}
		for _, r := range rows {
			t, err := loadVersion(db, r, r.Version)
			if err != nil {
				return err
			}
			out = append(out, t)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list templates: %w", err)
	}
	return out, nil
}

// GetTemplate returns a template at version (0: the newest).
func (s *Service) GetTemplate(ctx context.Context, id uuid.UUID, version int) (Template, error) {
	var out Template
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if err := s.warden.Check(ctx, access.Read, access.Resource{Kind: access.KindAppraisalTemplate, ID: id}); err != nil {
			return err
		}
		r, err := findTemplate(db, id)
		if err != nil {
			return err
		}
		if version == 0 {
			version = r.Version
		}
		out, err = loadVersion(db, r, version)
		return err
	})
	if err != nil {
		return Template{}, fmt.Errorf("get template %s: %w", id, err)
	}
	return out, nil
}

// CreateTemplate stores a new template (a clone of a shipped one, edited) as its version 1.
func (s *Service) CreateTemplate(ctx context.Context, body kpi.Template) (Template, error) {
	me, err := identity.SignedIn(ctx, "create a KPI template")
	if err != nil {
		return Template{}, err
	}
	var out Template
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if err := s.warden.Check(ctx, access.Create, access.Resource{Kind: access.KindAppraisalTemplate}); err != nil {
			return err
		}
		out, err = s.insertTemplate(db, body, &me.UserID)
		return err
	})
	if err != nil {
		return Template{}, fmt.Errorf("create template: %w", err)
	}
	return out, nil
}

// Provision gives a new tenant its industry's shipped template, inside provisioning (as the
// platform, no user).
func (s *Service) Provision(ctx context.Context, industry string) error {
	if p, _ := identity.From(ctx); p.UserID != uuid.Nil {
		return fault.New(fault.Forbidden, "forbidden", "only provisioning seeds a tenant's KPI template")
	}
	body, err := kpi.Shipped(industry)
	if err != nil {
		return err
	}
	return s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		_, err := s.insertTemplate(db, body, nil)
		return err
	})
}

// HasTemplate reports whether the tenant of ctx has a KPI template, for the platform's own work.
func (s *Service) HasTemplate(ctx context.Context) (bool, error) {
	var n int64
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		return db.Model(&templateRow{}).Count(&n).Error
	})
	return n > 0, err
}

func (s *Service) insertTemplate(db *gorm.DB, body kpi.Template, by *uuid.UUID) (Template, error) {
	body.Name = strings.TrimSpace(body.Name)
	if err := body.Validate(); err != nil {
		return Template{}, err
	}
	now := s.now()
	r := templateRow{ID: identity.NewID(), Name: body.Name, Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := db.Create(&r).Error; err != nil {
		if store.IsUniqueViolation(err) {
			return Template{}, fault.Newf(fault.Conflict, "template_name_taken", "there is already a KPI template named %q", body.Name)
		}
		return Template{}, err
	}
	return appendVersion(db, r, body, by, now)
}

// UpdateTemplate stores an edit as the template's next version; the earlier versions stay as
// they were, for the reports they scored. base, when not zero, must be the newest version, so
// that two admins' edits never silently overwrite each other.
func (s *Service) UpdateTemplate(ctx context.Context, id uuid.UUID, body kpi.Template, base int) (Template, error) {
	me, err := identity.SignedIn(ctx, "edit a KPI template")
	if err != nil {
		return Template{}, err
	}
	var out Template
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if err := s.warden.Check(ctx, access.Update, access.Resource{Kind: access.KindAppraisalTemplate, ID: id}); err != nil {
			return err
		}
		r, err := findTemplate(db, id)
		if err != nil {
			return err
		}
		if base != 0 && base != r.Version {
			return fault.Newf(fault.Conflict, "template_changed",
				"the template was changed meanwhile (version %d, not %d): reload it and edit again", r.Version, base)
		}
		body.Name = strings.TrimSpace(body.Name)
		if err := body.Validate(); err != nil {
			return err
		}
		now := s.now()
		r.Name, r.Version, r.UpdatedAt = body.Name, r.Version+1, now
		if err := db.Save(&r).Error; err != nil {
			if store.IsUniqueViolation(err) {
				return fault.Newf(fault.Conflict, "template_name_taken", "there is already a KPI template named %q", body.Name)
			}
			return err
		}
		out, err = appendVersion(db, r, body, &me.UserID, now)
		return err
	})
	if err != nil {
		return Template{}, fmt.Errorf("update template %s: %w", id, err)
	}
	return out, nil
}

func appendVersion(db *gorm.DB, r templateRow, body kpi.Template, by *uuid.UUID, at time.Time) (Template, error) {
	raw, err := json.Marshal(body)
	if err != nil {
		return Template{}, err
	}
	v := versionRow{TemplateID: r.ID, Version: r.Version, Body: string(raw), CreatedBy: by, CreatedAt: at}
	if err := db.Create(&v).Error; err != nil {
		return Template{}, err
	}
	return Template{ID: r.ID, Version: r.Version, Latest: r.Version, Body: body, CreatedBy: by, CreatedAt: at}, nil
}

func findTemplate(db *gorm.DB, id uuid.UUID) (templateRow, error) {
	var r templateRow
	err := db.Where("id = ?", id).Take(&r).Error
	if store.IsNotFound(err) {
		return r, fault.NotFoundf("KPI template")
	}
	return r, err
}

func loadVersion(db *gorm.DB, r templateRow, version int) (Template, error) {
	var v versionRow
	err := db.Where("template_id = ? AND version = ?", r.ID, version).Take(&v).Error
	if store.IsNotFound(err) {
		return Template{}, fault.NotFoundf(fmt.Sprintf("version %d of the KPI template", version))
	}
	if err != nil {
		return Template{}, err
	}
	t := Template{ID: r.ID, Version: v.Version, Latest: r.Version, CreatedBy: v.CreatedBy, CreatedAt: v.CreatedAt}
	if err := json.Unmarshal([]byte(v.Body), &t.Body); err != nil {
		return Template{}, fmt.Errorf("template %s version %d: %w", r.ID, version, err)
	}
	return t, nil
}
