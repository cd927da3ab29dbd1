package tenants

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/org"
)

func TestDemoIsCreatedOnceAndReported(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	first, err := Demo(ctx, h.prov)
	if err != nil {
		t.Fatal(err)
	}
	if !first.Created || first.Slug != DemoSlug || first.Company != DemoCompany || first.Password != DemoPassword {
		t.Errorf("summary %+v", first)
	}
	rows := h.rows(t, first.TenantID)
	if rows["regions"] != 11 || rows["users"] != 18 || rows["teams"] != 3 || rows["team_members"] != 15 || rows["customers"] != 40 {
		t.Errorf("demo rows %v, want 11 regions, 18 users, 3 teams with 15 members, 40 customers", rows)
	}
	if first.Customers != 40 {
		t.Errorf("summary counts %d customers, want 40", first.Customers)
	}
	byEmail := map[string]DemoUser{}
	for _, u := range first.Users {
		byEmail[u.Email] = u
	}
	want := map[string]DemoUser{
		DemoAdminEmail:                       {Email: DemoAdminEmail, Name: "Zhou Min", Roles: []string{identity.RoleHQ, identity.RoleTenantAdmin}, Region: DemoCompany},
		"manager.shandong@demo.repflow.test": {Email: "manager.shandong@demo.repflow.test", Name: "Liu Yang", Roles: []string{identity.RoleManager}, Region: "Shandong"},
		"rep.jinan.1@demo.repflow.test":      {Email: "rep.jinan.1@demo.repflow.test", Name: "Wang Lei", Roles: []string{identity.RoleRep}, Region: "Jinan"},
		"rep.shenzhen.2@demo.repflow.test":   {Email: "rep.shenzhen.2@demo.repflow.test", Name: "Ma Lin", Roles: []string{identity.RoleRep}, Region: "Shenzhen"},
		"analyst@demo.repflow.test":          {Email: "analyst@demo.repflow.test", Name: "Gao Yan", Roles: []string{identity.RoleHQ}, Region: DemoCompany},
		"data@demo.repflow.test":             {Email: "data@demo.repflow.test", Name: "Luo Jie", Roles: []string{identity.RoleDataSpecialist}, Region: DemoCompany},
	}
	for email, w := range want {
		if d := cmp.Diff(w, byEmail[email]); d != "" {
			t.Errorf("%s (-want +got):\n%s", email, d)
		}
	}
	for _, u := range first.Users {
		if !strings.HasSuffix(u.Email, "@demo.repflow.test") {
			t.Errorf("demo user %s", u.Email)
		}
	}
	if len(h.pw.set) != len(first.Users) {
		t.Errorf("%d passwords for %d users", len(h.pw.set), len(first.Users))
	}
	for id, pw := range h.pw.set {
		if pw != DemoPassword {
			t.Errorf("user %s has password %q", id, pw)
		}
	}
	checkDemoReportingLines(t, h, first.TenantID)
	checkDemoCustomers(t, h, first.TenantID)

	second, err := Demo(ctx, h.prov)
	if err != nil {
		t.Fatal(err)
	}
	if second.Created {
		t.Error("the second run created the demo again")
	}
	first.Created = false
	if d := cmp.Diff(first, second); d != "" {
		t.Errorf("second summary (-first +second):\n%s", d)
	}
	if d := cmp.Diff(rows, h.rows(t, first.TenantID)); d != "" {
		t.Errorf("the second run changed rows (-before +after):\n%s", d)
	}
	var out bytes.Buffer
	if err := second.Print(&out); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{DemoAdminEmail, DemoPassword, "rep.jinan.1@demo.repflow.test", "exists already", "40 customers"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("printed summary lacks %q:\n%s", s, out.String())
		}
	}
}

// Every demo rep reports to the manager of their province, as a manager sees it.
func checkDemoReportingLines(t *testing.T, h *harness, tenant uuid.UUID) {
	t.Helper()
	ctx := context.Background()
	for _, pr := range []string{"shandong", "jiangsu", "guangdong"} {
		var login loginRow
		if err := h.s.Owner(ctx).Where("email = ?", "manager."+pr+"@demo.repflow.test").Take(&login).Error; err != nil {
			t.Fatal(err)
		}
		p, err := h.org.Principal(identity.System(ctx, tenant), login.UserID)
		if err != nil {
			t.Fatal(err)
		}
		page, err := h.org.ListUsers(identity.With(ctx, p), org.UserFilter{Role: identity.RoleRep})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Users) < 3 {
			t.Errorf("manager.%s sees %d reps", pr, len(page.Users))
		}
		for _, u := range page.Users {
			if u.ManagerID == nil || *u.ManagerID != login.UserID || !strings.HasPrefix(u.Email, "rep.") {
				t.Errorf("rep %s of %s has manager %v", u.Email, pr, u.ManagerID)
			}
		}
	}
}

func TestDemoRefusesAForeignDemoSlug(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	in := goodSignup()
	in.Slug = DemoSlug
	if _, err := h.prov.Provision(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	if _, err := Demo(context.Background(), h.prov); err == nil || !strings.Contains(err.Error(), "not the demo") {
		t.Errorf("err = %v, want a refusal", err)
	}
	var slugs []string
	if err := h.s.Owner(context.Background()).Table("tenants").Pluck("slug", &slugs).Error; err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(slugs, []string{DemoSlug}) {
		t.Errorf("tenants %v", slugs)
	}
}
