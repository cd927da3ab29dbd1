package export

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/repflow/repflow/platform/appraisal/commission"
	"github.com/repflow/repflow/platform/appraisal/kpi"
	"github.com/repflow/repflow/platform/appraisal/report"
)

// metric is a scored line of a hand-made scorecard; only what the export reads is filled in.
func metric(key, en, zh string, completion float64, band kpi.Colour) kpi.MetricScore {
	return kpi.MetricScore{Key: key, NameEn: en, NameZh: zh, Status: kpi.Scored, Completion: completion, Band: band}
}

func rep(name, team string, total float64, band kpi.Colour, final string, tenant, inTeam int, ms ...kpi.MetricScore) report.RepResult {
	return report.RepResult{
		Name: name, Team: team, Region: "East",
		Card:       kpi.Scorecard{Metrics: ms, ScoredWeight: 100, Total: total, Band: band},
		Commission: &commission.Result{Currency: "CNY", Final: decimal.RequireFromString(final), Places: 2},
		Rank:       tenant, RankInTeam: inTeam, RankInRegion: tenant,
	}
}

// sample is three reps in two teams, best first, as the report holds them.
func sample() report.Report {
	noVisitTarget := kpi.MetricScore{Key: "visits", NameEn: "Visits", NameZh: "拜访", Status: kpi.NoTarget}
	return report.Report{
		Period: "2026-03", Scope: "tenant", TemplateVersion: 4, Currency: "CNY",
		CreatedAt: time.Date(2026, 4, 1, 8, 30, 0, 0, time.UTC),
		Reps: []report.RepResult{
			rep("Alice", "North", 92.5, kpi.Green, "1234.56", 1, 1,
				metric("revenue", "Revenue", "销售额", 110, kpi.Green), metric("visits", "Visits", "拜访", 95, kpi.Green)),
			rep("Bob", "South", 71.25, kpi.Amber, "800.10", 2, 1,
				metric("revenue", "Revenue", "销售额", 70, kpi.Amber), noVisitTarget),
			rep("Carol", "North", 40, kpi.Red, "99.99", 3, 2,
				metric("revenue", "Revenue", "销售额", 35, kpi.Red), metric("visits", "Visits", "拜访", 50, kpi.Red)),
		},
	}
}

func open(t *testing.T, r report.Report, lang string) *excelize.File {
	t.Helper()
	data, err := Excel(r, lang)
	if err != nil {
		t.Fatalf("Excel: %v", err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("the workbook does not open: %v", err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

// text is a cell as a reader sees it, number formats applied.
func text(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, cell)
	if err != nil {
		t.Fatalf("%s!%s: %v", sheet, cell, err)
	}
	return v
}

// number is a cell's stored value, failing unless the cell is a number cell: a figure stored as
// text could not be summed or sorted in Excel.
func number(t *testing.T, f *excelize.File, sheet, cell string) float64 {
	t.Helper()
	typ, err := f.GetCellType(sheet, cell)
	if err != nil || (typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber) {
		t.Fatalf("%s!%s has type %v (%v), want a number", sheet, cell, typ, err)
	}
	raw, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		t.Fatalf("%s!%s = %q, want a number", sheet, cell, raw)
	}
	return v
}

func style(t *testing.T, f *excelize.File, sheet, cell string) *excelize.Style {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatalf("%s!%s: %v", sheet, cell, err)
	}
	s, err := f.GetStyle(id)
	if err != nil {
		t.Fatalf("%s!%s style %d: %v", sheet, cell, id, err)
	}
	return s
}

func TestSheetsAreSummaryThenTeamsByName(t *testing.T) {
	f := open(t, sample(), "en")
	if got, want := f.GetSheetList(), []string{"Summary", "North", "South"}; !slices.Equal(got, want) {
		t.Fatalf("sheets %q, want %q", got, want)
	}
}

func TestSummaryRowsAndTotals(t *testing.T) {
	f := open(t, sample(), "en")
	const s = "Summary"
	for _, want := range []string{"2026-03", "tenant", "template version 4", "2026-04-01 08:30 UTC"} {
		if title := text(t, f, s, "A1"); !strings.Contains(title, want) {
			t.Errorf("title %q lacks %q", title, want)
		}
	}
	rows, _ := f.GetRows(s)
	wantHeader := []string{"Rank", "Name", "Team", "Region", "Total score", "Band", "Commission (CNY)", "Revenue %", "Visits %"}
	if !slices.Equal(rows[1], wantHeader) {
		t.Errorf("header %q, want %q", rows[1], wantHeader)
	}
	for i, want := range [][]string{
		{"1", "Alice", "North", "East", "92.50", "Green", "1,234.56", "110.0%", "95.0%"},
		{"2", "Bob", "South", "East", "71.25", "Amber", "800.10", "70.0%"}, // no visits target: blank
		{"3", "Carol", "North", "East", "40.00", "Red", "99.99", "35.0%", "50.0%"},
	} {
		if got := rows[2+i]; !slices.Equal(got, want) {
			t.Errorf("row %d: %q, want %q", 3+i, got, want)
		}
	}
	for cell, want := range map[string]float64{"A3": 1, "E3": 92.5, "E4": 71.25, "G3": 1234.56, "G4": 800.10, "H5": 35, "I5": 50} {
		if got := number(t, f, s, cell); got != want {
			t.Errorf("%s = %v, want %v", cell, got, want)
		}
	}
	// Totals on row 6: 3 reps; mean (92.5 + 71.25 + 40) / 3 = 203.75 / 3 = 67.91666… → 67.9167;
	// commissions 1234.56 + 800.10 + 99.99 = 2134.65 (summed in decimal: as floats it is
	// 2134.6499999999996).
	if got := text(t, f, s, "A6"); got != "Total" {
		t.Errorf("A6 = %q, want Total", got)
	}
	for cell, want := range map[string]float64{"B6": 3, "E6": 67.9167, "G6": 2134.65} {
		if got := number(t, f, s, cell); got != want {
			t.Errorf("totals %s = %v, want %v", cell, got, want)
		}
	}
	if got := text(t, f, s, "G6"); got != "2,134.65" {
		t.Errorf("G6 shows %q, want 2,134.65", got)
	}
}

func TestBandsFillTotalsAndCompletions(t *testing.T) {
	f := open(t, sample(), "en")
	for cell, want := range map[string]string{
		"E3": "C6EFCE", "E4": "FFEB9C", "E5": "FFC7CE", // totals: green, amber, red
		"H3": "C6EFCE", "H4": "FFEB9C", "I5": "FFC7CE", // completions
	} {
		fill := style(t, f, "Summary", cell).Fill
		if fill.Type != "pattern" || fill.Pattern != 1 || len(fill.Color) != 1 || fill.Color[0] != want {
			t.Errorf("%s fill %+v, want solid %s", cell, fill, want)
		}
	}
	if fill := style(t, f, "Summary", "B3").Fill; len(fill.Color) != 0 {
		t.Errorf("a name cell is filled: %+v", fill)
	}
}

func TestFormatsPanesWidthsAndHeader(t *testing.T) {
	f := open(t, sample(), "en")
	for cell, want := range map[string]string{"E3": "0.00", "G3": "#,##0.00", "H3": `0.0"%"`, "G6": "#,##0.00"} {
		if s := style(t, f, "Summary", cell); s.CustomNumFmt == nil || *s.CustomNumFmt != want {
			t.Errorf("%s number format %v, want %s", cell, s.CustomNumFmt, want)
		}
	}
	for _, sheet := range f.GetSheetList() {
		p, err := f.GetPanes(sheet)
		if err != nil || !p.Freeze || p.YSplit != 2 || p.XSplit != 2 || p.TopLeftCell != "C3" {
			t.Errorf("%s panes %+v (%v), want frozen title, header, rank and name", sheet, p, err)
		}
		if w, _ := f.GetColWidth(sheet, "B"); w != 20 {
			t.Errorf("%s column B width %v, want 20", sheet, w)
		}
		if s := style(t, f, sheet, "B2"); s.Font == nil || !s.Font.Bold {
			t.Errorf("%s header is not bold", sheet)
		}
	}
	jpy := sample()
	jpy.Currency = "JPY" // no minor unit: no decimals shown
	if s := style(t, open(t, jpy, "en"), "Summary", "G3"); s.CustomNumFmt == nil || *s.CustomNumFmt != "#,##0" {
		t.Errorf("JPY format %v, want #,##0", s.CustomNumFmt)
	}
}

func TestTeamSheetsHoldTheirRepsRankedInTeam(t *testing.T) {
	f := open(t, sample(), "en")
	for sheet, want := range map[string][][]string{
		"North": {{"1", "Alice"}, {"2", "Carol"}},
		"South": {{"1", "Bob"}},
	} {
		rows, _ := f.GetRows(sheet)
		if len(rows) != 2+len(want)+1 {
			t.Fatalf("%s has %d rows, want title, header, %d reps, totals", sheet, len(rows), len(want))
		}
		for i, w := range want {
			if got := rows[2+i][:2]; !slices.Equal(got, w) {
				t.Errorf("%s row %d: %q, want %q", sheet, 3+i, got, w)
			}
		}
	}
	// North's totals: 2 reps; (92.5 + 40) / 2 = 66.25; 1234.56 + 99.99 = 1334.55.
	for cell, want := range map[string]float64{"B5": 2, "E5": 66.25, "G5": 1334.55} {
		if got := number(t, f, "North", cell); got != want {
			t.Errorf("North %s = %v, want %v", cell, got, want)
		}
	}
}

func TestChinese(t *testing.T) {
	r := sample()
	r.Reps[2].Team = "" // Carol in no team
	f := open(t, r, "zh")
	if got, want := f.GetSheetList(), []string{"汇总", "North", "South", "未分组"}; !slices.Equal(got, want) {
		t.Fatalf("sheets %q, want %q", got, want)
	}
	rows, _ := f.GetRows("汇总")
	if want := []string{"排名", "姓名", "团队", "区域", "总分", "等级", "提成 (CNY)", "销售额 %", "拜访 %"}; !slices.Equal(rows[1], want) {
		t.Errorf("header %q, want %q", rows[1], want)
	}
	if got := rows[2][5]; got != "绿" {
		t.Errorf("band %q, want 绿", got)
	}
	if got := text(t, f, "未分组", "B3"); got != "Carol" {
		t.Errorf("the no-team sheet holds %q, want Carol", got)
	}
}

func TestNoRepsNoCommission(t *testing.T) {
	r := sample()
	r.Reps[1].Commission = nil
	f := open(t, r, "en")
	if got := text(t, f, "Summary", "G4"); got != "" {
		t.Errorf("a rep without commission shows %q", got)
	}
	if got := number(t, f, "Summary", "G6"); got != 1334.55 {
		t.Errorf("commission total %v, want 1334.55", got)
	}
	empty := open(t, report.Report{Period: "2026-03", Currency: "CNY"}, "en")
	if got := empty.GetSheetList(); !slices.Equal(got, []string{"Summary"}) {
		t.Errorf("sheets of an empty report %q", got)
	}
	if got := number(t, empty, "Summary", "B3"); got != 0 {
		t.Errorf("an empty report counts %v reps", got)
	}
}
