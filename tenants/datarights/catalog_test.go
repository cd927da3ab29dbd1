package datarights

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDeleteOrderPutsReferrersFirst(t *testing.T) {
	tables := func(names ...string) []table {
		out := make([]table, len(names))
		for i, n := range names {
			out[i] = table{Name: n}
		}
		return out
	}
	names := func(ts []table) []string {
		out := make([]string, len(ts))
		for i, t := range ts {
			out[i] = t.Name
		}
		return out
	}
	tests := []struct {
		name   string
		refs   map[string][]string
		tables []table
		want   []string
		cycle  bool
	}{
		{name: "chain", refs: map[string][]string{"order_lines": {"orders", "products"}, "orders": {"customers", "users"}, "customers": {"users"}},
			tables: tables("customers", "order_lines", "orders", "products", "users"),
			want:   []string{"order_lines", "orders", "customers", "products", "users"}},
		{name: "self references and tables outside the set are ignored", refs: map[string][]string{"regions": {"regions"}, "users": {"regions", "users", "tenants"}},
			tables: tables("regions", "users"), want: []string{"users", "regions"}},
		{name: "two keys to one table count once", refs: map[string][]string{"moves": {"stages", "stages"}},
			tables: tables("stages", "moves"), want: []string{"moves", "stages"}},
		{name: "cycle", refs: map[string][]string{"a": {"b"}, "b": {"a"}}, tables: tables("a", "b", "c"), cycle: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := catalog{refs: tt.refs}.deleteOrder(tt.tables)
			if tt.cycle {
				if err == nil || !strings.Contains(err.Error(), "a, b") {
					t.Fatalf("got %v, %v; want the cycle between a and b reported", names(got), err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, names(got)); diff != "" {
				t.Errorf("order (-want +got):\n%s", diff)
			}
		})
	}
}
