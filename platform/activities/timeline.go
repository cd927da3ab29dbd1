package activities

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
)

// EntryKind says what a timeline entry is.
type EntryKind string

const (
	EntryActivity      EntryKind = "activity"
	EntryMilestone     EntryKind = "milestone"
	EntryServiceRecord EntryKind = "service_record"
)

// Ranks order entries of the same moment: activities, then service records, then milestones.
var entryRank = map[EntryKind]int{EntryActivity: 2, EntryServiceRecord: 1, EntryMilestone: 0}

// TimelineEntry is one thing that happened with an account; exactly one of the pointers is set.
// A milestone stands at the start (tenant's time) of the day it was done, or, while not done, of
// the day it is planned for.
type TimelineEntry struct {
	Kind          EntryKind
	At            time.Time
	Activity      *Activity
	Milestone     *Milestone
	ProjectName   string // the milestone's project's
	ServiceRecord *ServiceRecord
}

func (e TimelineEntry) position() position {
	p := position{At: e.At, Rank: entryRank[e.Kind]}
	switch {
	case e.Activity != nil:
		p.ID = e.Activity.ID
	case e.Milestone != nil:
		p.ID = e.Milestone.ID
	case e.ServiceRecord != nil:
		p.ID = e.ServiceRecord.ID
	}
	return p
}

// TimelinePage is one page of an account's timeline, newest first.
type TimelinePage struct {
	Entries    []TimelineEntry
	NextCursor string // "" on the last page
}

// Timeline merges an account's activities, project milestones and service records, newest
// first, as far as the caller may list each of them. Each source is read in keyset order from
// the cursor, limit+1 at most, so a page costs the same however deep it is.
func (s *Service) Timeline(ctx context.Context, customer uuid.UUID, limit int, cursor string) (TimelinePage, error) {
	if limit <= 0 {
		limit = DefaultPageSize
	}
	limit = min(limit, MaxPageSize)
	after, err := parseCursor(cursor)
	if err != nil {
		return TimelinePage{}, err
	}
	loc, err := s.timeZone(ctx)
	if err != nil {
		return TimelinePage{}, err
	}
	var page TimelinePage
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if _, err := s.account(ctx, db, customer, ""); err != nil {
			return err
		}
		var entries []TimelineEntry
		for _, source := range []func(context.Context, *gorm.DB, uuid.UUID, *position, int, *time.Location) ([]TimelineEntry, error){
			s.activityEntries, s.serviceEntries, s.milestoneEntries} {
			es, err := source(ctx, db, customer, after, limit, loc)
			if fault.Is(err, fault.Forbidden) {
				continue // the caller's roles show no row of this kind: the timeline shows the rest
			}
			if err != nil {
				return err
			}
			entries = append(entries, es...)
		}
		slices.SortFunc(entries, func(a, b TimelineEntry) int {
			if a.position().less(b.position()) {
				return -1
			}
			return 1
		})
		if len(entries) > limit {
			entries = entries[:limit]
			page.NextCursor = entries[limit-1].position().cursor()
		}
		page.Entries = entries
		return nil
	})
	if err != nil {
		return TimelinePage{}, fmt.Errorf("timeline of account %s: %w", customer, err)
	}
	return page, nil
}

func (s *Service) activityEntries(ctx context.Context, db *gorm.DB, customer uuid.UUID, after *position, limit int, _ *time.Location) ([]TimelineEntry, error) {
	scope, err := s.warden.Scope(ctx, access.List, access.KindActivity, activityColumns)
	if err != nil {
		return nil, err
	}
	q := db.Model(&activityRow{}).Scopes(scope).Where("activities.customer_id = ?", customer)
	if after != nil {
		cond, args := after.before("activities.occurred_at", "activities.id", entryRank[EntryActivity])
		q = q.Where(cond, args...)
	}
	var rows []activityRow
	if err := q.Order("activities.occurred_at DESC, activities.id DESC").Limit(limit + 1).Find(&rows).Error; err != nil {
		return nil, err
	}
	as := make([]Activity, len(rows))
	for i, r := range rows {
		as[i] = toActivity(r)
	}
	if err := loadActivityDetails(db, as); err != nil {
		return nil, err
	}
	out := make([]TimelineEntry, len(as))
	for i := range as {
		out[i] = TimelineEntry{Kind: EntryActivity, At: as[i].OccurredAt, Activity: &as[i]}
	}
	return out, nil
}

func (s *Service) serviceEntries(ctx context.Context, db *gorm.DB, customer uuid.UUID, after *position, limit int, _ *time.Location) ([]TimelineEntry, error) {
	scope, err := s.warden.Scope(ctx, access.List, access.KindServiceRecord, serviceRecordColumns)
	if err != nil {
		return nil, err
	}
	q := db.Model(&serviceRecordRow{}).Scopes(scope).Where("service_records.customer_id = ?", customer)
	rs, _, err := serviceRecordsPage(q, after, entryRank[EntryServiceRecord], limit)
	if err != nil {
		return nil, err
	}
	if err := loadServiceContacts(db, rs); err != nil {
		return nil, err
	}
	out := make([]TimelineEntry, len(rs))
	for i := range rs {
		out[i] = TimelineEntry{Kind: EntryServiceRecord, At: rs[i].OccurredAt, ServiceRecord: &rs[i]}
	}
	return out, nil
}

// milestoneEntries places milestones in Go: their time depends on the tenant's zone, and an
// account has tens of milestones, not the thousands of activities it may have.
func (s *Service) milestoneEntries(ctx context.Context, db *gorm.DB, customer uuid.UUID, after *position, limit int, loc *time.Location) ([]TimelineEntry, error) {
	scope, err := s.warden.Scope(ctx, access.List, access.KindProject, projectColumns)
	if err != nil {
		return nil, err
	}
	var rows []projectRow
	if err := db.Model(&projectRow{}).Scopes(scope).Where("projects.customer_id = ?", customer).Find(&rows).Error; err != nil {
		return nil, err
	}
	ps := make([]Project, len(rows))
	for i, r := range rows {
		ps[i] = toProject(r)
	}
	if err := loadMilestones(db, ps); err != nil {
		return nil, err
	}
	var out []TimelineEntry
	for _, p := range ps {
		for _, m := range p.Milestones {
			day := m.PlannedOn
			if m.DoneOn != "" {
				day = m.DoneOn
			}
			at, err := time.ParseInLocation(time.DateOnly, day, loc)
			if err != nil {
				return nil, fmt.Errorf("milestone %s: stored day %q: %w", m.ID, day, err)
			}
			e := TimelineEntry{Kind: EntryMilestone, At: at.UTC(), Milestone: &m, ProjectName: p.Name}
			if after == nil || after.less(e.position()) {
				out = append(out, e)
			}
		}
	}
	return out, nil
}
