package main

import (
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
)

// route is one operation of the API as the OpenAPI document describes it: the tests walk these,
// not a hand-written list, so a new route is covered the day it is registered.
type route struct {
	method string
	path   string // pattern, e.g. /api/v1/users/{id}
	op     *huma.Operation
}

func (r route) String() string { return r.method + " " + r.path }

// routes lists every API operation in a stable order.
func routes(api huma.API) []route {
	var out []route
	for path, item := range api.OpenAPI().Paths {
		for method, op := range map[string]*huma.Operation{
			http.MethodGet: item.Get, http.MethodPost: item.Post, http.MethodPut: item.Put,
			http.MethodPatch: item.Patch, http.MethodDelete: item.Delete,
		} {
			if op != nil {
				out = append(out, route{method, path, op})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

var pathParam = regexp.MustCompile(`\{([a-z0-9_]+)\}`)

// params names the path parameters of r.
func (r route) params() []string {
	var out []string
	for _, m := range pathParam.FindAllStringSubmatch(r.path, -1) {
		out = append(out, m[1])
	}
	return out
}

// collectionOf says which list holds the rows a path parameter names: "{id}" the collection the
// path continues from, "{user_id}" the users.
func (r route) collectionOf(param string) string {
	if param == "id" {
		i := strings.Index(r.path, "/{id}")
		return r.path[:i]
	}
	return "/api/v1/" + strings.TrimSuffix(param, "_id") + "s"
}

// matching returns a value for a string property with a pattern: the patterns the API uses,
// each with a value it accepts. A new pattern fails here until it has one.
func matching(pattern string) string {
	known := map[string]string{
		`^-?[0-9]+(\.[0-9]+)?$`: "1",
		`^\d{4}-\d{2}-\d{2}$`:   "2026-11-26",
	}
	if v, ok := known[pattern]; ok && regexp.MustCompile(pattern).MatchString(v) {
		return v
	}
	panic("the body generator has no value for pattern " + pattern)
}

// fill writes ids into the path pattern.
func (r route) fill(ids map[string]string) string {
	return pathParam.ReplaceAllStringFunc(r.path, func(m string) string {
		return ids[m[1:len(m)-1]]
	})
}

// bodyGen makes a request body that the operation's schema accepts: each required property from
// its example, else its first enum value, else a value of its type and format. uuid fields get
// ids that are valid in the caller's own tenant, so that only the path decides the outcome.
type bodyGen struct {
	api  huma.API
	ids  func(field string) uuid.UUID
	seq  int
	tags string
}

func (g *bodyGen) body(op *huma.Operation) any {
	if op.RequestBody == nil {
		return nil
	}
	if op.RequestBody.Content["image/jpeg"] != nil {
		return upload{"image/jpeg", []byte("\xff\xd8\xff\xe0 a shelf")}
	}
	mt := op.RequestBody.Content["application/json"]
	if mt == nil || mt.Schema == nil {
		return nil
	}
	return g.value(mt.Schema, "")
}

func (g *bodyGen) value(s *huma.Schema, field string) any {
	if s.Ref != "" {
		s = g.api.OpenAPI().Components.Schemas.SchemaFromRef(s.Ref)
	}
	if len(s.Examples) > 0 {
		return s.Examples[0]
	}
	if len(s.Enum) > 0 {
		return s.Enum[0]
	}
	g.seq++
	switch s.Type {
	case "object":
		m := map[string]any{}
		for _, name := range s.Required {
			if name == "$schema" {
				continue
			}
			m[name] = g.value(s.Properties[name], name)
		}
		return m
	case "array":
		n := 1
		if s.MinItems != nil && *s.MinItems > n {
			n = *s.MinItems
		}
		items := make([]any, n)
		for i := range items {
			items[i] = g.value(s.Items, field)
		}
		return items
	case "integer", "number":
		if s.Minimum != nil {
			return *s.Minimum
		}
		return 1
	case "boolean":
		return false
	}
	switch {
	case s.Format == "uuid":
		return g.ids(field)
	case s.Format == "email" || field == "email":
		return fmt.Sprintf("generated%d.%s@example.test", g.seq, g.tags)
	case s.Format == "date-time":
		return "2026-11-26T10:00:00Z"
	case s.Format == "date":
		return "2026-11-26"
	case s.Pattern != "":
		return matching(s.Pattern)
	case strings.Contains(field, "password"):
		return testPassword
	}
	v := fmt.Sprintf("generated %s %d", field, g.seq)
	if s.MaxLength != nil && len(v) > *s.MaxLength {
		v = v[:*s.MaxLength]
	}
	return v
}
