package main

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/repflow/repflow/plugins/sdk"
)

func TestDescribe(t *testing.T) {
	d, err := newConnector().Describe(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if d.Kind != "tryton" || d.DisplayName != "Tryton ERP" || d.Version == "" {
		t.Errorf("Describe = %q %q %q", d.Kind, d.DisplayName, d.Version)
	}
	var names []string
	for _, e := range d.Entities {
		if e.Direction != sdk.Pull || e.Description == "" {
			t.Errorf("entity %s: direction %d, description %q", e.Name, e.Direction, e.Description)
		}
		names = append(names, e.Name)
	}
	if want := []string{"customers", "products", "opportunities", "orders"}; !reflect.DeepEqual(names, want) {
		t.Errorf("entities = %v, want %v", names, want)
	}
	var schema struct {
		Type       string
		Required   []string
		Properties map[string]map[string]any
	}
	if err := json.Unmarshal(d.ConfigSchema, &schema); err != nil {
		t.Fatalf("schema is not JSON: %v", err)
	}
	if schema.Type != "object" || !reflect.DeepEqual(schema.Required, []string{"url", "database", "username", "password"}) {
		t.Errorf("schema type %q required %v", schema.Type, schema.Required)
	}
	pw := schema.Properties["password"]
	if pw["writeOnly"] != true || pw["format"] != "password" {
		t.Errorf("password property = %v, want writeOnly and format password", pw)
	}
	ps := schema.Properties["page_size"]
	if ps["minimum"] != 1.0 || ps["maximum"] != 500.0 || ps["default"] != 100.0 || schema.Properties["company"]["default"] != 1.0 {
		t.Errorf("page_size = %v, company = %v", ps, schema.Properties["company"])
	}
}

func TestConfigureFieldErrors(t *testing.T) {
	const good = `"url":"http://erp.example:8000","database":"crm","username":"sync","password":"secret"`
	tests := []struct {
		name   string
		config string
		want   map[string]string // field -> part of its message
	}{
		{"valid", `{` + good + `}`, nil},
		{"valid with options", `{` + good + `,"company":2,"page_size":500}`, nil},
		{"settle time", `{` + good + `,"settle_seconds":0}`, nil},
		{"settle time too long", `{` + good + `,"settle_seconds":3601}`, map[string]string{"/settle_seconds": "between 0 and 3600"}},
		{"not an object", `[1]`, map[string]string{"": "JSON object"}},
		{"not JSON", `{"url":`, map[string]string{"": "JSON object"}},
		{"all missing", `{}`, map[string]string{"/url": "required", "/database": "required",
			"/username": "required", "/password": "required"}},
		{"ftp url", `{"url":"ftp://erp.example","database":"crm","username":"u","password":"p"}`,
			map[string]string{"/url": "http:// or https://"}},
		{"url without host", `{"url":"http://","database":"crm","username":"u","password":"p"}`,
			map[string]string{"/url": "host"}},
		{"url not a string", `{"url":8000,"database":"crm","username":"u","password":"p"}`,
			map[string]string{"/url": "string"}},
		{"empty database", `{"url":"https://erp.example","database":" ","username":"u","password":"p"}`,
			map[string]string{"/database": "empty"}},
		{"page size too big", `{` + good + `,"page_size":501}`, map[string]string{"/page_size": "between 1 and 500"}},
		{"page size zero", `{` + good + `,"page_size":0}`, map[string]string{"/page_size": "between 1 and 500"}},
		{"page size text", `{` + good + `,"page_size":"ten"}`, map[string]string{"/page_size": "integer"}},
		{"company fraction", `{` + good + `,"company":1.5}`, map[string]string{"/company": "integer"}},
		{"unknown setting", `{` + good + `,"a/b":1}`, map[string]string{"/a~1b": "not a setting"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newConnector()
			errs, err := c.Configure(context.Background(), json.RawMessage(tt.config))
			if err != nil {
				t.Fatalf("Configure failed itself: %v", err)
			}
			got := map[string]string{}
			for _, e := range errs {
				got[e.Field] = e.Message
			}
			if len(got) != len(tt.want) {
				t.Fatalf("field errors = %v, want fields %v", errs, tt.want)
			}
			for field, part := range tt.want {
				if !strings.Contains(got[field], part) {
					t.Errorf("error for %q = %q, want it to mention %q", field, got[field], part)
				}
			}
			_, _, notConfigured := c.session()
			if applied := notConfigured == nil; applied != (len(tt.want) == 0) {
				t.Errorf("configuration applied = %v with %d field errors", applied, len(errs))
			}
		})
	}
}

func TestConfigureDefaults(t *testing.T) {
	c := newConnector()
	if _, err := c.Configure(context.Background(),
		json.RawMessage(`{"url":"https://erp.example/tryton/","database":"my db","username":"u","password":"p"}`)); err != nil {
		t.Fatal(err)
	}
	cl, cfg, err := c.session()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Company != 1 || cfg.PageSize != 100 {
		t.Errorf("defaults: company %d page size %d, want 1 and 100", cfg.Company, cfg.PageSize)
	}
	if cl.endpoint != "https://erp.example/tryton/my%20db/" {
		t.Errorf("endpoint = %q", cl.endpoint)
	}
}

func TestNotConfigured(t *testing.T) {
	c := newConnector()
	if err := c.Check(context.Background()); err == nil || !strings.Contains(err.Error(), "not configured") {
		t.Errorf("Check = %v, want not configured", err)
	}
	err := c.Pull(context.Background(), sdk.PullRequest{Entity: "customers"}, func(sdk.Record) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "not configured") {
		t.Errorf("Pull = %v, want not configured", err)
	}
}

func TestPushRefused(t *testing.T) {
	records := []sdk.Record{{ExternalID: "7"}, {ExternalID: ""}}
	results, err := newConnector().Push(context.Background(), "customers", records)
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 2 {
		t.Fatalf("%d results for 2 records", len(results))
	}
	for i, r := range results {
		if r.OK || r.ExternalID != records[i].ExternalID || !strings.Contains(r.Error, "does not push") {
			t.Errorf("result %d = %+v", i, r)
		}
	}
}

func TestCursorRoundTrip(t *testing.T) {
	for _, bad := range []string{"x", "2026-01-02T03:04:05Z/1", "2026-01-02T03:04:05.000001Z/", "2026-01-02T03:04:05.000001Z/-1"} {
		if _, err := parseCursor(bad); err == nil {
			t.Errorf("parseCursor(%q) accepted it", bad)
		}
	}
	p, err := parseCursor("2026-01-02T03:04:05.000007Z/42")
	if err != nil || p.ID != 42 || p.At.Nanosecond() != 7000 || p.String() != "2026-01-02T03:04:05.000007Z/42" {
		t.Errorf("parseCursor = %+v, %v", p, err)
	}
}
