package kpi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/repflow/repflow/platform/fault"
)

// Mode is how a metric's completion becomes its score.
type Mode string

const (
	// Linear scores the completion itself, up to the cap: 87 % done is 87 points.
	Linear Mode = "linear"
	// Stepped scores the highest step reached: below the first step, 0.
	Stepped Mode = "stepped"
)

// Colour is a band's colour.
type Colour string

const (
	Red   Colour = "red"
	Amber Colour = "amber"
	Green Colour = "green"
)

// Limits of a template. MaxCap bounds every score, so a total is never above it: rewarding more
// than double the target invites sandbagged targets.
const (
	MaxMetrics    = 20
	MaxCap        = 200  // percent completion, and points
	MaxCompletion = 1000 // percent: the highest step or band threshold worth writing
	MaxNameLen    = 80
	MaxTeams      = 200
)

// Template is how a tenant scores a group of people. Percentages are in percent (100 = on
// target); weights are whole percentage points, so that "sums to 100" is exact and an admin's
// 33/33/34 is what is stored.
type Template struct {
	Name      string         `json:"name"`
	Industry  string         `json:"industry"` // fmcg | industrial
	AppliesTo AppliesTo      `json:"applies_to"`
	Metrics   []TemplateItem `json:"metrics"`
	// Bands colour a metric's completion (how far to its target: what the rep acts on) and the
	// total score (which is on the same scale: 100 is every target met). Each band starts at its
	// Min, inclusive, and runs to the next band's Min; the first starts at 0.
	Bands []Band `json:"bands"`
}

// AppliesTo says who is appraised with a template. Roles set the level the figures are taken at
// (a rep is scored on their own figures, a manager on their team's, hq on their region's); Teams,
// when given, narrow it to the members of those teams.
type AppliesTo struct {
	Roles []string `json:"roles"`
	Teams []string `json:"teams,omitempty"` // team ids
}

// TemplateItem is one metric of a template.
type TemplateItem struct {
	Key     string  `json:"key"`
	Weight  int     `json:"weight"` // percentage points, 1..100; a template's weights sum to 100
	Scoring Scoring `json:"scoring"`
	// Target is the default target, in the metric's unit; a target given at scoring overrides it.
	Target *float64 `json:"target,omitempty"`
}

// Scoring is a metric's scoring rule.
type Scoring struct {
	Mode  Mode    `json:"mode"`
	Cap   float64 `json:"cap,omitempty"`   // linear: the highest completion that scores, 100..MaxCap
	Steps []Step  `json:"steps,omitempty"` // stepped: by rising min_completion
}

// Step scores Score points from MinCompletion percent completion up.
type Step struct {
	MinCompletion float64 `json:"min_completion"`
	Score         float64 `json:"score"`
}

// Band colours values from Min (percent) up to the next band.
type Band struct {
	Min    float64 `json:"min"`
	Colour Colour  `json:"colour"`
}

// ParseTemplate decodes a template as a tenant admin sends it and validates it. Unknown fields
// are refused: a misspelt "wieght" silently ignored would be a weight of 0.
func ParseTemplate(data []byte) (Template, error) {
	var t Template
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil {
		return Template{}, decodeFault(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Template{}, fault.New(fault.Invalid, "invalid_json", "the template is followed by more data")
	}
	if err := t.Validate(); err != nil {
		return Template{}, err
	}
	return t, nil
}

func decodeFault(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return fault.Field("body."+te.Field, "must be a "+te.Type.String()+", not a JSON "+te.Value, nil)
	}
	return fault.New(fault.Invalid, "invalid_json", "the template is not valid JSON: "+err.Error())
}

// Item returns the template's entry of a metric.
func (t Template) Item(key string) (TemplateItem, bool) {
	for _, it := range t.Metrics {
		if it.Key == key {
			return it, true
		}
	}
	return TemplateItem{}, false
}

// band returns the colour of a value: the last band whose Min it reaches.
func (t Template) band(v float64) Colour {
	var c Colour
	for _, b := range t.Bands {
		if v >= b.Min {
			c = b.Colour
		}
	}
	return c
}

// problems collects a template's faults, so that an admin sees all of them at once.
type problems []fault.Detail

func (p *problems) add(location, format string, args ...any) {
	*p = append(*p, fault.Detail{Location: location, Message: fmt.Sprintf(format, args...)})
}

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return fault.New(fault.Invalid, "invalid_kpi_template", "the KPI template has "+plural(len(p), "problem")+": "+p[0].Location+": "+p[0].Message, p...)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
