// Package templates holds the industry templates a tenant starts from, as data: the FMCG
// template's sales process lists stores; the industrial one runs project sales.
package templates

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"

	"github.com/repflow/repflow/platform/pipeline"
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
