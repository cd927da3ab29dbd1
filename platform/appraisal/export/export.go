// Package export writes appraisal reports as files people take away: the monthly report as an
// Excel workbook, one click from the dashboard.
package export

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/repflow/repflow/platform/appraisal/kpi"
	"github.com/repflow/repflow/platform/appraisal/report"
	"github.com/repflow/repflow/platform/money"
)

// The layout every sheet shares: the title, the header, then a row per rep and the totals.
const (
	titleRow  = 1
	headerRow = 2
	colRank   = 1
	colName   = 2
	colTeam   = 3
	colRegion = 4
	colTotal  = 5
	colBand   = 6
	colComm   = 7
	colMetric = 8 // the first metric's completion; one column per metric of the template
)

var colWidths = []float64{7, 20, 16, 14, 11, 9, 18}

// Excel writes the report as an .xlsx workbook in lang ("en" or "zh"; the language of headers,
// band and metric names): a summary sheet ranking every rep in the tenant, then a sheet per team
// sorted by name, ranking within the team, with reps in no team last. Every figure is a number
// cell, formatted, so that the file can be sorted and summed as it is.
func Excel(r report.Report, lang string) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	b := &book{f: f, l: labelsFor(lang), r: r, styles: map[styleKey]int{}}
	if len(r.Reps) > 0 {
		b.metrics = r.Reps[0].Card.Metrics
	}
	names := newSheetNames()
	summary := names.name(b.l.summary, b.l.summary)
	// A new workbook has one sheet; renaming it, rather than adding and deleting, keeps the
	// summary first without leaving a stray sheet if a later step fails.
	if err := f.SetSheetName(f.GetSheetName(0), summary); err != nil {
		return nil, fmt.Errorf("export: naming the summary sheet: %w", err)
	}
	b.sheet(summary, r.Reps, func(rep report.RepResult) int { return rep.Rank })
	for _, t := range teams(r.Reps, b.l.noTeam) {
		name := names.name(t.name, b.l.header[colTeam-1])
		if _, err := f.NewSheet(name); err != nil {
			return nil, fmt.Errorf("export: adding the sheet of team %q: %w", t.name, err)
		}
		b.sheet(name, t.reps, func(rep report.RepResult) int { return rep.RankInTeam })
	}
	if b.err != nil {
		return nil, fmt.Errorf("export: %w", b.err)
	}
	f.SetActiveSheet(0)
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("export: writing the workbook: %w", err)
	}
	return buf.Bytes(), nil
}

type team struct {
	name string
	reps []report.RepResult
}

// teams groups reps by team in report order (best first), teams sorted by name and the reps in
// no team last under noTeam: they are not a team, and sorting them among the names would put a
// label between real teams.
func teams(reps []report.RepResult, noTeam string) []team {
	byName := map[string][]report.RepResult{}
	for _, rep := range reps {
		byName[rep.Team] = append(byName[rep.Team], rep)
	}
	var out []team
	for name, rs := range byName {
		if name != "" {
			out = append(out, team{name, rs})
		}
	}
	slices.SortFunc(out, func(a, b team) int { return strings.Compare(a.name, b.name) })
	if rs, ok := byName[""]; ok {
		out = append(out, team{noTeam, rs})
	}
	return out
}

// book carries what every sheet needs while the workbook is written. The first error is kept and
// the rest of the writing skipped, so that the layout code reads as a layout.
type book struct {
	f       *excelize.File
	l       labels
	r       report.Report
	metrics []kpi.MetricScore // the columns: the first rep's card, in its order
	styles  map[styleKey]int
	err     error
}

func (b *book) sheet(name string, reps []report.RepResult, rank func(report.RepResult) int) {
	b.set(name, colRank, titleRow, b.l.title(b.r), b.style(styleKey{role: roleTitle}))
	headers := slices.Clone(b.l.header)
	if b.r.Currency != "" {
		headers[colComm-1] += " (" + b.r.Currency + ")"
	}
	for _, m := range b.metrics {
		headers = append(headers, b.l.metricName(m))
	}
	for i, h := range headers {
		b.set(name, i+1, headerRow, h, b.style(styleKey{role: roleHeader}))
	}
	for i, rep := range reps {
		b.repRow(name, headerRow+1+i, rep, rank(rep))
	}
	b.totalsRow(name, headerRow+1+len(reps), reps)
	b.layout(name, len(headers), headerRow+len(reps))
}

func (b *book) repRow(sheet string, row int, rep report.RepResult, rank int) {
	if rank > 0 { // 0 is "not ranked", which a 0 in the cell would misstate
		b.set(sheet, colRank, row, rank, 0)
	}
	b.set(sheet, colName, row, rep.Name, 0)
	b.set(sheet, colTeam, row, rep.Team, 0)
	b.set(sheet, colRegion, row, rep.Region, 0)
	// A card with no scored weight has nothing judged: its total of 0 is not a score of 0.
	if rep.Card.ScoredWeight > 0 {
		b.set(sheet, colTotal, row, rep.Card.Total, b.style(styleKey{numFmt: fmtScore, band: rep.Card.Band}))
		b.set(sheet, colBand, row, b.l.bands[rep.Card.Band], 0)
	}
	if c := rep.Commission; c != nil {
		b.set(sheet, colComm, row, c.Final.InexactFloat64(), b.style(styleKey{numFmt: b.moneyFmt()}))
	}
	for i, col := range b.metrics {
		j := slices.IndexFunc(rep.Card.Metrics, func(m kpi.MetricScore) bool { return m.Key == col.Key })
		// A metric without a target was left out of the total; a 0 % would read as a failure.
		if j < 0 || rep.Card.Metrics[j].Status == kpi.NoTarget {
			continue
		}
		m := rep.Card.Metrics[j]
		b.set(sheet, colMetric+i, row, m.Completion, b.style(styleKey{numFmt: fmtCompletion, band: m.Band}))
	}
}

// totalsRow writes the count of reps, the mean total score and the sum of commissions as values
// computed here rather than formulas: viewers that do not calculate (previews, mail clients,
// importers) would show a formula's cell empty.
func (b *book) totalsRow(sheet string, row int, reps []report.RepResult) {
	t := sum(reps)
	b.set(sheet, colRank, row, b.l.total, b.style(styleKey{role: roleTotals}))
	b.set(sheet, colName, row, t.reps, b.style(styleKey{role: roleTotals, numFmt: b.l.repsFmt()}))
	if t.judged > 0 {
		b.set(sheet, colTotal, row, t.mean, b.style(styleKey{role: roleTotals, numFmt: fmtScore}))
	}
	if t.paid > 0 {
		b.set(sheet, colComm, row, t.commission.InexactFloat64(), b.style(styleKey{role: roleTotals, numFmt: b.moneyFmt()}))
	}
}

// totals are what the totals row of a list of reps shows, in the workbook and on the page.
type totals struct {
	reps       int
	judged     int     // reps with a total score: a card with no scored weight has none
	mean       float64 // of the judged reps' total scores
	paid       int     // reps with a commission
	commission decimal.Decimal
}

// sum totals reps. The commissions are summed in decimal, as money is.
func sum(reps []report.RepResult) totals {
	t := totals{reps: len(reps), commission: decimal.Zero}
	var scoreSum float64
	for _, rep := range reps {
		if rep.Card.ScoredWeight > 0 {
			scoreSum += rep.Card.Total
			t.judged++
		}
		if rep.Commission != nil {
			t.commission = t.commission.Add(rep.Commission.Final)
			t.paid++
		}
	}
	if t.judged > 0 {
		// Four places, as the scorecard keeps, so the mean is the same figure wherever computed.
		t.mean = math.Round(scoreSum/float64(t.judged)*1e4) / 1e4
	}
	return t
}

// layout freezes the title, header, rank and name, so a long list scrolls under them, sets the
// column widths and puts a filter on the header for sorting by any column.
func (b *book) layout(sheet string, cols, lastRow int) {
	if b.err != nil {
		return
	}
	topLeft, _ := excelize.CoordinatesToCellName(colName+1, headerRow+1)
	b.err = b.f.SetPanes(sheet, &excelize.Panes{Freeze: true, XSplit: colName, YSplit: headerRow,
		TopLeftCell: topLeft, ActivePane: "bottomRight",
		Selection: []excelize.Selection{{SQRef: topLeft, ActiveCell: topLeft, Pane: "bottomRight"}}})
	for c := 1; c <= cols && b.err == nil; c++ {
		width := 14.0 // a metric's column
		if c <= len(colWidths) {
			width = colWidths[c-1]
		}
		name, _ := excelize.ColumnNumberToName(c)
		b.err = b.f.SetColWidth(sheet, name, name, width)
	}
	if b.err == nil && len(b.r.Reps) > 0 {
		first, _ := excelize.CoordinatesToCellName(1, headerRow)
		last, _ := excelize.CoordinatesToCellName(cols, lastRow)
		b.err = b.f.AutoFilter(sheet, first+":"+last, nil)
	}
}

// moneyFmt groups thousands and shows the currency's minor unit: none for the yen, three for
// the dinar, so that the file shows what is paid.
func (b *book) moneyFmt() string {
	if p := money.Places(b.r.Currency); p > 0 {
		return "#,##0." + strings.Repeat("0", int(p))
	}
	return "#,##0"
}

// set writes one cell, with a style unless style is 0 (the default).
func (b *book) set(sheet string, col, row int, v any, style int) {
	if b.err != nil {
		return
	}
	var cell string
	if cell, b.err = excelize.CoordinatesToCellName(col, row); b.err != nil {
		return
	}
	if b.err = b.f.SetCellValue(sheet, cell, v); b.err == nil && style != 0 {
		b.err = b.f.SetCellStyle(sheet, cell, cell, style)
	}
}
