// Package cadence decides which customers are due for a visit. Each customer has a grade (A the
// most valuable, then B, C, D) and the tenant sets, per grade, how often its customers should be
// visited: every N days. A customer is due on a day when it has never been visited, or when at
// least N calendar days have passed since the date of its last visit.
//
// Days are calendar dates in the tenant's time zone, not 24-hour periods since the visit: a rep
// plans by the day, so a weekly customer visited Monday at 17:00 is due again next Monday, from
// the morning, not at 17:00. Counting in UTC would move a visit made after local midnight (before
// 08:00 in Shanghai) to the previous day and make the customer due a day early.
//
// It is a pure decision over values the caller loads (no storage), so a schedule can be
// recomputed and tested for any day.
package cadence

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// The limits of a cadence in days: at least daily, at least yearly.
const (
	MinDays = 1
	MaxDays = 366
)

// grades in order of value; the order is also the tie-break of Due.
var grades = [...]string{"A", "B", "C", "D"}

// ErrInvalid: a cadence is missing, out of range or set for something that is not a grade.
var ErrInvalid = errors.New("invalid visit cadence")

// Cadences maps a customer grade ("A".."D") to how often its customers are visited, in days.
// A map keeps the tenant's setting as plain JSON: {"A":7,"B":14,"C":30,"D":60}.
type Cadences map[string]int

// Default is the cadence of a new tenant: A weekly, B fortnightly, C monthly, D every two months.
func Default() Cadences { return Cadences{"A": 7, "B": 14, "C": 30, "D": 60} }

// Validate checks that all four grades have a cadence from MinDays to MaxDays and that nothing
// else is set. Every problem is reported, each naming its grade, and each matches ErrInvalid.
func (c Cadences) Validate() error {
	var errs []error
	bad := func(grade, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: grade %s: %s", ErrInvalid, grade, fmt.Sprintf(format, args...)))
	}
	for _, g := range grades {
		days, ok := c[g]
		switch {
		case !ok:
			bad(g, "missing")
		case days < MinDays || days > MaxDays:
			bad(g, "every %d days, want %d to %d", days, MinDays, MaxDays)
		}
	}
	for _, g := range slices.Sorted(maps.Keys(c)) {
		if rank(g) < 0 {
			bad(g, "not a grade, want one of %s", strings.Join(grades[:], ", "))
		}
	}
	return errors.Join(errs...)
}

// rank is a grade's position, A first; -1 when it is not a grade.
func rank(grade string) int {
	return slices.Index(grades[:], grade)
}
