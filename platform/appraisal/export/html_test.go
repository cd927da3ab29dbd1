package export

import (
	"bytes"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"golang.org/x/net/html"

	"github.com/repflow/repflow/platform/appraisal/kpi"
	"github.com/repflow/repflow/platform/appraisal/report"
)

// render writes the page and parses it, failing unless its tags are balanced: every element the
// page opens is closed, in order. (The parser alone would accept anything, repairing it.)
func render(t *testing.T, r report.Report, lang string) (*html.Node, string) {
	t.Helper()
	data, err := HTML(r, lang)
	if err != nil {
		t.Fatalf("HTML: %v", err)
	}
	void := map[string]bool{"meta": true, "br": true, "img": true, "link": true, "hr": true, "input": true, "col": true}
	var open []string
	z := html.NewTokenizer(bytes.NewReader(data))
	for {
		switch z.Next() {
		case html.ErrorToken:
			if z.Err() != io.EOF {
				t.Fatalf("the page does not tokenize: %v", z.Err())
			}
			if len(open) != 0 {
				t.Fatalf("elements left open: %q", open)
			}
			doc, err := html.Parse(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("the page does not parse: %v", err)
			}
			return doc, string(data)
		case html.StartTagToken:
			if name, _ := z.TagName(); !void[string(name)] {
				open = append(open, string(name))
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if len(open) == 0 || open[len(open)-1] != string(name) {
				t.Fatalf("</%s> closes %q", name, open)
			}
			open = open[:len(open)-1]
		}
	}
}

// find is every element with the tag and, unless class is "", that class among its classes.
func find(n *html.Node, tag, class string) []*html.Node {
	var out []*html.Node
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && d.Data == tag && (class == "" || slices.Contains(classes(d), class)) {
			out = append(out, d)
		}
	}
	return out
}

func classes(n *html.Node) []string {
	for _, a := range n.Attr {
		if a.Key == "class" {
			return strings.Fields(a.Val)
		}
	}
	return nil
}

// textOf is the text a reader sees in n, entities decoded.
func textOf(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return b.String()
}

// cells is the text of every cell of the row.
func cells(tr *html.Node) []string {
	var out []string
	for c := range tr.ChildNodes() {
		if c.Type == html.ElementNode && (c.Data == "td" || c.Data == "th") {
			out = append(out, textOf(c))
		}
	}
	return out
}

func tds(tr *html.Node) []*html.Node {
	var out []*html.Node
	for c := range tr.ChildNodes() {
		if c.Type == html.ElementNode && c.Data == "td" {
			out = append(out, c)
		}
	}
	return out
}

// summaryTable is the summary's header, its rep rows and its totals row.
func summaryTable(t *testing.T, doc *html.Node) (header []string, reps, totals []*html.Node) {
	t.Helper()
	tables := find(doc, "table", "summary")
	if len(tables) != 1 {
		t.Fatalf("%d summary tables, want 1", len(tables))
	}
	header = cells(find(tables[0], "thead", "")[0].FirstChild)
	reps = find(tables[0], "tr", "rep")
	totals = find(tables[0], "tr", "totals")
	if len(totals) != 1 {
		t.Fatalf("%d totals rows, want 1", len(totals))
	}
	return header, reps, totals
}

// detailed is the sample with what the team sections show beyond the workbook: actuals, targets,
// units and scores, a metric with a target but no figure, a rep in no team.
func detailed() report.Report {
	r := sample()
	r.Version, r.CommissionPlanVersion = 3, 2
	alice := r.Reps[0].Card.Metrics
	alice[0].Unit, alice[0].Actual, alice[0].Target, alice[0].Score = kpi.UnitMoney, 123456.789, 112233.4, 110
	alice[1].Unit, alice[1].Actual, alice[1].Target, alice[1].Score = kpi.UnitCount, 38, 40, 95
	r.Reps[0].Card.Metrics = append(alice,
		kpi.MetricScore{Key: "coverage_rate", NameEn: "Coverage rate", NameZh: "客户覆盖率", Unit: kpi.UnitRatio,
			Status: kpi.Scored, Actual: 0.855, Target: 0.9, Completion: 95, Score: 95, Band: kpi.Green},
		kpi.MetricScore{Key: "average_visit_duration", NameEn: "Average visit duration", NameZh: "平均拜访时长",
			Unit: kpi.UnitMinutes, Status: kpi.NoActual, Target: 30, Band: kpi.Red})
	r.Reps[2].Team = "" // Carol in no team
	return r
}

func TestHTMLIsSelfContainedAndPrintable(t *testing.T) {
	doc, page := render(t, detailed(), "en")
	if n := len(find(doc, "style", "")); n != 1 {
		t.Errorf("%d style elements, want one inline", n)
	}
	for _, tag := range []string{"script", "link", "img", "iframe", "object"} {
		if n := len(find(doc, tag, "")); n != 0 {
			t.Errorf("the page has %d <%s>", n, tag)
		}
	}
	for _, outside := range []string{"url(", "@import", "http:", "https:", "src="} {
		if strings.Contains(page, outside) {
			t.Errorf("the page refers outside itself: %q", outside)
		}
	}
	css := textOf(find(doc, "style", "")[0])
	for _, want := range []string{"@page { size: A4 landscape;", "@media print", "section.team { break-before: page;",
		"thead { display: table-header-group; }", "print-color-adjust: exact"} {
		if !strings.Contains(css, want) {
			t.Errorf("the style sheet lacks %q", want)
		}
	}
	if got := find(doc, "html", "")[0].Attr; !slices.Contains(got, html.Attribute{Key: "lang", Val: "en"}) {
		t.Errorf("html attributes %v, want lang en", got)
	}
}

func TestHTMLTitleBlock(t *testing.T) {
	doc, _ := render(t, detailed(), "en")
	if got, want := textOf(find(doc, "h1", "")[0]), "Appraisal report 2026-03"; got != want {
		t.Errorf("h1 %q, want %q", got, want)
	}
	var facts []string
	for _, s := range find(find(doc, "p", "facts")[0], "span", "") {
		facts = append(facts, textOf(s))
	}
	want := []string{"scope tenant", "template version 4", "commission plan version 2", "currency CNY",
		"generated 2026-04-01 08:30 UTC", "report version 3"}
	if !slices.Equal(facts, want) {
		t.Errorf("facts %q, want %q", facts, want)
	}
	// Without a plan or currency, neither is mentioned.
	r := detailed()
	r.CommissionPlanVersion, r.Currency = 0, ""
	doc, _ = render(t, r, "zh")
	facts = nil
	for _, s := range find(find(doc, "p", "facts")[0], "span", "") {
		facts = append(facts, textOf(s))
	}
	want = []string{"范围 tenant", "模板版本 4", "生成于 2026-04-01 08:30 UTC", "报告版本 3"}
	if !slices.Equal(facts, want) {
		t.Errorf("facts %q, want %q", facts, want)
	}
}

// The summary is the workbook's summary sheet up to the commission, cell for cell as a reader
// sees it: the same ranks, blanks, score and money formats and totals, in both languages.
func TestHTMLSummaryShowsWhatTheWorkbookShows(t *testing.T) {
	unjudged := detailed()
	unjudged.Reps[1].Card = kpi.Scorecard{} // nothing with a target: no total, no band
	unjudged.Reps[1].Rank = 0               // and not ranked
	unpaid := sample()
	unpaid.Reps[1].Commission = nil
	jpy := sample()
	jpy.Currency = "JPY"
	jpy.Reps[0].Commission.Final = decimal.RequireFromString("1234567")
	cases := map[string]report.Report{"sample": sample(), "unjudged": unjudged, "unpaid": unpaid, "jpy": jpy,
		"empty": {Period: "2026-03", Currency: "CNY"}}
	cols := len(english.header) // the summary's columns: rank to commission
	for name, r := range cases {
		for _, lang := range []string{"en", "zh"} {
			f := open(t, r, lang)
			sheet := f.GetSheetList()[0]
			rows, _ := f.GetRows(sheet)
			want := rows[1:] // from the header
			doc, _ := render(t, r, lang)
			header, reps, totals := summaryTable(t, doc)
			got := [][]string{header}
			for _, tr := range append(reps, totals...) {
				got = append(got, cells(tr))
			}
			if len(got) != len(want) {
				t.Fatalf("%s %s: %d rows, the workbook %d", name, lang, len(got), len(want))
			}
			for i := range want {
				w := append(want[i], make([]string, cols)...)[:cols] // rank to commission, blanks kept
				if !slices.Equal(got[i], w) {
					t.Errorf("%s %s row %d: %q, the workbook shows %q", name, lang, i, got[i], w)
				}
			}
		}
	}
}

func TestHTMLEveryRepOnceInSummaryAndInTheirTeam(t *testing.T) {
	r := detailed()
	doc, _ := render(t, r, "en")
	_, reps, _ := summaryTable(t, doc)
	sections := find(doc, "section", "team")
	var teamNames []string
	for _, s := range sections {
		teamNames = append(teamNames, textOf(find(s, "h2", "")[0]))
	}
	if want := []string{"North", "South", "No team"}; !slices.Equal(teamNames, want) {
		t.Fatalf("team sections %q, want %q", teamNames, want)
	}
	for _, rep := range r.Reps {
		n := 0
		for _, tr := range reps {
			if cells(tr)[colName-1] == rep.Name {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s is %d times in the summary", rep.Name, n)
		}
		team := cmp(rep.Team, "No team")
		for i, s := range sections {
			n := 0
			for _, td := range find(s, "td", "name") {
				if textOf(td) == rep.Name {
					n++
				}
			}
			if want := map[bool]int{true: 1, false: 0}[teamNames[i] == team]; n != want {
				t.Errorf("%s is %d times in the section of %s, want %d", rep.Name, n, teamNames[i], want)
			}
		}
	}
	// Each section ranks its reps within the team, in report order.
	for i, s := range sections {
		var got, want []string
		for _, tr := range find(s, "tr", "rep-total") {
			got = append(got, cells(tr)[0]+" "+cells(tr)[1])
		}
		for _, rep := range r.Reps {
			if cmp(rep.Team, "No team") == teamNames[i] {
				want = append(want, strconv.Itoa(rep.RankInTeam)+" "+rep.Name)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("section %s: %q, want %q", teamNames[i], got, want)
		}
	}
}

// cmp is s, or ifEmpty when s is "".
func cmp(s, ifEmpty string) string {
	if s == "" {
		return ifEmpty
	}
	return s
}

func TestHTMLCommissionTotalIsTheExactSum(t *testing.T) {
	r := sample()
	// An amount past float64's exact integers (2^53 = 9007199254740992): through a float it would
	// come out as …992 or …994. The sum, in decimal:
	//   9007199254740993.05 + 800.10 + 99.99 = 9007199254741893.14
	r.Reps[0].Commission.Final = decimal.RequireFromString("9007199254740993.05")
	want := decimal.Zero
	for _, rep := range r.Reps {
		want = want.Add(rep.Commission.Final)
	}
	if want.String() != "9007199254741893.14" {
		t.Fatalf("the test's own sum is %s", want)
	}
	doc, _ := render(t, r, "en")
	_, reps, totals := summaryTable(t, doc)
	if got := cells(reps[0])[colComm-1]; got != "9,007,199,254,740,993.05" {
		t.Errorf("Alice's commission shows %q", got)
	}
	text := cells(totals[0])[colComm-1]
	if text != "9,007,199,254,741,893.14" {
		t.Errorf("the total commission shows %q, want 9,007,199,254,741,893.14", text)
	}
	if got := decimal.RequireFromString(strings.ReplaceAll(text, ",", "")); !got.Equal(want) {
		t.Errorf("the total commission is %s, the reps' sum %s", got, want)
	}
	// The sample as it is: 1234.56 + 800.10 + 99.99 = 2134.65 (as floats 2134.6499999999996).
	doc, _ = render(t, sample(), "en")
	_, _, totals = summaryTable(t, doc)
	if got := cells(totals[0]); got[colName-1] != "3 reps" || got[colTotal-1] != "67.92" || got[colComm-1] != "2,134.65" {
		t.Errorf("totals %q, want 3 reps, mean (92.5 + 71.25 + 40) / 3 = 67.9167 → 67.92, 2,134.65", got)
	}
}

func TestHTMLBandsColourAsTheScorecards(t *testing.T) {
	r := detailed()
	doc, _ := render(t, r, "en")
	css := textOf(find(doc, "style", "")[0])
	// The workbook's fills and fonts (TestBandsFillTotalsAndCompletions), not a second palette.
	for _, want := range []string{
		".band-red { background: #FFC7CE; color: #9C0006; }",
		".band-amber { background: #FFEB9C; color: #9C5700; }",
		".band-green { background: #C6EFCE; color: #006100; }",
	} {
		if !strings.Contains(css, want) {
			t.Errorf("the style sheet lacks %q", want)
		}
	}
	_, reps, _ := summaryTable(t, doc)
	for i, rep := range r.Reps {
		want := "band-" + string(rep.Card.Band)
		td := tds(reps[i])
		if !slices.Contains(classes(td[colBand-1]), want) || !slices.Contains(classes(td[colTotal-1]), want) {
			t.Errorf("%s's band and total have classes %q and %q, want %s", rep.Name, classes(td[colBand-1]), classes(td[colTotal-1]), want)
		}
		for j, other := range td {
			if j != colBand-1 && j != colTotal-1 && slices.ContainsFunc(classes(other), bandPrefix) {
				t.Errorf("%s's column %d is coloured: %q", rep.Name, j+1, classes(other))
			}
		}
	}
	// Team sections: each metric's completion and band cells in the metric's band; none for a
	// metric without a target.
	for _, rep := range r.Reps {
		var lines []*html.Node
		for _, tb := range find(doc, "tbody", "rep") {
			if textOf(find(tb, "td", "name")[0]) == rep.Name {
				lines = find(tb, "tr", "metric")
			}
		}
		if len(lines) != len(rep.Card.Metrics) {
			t.Fatalf("%s has %d metric lines, want %d", rep.Name, len(lines), len(rep.Card.Metrics))
		}
		for i, m := range rep.Card.Metrics {
			td := tds(lines[i])
			completion, band := classes(td[lineCompletion]), classes(td[lineBand])
			if m.Status == kpi.NoTarget {
				if slices.ContainsFunc(completion, bandPrefix) || slices.ContainsFunc(band, bandPrefix) {
					t.Errorf("%s %s has no target but is coloured", rep.Name, m.Key)
				}
				continue
			}
			want := "band-" + string(m.Band)
			if !slices.Contains(completion, want) || !slices.Contains(band, want) {
				t.Errorf("%s %s: classes %q and %q, want %s", rep.Name, m.Key, completion, band, want)
			}
		}
	}
}

func bandPrefix(c string) bool { return strings.HasPrefix(c, "band-") }

func TestHTMLMetricLines(t *testing.T) {
	for lang, want := range map[string][][]string{
		"en": {
			{"Revenue", "123,456.79", "112,233.40", "110.0%", "110.00", "Green"},
			{"Visits", "38", "40", "95.0%", "95.00", "Green"},
			{"Coverage rate", "85.5%", "90.0%", "95.0%", "95.00", "Green"},
			{"Average visit duration", "no figure", "30 min", "0.0%", "0.00", "Red"},
		},
		"zh": {
			{"销售额", "123,456.79", "112,233.40", "110.0%", "110.00", "绿"},
			{"拜访", "38", "40", "95.0%", "95.00", "绿"},
			{"客户覆盖率", "85.5%", "90.0%", "95.0%", "95.00", "绿"},
			{"平均拜访时长", "无数据", "30 分钟", "0.0%", "0.00", "红"},
		},
	} {
		doc, _ := render(t, detailed(), lang)
		alice := find(find(doc, "section", "team")[0], "tbody", "rep")[0]
		if got := cells(find(alice, "tr", "rep-total")[0]); got[2] != map[string]string{"en": "Total score", "zh": "总分"}[lang] || got[2+lineScore] != "92.50" {
			t.Errorf("%s: Alice's first line %q, want her total score 92.50", lang, got)
		}
		for i, tr := range find(alice, "tr", "metric") {
			if got := cells(tr); !slices.Equal(got, want[i]) {
				t.Errorf("%s: Alice's line %d %q, want %q", lang, i, got, want[i])
			}
		}
		// Bob's visits have no target: the actual, and blanks the rest.
		bob := find(find(doc, "section", "team")[1], "tr", "metric")[1]
		wantBob := map[string][]string{"en": {"Visits", "0", "no target", "", "", ""}, "zh": {"拜访", "0", "无目标", "", "", ""}}[lang]
		if got := cells(bob); !slices.Equal(got, wantBob) {
			t.Errorf("%s: Bob's visits %q, want %q", lang, got, wantBob)
		}
	}
}

// visibleText is the text of the page a reader sees, style sheet left out.
func visibleText(doc *html.Node) string {
	var b strings.Builder
	for d := range doc.Descendants() {
		if d.Type == html.TextNode && d.Parent.Data != "style" {
			b.WriteString(d.Data + "\n")
		}
	}
	return b.String()
}

func TestHTMLChinese(t *testing.T) {
	doc, _ := render(t, detailed(), "zh")
	if got := find(doc, "html", "")[0].Attr; !slices.Contains(got, html.Attribute{Key: "lang", Val: "zh-CN"}) {
		t.Errorf("html attributes %v, want lang zh-CN", got)
	}
	header, reps, totals := summaryTable(t, doc)
	if want := []string{"排名", "姓名", "团队", "区域", "总分", "等级", "提成 (CNY)"}; !slices.Equal(header, want) {
		t.Errorf("summary header %q, want %q", header, want)
	}
	if got := cells(reps[0])[colBand-1]; got != "绿" {
		t.Errorf("Alice's band %q, want 绿", got)
	}
	if got := cells(totals[0])[:2]; !slices.Equal(got, []string{"合计", "3 人"}) {
		t.Errorf("totals %q, want 合计, 3 人", got)
	}
	detail := cells(find(find(doc, "table", "team")[0], "thead", "")[0].FirstChild)
	if want := []string{"排名", "姓名", "指标", "实际", "目标", "完成率", "得分", "等级"}; !slices.Equal(detail, want) {
		t.Errorf("team header %q, want %q", detail, want)
	}
	if got := textOf(find(doc, "section", "team")[2].FirstChild.NextSibling); got != "未分组" {
		t.Errorf("the no-team section is headed %q, want 未分组", got)
	}
	text := visibleText(doc)
	l := english
	words := append(slices.Clone(l.header), l.summary, l.noTeam, l.total, l.reps, l.report, l.scope, l.templateVersion,
		l.planVersion, l.currency, l.generated, l.version, l.metric, l.actual, l.target, l.completion, l.score,
		l.noTarget, l.noActual, "Revenue", "Visits")
	for _, w := range l.bands {
		words = append(words, w)
	}
	for _, w := range words {
		if strings.Contains(text, w) {
			t.Errorf("the Chinese page says %q", w)
		}
	}
	// A language neither English nor Chinese gets English, as the workbook does.
	en, _ := HTML(detailed(), "en")
	fr, _ := HTML(detailed(), "fr")
	if !bytes.Equal(en, fr) {
		t.Error(`lang "fr" is not the English page`)
	}
}

func TestHTMLEscapesWhatUsersTyped(t *testing.T) {
	r := detailed()
	hostile := `<script>alert("x")</script>`
	team := `</table><h1>North & co</h1>`
	region := `"><img src=x onerror=alert(1)>`
	r.Reps[0].Name, r.Reps[0].Team, r.Reps[0].Region = hostile, team, region
	doc, page := render(t, r, "en")
	for _, tag := range []string{"script", "img"} {
		if n := len(find(doc, tag, "")); n != 0 {
			t.Errorf("a name made %d <%s> elements", n, tag)
		}
	}
	if n := len(find(doc, "h1", "")); n != 1 {
		t.Errorf("a team name made a heading: %d h1", n)
	}
	if !strings.Contains(page, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") {
		t.Error("the name is not escaped as text")
	}
	_, reps, _ := summaryTable(t, doc)
	if got := cells(reps[0])[:4]; !slices.Equal(got, []string{"1", hostile, team, region}) {
		t.Errorf("the summary shows %q, want the names as typed", got)
	}
	if got := textOf(find(doc, "h2", "")[1]); got != team {
		t.Errorf("the team section is headed %q, want %q", got, team)
	}
	if got := textOf(find(doc, "td", "name")[0]); got != hostile {
		t.Errorf("the team section names %q, want %q", got, hostile)
	}
}

func TestHTMLEmptyReport(t *testing.T) {
	doc, _ := render(t, report.Report{Period: "2026-03", Currency: "CNY"}, "en")
	_, reps, totals := summaryTable(t, doc)
	if len(reps) != 0 || len(find(doc, "section", "team")) != 0 {
		t.Errorf("an empty report has %d rows and %d team sections", len(reps), len(find(doc, "section", "team")))
	}
	if got, want := cells(totals[0]), []string{"Total", "0 reps", "", "", "", "", ""}; !slices.Equal(got, want) {
		t.Errorf("totals %q, want %q", got, want)
	}
}

func TestGroup(t *testing.T) {
	for in, want := range map[string]string{
		"0": "0", "999": "999", "1000": "1,000", "123456.789": "123,456.789", "-1234567.5": "-1,234,567.5",
		"-100": "-100", "100000": "100,000",
	} {
		if got := group(in); got != want {
			t.Errorf("group(%q) = %q, want %q", in, got, want)
		}
	}
}
