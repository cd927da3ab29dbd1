package main

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// row is one record as Tryton's search_read returns it: field name to raw JSON value.
// Related fields read with dotted names come back under "field." (e.g. "currency.").
type row map[string]json.RawMessage

// trytonObject is how Tryton's JSON encoder marks values JSON has no type for.
type trytonObject struct {
	Class       string `json:"__class__"`
	Decimal     string `json:"decimal"`
	Year        int    `json:"year"`
	Month       int    `json:"month"`
	Day         int    `json:"day"`
	Hour        int    `json:"hour"`
	Minute      int    `json:"minute"`
	Second      int    `json:"second"`
	Microsecond int    `json:"microsecond"`
}

func isNull(v json.RawMessage) bool { return len(v) == 0 || string(v) == "null" }

func (r row) id() (int64, error) { return r.int("id") }

func (r row) int(name string) (int64, error) {
	var n int64
	if err := json.Unmarshal(r[name], &n); err != nil {
		return 0, fmt.Errorf("field %s: want an integer, got %s", name, r[name])
	}
	return n, nil
}

// ref is a many2one: the target's id, or nil.
func (r row) ref(name string) (*int64, error) {
	if isNull(r[name]) {
		return nil, nil
	}
	n, err := r.int(name)
	return &n, err
}

// text is a char field; empty and missing values become nil.
func (r row) text(name string) (*string, error) {
	v := r[name]
	if isNull(v) || string(v) == "false" {
		return nil, nil
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return nil, fmt.Errorf("field %s: want a string, got %s", name, v)
	}
	if s == "" {
		return nil, nil
	}
	return &s, nil
}

// boolean accepts JSON booleans and, because SQLite stores booleans as integers, 0 and 1.
func (r row) boolean(name string) (bool, error) {
	switch string(r[name]) {
	case "true", "1":
		return true, nil
	case "false", "0", "null", "":
		return false, nil
	}
	return false, fmt.Errorf("field %s: want a boolean, got %s", name, r[name])
}

func (r row) float(name string) (*float64, error) {
	if isNull(r[name]) {
		return nil, nil
	}
	var f float64
	if err := json.Unmarshal(r[name], &f); err != nil {
		return nil, fmt.Errorf("field %s: want a number, got %s", name, r[name])
	}
	return &f, nil
}

// decimal is a Numeric field as the exact decimal string Tryton sent.
func (r row) decimal(name string) (*string, error) {
	v := r[name]
	if isNull(v) {
		return nil, nil
	}
	var o trytonObject
	if err := json.Unmarshal(v, &o); err == nil && o.Class == "Decimal" {
		return &o.Decimal, nil
	}
	// A plain JSON number (e.g. from a Function field): keep its digits as they are.
	if _, err := strconv.ParseFloat(string(v), 64); err == nil {
		s := string(v)
		return &s, nil
	}
	return nil, fmt.Errorf("field %s: want a Decimal, got %s", name, v)
}

// datetime is a Timestamp/DateTime field. Tryton's datetimes are naive; the server stamps
// them in its own time zone, which must be UTC (run trytond with TZ=UTC).
func (r row) datetime(name string) (*time.Time, error) {
	v := r[name]
	if isNull(v) {
		return nil, nil
	}
	var o trytonObject
	if err := json.Unmarshal(v, &o); err != nil || o.Class != "datetime" {
		return nil, fmt.Errorf("field %s: want a datetime, got %s", name, v)
	}
	t := time.Date(o.Year, time.Month(o.Month), o.Day, o.Hour, o.Minute, o.Second, o.Microsecond*1000, time.UTC)
	return &t, nil
}

// date is a Date field as "YYYY-MM-DD".
func (r row) date(name string) (*string, error) {
	v := r[name]
	if isNull(v) {
		return nil, nil
	}
	var o trytonObject
	if err := json.Unmarshal(v, &o); err != nil || o.Class != "date" {
		return nil, fmt.Errorf("field %s: want a date, got %s", name, v)
	}
	s := fmt.Sprintf("%04d-%02d-%02d", o.Year, o.Month, o.Day)
	return &s, nil
}

// related is a many2one read with a dotted name ("currency.code" comes back as "currency.").
func (r row) related(name string) (row, error) {
	v := r[name+"."]
	if isNull(v) {
		return nil, nil
	}
	var sub row
	if err := json.Unmarshal(v, &sub); err != nil {
		return nil, fmt.Errorf("field %s.: want an object, got %s", name, v)
	}
	return sub, nil
}

// relatedList is a one2many read with a dotted name, in the field's order.
func (r row) relatedList(name string) ([]row, error) {
	v := r[name+"."]
	if isNull(v) {
		return nil, nil
	}
	var subs []row
	if err := json.Unmarshal(v, &subs); err != nil {
		return nil, fmt.Errorf("field %s.: want a list, got %s", name, v)
	}
	return subs, nil
}

// trytonDatetime encodes t the way Tryton's JSON decoder rebuilds a datetime.
func trytonDatetime(t time.Time) map[string]any {
	t = t.UTC()
	return map[string]any{
		"__class__": "datetime", "year": t.Year(), "month": int(t.Month()), "day": t.Day(),
		"hour": t.Hour(), "minute": t.Minute(), "second": t.Second(), "microsecond": t.Nanosecond() / 1000,
	}
}

// timeText is the wire form of a timestamp in Data.
func timeText(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.UTC().Format("2006-01-02T15:04:05.000000Z")
	return &s
}
