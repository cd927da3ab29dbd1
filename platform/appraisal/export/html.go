package export

import (
	"bytes"
	"fmt"
	"html/template"
	"slices"
	"strconv"
	"strings"

	"github.com/repflow/repflow/platform/appraisal/kpi"
	"github.com/repflow/repflow/platform/appraisal/report"
)

// HTMLContentType is the media type of what HTML returns.
const HTMLContentType = "text/html; charset=utf-8"

// HTML writes the report as one self-contained page to print, in lang ("en" or "zh"; anything
// else is English, as for Excel): a title block, the summary ranking every rep in the tenant with
// the totals the workbook shows, then a section per team, grouped and ordered as the workbook's
// sheets, each rep with every metric of their scorecard. Styles are inline and nothing is fetched,
// so the page prints the same from a mail attachment as from the app: A4 landscape, each team on
// a new page, table headers repeated on every page.
func HTML(r report.Report, lang string) ([]byte, error) {
	l := labelsFor(lang)
	p := page{Lang: l.lang, Title: l.report + " " + r.Period, CSS: pageCSS(), Summary: l.summary}
	p.Facts = append(p.Facts, fact{l.scope, r.Scope}, fact{l.templateVersion, strconv.Itoa(r.TemplateVersion)})
	if r.CommissionPlanVersion > 0 {
		p.Facts = append(p.Facts, fact{l.planVersion, strconv.Itoa(r.CommissionPlanVersion)})
	}
	if r.Currency != "" {
		p.Facts = append(p.Facts, fact{l.currency, r.Currency})
	}
	p.Facts = append(p.Facts, fact{l.generated, r.CreatedAt.Format(generatedLayout)},
		fact{l.version, strconv.Itoa(r.Version)})

	p.Header = slices.Clone(l.header)
	if r.Currency != "" {
		p.Header[colComm-1] += " (" + r.Currency + ")"
	}
	for _, rep := range r.Reps {
		p.Rows = append(p.Rows, l.summaryRow(r, rep))
	}
	p.Totals = l.totalsRow(r, sum(r.Reps))

	p.Detail = []string{l.header[colRank-1], l.header[colName-1], l.metric, l.actual, l.target, l.completion, l.score, l.header[colBand-1]}
	for _, t := range teams(r.Reps, l.noTeam) {
		s := section{Name: t.name}
		for _, rep := range t.reps {
			s.Reps = append(s.Reps, l.repDetail(r, rep))
		}
		p.Teams = append(p.Teams, s)
	}

	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, p); err != nil {
		return nil, fmt.Errorf("export: writing the page: %w", err)
	}
	return buf.Bytes(), nil
}

// page is what the template lays out: every figure already written as text, so that the template
// only places it and the formatting lives in one place (format.go).
type page struct {
	Lang, Title string
	CSS         template.CSS
	Facts       []fact
	Summary     string
	Header      []string // the summary's columns
	Rows        [][]cell // a rep a row, in report order
	Totals      []cell
	Detail      []string // a team section's columns
	Teams       []section
}

type fact struct{ Label, Value string }

// cell is one table cell: its text and its classes ("num" right-aligns, "band-…" colours).
type cell struct{ Text, Class string }

type section struct {
	Name string
	Reps []repLines
}

// repLines is a rep in a team section: rank in the team and name beside a first line with the
// total score, then a line per metric.
type repLines struct {
	Rank, Name string
	Total      []cell
	Metrics    [][]cell
}

// Span is how many lines the rank and name cells cover.
func (r repLines) Span() int { return 1 + len(r.Metrics) }

// summaryRow is the rep's line of the summary, cell for cell the workbook's summary row up to the
// commission: rank in the tenant, name, team, region, total score and band, commission.
func (l labels) summaryRow(r report.Report, rep report.RepResult) []cell {
	row := []cell{{Text: rank(rep.Rank), Class: "num"}, {Text: rep.Name}, {Text: rep.Team}, {Text: rep.Region}, {Class: "num"}, {}, {Class: "num"}}
	// A card with no scored weight has nothing judged: its total of 0 is not a score of 0.
	if rep.Card.ScoredWeight > 0 {
		row[colTotal-1] = cell{Text: scoreText(rep.Card.Total), Class: numIn(rep.Card.Band)}
		row[colBand-1] = cell{Text: l.bands[rep.Card.Band], Class: bandClass(rep.Card.Band)}
	}
	if c := rep.Commission; c != nil {
		row[colComm-1].Text = amountText(c.Final, r.Currency)
	}
	return row
}

// totalsRow is the summary's last line, as the workbook's totals row: the count of reps, the mean
// total score of those judged, the sum of the commissions.
func (l labels) totalsRow(r report.Report, t totals) []cell {
	row := []cell{{Text: l.total}, {Text: strconv.Itoa(t.reps) + " " + l.reps}, {}, {}, {Class: "num"}, {}, {Class: "num"}}
	if t.judged > 0 {
		row[colTotal-1].Text = scoreText(t.mean)
	}
	if t.paid > 0 {
		row[colComm-1].Text = amountText(t.commission, r.Currency)
	}
	return row
}

// The cells of a line of a team section, after the rank and name.
const (
	lineMetric = iota
	lineActual
	lineTarget
	lineCompletion
	lineScore
	lineBand
	lineCells
)

// repDetail is the rep's lines of a team section: the total, then every metric of the scorecard
// in its order. A metric without a target shows its actual and why the rest is blank; one with a
// target but no figure scores 0, and says so where the actual would be.
func (l labels) repDetail(r report.Report, rep report.RepResult) repLines {
	out := repLines{Rank: rank(rep.RankInTeam), Name: rep.Name, Total: make([]cell, lineCells)}
	out.Total[lineMetric].Text = l.header[colTotal-1]
	if rep.Card.ScoredWeight > 0 {
		out.Total[lineScore] = cell{Text: scoreText(rep.Card.Total), Class: numIn(rep.Card.Band)}
		out.Total[lineBand] = cell{Text: l.bands[rep.Card.Band], Class: bandClass(rep.Card.Band)}
	}
	for _, m := range rep.Card.Metrics {
		line := make([]cell, lineCells)
		line[lineMetric].Text = l.metricLabel(m)
		line[lineActual] = cell{Text: l.figureText(m, m.Actual, r.Currency), Class: "num"}
		line[lineTarget] = cell{Text: l.figureText(m, m.Target, r.Currency), Class: "num"}
		switch m.Status {
		case kpi.NoTarget:
			line[lineTarget] = cell{Text: l.noTarget, Class: "note"}
		case kpi.NoActual:
			line[lineActual] = cell{Text: l.noActual, Class: "note"}
		}
		if m.Status != kpi.NoTarget {
			line[lineCompletion] = cell{Text: percentText(m.Completion), Class: numIn(m.Band)}
			line[lineScore] = cell{Text: scoreText(m.Score), Class: "num"}
			line[lineBand] = cell{Text: l.bands[m.Band], Class: bandClass(m.Band)}
		}
		out.Metrics = append(out.Metrics, line)
	}
	return out
}

// rank is a rank's text; 0 is "not ranked", which a 0 would misstate.
func rank(n int) string {
	if n > 0 {
		return strconv.Itoa(n)
	}
	return ""
}

// bandClass is the class colouring a cell in the band; "" for no band or one the exports do not
// colour.
func bandClass(c kpi.Colour) string {
	if _, ok := bandFill[c]; !ok {
		return ""
	}
	return "band-" + string(c)
}

// numIn is the classes of a figure's cell coloured in the band.
func numIn(c kpi.Colour) string { return strings.TrimSpace("num " + bandClass(c)) }

// pageCSS is the page's style sheet, the bands' colours taken from the workbook's (bandFill) so
// that the page and the file colour alike.
func pageCSS() template.CSS {
	var b strings.Builder
	b.WriteString(baseCSS)
	for _, c := range []kpi.Colour{kpi.Red, kpi.Amber, kpi.Green} {
		f := bandFill[c]
		fmt.Fprintf(&b, ".band-%s { background: #%s; color: #%s; }\n", c, f.fill, f.font)
	}
	return template.CSS(b.String())
}

const baseCSS = `
@page { size: A4 landscape; margin: 12mm; }
* { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font: 10pt/1.35 system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; color: #000; margin: 0; padding: 16px; }
h1 { font-size: 15pt; margin: 0 0 4px; }
h2 { font-size: 12pt; margin: 16px 0 6px; }
.facts { margin: 0 0 12px; color: #333; }
.facts span + span::before { content: " · "; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: 3px 6px; border-bottom: 1px solid #ddd; text-align: left; vertical-align: top; }
th { border-bottom: 1px solid #000; font-weight: bold; }
thead { display: table-header-group; }
.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.note { color: #666; font-style: italic; text-align: right; }
tr.totals td { border-top: 1px solid #000; border-bottom: none; font-weight: bold; }
tr.rep-total td { font-weight: bold; border-top: 1px solid #999; }
@media print {
	body { padding: 0; }
	section.team { break-before: page; page-break-before: always; }
	tr, tbody.rep { break-inside: avoid; page-break-inside: avoid; }
	h2 { break-after: avoid; page-break-after: avoid; }
}
`

var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>{{.CSS}}</style>
</head>
<body>
<header>
<h1>{{.Title}}</h1>
<p class="facts">{{range .Facts}}<span>{{.Label}} <b>{{.Value}}</b></span>{{end}}</p>
</header>
<section class="summary">
<h2>{{.Summary}}</h2>
<table class="summary">
<thead><tr>{{range .Header}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>
{{range .Rows}}<tr class="rep">{{template "cells" .}}</tr>
{{end}}</tbody>
<tbody class="totals"><tr class="totals">{{template "cells" .Totals}}</tr></tbody>
</table>
</section>
{{range .Teams}}<section class="team">
<h2>{{.Name}}</h2>
<table class="team">
<thead><tr>{{range $.Detail}}<th>{{.}}</th>{{end}}</tr></thead>
{{range .Reps}}<tbody class="rep">
<tr class="rep-total"><td class="num" rowspan="{{.Span}}">{{.Rank}}</td><td class="name" rowspan="{{.Span}}">{{.Name}}</td>{{template "cells" .Total}}</tr>
{{range .Metrics}}<tr class="metric">{{template "cells" .}}</tr>
{{end}}</tbody>
{{end}}</table>
</section>
{{end}}</body>
</html>
{{define "cells"}}{{range .}}<td{{with .Class}} class="{{.}}"{{end}}>{{.Text}}</td>{{end}}{{end}}`))
