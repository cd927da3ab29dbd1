package fault

import (
	"encoding/csv"
	"errors"
	"fmt"
)

// BadCSV is the fault of an uploaded CSV file that stops being CSV, at the file's line
// (body.lines[3] is its third line, the header being the first), as every CSV import names
// its lines.
func BadCSV(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return Field(fmt.Sprintf("body.lines[%d]", pe.Line), "is not CSV: "+pe.Err.Error(), "")
	}
	return Field("body", "is not CSV: "+err.Error(), "")
}
