package access

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/repflow/repflow/platform/identity"
)

// FuzzPolicy feeds policy bodies as a tenant admin would send them. Whatever the input, validation
// never panics, and a policy it accepts always compiles and decides without error.
func FuzzPolicy(f *testing.F) {
	f.Add(`{"subjects":["role:data_specialist"],"actions":["read","list"],"kinds":["user"],"scope":"tenant","effect":"deny"}`)
	f.Add(`{"subjects":["user:01a218c7-cbb6-7e54-becc-525c62ac1f67"],"actions":["update"],"kinds":["team"],"scope":"region","effect":"allow"}`)
	f.Add(`{"subjects":["role:<.*>"],"actions":["<.*>"],"kinds":["user|region"],"scope":"own","effect":"allow"}`)
	f.Add(`{"subjects":[],"actions":null,"kinds":["(("],"scope":"","effect":"maybe"}`)
	tenant := identity.NewID()
	f.Fuzz(func(t *testing.T, body string) {
		var b PolicyBody
		if json.Unmarshal([]byte(body), &b) != nil {
			return
		}
		p := b.policy(identity.NewID())
		if p.Validate() != nil {
			return
		}
		ix, err := NewIndex(tenant, []Policy{p})
		if err != nil {
			t.Fatalf("a valid policy does not compile: %v (%+v)", err, p)
		}
		who := identity.Principal{TenantID: tenant, UserID: identity.NewID(), Roles: identity.Roles, RegionPath: "/a/"}
		for _, k := range p.Kinds {
			for _, a := range p.Actions {
				got := ix.Allows(context.Background(), who, a, Resource{Kind: k, OwnerID: who.UserID, RegionPath: "/a/b/"})
				if p.Effect == Allow && p.Subjects[0][:5] == "role:" && !got {
					t.Fatalf("an allow of %s %s to every role, on the principal's own row in their subtree, did not allow", a, k)
				}
			}
		}
	})
}
