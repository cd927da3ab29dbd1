package export

import (
	"strconv"
	"strings"
	"unicode/utf16"
)

// maxSheetName is Excel's limit on a sheet name, counted in UTF-16 units as Excel counts it: a
// longer name makes Excel refuse to open the file, not merely truncate it.
const maxSheetName = 31

// sheetNames hands out sheet names that Excel accepts, unique within one workbook. Team names are
// typed by tenants, so any of them may be long, contain characters Excel forbids, or differ from
// another only in case or in the part cut off.
type sheetNames struct{ taken map[string]bool }

func newSheetNames() *sheetNames { return &sheetNames{taken: map[string]bool{}} }

// name returns a sanitized, unused name for want, falling back to fallback when nothing of want
// survives sanitizing. Duplicates get " (2)", " (3)"... with the stem shortened to make room.
func (s *sheetNames) name(want, fallback string) string {
	stem := sanitize(want)
	if stem == "" {
		stem = sanitize(fallback)
	}
	for n := 1; ; n++ {
		suffix := ""
		if n > 1 {
			suffix = " (" + strconv.Itoa(n) + ")"
		}
		candidate := truncate(stem, maxSheetName-len(suffix)) + suffix
		// Excel compares sheet names without regard to case: "North" and "NORTH" collide.
		if key := strings.ToLower(candidate); !s.taken[key] {
			s.taken[key] = true
			return candidate
		}
	}
}

// sanitize replaces the characters Excel forbids in sheet names with "_", and drops control
// characters and the apostrophes Excel refuses at either end.
func sanitize(name string) string {
	name = strings.Map(func(r rune) rune {
		switch {
		case strings.ContainsRune(`[]:*?/\`, r):
			return '_'
		case r < 0x20 || r == 0x7f:
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(strings.Trim(name, "'"))
	if strings.EqualFold(name, "History") { // reserved by Excel for change tracking
		name += "_"
	}
	return name
}

// truncate cuts name to at most limit UTF-16 units, never inside a rune, and trims what would be
// a dangling space or apostrophe at the cut.
func truncate(name string, limit int) string {
	units := 0
	for i, r := range name {
		units += max(utf16.RuneLen(r), 1)
		if units > limit {
			return strings.TrimRight(name[:i], " '")
		}
	}
	return name
}
