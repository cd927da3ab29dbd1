package activities

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/org"
	"github.com/repflow/repflow/platform/store"
)

// Data size of the metrics benchmark: one tenant with 200 reps in Jinan, each logging 2,500
// activities in March 2025 (500,000 in all) at 100 customers, 10 of them key accounts. Of the
// activities 85% are calls (70% outbound; 55% answered), 12% messages (70% outbound, a quarter of
// those with a reply time; a quarter of the inbound ones reply to an earlier outbound one) and 3%
// meetings. The manager of Shandong asks for the month, as the appraisal report does.
const (
	benchReps        = 200
	benchPerRep      = 2_500
	benchCustomers   = 100
	benchKeyAccounts = 10
	benchInsertBatch = 1_000 // rows per INSERT: 20 columns each, within SQLite's 32,766 variables
)

// BenchmarkMetrics runs the grouped query (sql) beside the implementation it replaced, which
// loaded every activity of the period into Go (rows), on the same data.
func BenchmarkMetrics(b *testing.B) {
	f := newWorld(b).tenant(b, "bench")
	start := time.Now()
	seedBenchActivities(b, f)
	b.Logf("seeded %d reps x %d activities in %v", benchReps, benchPerRep, time.Since(start).Round(time.Millisecond))

	ctx := f.as(b, "mgr.shandong")
	q := MetricsQuery{From: "2025-03-01", To: "2025-04-01"}
	got, err := f.w.svc.Metrics(ctx, q)
	if err != nil {
		b.Fatal(err)
	}
	baseline, err := f.w.svc.metricsByRows(ctx, q)
	if err != nil {
		b.Fatal(err)
	}
	if d := cmp.Diff(baseline, got); d != "" {
		b.Fatalf("the grouped query disagrees with the rows (-rows +sql):\n%s", d)
	}
	if t := benchTotal(got); t.AnsweredOutboundCalls == 0 || t.RepliedOutboundMessages == 0 || t.Meetings == 0 || t.KeyAccountsTouched == 0 {
		b.Fatalf("the data leaves a figure untested: %+v", t)
	}
	for _, impl := range []struct {
		name string
		run  func(context.Context, MetricsQuery) ([]RepMetrics, error)
	}{{"sql", f.w.svc.Metrics}, {"rows", f.w.svc.metricsByRows}} {
		b.Run(impl.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := impl.run(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchTotal sums the reps' tallies.
func benchTotal(ms []RepMetrics) Tally {
	var t Tally
	for _, m := range ms {
		t.Calls += m.Calls
		t.AnsweredOutboundCalls += m.AnsweredOutboundCalls
		t.Messages += m.Messages
		t.RepliedOutboundMessages += m.RepliedOutboundMessages
		t.Meetings += m.Meetings
		t.KeyAccountsTouched += m.KeyAccountsTouched
	}
	return t
}

// seedBenchActivities adds the benchmark's reps, customers and activities to f's tenant, the
// activities with multi-row inserts, and refreshes the planner's statistics as autovacuum would.
func seedBenchActivities(b *testing.B, f *tenantFixture) {
	admin := f.as(b, "admin")
	manager := f.users["mgr.shandong"].ID
	reps := make([]uuid.UUID, benchReps)
	for i := range reps {
		u, err := f.w.org.CreateUser(admin, org.NewUser{Email: fmt.Sprintf("bench.%d@bench.test", i), Name: fmt.Sprintf("Bench %d", i),
			Roles: []string{identity.RoleRep}, RegionID: f.regions["Jinan"].ID, ManagerID: &manager})
		if err != nil {
			b.Fatal(err)
		}
		reps[i] = u.ID
	}
	customers := make([]uuid.UUID, benchCustomers)
	for i := range customers {
		customers[i] = f.customer(b, fmt.Sprintf("Customer %d", i), "rep.jinan.1", "Jinan")
	}
	for _, c := range customers[:benchKeyAccounts] {
		if _, err := f.w.svc.MarkKey(f.as(b, "mgr.shandong"), c, true); err != nil {
			b.Fatal(err)
		}
	}
	rng := rand.New(rand.NewPCG(2025, 3))
	err := f.w.s.Tx(admin, func(ctx context.Context, db *gorm.DB) error {
		batch := make([]activityRow, 0, benchInsertBatch)
		for _, rep := range reps {
			for _, a := range benchMonth(rng, rep, f.regions["Jinan"].ID, customers) {
				if batch = append(batch, a); len(batch) == benchInsertBatch {
					if err := db.Create(&batch).Error; err != nil {
						return err
					}
					batch = batch[:0]
				}
			}
		}
		if len(batch) == 0 {
			return nil
		}
		return db.Create(&batch).Error
	})
	if err != nil {
		b.Fatalf("insert activities: %v", err)
	}
	analyze := "ANALYZE"
	if f.w.s.Dialect() == store.Postgres {
		analyze = "VACUUM ANALYZE activities, key_accounts, users, user_roles"
	}
	if err := f.w.s.Owner(context.Background()).Exec(analyze).Error; err != nil {
		b.Fatal(err)
	}
}

// benchMonth is one rep's March, in time order, so that a linked reply follows its message.
func benchMonth(rng *rand.Rand, rep, region uuid.UUID, customers []uuid.UUID) []activityRow {
	first := time.Date(2025, 3, 1, 0, 0, 0, 0, shanghai).UTC()
	step := 31 * 24 * time.Hour / benchPerRep
	out := make([]activityRow, 0, benchPerRep)
	var pending []int // outbound messages not replied yet, by index in out
	for i := range benchPerRep {
		when := first.Add(time.Duration(i)*step + time.Duration(rng.Int64N(int64(step))))
		a := activityRow{ID: identity.NewID(), OwnerID: rep, CustomerID: customers[rng.IntN(len(customers))], RegionID: region,
			OccurredAt: when, Fingerprint: "bench", CreatedAt: when, UpdatedAt: when}
		switch p := rng.Float64(); {
		case p < 0.85:
			benchCall(rng, &a)
		case p < 0.97:
			benchMessage(rng, &a, i, out, &pending)
		default:
			a.Kind = string(KindMeeting)
			end := when.Add(time.Hour)
			a.EndedAt = &end
		}
		out = append(out, a)
	}
	return out
}

func benchCall(rng *rand.Rand, a *activityRow) {
	a.Kind = string(KindCall)
	a.Direction = optional(Inbound)
	if rng.Float64() < 0.7 {
		a.Direction = optional(Outbound)
	}
	outcome, seconds := OutcomeAnswered, 30+rng.IntN(870)
	switch p := rng.Float64(); {
	case p < 0.25:
		outcome, seconds = OutcomeNoAnswer, 0
	case p < 0.35:
		outcome, seconds = OutcomeBusy, 0
	case p < 0.45:
		outcome, seconds = OutcomeVoicemail, 10+rng.IntN(30)
	}
	a.Outcome, a.DurationS = optional(outcome), &seconds
}

// benchMessage makes a the i-th activity of the month, a message. Outbound ones without a reply
// time wait in pending until an inbound message answers them, as a quarter of inbound ones do.
func benchMessage(rng *rand.Rand, a *activityRow, i int, earlier []activityRow, pending *[]int) {
	a.Kind, a.Channel = string(KindMessage), optional(Channels[rng.IntN(len(Channels))])
	if rng.Float64() < 0.7 {
		a.Direction = optional(Outbound)
		if rng.Float64() < 0.25 {
			replied := a.OccurredAt.Add(time.Hour)
			a.RepliedAt = &replied
		} else {
			*pending = append(*pending, i)
		}
		return
	}
	a.Direction = optional(Inbound)
	if len(*pending) == 0 || rng.Float64() >= 0.25 {
		return
	}
	k := rng.IntN(len(*pending))
	to := earlier[(*pending)[k]].ID
	a.ReplyToID = &to
	earlier[(*pending)[k]].HasReply = true // as logging the reply marks it
	*pending = slices.Delete(*pending, k, k+1)
}

// The implementation before the grouped query, kept as the benchmark's baseline and as a second
// opinion on its figures: it loads every activity of the period and counts in Go.

type fact struct {
	OwnerID    uuid.UUID
	CustomerID uuid.UUID
	Kind       string
	Direction  *string
	DurationS  *int
	Outcome    *string
	Replied    bool
	KeyAccount bool
}

func (s *Service) metricsByRows(ctx context.Context, q MetricsQuery) ([]RepMetrics, error) {
	loc, err := s.timeZone(ctx)
	if err != nil {
		return nil, err
	}
	from, to, err := period(q.From, q.To, loc)
	if err != nil {
		return nil, err
	}
	today, err := s.today(ctx)
	if err != nil {
		return nil, err
	}
	out := []RepMetrics{}
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		reps, err := s.visibleReps(ctx, db, q.RepIDs)
		if err != nil || len(reps) == 0 {
			return err
		}
		facts, err := s.factsByRows(ctx, db, reps, from.UTC(), to.UTC())
		if err != nil {
			return err
		}
		milestones, err := s.repMilestones(ctx, db, reps, q.From, q.To)
		if err != nil {
			return err
		}
		for _, rep := range reps {
			out = append(out, figures(rep, tallyFacts(facts[rep]), punctuality(milestones[rep], q.From, q.To, today)))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("activity metrics: %w", err)
	}
	return out, nil
}

func (s *Service) factsByRows(ctx context.Context, db *gorm.DB, reps []uuid.UUID, from, to time.Time) (map[uuid.UUID][]fact, error) {
	scope, err := s.warden.Scope(ctx, access.List, access.KindActivity, activityColumns)
	if err != nil {
		return nil, err
	}
	var rows []fact
	err = db.Model(&activityRow{}).Scopes(scope).
		Select(`activities.owner_id, activities.customer_id, activities.kind, activities.direction, activities.duration_s, activities.outcome,
			(activities.replied_at IS NOT NULL OR EXISTS (SELECT 1 FROM activities r
				WHERE r.tenant_id = activities.tenant_id AND r.reply_to_id = activities.id)) AS replied,
			EXISTS (SELECT 1 FROM key_accounts k
				WHERE k.tenant_id = activities.tenant_id AND k.customer_id = activities.customer_id) AS key_account`).
		Where("activities.owner_id IN ? AND activities.occurred_at >= ? AND activities.occurred_at < ?", reps, from, to).
		Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("load activities: %w", err)
	}
	out := map[uuid.UUID][]fact{}
	for _, f := range rows {
		out[f.OwnerID] = append(out[f.OwnerID], f)
	}
	return out, nil
}

func tallyFacts(facts []fact) Tally {
	var t Tally
	keys := map[uuid.UUID]bool{}
	for _, f := range facts {
		out := deref[Direction](f.Direction) == Outbound
		switch Kind(f.Kind) {
		case KindCall:
			t.Calls++
			answered := deref[Outcome](f.Outcome) == OutcomeAnswered
			if answered {
				t.AnsweredCalls++
				if f.DurationS != nil {
					t.CallTime += time.Duration(*f.DurationS) * time.Second
				}
			}
			if out {
				t.OutboundCalls++
				if answered {
					t.AnsweredOutboundCalls++
				}
			}
		case KindMessage:
			t.Messages++
			if out {
				t.OutboundMessages++
				if f.Replied {
					t.RepliedOutboundMessages++
				}
			}
		case KindMeeting:
			t.Meetings++
		}
		if f.KeyAccount {
			t.KeyAccountTouches++
			keys[f.CustomerID] = true
		}
	}
	t.KeyAccountsTouched = len(keys)
	return t
}
