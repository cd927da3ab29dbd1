package visits

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/visits/cadence"
)

// What counts, for the metrics the appraisal scores reps on:
//   - a visit counts once it is closed, unless a manager rejected it;
//   - a check-in is verified when its verdict trusted it or a manager accepted it;
//   - a customer is due in the period when, by its grade's cadence, a visit falls due before the
//     period ends (never visited, or last visited more than the cadence before the end);
//   - coverage is the due customers visited in the period over the due customers;
//   - working days are Monday to Saturday in the tenant's zone, counted up to today while the
//     period is still running, so the pace of a month in progress is fair.

// MetricsQuery selects reps and a period [From, To), both days in the tenant's time zone.
type MetricsQuery struct {
	From, To string      // YYYY-MM-DD; To is exclusive
	RepIDs   []uuid.UUID // empty: every rep the caller may see the visits of
}

// RepMetrics are one rep's visit figures over a period.
type RepMetrics struct {
	RepID            uuid.UUID
	WorkingDays      int
	Visits           int
	VisitsPerDay     float64
	CustomersDue     int
	CustomersCovered int
	Coverage         float64 // 0..1; 1 when nothing was due
	CheckIns         int
	VerifiedCheckIns int
	VerifiedRate     float64 // 0..1; 1 when there was no check-in
	AvgDuration      time.Duration
	ByGrade          map[Grade]int
}

// Metrics is the source of visit figures for the appraisal domain, which declares its own
// interface for it; it reads only what the caller may see.
func (s *Service) Metrics(ctx context.Context, q MetricsQuery) ([]RepMetrics, error) {
	loc, err := s.timeZone(ctx)
	if err != nil {
		return nil, err
	}
	from, err := time.ParseInLocation(time.DateOnly, q.From, loc)
	if err != nil {
		return nil, fault.Field("query.from", "is not a date (YYYY-MM-DD)", q.From)
	}
	to, err := time.ParseInLocation(time.DateOnly, q.To, loc)
	if err != nil {
		return nil, fault.Field("query.to", "is not a date (YYYY-MM-DD)", q.To)
	}
	if !to.After(from) || to.Sub(from) > 400*24*time.Hour {
		return nil, fault.Field("query.to", "must be after from, and the period at most 400 days", q.To)
	}
	var out []RepMetrics
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		reps, err := s.visibleReps(ctx, db, q.RepIDs)
		if err != nil {
			return err
		}
		cad, err := loadCadences(db)
		if err != nil {
			return err
		}
		until := to
		if tomorrow := civilDay(s.now(), loc).AddDate(0, 0, 1); tomorrow.Before(until) {
			until = tomorrow
		}
		days := workingDays(from, until)
		for _, rep := range reps {
			m, err := repMetrics(db, rep, from.UTC(), to.UTC(), cad, loc)
			if err != nil {
				return err
			}
			m.WorkingDays = days
			if days > 0 {
				m.VisitsPerDay = float64(m.Visits) / float64(days)
			}
			out = append(out, m)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("visit metrics: %w", err)
	}
	return out, nil
}

// visibleReps returns the reps (optionally only those asked for) whose visits the caller may
// list, ordered by id.
func (s *Service) visibleReps(ctx context.Context, db *gorm.DB, only []uuid.UUID) ([]uuid.UUID, error) {
	scope, err := s.warden.Scope(ctx, access.List, access.KindVisit, access.Columns{Owner: "users.id", RegionPath: "regions.path"})
	if err != nil {
		return nil, err
	}
	q := db.Model(&userRow{}).Select("users.id").
		Joins("JOIN regions ON regions.tenant_id = users.tenant_id AND regions.id = users.region_id").
		Where("EXISTS (SELECT 1 FROM user_roles ur WHERE ur.tenant_id = users.tenant_id AND ur.user_id = users.id AND ur.role = ?)", identity.RoleRep).
		Scopes(scope)
	if len(only) > 0 {
		q = q.Where("users.id IN ?", only)
	}
	var ids []uuid.UUID
	if err := q.Order("users.id").Pluck("users.id", &ids).Error; err != nil {
		return nil, fmt.Errorf("load reps: %w", err)
	}
	return ids, nil
}

func repMetrics(db *gorm.DB, rep uuid.UUID, from, to time.Time, cad cadence.Cadences, loc *time.Location) (RepMetrics, error) {
	m := RepMetrics{RepID: rep, ByGrade: map[Grade]int{}}
	var visits []struct {
		CustomerID   uuid.UUID
		Source       string
		StartedAt    time.Time
		EndedAt      *time.Time
		Trusted      bool
		ReviewStatus string
		Grade        string
	}
	err := db.Model(&visitRow{}).
		Select("visits.customer_id, visits.source, visits.started_at, visits.ended_at, visits.trusted, visits.review_status, customers.grade").
		Joins("JOIN customers ON customers.tenant_id = visits.tenant_id AND customers.id = visits.customer_id").
		Where("visits.rep_id = ? AND visits.started_at >= ? AND visits.started_at < ? AND visits.status = ?", rep, from, to, VisitClosed).
		Find(&visits).Error
	if err != nil {
		return m, fmt.Errorf("load visits of rep %s: %w", rep, err)
	}
	covered := map[uuid.UUID]bool{}
	var total time.Duration
	for _, v := range visits {
		if v.Source == string(SourceCheckIn) {
			m.CheckIns++
			if v.ReviewStatus == string(ReviewAccepted) || (v.Trusted && v.ReviewStatus != string(ReviewRejected)) {
				m.VerifiedCheckIns++
			}
		}
		if v.ReviewStatus == string(ReviewRejected) || v.EndedAt == nil {
			continue
		}
		m.Visits++
		m.ByGrade[Grade(v.Grade)]++
		total += v.EndedAt.Sub(v.StartedAt)
		covered[v.CustomerID] = true
	}
	if m.Visits > 0 {
		m.AvgDuration = (total / time.Duration(m.Visits)).Round(time.Second)
	}
	m.VerifiedRate = ratio(m.VerifiedCheckIns, m.CheckIns)

	due, err := dueInPeriod(db, rep, from, to, cad, loc)
	if err != nil {
		return m, err
	}
	m.CustomersDue = len(due)
	for _, id := range due {
		if covered[id] {
			m.CustomersCovered++
		}
	}
	m.Coverage = ratio(m.CustomersCovered, m.CustomersDue)
	return m, nil
}

// dueInPeriod lists the rep's customers that fall due before the period ends: those due, by the
// cadence rule, on its last day, judged by their last counted visit before it began.
func dueInPeriod(db *gorm.DB, rep uuid.UUID, from, to time.Time, cad cadence.Cadences, loc *time.Location) ([]uuid.UUID, error) {
	var customers []customerRow
	if err := db.Where("owner_id = ?", rep).Find(&customers).Error; err != nil {
		return nil, fmt.Errorf("load customers of rep %s: %w", rep, err)
	}
	if len(customers) == 0 {
		return nil, nil
	}
	ids := make([]uuid.UUID, len(customers))
	for i, c := range customers {
		ids[i] = c.ID
	}
	lastOf, err := lastVisits(db, ids, from)
	if err != nil {
		return nil, err
	}
	in := make([]cadence.Customer, len(customers))
	for i, c := range customers {
		in[i] = cadence.Customer{ID: c.ID, Grade: c.Grade, LastVisit: lastOf[c.ID]}
	}
	due := cadence.Due(in, cad, to.Add(-time.Nanosecond), loc)
	out := make([]uuid.UUID, len(due))
	for i, d := range due {
		out[i] = d.ID
	}
	return out, nil
}

// workingDays counts Monday to Saturday in [from, to).
func workingDays(from, to time.Time) int {
	n := 0
	for d := from; d.Before(to); d = d.AddDate(0, 0, 1) {
		if d.Weekday() != time.Sunday {
			n++
		}
	}
	return n
}

func civilDay(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

func ratio(n, d int) float64 {
	if d == 0 {
		return 1
	}
	return float64(n) / float64(d)
}
