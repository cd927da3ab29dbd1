package visits

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/repflow/repflow/platform/store"
	"github.com/repflow/repflow/platform/visits/cadence"
)

// Which customers a rep had to visit in a period, for the coverage figure (dueByRep counts them)
// and the list it drills down to (dueInPeriod lists them): both through dueRule, so that the
// list always holds what the figure counted.

// dueRule decides which customers fall due before a period ends: those due, by the cadence rule,
// on its last day, judged by their last counted visit before it began (a visit not rejected,
// open or closed, as the day plan counts it).
//
// Only the grades where the last visit can matter (look: over a month, with the default
// cadences, a quarter of the customers) are judged customer by customer; every customer of the
// other grades (always) is due whenever last visited, so their last visits are never looked up.
type dueRule struct {
	cad          cadence.Cadences
	loc          *time.Location
	from         time.Time
	lastDay      time.Time
	look, always []string
}

func newDueRule(cad cadence.Cadences, from, to time.Time, loc *time.Location) dueRule {
	r := dueRule{cad: cad, loc: loc, from: from, lastDay: to.Add(-time.Nanosecond)}
	r.look = gradesToLook(cad, from, r.lastDay, loc)
	for _, g := range slices.Sorted(maps.Keys(cad)) {
		if !slices.Contains(r.look, g) {
			r.always = append(r.always, g)
		}
	}
	return r
}

// alwaysDue selects the reps' customers of the grades due whatever their last visit.
func (r dueRule) alwaysDue(db *gorm.DB, reps []uuid.UUID) *gorm.DB {
	return db.Model(&customerRow{}).Where("customers.owner_id IN ? AND customers.grade IN ?", reps, r.always)
}

// customerLastVisit is a customer of one of the reps with its last counted visit before the
// period, by whichever rep.
type customerLastVisit struct {
	ID        uuid.UUID
	OwnerID   uuid.UUID
	Grade     string
	LastVisit aggregateTime // zero: never visited
	Visited   bool          // by its owner in the period, a visit that counts
}

// lookedUpDue returns the reps' customers of the grades judged one by one that the cadence rule
// finds due, each with whether its owner visited it in the period (visitedByOwner, as SQL on
// customers). The last visit is a subquery per customer, which visits_customer_time answers by
// reading backwards from the period's start: the cost follows the customers, not the years of
// history a join and MAX over all earlier visits would read.
func (r dueRule) lookedUpDue(db *gorm.DB, reps []uuid.UUID, visitedByOwner clause.Expr) ([]customerLastVisit, error) {
	var rows []customerLastVisit
	err := db.Model(&customerRow{}).
		Select(`customers.id, customers.owner_id, customers.grade,
			(SELECT MAX(visits.started_at) FROM visits WHERE visits.tenant_id = customers.tenant_id
				AND visits.customer_id = customers.id AND visits.review_status <> ? AND visits.started_at < ?) AS last_visit,
			? AS visited`, ReviewRejected, r.from, visitedByOwner).
		Where("customers.owner_id IN ? AND customers.grade IN ?", reps, r.look).
		Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("load customers and their last visits: %w", err)
	}
	byID := make(map[uuid.UUID]customerLastVisit, len(rows))
	in := make([]cadence.Customer, len(rows))
	for i, c := range rows {
		byID[c.ID] = c
		in[i] = cadence.Customer{ID: c.ID, Grade: c.Grade, LastVisit: c.LastVisit.Time}
	}
	due := cadence.Due(in, r.cad, r.lastDay, r.loc)
	out := make([]customerLastVisit, len(due))
	for i, c := range due {
		out[i] = byID[c.ID]
	}
	return out, nil
}

// due is who a rep had to visit by the period's end: every customer the rep owns of the grades
// due whatever their last visit (only counted: at 2,000 reps they are most of 240,000
// customers), and those of the other grades that the cadence rule finds due (listed, of which
// listedCovered were visited in the period by the rep).
type due struct {
	count         int
	always        map[string]bool
	listedCovered int
}

// covered counts the due customers the rep visited (a counted visit, by this rep), given its
// visits per grade.
func (d due) covered(grades []gradeVisits) int {
	n := d.listedCovered
	for _, g := range grades {
		if g.Own && d.always[g.Grade] {
			n += g.Visited
		}
	}
	return n
}

// dueByRep counts, per rep, the customers it owns that fall due before the period ends (see
// dueRule), and of those judged one by one the ones the rep visited (visitedByOwner:
// visitedInPeriod, or visitedInMonths from the rollups); the caller adds those of the other
// grades from its visit sums (due.covered).
func dueByRep(db *gorm.DB, reps []uuid.UUID, from, to time.Time, cad cadence.Cadences, loc *time.Location, visitedByOwner clause.Expr) (map[uuid.UUID]due, error) {
	rule := newDueRule(cad, from, to, loc)
	always := map[string]bool{}
	for _, g := range rule.always {
		always[g] = true
	}
	out := make(map[uuid.UUID]due, len(reps))
	for _, rep := range reps {
		out[rep] = due{always: always}
	}
	var counts []struct {
		OwnerID uuid.UUID
		N       int
	}
	err := rule.alwaysDue(db, reps).Select("customers.owner_id, COUNT(*) AS n").Group("customers.owner_id").Scan(&counts).Error
	if err != nil {
		return nil, fmt.Errorf("count customers due: %w", err)
	}
	for _, c := range counts {
		d := out[c.OwnerID]
		d.count += c.N
		out[c.OwnerID] = d
	}
	listed, err := rule.lookedUpDue(db, reps, visitedByOwner)
	if err != nil {
		return nil, err
	}
	for _, c := range listed {
		d := out[c.OwnerID]
		d.count++
		if c.Visited {
			d.listedCovered++
		}
		out[c.OwnerID] = d
	}
	return out, nil
}

// dueInPeriod lists the customers dueByRep counts, by id, each with whether its owner covered
// it: the same rule over the same visits (periodVisits). A customer of a grade always due is
// covered when visitedByOwner says so, which is what gradeSums counts as Visited for the rep's
// own customers of that grade: a visit not rejected, closed, in the period, by the owner.
func dueInPeriod(db *gorm.DB, dialect store.Dialect, reps []uuid.UUID, from, to time.Time, cad cadence.Cadences, loc *time.Location) ([]customerLastVisit, error) {
	_, visitedByOwner, err := periodVisits(db, dialect, reps, from, to, loc)
	if err != nil {
		return nil, err
	}
	rule := newDueRule(cad, from, to, loc)
	var out []customerLastVisit
	err = rule.alwaysDue(db, reps).Select("customers.id, customers.owner_id, customers.grade, ? AS visited", visitedByOwner).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list customers due: %w", err)
	}
	listed, err := rule.lookedUpDue(db, reps, visitedByOwner)
	if err != nil {
		return nil, err
	}
	out = append(out, listed...)
	slices.SortFunc(out, func(a, b customerLastVisit) int { return slices.Compare(a.ID[:], b.ID[:]) })
	return out, nil
}

// gradesToLook are the grades whose customers may or may not be due on lastDay depending on
// when they were last visited before from. A customer visited just before the period is the
// least overdue one can be: when even it is due, every customer of its grade is, whenever last
// visited or if never, so their last visits need not be looked up (and count as none).
func gradesToLook(cad cadence.Cadences, from, lastDay time.Time, loc *time.Location) []string {
	var look []string
	for _, g := range []Grade{GradeA, GradeB, GradeC, GradeD} {
		latest := cadence.Customer{Grade: string(g), LastVisit: from.Add(-time.Nanosecond)}
		if len(cadence.Due([]cadence.Customer{latest}, cad, lastDay, loc)) == 0 {
			look = append(look, string(g))
		}
	}
	return look
}
