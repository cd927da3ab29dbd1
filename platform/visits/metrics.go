package visits

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/rollup"
	"github.com/repflow/repflow/platform/store"
	"github.com/repflow/repflow/platform/visits/cadence"
)

// What counts, for the metrics the appraisal scores reps on:
//   - a visit counts once it is closed, unless a manager rejected it;
//   - a check-in is verified when its verdict trusted it or a manager accepted it;
//   - a customer is due in the period when, by its grade's cadence, a visit falls due before the
//     period ends (never visited, or last visited more than the cadence before the end), judged
//     by its last visit before the period that a manager did not reject, by whichever rep;
//   - coverage is the due customers of a rep that the rep visited in the period (a visit that
//     counts) over its due customers; the average duration is over the visits that count;
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
	// NewCustomers were created in the period and are the rep's now.
	NewCustomers int
}

// Metrics is the source of visit figures for the appraisal domain, which declares its own
// interface for it; it reads only what the caller may see.
func (s *Service) Metrics(ctx context.Context, q MetricsQuery) ([]RepMetrics, error) {
	ctx = store.Analytical(ctx)
	from, to, loc, err := s.period(ctx, q.From, q.To)
	if err != nil {
		return nil, err
	}
	var out []RepMetrics
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		reps, err := s.visibleReps(ctx, db, q.RepIDs)
		if err != nil || len(reps) == 0 {
			return err
		}
		cad, err := loadCadences(db)
		if err != nil {
			return err
		}
		if out, err = s.repFigures(db, reps, from.UTC(), to.UTC(), cad, loc); err != nil {
			return err
		}
		until := to
		if tomorrow := civilDay(s.now(), loc).AddDate(0, 0, 1); tomorrow.Before(until) {
			until = tomorrow
		}
		days := workingDays(from, until)
		for i := range out {
			out[i].WorkingDays = days
			if days > 0 {
				out[i].VisitsPerDay = float64(out[i].Visits) / float64(days)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("visit metrics: %w", err)
	}
	return out, nil
}

// period reads a period [from, to) given as days in the tenant's zone (to exclusive), as the
// figures and the lists they drill down to take it.
func (s *Service) period(ctx context.Context, fromDay, toDay string) (from, to time.Time, loc *time.Location, err error) {
	if loc, err = s.timeZone(ctx); err != nil {
		return from, to, nil, err
	}
	if from, err = time.ParseInLocation(time.DateOnly, fromDay, loc); err != nil {
		return from, to, nil, fault.Field("query.from", "is not a date (YYYY-MM-DD)", fromDay)
	}
	if to, err = time.ParseInLocation(time.DateOnly, toDay, loc); err != nil {
		return from, to, nil, fault.Field("query.to", "is not a date (YYYY-MM-DD)", toDay)
	}
	if !to.After(from) || to.Sub(from) > 400*24*time.Hour {
		return from, to, nil, fault.Field("query.to", "must be after from, and the period at most 400 days", toDay)
	}
	return from, to, loc, nil
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

// repFigures computes the figures of every rep in reps (ordered by id, as the result) with
// four queries whatever their number: the period's visits summed per rep and grade (from the
// rollups when the period is whole months), the reps' customers counted per grade, the customers
// of the grades where it matters with their last visit before the period and whether their rep
// visited them in it, and the customers created in it. Sums are left to SQL; Go adds up a few
// rows per rep and applies the cadence rule, which needs the tenant's calendar.
func (s *Service) repFigures(db *gorm.DB, reps []uuid.UUID, from, to time.Time, cad cadence.Cadences, loc *time.Location) ([]RepMetrics, error) {
	sums, visitedByOwner, err := periodVisits(db, s.store.Dialect(), reps, from, to, loc)
	if err != nil {
		return nil, err
	}
	byGrade, err := gradeSums(db, sums)
	if err != nil {
		return nil, err
	}
	due, err := dueByRep(db, reps, from, to, cad, loc, visitedByOwner)
	if err != nil {
		return nil, err
	}
	fresh, err := newCustomers(db, reps, from, to)
	if err != nil {
		return nil, err
	}
	out := make([]RepMetrics, len(reps))
	for i, rep := range reps {
		m := sumVisits(rep, byGrade[rep])
		m.NewCustomers = fresh[rep]
		m.CustomersDue, m.CustomersCovered = due[rep].count, due[rep].covered(byGrade[rep])
		m.Coverage = ratio(m.CustomersCovered, m.CustomersDue)
		out[i] = m
	}
	return out, nil
}

// periodVisits are the visits of [from, to) as the figures read them: summed per rep and
// customer (visitSums, or the rollups when the period is whole months and they are built), and,
// as SQL on customers, whether the customer's owner visited it (visitedInPeriod, or
// visitedInMonths).
func periodVisits(db *gorm.DB, dialect store.Dialect, reps []uuid.UUID, from, to time.Time, loc *time.Location) (*gorm.DB, clause.Expr, error) {
	months, rolled, err := rollup.Use(db, rollup.Visits, from, to, loc)
	if err != nil {
		return nil, clause.Expr{}, err
	}
	if rolled {
		return rolledUpSums(db, reps, months), visitedInMonths(months), nil
	}
	return visitSums(db, dialect).Where("visits.rep_id IN ? AND visits.started_at >= ? AND visits.started_at < ?", reps, from, to),
		visitedInPeriod(from, to), nil
}

// createdIn keeps the customers of q created in [from, to), as the new-customer figure counts
// them; a zero bound leaves that side open (the customers list filters with it too).
func createdIn(q *gorm.DB, from, to time.Time) *gorm.DB {
	if !from.IsZero() {
		q = q.Where("customers.created_at >= ?", from.UTC())
	}
	if !to.IsZero() {
		q = q.Where("customers.created_at < ?", to.UTC())
	}
	return q
}

// newCustomers counts, per rep, the customers created in [from, to) that the rep owns.
func newCustomers(db *gorm.DB, reps []uuid.UUID, from, to time.Time) (map[uuid.UUID]int, error) {
	var rows []struct {
		OwnerID uuid.UUID
		N       int
	}
	err := createdIn(db.Model(&customerRow{}), from, to).Select("customers.owner_id, COUNT(*) AS n").
		Where("customers.owner_id IN ?", reps).Group("customers.owner_id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("count new customers: %w", err)
	}
	out := make(map[uuid.UUID]int, len(rows))
	for _, r := range rows {
		out[r.OwnerID] = r.N
	}
	return out, nil
}

// visitSums sums closed visits per rep and customer, as the figures count them; the caller says
// which. A closed visit always has an end (the table's CHECK), so an open one is left out by its
// status alone.
func visitSums(db *gorm.DB, dialect store.Dialect) *gorm.DB {
	return db.Model(&visitRow{}).
		Select(`visits.tenant_id, visits.rep_id, visits.customer_id,
			SUM(CASE WHEN visits.source = ? THEN 1 ELSE 0 END) AS check_ins,
			SUM(CASE WHEN visits.source = ? AND (visits.review_status = ? OR (visits.trusted AND visits.review_status <> ?)) THEN 1 ELSE 0 END) AS verified_check_ins,
			SUM(CASE WHEN visits.review_status <> ? THEN 1 ELSE 0 END) AS visits,
			SUM(CASE WHEN visits.review_status <> ? THEN `+visitSeconds(dialect)+` ELSE 0 END) AS seconds`,
			SourceCheckIn, SourceCheckIn, ReviewAccepted, ReviewRejected, ReviewRejected, ReviewRejected).
		Where("visits.status = ?", VisitClosed).
		Group("visits.tenant_id, visits.rep_id, visits.customer_id")
}

// gradeVisits is what one rep's closed visits add up to at the customers of one grade that the
// rep owns (Own) or not.
type gradeVisits struct {
	Grade            string
	Own              bool
	CheckIns         int // rejected ones too: a rejected check-in is an unverified one
	VerifiedCheckIns int
	Visits           int     // those not rejected
	Seconds          float64 // their total duration
	Visited          int     // customers with a visit that counts
}

// gradeSums adds up sums (per rep and customer: visitSums, or the rollups) per rep, customer
// grade and whether the rep owns the customer, by rep.
//
// The sums are grouped per customer before the customers are joined: a join of every visit
// costs more than the grouping itself. Only a few rows per rep come back: a month of 2,000 reps
// is 240,000 customers visited.
func gradeSums(db *gorm.DB, sums *gorm.DB) (map[uuid.UUID][]gradeVisits, error) {
	const own = "CASE WHEN customers.owner_id = sums.rep_id THEN 1 ELSE 0 END"
	rows, err := db.Table("(?) AS sums", sums).
		Select("sums.rep_id, customers.grade, " + own + ` AS own, SUM(sums.check_ins), SUM(sums.verified_check_ins),
			SUM(sums.visits), SUM(sums.seconds), SUM(CASE WHEN sums.visits > 0 THEN 1 ELSE 0 END)`).
		Joins("JOIN customers ON customers.tenant_id = sums.tenant_id AND customers.id = sums.customer_id").
		Group("sums.rep_id, customers.grade, " + own).Rows()
	if err != nil {
		return nil, fmt.Errorf("sum visits: %w", err)
	}
	defer rows.Close()
	out := map[uuid.UUID][]gradeVisits{}
	for rows.Next() {
		var rep uuid.UUID
		var g gradeVisits
		var owned int
		if err := rows.Scan(&rep, &g.Grade, &owned, &g.CheckIns, &g.VerifiedCheckIns, &g.Visits, &g.Seconds, &g.Visited); err != nil {
			return nil, fmt.Errorf("read visit sums: %w", err)
		}
		g.Own = owned == 1
		out[rep] = append(out[rep], g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read visit sums: %w", err)
	}
	return out, nil
}

// visitedInPeriod is, as SQL on customers, whether the customer's owner made a visit to it that
// counts in [from, to).
func visitedInPeriod(from, to time.Time) clause.Expr {
	return gorm.Expr(`EXISTS (SELECT 1 FROM visits v WHERE v.tenant_id = customers.tenant_id AND v.customer_id = customers.id
		AND v.rep_id = customers.owner_id AND v.started_at >= ? AND v.started_at < ? AND v.status = ? AND v.review_status <> ?)`,
		from, to, VisitClosed, ReviewRejected)
}

// visitSeconds is a visit's duration in seconds as SQL: subtracting timestamps has no portable
// spelling. PostgreSQL keeps microseconds (date_part stays in floating point, where EXTRACT
// computes in numeric), SQLite's date functions milliseconds.
func visitSeconds(dialect store.Dialect) string {
	if dialect == store.Postgres {
		return "date_part('epoch', visits.ended_at - visits.started_at)"
	}
	return "(unixepoch(visits.ended_at, 'subsec') - unixepoch(visits.started_at, 'subsec'))"
}

// sumVisits adds up one rep's visits over the grades of its customers.
func sumVisits(rep uuid.UUID, grades []gradeVisits) RepMetrics {
	m := RepMetrics{RepID: rep, ByGrade: map[Grade]int{}}
	var total time.Duration
	for _, g := range grades {
		m.CheckIns += g.CheckIns
		m.VerifiedCheckIns += g.VerifiedCheckIns
		m.Visits += g.Visits
		if g.Visits > 0 { // customers seen only in rejected visits add no visit to their grade
			m.ByGrade[Grade(g.Grade)] += g.Visits
		}
		total += time.Duration(math.Round(g.Seconds*1e6)) * time.Microsecond
	}
	if m.Visits > 0 {
		m.AvgDuration = (total / time.Duration(m.Visits)).Round(time.Second)
	}
	m.VerifiedRate = ratio(m.VerifiedCheckIns, m.CheckIns)
	return m
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
