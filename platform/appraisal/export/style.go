package export

import (
	"github.com/xuri/excelize/v2"

	"github.com/repflow/repflow/platform/appraisal/kpi"
)

type role int

const (
	roleCell role = iota
	roleTitle
	roleHeader
	roleTotals
)

// styleKey is what makes two cells' styles differ; each distinct key becomes one style of the
// workbook, made the first time it is used.
type styleKey struct {
	role   role
	numFmt string
	band   kpi.Colour
}

// bandFill is the pastel fill and the dark text of each band: Excel's own "Bad", "Neutral" and
// "Good" cell styles, which stay readable on screen and in black-and-white print. The printable
// page (pageCSS) colours its cells with the same pairs.
var bandFill = map[kpi.Colour]struct{ fill, font string }{
	kpi.Red:   {"FFC7CE", "9C0006"},
	kpi.Amber: {"FFEB9C", "9C5700"},
	kpi.Green: {"C6EFCE", "006100"},
}

// style returns the id of the workbook's style for k, 0 (the default) after an error.
func (b *book) style(k styleKey) int {
	if id, ok := b.styles[k]; ok || b.err != nil {
		return id
	}
	s := &excelize.Style{}
	if k.numFmt != "" {
		s.CustomNumFmt = &k.numFmt
	}
	switch k.role {
	case roleTitle:
		s.Font = &excelize.Font{Bold: true, Size: 13}
	case roleHeader:
		s.Font = &excelize.Font{Bold: true}
		s.Alignment = &excelize.Alignment{WrapText: true, Vertical: "center"}
		s.Border = []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}}
	case roleTotals:
		s.Font = &excelize.Font{Bold: true}
		s.Border = []excelize.Border{{Type: "top", Color: "000000", Style: 1}}
	}
	if c, ok := bandFill[k.band]; ok {
		s.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c.fill}}
		s.Font = &excelize.Font{Color: c.font}
	}
	var id int
	id, b.err = b.f.NewStyle(s)
	b.styles[k] = id
	return id
}
