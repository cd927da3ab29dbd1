package billing

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var t0 = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

func at(seconds int) *time.Time {
	t := t0.Add(time.Duration(seconds) * time.Second)
	return &t
}

func TestStandingOfEachStatus(t *testing.T) {
	now := t0
	for _, tc := range []struct {
		status string
		grace  *time.Time
		want   State
	}{
		{statusNone, nil, StateNone},
		{statusIncomplete, nil, StateNone},
		{statusIncompleteExpired, nil, StateNone},
		{statusActive, nil, StateActive},
		{statusTrialing, nil, StateActive},
		{statusPastDue, at(1), StatePastDue},
		{statusPastDue, at(0), StateReadOnly}, // the grace period ends at its instant
		{statusPastDue, nil, StatePastDue},
		{statusUnpaid, at(-1), StateReadOnly},
		{statusCanceled, nil, StateReadOnly},
		{statusPaused, nil, StateReadOnly},
		{"some_future_status", nil, StateActive},
	} {
		st := account{Status: tc.status, GraceUntil: tc.grace}.standing(now)
		if st.State != tc.want || st.Writable() != (tc.want != StateReadOnly) {
			t.Errorf("%s with grace %v: %s (writable %v), want %s", tc.status, tc.grace, st.State, st.Writable(), tc.want)
		}
		if (st.Refusal() == nil) != st.Writable() {
			t.Errorf("%s: write fault %v disagrees with writable %v", tc.status, st.Refusal(), st.Writable())
		}
	}
}

// TestApplyOrdersEvents is the out-of-order table: each case starts from an account and applies
// one change.
func TestApplyOrdersEvents(t *testing.T) {
	grace := 7 * 24 * time.Hour
	active := account{SubscriptionID: "sub_1", SubscriptionItemID: "si_1", Status: statusActive, Seats: 5, LastEventCreated: at(100)}
	pastDue := active
	pastDue.Status, pastDue.GraceUntil = statusPastDue, at(50)
	canceled := active
	canceled.Status = statusCanceled
	fresh := account{Status: statusNone}
	updated := func(sub, status string, seats, when int) change {
		return change{kind: subscriptionChanged, at: *at(when), subscription: sub, status: status, itemID: "si_" + sub, seats: seats}
	}
	for _, tc := range []struct {
		name    string
		from    account
		change  change
		applied bool
		want    func(a account) account
	}{
		{"first subscription event adopts it", fresh, updated("sub_1", statusActive, 3, 10), true, func(a account) account {
			a.SubscriptionID, a.SubscriptionItemID, a.Status, a.Seats, a.LastEventCreated = "sub_1", "si_sub_1", statusActive, 3, at(10)
			return a
		}},
		{"newer update applies", active, updated("sub_1", statusActive, 7, 101), true, func(a account) account {
			a.SubscriptionItemID, a.Seats, a.LastEventCreated = "si_sub_1", 7, at(101)
			return a
		}},
		{"same-second update applies", active, updated("sub_1", statusActive, 7, 100), true, func(a account) account {
			a.SubscriptionItemID, a.Seats = "si_sub_1", 7
			return a
		}},
		{"older update is ignored", active, updated("sub_1", statusPastDue, 2, 99), false, nil},
		{"older payment failure is ignored", active, change{kind: invoicePaymentFailed, at: *at(99), subscription: "sub_1"}, false, nil},
		{"payment failure starts the grace period", active, change{kind: invoicePaymentFailed, at: *at(200), subscription: "sub_1"}, true, func(a account) account {
			a.Status, a.GraceUntil, a.LastEventCreated = statusPastDue, at(200+int(grace.Seconds())), at(200)
			return a
		}},
		{"another failure keeps the grace period", pastDue, change{kind: invoicePaymentFailed, at: *at(300), subscription: "sub_1"}, true, func(a account) account {
			a.LastEventCreated = at(300)
			return a
		}},
		{"payment ends the grace period", pastDue, change{kind: invoicePaid, at: *at(300), subscription: "sub_1"}, true, func(a account) account {
			a.Status, a.GraceUntil, a.LastEventCreated = statusActive, nil, at(300)
			return a
		}},
		{"deletion applies even when older", active, change{kind: subscriptionDeleted, at: *at(90), subscription: "sub_1"}, true, func(a account) account {
			a.Status = statusCanceled
			return a
		}},
		{"a deleted subscription is not updated", canceled, updated("sub_1", statusActive, 5, 500), false, nil},
		{"a deleted subscription is not paid", canceled, change{kind: invoicePaid, at: *at(500), subscription: "sub_1"}, false, nil},
		{"a new subscription replaces a deleted one", canceled, updated("sub_2", statusActive, 4, 500), true, func(a account) account {
			a.SubscriptionID, a.SubscriptionItemID, a.Status, a.Seats, a.LastEventCreated = "sub_2", "si_sub_2", statusActive, 4, at(500)
			return a
		}},
		{"an old subscription's late event stays out", canceled, updated("sub_0", statusActive, 4, 80), false, nil},
		{"no second subscription beside a live one", active, updated("sub_2", statusActive, 4, 500), false, nil},
		{"an invoice of no subscription is no seat bill", active, change{kind: invoicePaymentFailed, at: *at(500)}, false, nil},
		{"a paid checkout activates", fresh, change{kind: checkoutCompleted, at: *at(10), subscription: "sub_1", paid: true}, true, func(a account) account {
			a.SubscriptionID, a.Status, a.LastEventCreated = "sub_1", statusActive, at(10)
			return a
		}},
		{"a late checkout does not undo dunning", pastDue, change{kind: checkoutCompleted, at: *at(100), subscription: "sub_1", paid: true}, true, func(a account) account {
			return a
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, applied := tc.from.apply(tc.change, grace)
			if applied != tc.applied {
				t.Fatalf("applied = %v, want %v", applied, tc.applied)
			}
			want := tc.from
			if tc.want != nil {
				want = tc.want(tc.from)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("account (-want +got):\n%s", diff)
			}
		})
	}
}
