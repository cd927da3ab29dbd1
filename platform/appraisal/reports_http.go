package appraisal

import (
	"context"
	"fmt"

	"github.com/repflow/repflow/platform/appraisal/export"
	"github.com/repflow/repflow/platform/appraisal/report"
	"github.com/repflow/repflow/platform/web"
)

// AppraisalReportDTO is a frozen report version; Changes, on a newly made version, are what
// moved since the version before it.
type AppraisalReportDTO struct {
	report.Report
	Changes []report.RepChange `json:"changes,omitempty"`
}

// MakeReportDTO asks for a month's or a quarter's report.
type MakeReportDTO struct {
	Period string `json:"period" doc:"the month, YYYY-MM, or the quarter, YYYY-Qn; it must have begun"`
	Scope  string `json:"scope,omitempty" doc:"tenant (the default), region:<id> (the region's subtree), team:<id> or rep:<id>"`
}

type makeReportInput struct{ Body MakeReportDTO }

func (h *HTTP) makeReport(ctx context.Context, in *makeReportInput) (*struct{ Body AppraisalReportDTO }, error) {
	scope, err := ParseScope(in.Body.Scope, "body.scope")
	if err != nil {
		return nil, err
	}
	r, err := h.svc.MakeReport(ctx, in.Body.Period, scope)
	if err != nil {
		return nil, err
	}
	out := &struct{ Body AppraisalReportDTO }{Body: AppraisalReportDTO{Report: r}}
	prev, ok, err := h.svc.PreviousReport(ctx, r)
	if err != nil {
		return nil, err
	}
	if ok {
		out.Body.Changes = report.Diff(prev, r)
	}
	return out, nil
}

type reportPath struct {
	ID string `path:"id" format:"uuid" doc:"the report version's id"`
}

func (h *HTTP) getReport(ctx context.Context, in *reportPath) (*struct{ Body AppraisalReportDTO }, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	r, err := h.svc.GetReport(ctx, id)
	if err != nil {
		return nil, err
	}
	return &struct{ Body AppraisalReportDTO }{Body: AppraisalReportDTO{Report: r}}, nil
}

// ReportVersionsDTO lists a month's report versions.
type ReportVersionsDTO struct {
	Versions []ReportVersion `json:"versions"`
}

type listReportsInput struct {
	Period string `query:"period" doc:"the month, YYYY-MM, or the quarter, YYYY-Qn; absent: every period"`
	Scope  string `query:"scope" doc:"tenant, region:<id>, team:<id> or rep:<id>; absent: every scope"`
}

func (h *HTTP) listReports(ctx context.Context, in *listReportsInput) (*struct{ Body ReportVersionsDTO }, error) {
	var scope *Scope
	if in.Scope != "" {
		s, err := ParseScope(in.Scope, "query.scope")
		if err != nil {
			return nil, err
		}
		scope = &s
	}
	vs, err := h.svc.ListReports(ctx, in.Period, scope)
	if err != nil {
		return nil, err
	}
	return &struct{ Body ReportVersionsDTO }{Body: ReportVersionsDTO{Versions: append([]ReportVersion{}, vs...)}}, nil
}

// exportInput names a frozen report version and the language to export it in.
type exportInput struct {
	ID   string `path:"id" format:"uuid" doc:"the report version's id"`
	Lang string `query:"lang" enum:"en,zh" default:"en" doc:"the language of the headers and metric names"`
}

// exported renders the report version in asks for, if the caller may export it.
func (h *HTTP) exported(ctx context.Context, in *exportInput, render func(report.Report, string) ([]byte, error)) (report.Report, []byte, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return report.Report{}, nil, err
	}
	r, err := h.svc.ExportReport(ctx, id)
	if err != nil {
		return report.Report{}, nil, err
	}
	raw, err := render(r, in.Lang)
	return r, raw, err
}

type excelOutput struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	Body               []byte
}

func (h *HTTP) excel(ctx context.Context, in *exportInput) (*excelOutput, error) {
	r, raw, err := h.exported(ctx, in, export.Excel)
	if err != nil {
		return nil, err
	}
	name := fmt.Sprintf("appraisal-%s-v%d.xlsx", r.Period, r.Version)
	return &excelOutput{ContentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		ContentDisposition: `attachment; filename="` + name + `"`, Body: raw}, nil
}

type printOutput struct {
	ContentType string `header:"Content-Type"`
	Body        []byte
}

func (h *HTTP) print(ctx context.Context, in *exportInput) (*printOutput, error) {
	_, page, err := h.exported(ctx, in, export.HTML)
	if err != nil {
		return nil, err
	}
	return &printOutput{ContentType: export.HTMLContentType, Body: page}, nil
}
