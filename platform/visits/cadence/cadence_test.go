package cadence_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/repflow/repflow/platform/visits/cadence"
)

func TestValidate(t *testing.T) {
	with := func(change func(cadence.Cadences)) cadence.Cadences {
		c := cadence.Default()
		change(c)
		return c
	}
	tests := []struct {
		name string
		c    cadence.Cadences
		want []string // each line of the error must contain one, in order; none: valid
	}{
		{"default", cadence.Default(), nil},
		{"limits", cadence.Cadences{"A": 1, "B": 1, "C": 366, "D": 366}, nil},
		{"zero", with(func(c cadence.Cadences) { c["B"] = 0 }), []string{"grade B: every 0 days"}},
		{"negative", with(func(c cadence.Cadences) { c["A"] = -7 }), []string{"grade A: every -7 days"}},
		{"over a year", with(func(c cadence.Cadences) { c["C"] = 367 }), []string{"grade C: every 367 days"}},
		{"missing grade", with(func(c cadence.Cadences) { delete(c, "D") }), []string{"grade D: missing"}},
		{"not a grade", with(func(c cadence.Cadences) { c["E"] = 90; c["a"] = 7 }),
			[]string{"grade E: not a grade", "grade a: not a grade"}},
		{"nil", nil, []string{"grade A: missing", "grade B: missing", "grade C: missing", "grade D: missing"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.c.Validate()
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, cadence.ErrInvalid) {
				t.Fatalf("Validate() = %v, want ErrInvalid", err)
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tt.want) {
				t.Fatalf("Validate() =\n%v\nwant %d problems: %q", err, len(tt.want), tt.want)
			}
			for i, w := range tt.want {
				if !strings.Contains(lines[i], w) {
					t.Errorf("problem %d = %q, want it to contain %q", i, lines[i], w)
				}
			}
		})
	}
}

func TestDefaultIsValid(t *testing.T) {
	c := cadence.Default()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	c["A"] = 1 // each call is a fresh map: a tenant changing its copy changes no one else's
	if cadence.Default()["A"] != 7 {
		t.Error("Default() shares its map between callers")
	}
}
