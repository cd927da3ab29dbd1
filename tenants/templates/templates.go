// Package templates holds the industry templates a tenant starts from, as data: the FMCG
// template's sales process lists stores; the industrial one runs project sales.
package templates

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"

	"github.com/repflow/repflow/platform/appraisal/commission"
	"github.com/repflow/repflow/platform/pipeline"
	"github.com/repflow/repflow/platform/visits/cadence"
)

//go:embed *.json
var files embed.FS

// Industries with a template.
var Industries = []string{"fmcg", "industrial"}

// Pipeline returns the industry's pipeline definition, validated.
func Pipeline(industry string) (pipeline.Definition, error) {
	var d pipeline.Definition
	if err := decode(industry+".pipeline.json", &d); err != nil {
		return d, err
	}
	if err := d.Validate(); err != nil {
		return d, fmt.Errorf("template %s pipeline: %w", industry, err)
	}
	return d, nil
}

// Setup is what else a tenant of the industry starts with when it signs up: a skeleton of
// regions under its root, the visit cadence of each customer grade, and a commission plan (in
// the tenant's currency, set at sign-up). FMCG visits often and pays monthly on revenue;
// industrial sales visit key accounts less often and pay quarterly on collected payments.
type Setup struct {
	Regions    []string         `json:"regions"`
	Cadences   cadence.Cadences `json:"cadences"`
	Commission commission.Plan  `json:"commission"`
}

// SetupOf returns the industry's setup, validated for currency.
func SetupOf(industry, currency string) (Setup, error) {
	var s Setup
	if err := decode(industry+".setup.json", &s); err != nil {
		return s, err
	}
	if err := s.Cadences.Validate(); err != nil {
		return s, fmt.Errorf("template %s cadences: %w", industry, err)
	}
	s.Commission.Currency = currency
	if err := s.Commission.Validate(); err != nil {
		return s, fmt.Errorf("template %s commission plan: %w", industry, err)
	}
	return s, nil
}

func decode(name string, v any) error {
	b, err := files.ReadFile(name)
	if err != nil {
		return fmt.Errorf("no template %s: %w", name, err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("template %s: %w", name, err)
	}
	return nil
}
