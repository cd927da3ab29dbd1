package visits

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/visits/cadence"
)

// metricsPerRep is Metrics as it was before it became set-based: a few queries per rep, every
// visit row of the period loaded into Go. It stays here as the baseline of BenchmarkMetrics and
// the reference the set-based figures are checked against (TestMetricsMatchPerRep).
func (s *Service) metricsPerRep(ctx context.Context, q MetricsQuery) ([]RepMetrics, error) {
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
			m, err := repMetricsPerRep(db, rep, from.UTC(), to.UTC(), cad, loc)
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

func repMetricsPerRep(db *gorm.DB, rep uuid.UUID, from, to time.Time, cad cadence.Cadences, loc *time.Location) (RepMetrics, error) {
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

	due, err := dueInPeriodPerRep(db, rep, from, to, cad, loc)
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

func dueInPeriodPerRep(db *gorm.DB, rep uuid.UUID, from, to time.Time, cad cadence.Cadences, loc *time.Location) ([]uuid.UUID, error) {
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
