package export

import (
	"fmt"
	"strings"

	"github.com/repflow/repflow/platform/appraisal/kpi"
	"github.com/repflow/repflow/platform/appraisal/report"
)

// labels are the words of a workbook in one language. Only what a person reads is translated:
// numbers, the period and the scope stay as the report holds them, so the two languages' files
// carry the same figures.
type labels struct {
	zh                     bool
	summary, noTeam, total string
	header                 []string // the fixed columns, before one per metric
	repsFmt                string   // the number format of the totals row's rep count
	bands                  map[kpi.Colour]string
	title                  func(r report.Report) string
}

var english = labels{
	summary: "Summary",
	noTeam:  "No team",
	total:   "Total",
	header:  []string{"Rank", "Name", "Team", "Region", "Total score", "Band", "Commission"},
	repsFmt: `0" reps"`,
	bands:   map[kpi.Colour]string{kpi.Red: "Red", kpi.Amber: "Amber", kpi.Green: "Green"},
	title: func(r report.Report) string {
		return fmt.Sprintf("Appraisal report %s · scope %s · template version %d · generated %s",
			r.Period, r.Scope, r.TemplateVersion, r.CreatedAt.Format("2006-01-02 15:04 MST"))
	},
}

var chinese = labels{
	zh:      true,
	summary: "汇总",
	noTeam:  "未分组",
	total:   "合计",
	header:  []string{"排名", "姓名", "团队", "区域", "总分", "等级", "提成"},
	repsFmt: `0" 人"`,
	bands:   map[kpi.Colour]string{kpi.Red: "红", kpi.Amber: "黄", kpi.Green: "绿"},
	title: func(r report.Report) string {
		return fmt.Sprintf("考核报告 %s · 范围 %s · 模板版本 %d · 生成于 %s",
			r.Period, r.Scope, r.TemplateVersion, r.CreatedAt.Format("2006-01-02 15:04 MST"))
	},
}

// labelsFor picks the language; anything but Chinese gets English, since the language only
// changes words and a file in the wrong one is better than no file for an unexpected tag.
func labelsFor(lang string) labels {
	if strings.HasPrefix(strings.ToLower(lang), "zh") {
		return chinese
	}
	return english
}

// metricName is a metric's header in the language, falling back to the other name and then the
// key so that a column is never unnamed.
func (l labels) metricName(m kpi.MetricScore) string {
	first, second := m.NameEn, m.NameZh
	if l.zh {
		first, second = m.NameZh, m.NameEn
	}
	for _, s := range []string{first, second, m.Key} {
		if s != "" {
			return s + " %"
		}
	}
	return ""
}
