package cadence

import (
	"bytes"
	"cmp"
	"slices"
	"time"

	"github.com/google/uuid"
)

// Customer is what Due needs to know about a customer. Lat and Lon are carried through so that
// the due list can go straight into route planning.
type Customer struct {
	ID        uuid.UUID
	Grade     string
	LastVisit time.Time // zero: never visited
	Lat, Lon  float64
}

// DueCustomer is a customer due for a visit.
type DueCustomer struct {
	Customer
	// DueSince is the first day the customer was due, at midnight in the tenant's zone. A
	// customer never visited is due since the day asked about: it has no date to count from.
	DueSince time.Time
	// OverdueDays is how many days after DueSince the day asked about is; 0 when due today.
	OverdueDays int
}

// Due lists the customers due for a visit on day's calendar date in loc, the tenant's time zone
// (nil means UTC). The times of day and LastVisit may be in any zone: only their dates in loc
// count. Most overdue come first, then better grades, then ids, so the same input always gives
// the same list.
//
// c is expected to be valid (see Validate). A customer whose grade has no valid cadence is left
// out rather than guessed at; the visits package only stores the four grades, and a tenant's
// cadences are validated when set.
func Due(customers []Customer, c Cadences, day time.Time, loc *time.Location) []DueCustomer {
	if loc == nil {
		loc = time.UTC
	}
	today := civil(day, loc)
	var due []DueCustomer
	for _, cust := range customers {
		every, ok := c[cust.Grade]
		if !ok || every < MinDays || every > MaxDays || rank(cust.Grade) < 0 {
			continue
		}
		if cust.LastVisit.IsZero() {
			due = append(due, DueCustomer{Customer: cust, DueSince: midnight(today, loc)})
			continue
		}
		since := civil(cust.LastVisit, loc).AddDate(0, 0, every)
		if overdue := daysBetween(since, today); overdue >= 0 {
			due = append(due, DueCustomer{Customer: cust, DueSince: midnight(since, loc), OverdueDays: overdue})
		}
	}
	slices.SortFunc(due, func(a, b DueCustomer) int {
		return cmp.Or(
			cmp.Compare(b.OverdueDays, a.OverdueDays),
			cmp.Compare(rank(a.Grade), rank(b.Grade)),
			bytes.Compare(a.ID[:], b.ID[:]),
		)
	})
	return due
}

// civil is t's calendar date in loc, as midnight UTC: dates in UTC have no daylight-saving
// gaps, so subtracting two of them always gives whole days.
func civil(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// midnight turns a civil date back into the start of that day in loc.
func midnight(date time.Time, loc *time.Location) time.Time {
	y, m, d := date.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// daysBetween counts the calendar days from one civil date to a later one (negative if earlier).
func daysBetween(from, to time.Time) int {
	return int(to.Sub(from) / (24 * time.Hour))
}
