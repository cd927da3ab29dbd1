package orders

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/jobs"
	"github.com/repflow/repflow/platform/store"
)

type reminderCall struct {
	User               uuid.UUID
	Kind, Message, Key string
}

// reminderLog is a fake inbox that records every call; the real one keeps one reminder per key.
type reminderLog struct {
	mu    sync.Mutex
	calls []reminderCall
}

func (l *reminderLog) Remind(_ context.Context, user uuid.UUID, kind, message, key string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls = append(l.calls, reminderCall{user, kind, message, key})
	return nil
}

func (l *reminderLog) list() []reminderCall {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]reminderCall(nil), l.calls...)
}

// inbox is w.reminders as the service takes it: nil when the world has none.
func (w *world) inbox() Reminders {
	if w.reminders == nil {
		return nil
	}
	return w.reminders
}

// startQueue starts a queue that works the world's jobs (whichever service queued them) through
// a service of its own, reminding through w.reminders.
func (w *world) startQueue(t *testing.T) {
	t.Helper()
	q, err := jobs.New(w.s, jobs.Options{PollInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	NewService(w.s, w.w, w.customerRefs(), tenantCurrencies, q, w.inbox(),
		Options{TimeZone: func(context.Context) (*time.Location, error) { return w.zone, nil }})
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = q.Stop(ctx)
	})
}

// timer is a queued replenishment timer as River holds it.
type timer struct {
	Args replenishmentDue
	At   time.Time
}

func (w *world) timers(t *testing.T) (all []timer, unfinished int) {
	t.Helper()
	args := "args::text"
	if w.s.Dialect() == store.SQLite {
		args = "json(args)" // River's SQLite driver stores binary JSON
	}
	rows, err := w.s.Owner(context.Background()).
		Raw("SELECT "+args+", scheduled_at, state FROM river_job WHERE kind = ? ORDER BY id", replenishmentDue{}.Kind()).Rows()
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var raw []byte
		var tm timer
		var state string
		if err := rows.Scan(&raw, &tm.At, &state); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, &tm.Args); err != nil {
			t.Fatal(err)
		}
		tm.At = tm.At.UTC()
		all = append(all, tm)
		if state != "completed" {
			unfinished++
		}
	}
	return all, unfinished
}

// waitFor polls cond until it holds, failing the test after within.
func waitFor(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(within); !cond(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", within, what)
		}
	}
}

// workAll starts the queue and waits until every timer has been worked.
func (w *world) workAll(t *testing.T) {
	t.Helper()
	w.startQueue(t)
	waitFor(t, 30*time.Second, "every timer worked", func() bool { all, left := w.timers(t); return len(all) > 0 && left == 0 })
}

// Jinan One orders on 1, 8 and 15 March at 10:00 Shanghai time: only the third approval makes a
// prediction (7 + 7: 22 March), so one timer, due 2 days before at 08:00 Shanghai time, which is
// 20 March 00:00 UTC. An order on 20 March (intervals 7, 7, 5: median 7, 27 March) sets a second
// for 25 March; cancelling it brings back the first prediction with a third.
func TestApprovalSetsReplenishmentTimer(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.zone = shanghai(t)
	f := w.tenant(t, "acme")
	for _, day := range []int{1, 8, 15} {
		f.orderOn(t, "Jinan One", time.Date(2026, time.March, day, 10, 0, 0, 0, w.zone))
	}
	late := f.orderOn(t, "Jinan One", time.Date(2026, time.March, 20, 10, 0, 0, 0, w.zone))
	f.step(t, w.svc, "rep.jinan.1", late.ID, Cancelled)
	shop := f.customers["Jinan One"]
	set := func(last, predicted string, at time.Time) timer {
		return timer{replenishmentDue{jobs.Tenant{TenantID: f.id}, shop, last, predicted}, at}
	}
	want := []timer{
		set("2026-03-15", "2026-03-22", time.Date(2026, time.March, 20, 0, 0, 0, 0, time.UTC)),
		set("2026-03-20", "2026-03-27", time.Date(2026, time.March, 25, 0, 0, 0, 0, time.UTC)),
		set("2026-03-15", "2026-03-22", time.Date(2026, time.March, 20, 0, 0, 0, 0, time.UTC)),
	}
	got, _ := w.timers(t)
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("timers (-want +got):\n%s", d)
	}
}

func TestReplenishmentReminderArrivesOnce(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.zone = shanghai(t)
	f := w.tenant(t, "acme")
	for _, day := range []int{1, 8, 15} {
		f.orderOn(t, "Jinan One", time.Date(2026, time.March, day, 10, 0, 0, 0, w.zone))
	}
	w.workAll(t)
	shop := f.customers["Jinan One"]
	want := []reminderCall{{User: f.users["rep.jinan.1"].ID, Kind: "replenishment_due",
		Message: "customer " + shop.String() + " usually reorders every 7 days and last ordered on 2026-03-15: its next order is expected on 2026-03-22",
		Key:     shop.String() + ":2026-03-22"}}
	if d := cmp.Diff(want, w.reminders.list()); d != "" {
		t.Errorf("reminders (-want +got):\n%s", d)
	}
}

// The customer ordered again (20 March) before the first timer fired: that timer finds its
// prediction replaced and does nothing; the newer order's timer reminds of 27 March.
func TestNewerOrderSilencesOlderTimer(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.zone = shanghai(t)
	f := w.tenant(t, "acme")
	for _, day := range []int{1, 8, 15, 20} {
		f.orderOn(t, "Jinan One", time.Date(2026, time.March, day, 10, 0, 0, 0, w.zone))
	}
	w.workAll(t)
	got := w.reminders.list()
	if len(got) != 1 || got[0].Key != f.customers["Jinan One"].String()+":2026-03-27" {
		t.Errorf("reminders %+v, want one, for 2026-03-27", got)
	}
}

// A second order on the same day leaves the prediction as it was, so two timers hold it: both
// remind, under one key, which the inbox keeps once.
func TestTimersOfOnePredictionShareTheKey(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.zone = shanghai(t)
	f := w.tenant(t, "acme")
	for _, day := range []int{1, 8, 15} {
		f.orderOn(t, "Jinan One", time.Date(2026, time.March, day, 10, 0, 0, 0, w.zone))
	}
	f.orderOn(t, "Jinan One", time.Date(2026, time.March, 15, 16, 0, 0, 0, w.zone))
	w.workAll(t)
	got := w.reminders.list()
	if len(got) != 2 || got[0] != got[1] {
		t.Errorf("reminders %+v, want two identical ones", got)
	}
}

// Without an inbox wired, timers do nothing (and complete).
func TestTimerWithoutRemindersDoesNothing(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.reminders = nil
	f := w.tenant(t, "acme")
	for _, day := range []int{1, 8, 15} {
		f.orderOn(t, "Jinan One", time.Date(2026, time.March, day, 10, 0, 0, 0, time.UTC))
	}
	w.workAll(t)
}
