package appraisal

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/fault"
)

// MaxTargetsCSVBytes bounds an imported targets file: MaxTargets lines of a rep id, a metric key
// and a value fit many times over.
const MaxTargetsCSVBytes = 1 << 20

// targetColumns are the columns an imported targets file must have, in any order; other columns
// (a rep's name, last month's figure) are there for the person filling it in, and ignored.
var targetColumns = []string{"rep_id", "metric", "value"}

// ImportTargets sets a month's or quarter's targets from a CSV file (UTF-8, a header line naming
// rep_id, metric and value), all or none, as SetTargets does: an error names the file's line and
// column (body.lines[3].value is the value on the file's third line, the header being the first).
func (s *Service) ImportTargets(ctx context.Context, period string, file []byte) ([]Target, error) {
	p, err := ParsePeriod(period, "query.period")
	if err != nil {
		return nil, err
	}
	in, lines, err := targetsFromCSV(file)
	if err != nil {
		return nil, err
	}
	return s.setTargets(ctx, p, in, func(i int) string { return fmt.Sprintf("body.lines[%d]", lines[i]) })
}

// targetsFromCSV reads the targets of a file and the line each is on.
func targetsFromCSV(file []byte) ([]NewTarget, []int, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(file, []byte("\uFEFF")))) // spreadsheets write a BOM
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil, fault.Field("body", "is empty: the first line must name the columns rep_id, metric and value", "")
	}
	if err != nil {
		return nil, nil, fault.BadCSV(err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, c := range targetColumns {
		if _, ok := col[c]; !ok {
			return nil, nil, fault.Field("body.lines[1]", "must name the columns rep_id, metric and value", strings.Join(header, ","))
		}
	}
	width := slices.Max([]int{col["rep_id"], col["metric"], col["value"]}) + 1
	var out []NewTarget
	var lines []int
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, fault.BadCSV(err)
		}
		line, _ := r.FieldPos(0)
		at := fmt.Sprintf("body.lines[%d]", line)
		if len(rec) < width {
			return nil, nil, fault.Field(at, fmt.Sprintf("has %d columns, the header %d", len(rec), len(header)), strings.Join(rec, ","))
		}
		if len(out) == MaxTargets {
			return nil, nil, fault.Field("body", fmt.Sprintf("holds more than %d targets", MaxTargets), line)
		}
		raw := strings.TrimSpace(rec[col["rep_id"]])
		rep, err := uuid.Parse(raw)
		if err != nil {
			return nil, nil, fault.Field(at+".rep_id", "is not a rep's id", raw)
		}
		raw = strings.TrimSpace(rec[col["value"]])
		value, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			return nil, nil, fault.Field(at+".value", "is not a number (write 0.9 for 90 %)", raw)
		}
		out = append(out, NewTarget{RepID: rep, Metric: strings.TrimSpace(rec[col["metric"]]), Value: value})
		lines = append(lines, line)
	}
	if len(out) == 0 {
		return nil, nil, fault.Field("body", "holds no target: one line per rep and metric after the header", "")
	}
	return out, lines, nil
}
