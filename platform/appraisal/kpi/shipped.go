package kpi

import (
	"embed"
	"fmt"

	"github.com/repflow/repflow/platform/fault"
)

// The templates that ship with the product, one per industry, as data: a tenant admin clones one
// and edits the clone, so the shipped files are the product's advice, not anyone's configuration.
// FMCG weighs the process measures (coverage, distribution, visits, orders: 80 of 100 points);
// industrial weighs project progress quality (milestones on time), key-account maintenance and
// conversion (70 of 100).
//
//go:embed shipped/*.json
var shipped embed.FS

// Industries are the industries a template ships for.
var Industries = []string{"fmcg", "industrial"}

// Shipped returns a fresh copy of the template shipped for an industry.
func Shipped(industry string) (Template, error) {
	data, err := shipped.ReadFile("shipped/" + industry + ".json")
	if err != nil {
		return Template{}, fault.NotFoundf("template of industry " + fmt.Sprintf("%q", industry))
	}
	return ParseTemplate(data)
}
