package export

import (
	"fmt"
	"strings"

	"github.com/repflow/repflow/platform/appraisal/kpi"
	"github.com/repflow/repflow/platform/appraisal/report"
)

// labels are the words of an export in one language, the workbook's and the printable page's
// alike. Only what a person reads is translated: numbers, the period and the scope stay as the
// report holds them, so the two languages' files carry the same figures.
type labels struct {
	zh                     bool
	lang                   string // the page's language tag
	summary, noTeam, total string
	header                 []string // the fixed columns, before one per metric
	reps                   string   // what the totals row counts, after the number: "3 reps"
	bands                  map[kpi.Colour]string
	// The title's words, each before its value: "template version 4".
	report, scope, templateVersion, planVersion, currency, generated, version string
	// The page's columns of a rep's metrics (after rank and name), and what a blank cell means.
	metric, actual, target, completion, score string
	noTarget, noActual                        string
	units                                     map[kpi.Unit]string // after a figure; none for counts, money and ratios
}

var english = labels{
	lang:    "en",
	summary: "Summary",
	noTeam:  "No team",
	total:   "Total",
	header:  []string{"Rank", "Name", "Team", "Region", "Total score", "Band", "Commission"},
	reps:    "reps",
	bands:   map[kpi.Colour]string{kpi.Red: "Red", kpi.Amber: "Amber", kpi.Green: "Green"},

	report: "Appraisal report", scope: "scope", templateVersion: "template version",
	planVersion: "commission plan version", currency: "currency", generated: "generated",
	version: "report version",

	metric: "Metric", actual: "Actual", target: "Target", completion: "Completion", score: "Score",
	noTarget: "no target", noActual: "no figure",
	units: map[kpi.Unit]string{kpi.UnitMinutes: "min", kpi.UnitSeconds: "s", kpi.UnitDays: "days"},
}

var chinese = labels{
	zh:      true,
	lang:    "zh-CN",
	summary: "汇总",
	noTeam:  "未分组",
	total:   "合计",
	header:  []string{"排名", "姓名", "团队", "区域", "总分", "等级", "提成"},
	reps:    "人",
	bands:   map[kpi.Colour]string{kpi.Red: "红", kpi.Amber: "黄", kpi.Green: "绿"},

	report: "考核报告", scope: "范围", templateVersion: "模板版本",
	planVersion: "提成方案版本", currency: "币种", generated: "生成于",
	version: "报告版本",

	metric: "指标", actual: "实际", target: "目标", completion: "完成率", score: "得分",
	noTarget: "无目标", noActual: "无数据",
	units: map[kpi.Unit]string{kpi.UnitMinutes: "分钟", kpi.UnitSeconds: "秒", kpi.UnitDays: "天"},
}

// labelsFor picks the language; anything but Chinese gets English, since the language only
// changes words and a file in the wrong one is better than no file for an unexpected tag.
func labelsFor(lang string) labels {
	if strings.HasPrefix(strings.ToLower(lang), "zh") {
		return chinese
	}
	return english
}

// generatedLayout is how both exports write when the report was made.
const generatedLayout = "2006-01-02 15:04 MST"

// title is the workbook's one-line title: the period, scope, template version and when the
// report was made.
func (l labels) title(r report.Report) string {
	return fmt.Sprintf("%s %s · %s %s · %s %d · %s %s", l.report, r.Period, l.scope, r.Scope,
		l.templateVersion, r.TemplateVersion, l.generated, r.CreatedAt.Format(generatedLayout))
}

// repsFmt is the number format of the workbook's totals row's rep count.
func (l labels) repsFmt() string { return `0" ` + l.reps + `"` }

// metricLabel is a metric's name in the language, falling back to the other name and then the
// key so that a metric is never unnamed.
func (l labels) metricLabel(m kpi.MetricScore) string {
	first, second := m.NameEn, m.NameZh
	if l.zh {
		first, second = m.NameZh, m.NameEn
	}
	for _, s := range []string{first, second, m.Key} {
		if s != "" {
			return s
		}
	}
	return ""
}

// metricName is a metric's column header in the workbook, where the column holds its completion.
func (l labels) metricName(m kpi.MetricScore) string {
	if s := l.metricLabel(m); s != "" {
		return s + " %"
	}
	return ""
}
