package export

import (
	"strings"
	"testing"
	"unicode/utf16"
)

func TestSheetNamesAreSanitizedAndUnique(t *testing.T) {
	long := "Key accounts: North/East [A*] ? \\ and the rest of them"
	n := newSheetNames()
	got := []string{
		n.name("Summary", "x"),
		n.name("SUMMARY", "x"),      // Excel ignores case
		n.name(long, "x"),           // forbidden characters, 56 long
		n.name(long+" second", "x"), // the same once cut to 31
		n.name("'quoted'", "x"),     // no apostrophe at either end
		n.name("销售一部😀😀😀😀😀😀😀😀😀😀😀😀😀😀", "x"), // emoji are two UTF-16 units
		n.name(":/", "x"),
		n.name("'", "Team"), // nothing left: the fallback
		n.name("history", "x"),
	}
	want := []string{"Summary", "SUMMARY (2)", "Key accounts_ North_East _A__ _",
		"Key accounts_ North_East _A (2)", "quoted", "销售一部😀😀😀😀😀😀😀😀😀😀😀😀😀", "__", "Team", "history_"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("name %d = %q, want %q", i, got[i], want[i])
		}
		if units := len(utf16.Encode([]rune(got[i]))); units > 31 || strings.ContainsAny(got[i], `[]:*?/\`) {
			t.Errorf("%q is not a valid sheet name (%d units)", got[i], units)
		}
	}
}

func TestUnsafeTeamNamesOpenInTheWorkbook(t *testing.T) {
	r := sample()
	r.Reps[0].Team = "Key accounts: North/East [A*] ? \\ and the rest"
	r.Reps[2].Team = "Key accounts: North/East [A*] ? \\ and others"
	f := open(t, r, "en")
	got := f.GetSheetList()
	want := []string{"Summary", "Key accounts_ North_East _A__ _", "Key accounts_ North_East _A (2)", "South"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("sheets %q, want %q", got, want)
	}
	if name := text(t, f, want[1], "B3"); name != "Carol" { // "...and others" sorts first
		t.Errorf("%s holds %q, want Carol", want[1], name)
	}
}
