package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
)

// ListPipelines returns the tenant's pipelines, oldest first: the first is the default.
func (s *Service) ListPipelines(ctx context.Context) ([]Pipeline, error) {
	var out []Pipeline
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if err := s.warden.Check(ctx, access.List, access.Resource{Kind: access.KindPipeline}); err != nil {
			return err
		}
		var rows []pipelineRow
		if err := db.Order("created_at, id").Find(&rows).Error; err != nil {
			return err
		}
		for _, r := range rows {
			p, err := loadPipeline(db, r.ID)
			if err != nil {
				return err
			}
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list pipelines: %w", err)
	}
	return out, nil
}

// GetPipeline returns one pipeline.
func (s *Service) GetPipeline(ctx context.Context, id uuid.UUID) (Pipeline, error) {
	var p Pipeline
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if err := s.warden.Check(ctx, access.Read, access.Resource{Kind: access.KindPipeline, ID: id}); err != nil {
			return err
		}
		var err error
		p, err = findPipeline(db, id)
		return err
	})
	if err != nil {
		return Pipeline{}, fmt.Errorf("get pipeline %s: %w", id, err)
	}
	return p, nil
}

// CreatePipeline stores a new pipeline after validating d.
func (s *Service) CreatePipeline(ctx context.Context, d Definition) (Pipeline, error) {
	var p Pipeline
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if err := s.warden.Check(ctx, access.Create, access.Resource{Kind: access.KindPipeline}); err != nil {
			return err
		}
		var err error
		p, err = s.insertPipeline(db, d)
		return err
	})
	if err != nil {
		return Pipeline{}, fmt.Errorf("create pipeline: %w", err)
	}
	return p, nil
}

// Provision gives a new tenant its template's pipeline. It runs as the platform (identity.System)
// inside provisioning's transaction, and only there.
func (s *Service) Provision(ctx context.Context, d Definition) (Pipeline, error) {
	if p, _ := identity.From(ctx); p.UserID != uuid.Nil {
		return Pipeline{}, fault.New(fault.Forbidden, "forbidden", "only provisioning seeds a tenant's pipeline")
	}
	var p Pipeline
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		var err error
		p, err = s.insertPipeline(db, d)
		return err
	})
	return p, err
}

// HasPipeline reports whether the tenant of ctx has a pipeline, for the platform's own work.
func (s *Service) HasPipeline(ctx context.Context) (bool, error) {
	var n int64
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		return db.Model(&pipelineRow{}).Count(&n).Error
	})
	return n > 0, err
}

func (s *Service) insertPipeline(db *gorm.DB, d Definition) (Pipeline, error) {
	d.Name = strings.TrimSpace(d.Name)
	if err := d.Validate(); err != nil {
		return Pipeline{}, err
	}
	now := s.now()
	rules, err := json.Marshal(d.Rules)
	if err != nil {
		return Pipeline{}, err
	}
	r := pipelineRow{ID: identity.NewID(), Name: d.Name, Rules: string(rules), Revision: 1, CreatedAt: now, UpdatedAt: now}
	if err := db.Create(&r).Error; err != nil {
		if store.IsUniqueViolation(err) {
			return Pipeline{}, fault.Newf(fault.Conflict, "pipeline_name_taken", "there is already a pipeline named %q", d.Name)
		}
		return Pipeline{}, err
	}
	if err := writeStages(db, r.ID, d.Stages, nil); err != nil {
		return Pipeline{}, err
	}
	return findPipeline(db, r.ID)
}

// UpdatePipeline replaces a pipeline's definition. Stages are matched by key: a kept key keeps
// its stage (and the opportunities in it), a new key adds a stage, a missing key retires its
// stage, which is refused while open opportunities are in it. revision, when not zero, must be
// the pipeline's current one, so that two admins' edits never silently overwrite each other.
func (s *Service) UpdatePipeline(ctx context.Context, id uuid.UUID, d Definition, revision int64) (Pipeline, error) {
	var p Pipeline
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if err := s.warden.Check(ctx, access.Update, access.Resource{Kind: access.KindPipeline, ID: id}); err != nil {
			return err
		}
		old, err := findPipeline(db, id)
		if err != nil {
			return err
		}
		d.Name = strings.TrimSpace(d.Name)
		if err := d.Validate(); err != nil {
			return err
		}
		if revision != 0 && revision != old.Revision {
			return fault.Newf(fault.Conflict, "pipeline_changed",
				"the pipeline was changed meanwhile (revision %d, not %d): reload it and edit again", old.Revision, revision)
		}
		if err := refuseEmptying(db, old, d); err != nil {
			return err
		}
		rules, err := json.Marshal(d.Rules)
		if err != nil {
			return err
		}
		res := db.Model(&pipelineRow{}).Where("id = ?", id).Updates(map[string]any{
			"name": d.Name, "rules": string(rules), "revision": old.Revision + 1, "updated_at": s.now()})
		if res.Error != nil {
			if store.IsUniqueViolation(res.Error) {
				return fault.Newf(fault.Conflict, "pipeline_name_taken", "there is already a pipeline named %q", d.Name)
			}
			return res.Error
		}
		if err := writeStages(db, id, d.Stages, append(old.Stages, old.retired...)); err != nil {
			return err
		}
		p, err = findPipeline(db, id)
		return err
	})
	if err != nil {
		return Pipeline{}, fmt.Errorf("update pipeline %s: %w", id, err)
	}
	return p, nil
}

// refuseEmptying refuses to retire a stage that open opportunities are in.
func refuseEmptying(db *gorm.DB, old Pipeline, d Definition) error {
	for _, st := range old.Stages {
		if _, kept := d.Stage(st.Key); kept {
			continue
		}
		var n int64
		if err := db.Model(&opportunityRow{}).Where("stage_id = ? AND status = ?", st.ID, string(Open)).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return fault.New(fault.Conflict, "stage_in_use",
				fmt.Sprintf("stage %q holds %d open opportunities: move them to another stage before removing it", st.Key, n),
				fault.Detail{Location: "body.stages", Message: "stage " + st.Key + " is missing", Value: st.Key})
		}
	}
	return nil
}

// writeStages makes the stored stages of a pipeline match defs, in order; existing holds the
// stages stored before (retired ones included), matched by key.
func writeStages(db *gorm.DB, pipelineID uuid.UUID, defs []StageDef, existing []Stage) error {
	byKey := map[string]uuid.UUID{}
	for _, st := range existing {
		byKey[st.Key] = st.ID
	}
	// Every stage is retired, then each kept or new one is written back active.
	if err := db.Model(&stageRow{}).Where("pipeline_id = ?", pipelineID).Update("retired", true).Error; err != nil {
		return err
	}
	for i, d := range defs {
		checklist, err := json.Marshal(nonNil(d.Checklist))
		if err != nil {
			return err
		}
		row := stageRow{PipelineID: pipelineID, Key: d.Key, Name: strings.TrimSpace(d.Name), Position: i,
			Probability: d.Probability, SLADays: d.SLADays, Outcome: string(d.Outcome), Checklist: string(checklist)}
		if id, ok := byKey[d.Key]; ok {
			err = db.Model(&stageRow{}).Where("id = ?", id).Updates(map[string]any{
				"name": row.Name, "position": i, "probability": row.Probability, "sla_days": row.SLADays,
				"outcome": row.Outcome, "checklist": row.Checklist, "retired": false}).Error
		} else {
			row.ID = identity.NewID()
			err = db.Create(&row).Error
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

// findPipeline loads a pipeline, or the not-found fault.
func findPipeline(db *gorm.DB, id uuid.UUID) (Pipeline, error) {
	p, err := loadPipeline(db, id)
	if store.IsNotFound(err) {
		return Pipeline{}, fault.NotFoundf("pipeline")
	}
	return p, err
}
