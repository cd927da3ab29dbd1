package cadence_test

import (
	"testing"
	"time"
	_ "time/tzdata" // America/New_York without depending on the host's zone files

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/visits/cadence"
)

// shanghai is UTC+8 without daylight saving, so local and UTC dates differ from 16:00 UTC on.
var shanghai = time.FixedZone("CST", 8*3600)

// id makes a readable, ordered customer id.
func id(n byte) uuid.UUID { return uuid.UUID{15: n} }

// local is a time on a day of March 2025 in Shanghai.
func local(day, hour, minute int) time.Time {
	return time.Date(2025, 3, day, hour, minute, 0, 0, shanghai)
}

func TestDue(t *testing.T) {
	today := local(10, 9, 0) // Monday 10 March, 09:00
	every := cadence.Default()
	tests := []struct {
		name      string
		grade     string
		lastVisit time.Time
		day       time.Time
		dueSince  time.Time // zero: not due
		overdue   int
	}{
		{"never visited", "C", time.Time{}, today, local(10, 0, 0), 0},
		{"exactly the cadence ago", "A", local(3, 9, 0), today, local(10, 0, 0), 0},
		{"one day short", "A", local(4, 9, 0), today, time.Time{}, 0},
		{"later in the day than the visit was", "A", local(3, 17, 0), today, local(10, 0, 0), 0},
		{"overdue", "B", time.Date(2025, 2, 19, 12, 0, 0, 0, shanghai), today, local(5, 0, 0), 5},
		{"visit just after local midnight is that local day, not the UTC day before",
			"A", local(4, 0, 30).UTC(), today, time.Time{}, 0},
		{"visit just before local midnight", "A", local(3, 23, 30).UTC(), today, local(10, 0, 0), 0},
		{"day given in UTC counts by its local date",
			"A", local(3, 12, 0), local(10, 1, 0).UTC(), local(10, 0, 0), 0},
		{"visit after the day asked about", "D", local(11, 9, 0), today, time.Time{}, 0},
		{"grade without a cadence", "E", time.Time{}, today, time.Time{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := cadence.Customer{ID: id(1), Grade: tt.grade, LastVisit: tt.lastVisit, Lat: 31.23, Lon: 121.47}
			var want []cadence.DueCustomer
			if !tt.dueSince.IsZero() {
				want = []cadence.DueCustomer{{Customer: c, DueSince: tt.dueSince, OverdueDays: tt.overdue}}
			}
			got := cadence.Due([]cadence.Customer{c}, every, tt.day, shanghai)
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("Due (-want +got):\n%s", d)
			}
		})
	}
}

// TestDueCountsCalendarDays crosses a daylight-saving change: New York loses an hour on
// 9 March 2025, so a week of calendar days is 167 hours, and a visit at noon is due again
// a week later from midnight, though fewer than 7×24 hours have passed.
func TestDueCountsCalendarDays(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	c := cadence.Customer{ID: id(1), Grade: "A", LastVisit: time.Date(2025, 3, 5, 12, 0, 0, 0, ny)}
	day := time.Date(2025, 3, 12, 0, 30, 0, 0, ny)
	want := []cadence.DueCustomer{{Customer: c, DueSince: time.Date(2025, 3, 12, 0, 0, 0, 0, ny)}}
	if d := cmp.Diff(want, cadence.Due([]cadence.Customer{c}, cadence.Default(), day, ny)); d != "" {
		t.Errorf("Due (-want +got):\n%s", d)
	}
}

func TestDueOrder(t *testing.T) {
	today := local(10, 9, 0)
	customers := []cadence.Customer{
		{ID: id(1), Grade: "D", LastVisit: local(8, 9, 0)},                               // not due
		{ID: id(2), Grade: "C"},                                                          // never visited: 0 days
		{ID: id(3), Grade: "A", LastVisit: local(3, 9, 0)},                               // 0 days
		{ID: id(4), Grade: "B", LastVisit: time.Date(2025, 2, 20, 9, 0, 0, 0, shanghai)}, // 4 days
		{ID: id(5), Grade: "A", LastVisit: local(1, 9, 0)},                               // 2 days
		{ID: id(6), Grade: "C"},                                                          // never visited: 0 days
		{ID: id(7), Grade: "A", LastVisit: local(1, 18, 0)},                              // 2 days
	}
	var got []uuid.UUID
	for _, d := range cadence.Due(customers, cadence.Default(), today, shanghai) {
		got = append(got, d.ID)
	}
	// Most overdue first; then A before C; then by id.
	want := []uuid.UUID{id(4), id(5), id(7), id(3), id(2), id(6)}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("order (-want +got):\n%s", d)
	}
	// The input order does not matter.
	reversed := make([]cadence.Customer, 0, len(customers))
	for i := len(customers) - 1; i >= 0; i-- {
		reversed = append(reversed, customers[i])
	}
	if d := cmp.Diff(cadence.Due(customers, cadence.Default(), today, shanghai),
		cadence.Due(reversed, cadence.Default(), today, shanghai)); d != "" {
		t.Errorf("order depends on the input order (-want +got):\n%s", d)
	}
}
