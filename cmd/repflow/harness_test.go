package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/repflow/repflow/platform/activities"
	"github.com/repflow/repflow/platform/appraisal"
	"github.com/repflow/repflow/platform/auth"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/orders"
	"github.com/repflow/repflow/platform/org"
	"github.com/repflow/repflow/platform/pipeline"
	"github.com/repflow/repflow/platform/store"
	"github.com/repflow/repflow/platform/storetest"
	"github.com/repflow/repflow/platform/visits"
	"github.com/repflow/repflow/platform/visits/geo"
	"github.com/repflow/repflow/platform/web"
	"github.com/repflow/repflow/tenants"
	"github.com/repflow/repflow/tenants/datarights"
)

// harness is the whole product over a fresh database, driven through HTTP as clients drive it.
type harness struct {
	t   testing.TB
	app *app
	srv *web.Server
	// works says whether this harness's job queue runs (see harnessOn).
	works bool
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	return harnessOn(t, storetest.Open(t), true)
}

// harnessOn builds the app over s; workJobs starts its job queue, which a test of other
// processes working the jobs leaves off. settings change the configuration first.
func harnessOn(t testing.TB, s *store.Store, workJobs bool, settings ...func(*config)) *harness {
	t.Helper()
	cfg, err := parseConfig("test", nil, false)
	if err != nil {
		t.Fatal(err)
	}
	cfg.JobPoll = 100 * time.Millisecond // quick jobs, unless a setting says otherwise
	cfg.noSweeps = true                  // a test of a sweep calls it; none runs at River's moment
	for _, set := range settings {
		set(cfg)
	}
	cfg.LogLevel = "error"
	cfg.DataDir = t.TempDir()
	// Cheap hashing: the tests log in dozens of times; production keeps OWASP's cost.
	cfg.passwordCost = auth.Params{Memory: 64, Time: 1, Threads: 1}
	a, err := newApp(s, cfg)
	if err != nil {
		t.Fatal(err)
	}
	// The connectors' processes stop with the test, as serve stops them on its way out: they
	// would outlive the test binary otherwise. (Cleanups run last first: the jobs stop before.)
	t.Cleanup(a.connectors.Shutdown)
	if workJobs {
		if err := a.jobs.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = a.jobs.Stop(ctx)
		})
	}
	return &harness{t: t, app: a, srv: a.server(), works: workJobs}
}

// upload is a request body sent as it is, for operations that take files.
type upload struct {
	contentType string
	content     []byte
}

// call sends a request with token as bearer (empty: anonymous) and decodes a JSON answer into out.
// body is JSON-encoded unless it is an upload.
func (h *harness) call(token, method, path string, body any, out any) int {
	h.t.Helper()
	var r io.Reader
	contentType := "application/json"
	switch b := body.(type) {
	case nil:
	case upload:
		r, contentType = bytes.NewReader(b.content), b.contentType
	default:
		raw, err := json.Marshal(body)
		if err != nil {
			h.t.Fatal(err)
		}
		r = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(method, path, r)
	if body != nil {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := h.srv.App.Test(req, -1)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	// Files (photos, workbooks) come back as they are, into a *[]byte; only JSON is decoded.
	if b, ok := out.(*[]byte); ok {
		*b = raw
		return resp.StatusCode
	}
	if out != nil && len(raw) > 0 && strings.Contains(resp.Header.Get("Content-Type"), "json") {
		if err := json.Unmarshal(raw, out); err != nil {
			h.t.Fatalf("%s %s: decode %.300q: %v", method, path, raw, err)
		}
	}
	return resp.StatusCode
}

// raw is call that returns the body text, for failure messages.
func (h *harness) raw(token, method, path string, body any) (int, string) {
	h.t.Helper()
	var m json.RawMessage
	code := h.call(token, method, path, body, &m)
	return code, string(m)
}

func (h *harness) login(email string) string {
	h.t.Helper()
	var out struct{ Token string }
	code := h.call("", http.MethodPost, "/api/v1/auth/login", map[string]string{"email": email, "password": testPassword, "client": "mobile"}, &out)
	if code != http.StatusOK || out.Token == "" {
		h.t.Fatalf("login %s: status %d", email, code)
	}
	return out.Token
}

const testPassword = "correct horse battery staple"

// company is one provisioned tenant with a small organisation:
// root (admin, hq, data specialist) -> east (manager) -> jinan (rep, rep2, both in the Jinan team);
// root -> south (managerSouth, repSouth).
type company struct {
	tenant   uuid.UUID
	regions  map[string]org.Region
	users    map[string]org.User // by role-ish name: admin, hq, data, manager, rep, rep2, repSouth
	team     org.Team
	customer visits.Customer // owned by rep, in Jinan
	visit    visits.Visit    // rep's check-in at customer, with one photo
	photo    string          // that photo's SHA-256
	// opportunity is rep's, at customer, moved to the template's trial_order stage: its entry
	// reminded the manager (reminder).
	opportunity pipeline.Opportunity
	reminder    uuid.UUID
	// order is rep's draft of one product at customer; the rep also checked the shelf.
	order orders.Order
	// Rep's account work at customer: a call, two contacts (one reporting to the other: the
	// relationship), a project with a milestone, a service record.
	relationship uuid.UUID
	milestone    uuid.UUID
	// invitation is the admin's open invitation of an HQ analyst (not among users: no password yet).
	invitation tenants.Invitation
	tokens     map[string]string
}

func (h *harness) company(name string) *company {
	h.t.Helper()
	ctx := context.Background()
	slug := strings.ToLower(strings.ReplaceAll(name, " ", "-"))
	prov, err := h.app.provisioner.Provision(ctx, tenants.Signup{Company: name, Industry: "fmcg", TimeZone: "Asia/Shanghai",
		Currency: "CNY", AdminName: name + " Admin", AdminEmail: "admin@" + slug + ".test", AdminPassword: testPassword})
	if err != nil {
		h.t.Fatalf("provision %s: %v", name, err)
	}
	c := &company{tenant: prov.TenantID, regions: map[string]org.Region{}, users: map[string]org.User{}, tokens: map[string]string{}}
	admin, err := h.app.org.Principal(identity.System(ctx, c.tenant), prov.AdminID)
	if err != nil {
		h.t.Fatal(err)
	}
	actx := identity.With(ctx, admin)
	if c.users["admin"], err = h.app.org.GetUser(actx, prov.AdminID); err != nil {
		h.t.Fatal(err)
	}
	root := c.users["admin"].RegionID
	region := func(key, name string, parent uuid.UUID) {
		r, err := h.app.org.CreateRegion(actx, name, parent)
		if err != nil {
			h.t.Fatalf("region %s: %v", name, err)
		}
		c.regions[key] = r
	}
	region("east", "East", root)
	region("jinan", "Jinan", c.regions["east"].ID)
	region("south", "South", root)
	user := func(key string, roles []string, region uuid.UUID, manager *uuid.UUID) {
		u, err := h.app.org.CreateUser(actx, org.NewUser{Email: key + "@" + slug + ".test", Name: name + " " + key,
			Roles: roles, RegionID: region, ManagerID: manager, Password: testPassword})
		if err != nil {
			h.t.Fatalf("user %s: %v", key, err)
		}
		c.users[key] = u
	}
	user("hq", []string{identity.RoleHQ}, root, nil)
	user("data", []string{identity.RoleDataSpecialist}, root, nil)
	user("manager", []string{identity.RoleManager}, c.regions["east"].ID, nil)
	mgr := c.users["manager"].ID
	user("rep", []string{identity.RoleRep}, c.regions["jinan"].ID, &mgr)
	user("rep2", []string{identity.RoleRep}, c.regions["jinan"].ID, &mgr)
	user("managerSouth", []string{identity.RoleManager}, c.regions["south"].ID, nil)
	ms := c.users["managerSouth"].ID
	user("repSouth", []string{identity.RoleRep}, c.regions["south"].ID, &ms)
	team, err := h.app.org.CreateTeam(actx, org.NewTeam{Name: "Jinan team", RegionID: c.regions["jinan"].ID, LeadID: &mgr})
	if err != nil {
		h.t.Fatal(err)
	}
	for _, member := range []string{"rep", "rep2"} {
		if _, err := h.app.org.AddTeamMember(actx, team.ID, c.users[member].ID); err != nil {
			h.t.Fatal(err)
		}
	}
	c.team = team
	invited, err := h.app.invitations.Invite(actx, []tenants.NewInvitation{{Email: "invitee@" + slug + ".test", Name: name + " invitee",
		Roles: []string{identity.RoleHQ}, RegionID: root}}, func(int) string { return "body.people[0]" })
	if err != nil {
		h.t.Fatalf("invitation: %v", err)
	}
	c.invitation = invited[0]
	// An export of the tenant's data, which its admins may list and download; made before the
	// company is handed over (where this harness works jobs), so that no job changes it under a
	// test.
	export, err := h.app.dataRights.RequestExport(actx)
	if err != nil {
		h.t.Fatalf("export: %v", err)
	}
	for deadline := time.Now().Add(30 * time.Second); h.works && export.Status == datarights.ExportQueued; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			h.t.Fatalf("export still %s after 30 s", export.Status)
		}
		if export, err = h.app.dataRights.Export(actx, export.ID); err != nil {
			h.t.Fatal(err)
		}
	}
	// A support grant, as the operator console makes it (through the owner handle).
	now := time.Now().UTC()
	if err := h.app.store.Owner(ctx).Table("support_grants").Create(map[string]any{"tenant_id": c.tenant, "id": identity.NewID(),
		"operator_id": identity.NewID(), "operator_email": "ops@repflow.test", "reason": "checking the visit review queue for the customer",
		"starts_at": now, "expires_at": now.Add(time.Hour)}).Error; err != nil {
		h.t.Fatal(err)
	}
	c.addConnectors(h, now)
	customer, err := h.app.visits.CreateCustomer(actx, visits.NewCustomer{Name: name + " Corner Shop", Grade: visits.GradeA,
		OwnerID: c.users["rep"].ID, RegionID: c.regions["jinan"].ID,
		Location: visits.Position{Point: geo.Point{Lat: 36.6512, Lon: 117.1201}, Datum: visits.WGS84},
		Fence:    visits.FenceInput{Kind: visits.FenceCircle, RadiusM: 80}})
	if err != nil {
		h.t.Fatalf("customer: %v", err)
	}
	c.customer = customer
	rep, err := h.app.org.Principal(identity.System(ctx, c.tenant), c.users["rep"].ID)
	if err != nil {
		h.t.Fatal(err)
	}
	rctx := identity.With(ctx, rep)
	c.visit, _, err = h.app.visits.CheckIn(rctx, visits.CheckInInput{ClientID: identity.NewID(), CustomerID: customer.ID,
		Position: visits.Position{Point: customer.Location, Datum: visits.WGS84}, Accuracy: 10, DeviceTime: time.Now(), Provider: "gps", Notes: "first visit"})
	if err != nil {
		h.t.Fatalf("check-in: %v", err)
	}
	photo, err := h.app.visits.AddPhoto(rctx, c.visit.ID, "image/jpeg", []byte("\xff\xd8\xff\xe0 shelf of "+name))
	if err != nil {
		h.t.Fatalf("photo: %v", err)
	}
	c.photo = photo.SHA256
	c.salesWork(h, rctx)
	c.orderWork(h, actx, rctx)
	c.accountWork(h, rctx)
	hctx := identity.With(ctx, h.principal(c.tenant, c.users["hq"].ID))
	if _, err := h.app.appraisal.MakeReport(hctx, time.Now().In(shanghai(h.t)).Format("2006-01"), appraisal.WholeTenant); err != nil {
		h.t.Fatalf("appraisal report: %v", err)
	}
	for key, u := range c.users {
		c.tokens[key] = h.login(u.Email)
	}
	return c
}

// listen serves the app on a loopback port until the test ends and returns its base URL.
func (h *harness) listen() string {
	h.t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		h.t.Fatal(err)
	}
	go func() { _ = h.srv.App.Listener(ln) }()
	h.t.Cleanup(func() { _ = h.srv.Shutdown(5 * time.Second) })
	return "http://" + ln.Addr().String()
}

// salesWork opens the rep's opportunity and works it through the FMCG template's first two
// stages, as the rep, so that every pipeline route has rows to act on.
func (c *company) salesWork(h *harness, rctx context.Context) {
	h.t.Helper()
	pl := h.app.pipeline
	o, err := pl.CreateOpportunity(rctx, pipeline.NewOpportunity{CustomerID: c.customer.ID, Name: "Listing at " + c.customer.Name,
		Amount: decimal.RequireFromString("12000"), Currency: "CNY", ExpectedClose: "2027-01-31"})
	if err != nil {
		h.t.Fatalf("opportunity: %v", err)
	}
	for _, next := range []string{"listing_proposal", "trial_order"} {
		tasks, err := pl.ListTasks(rctx, pipeline.TaskFilter{OpportunityID: &o.ID, Status: pipeline.TaskOpen})
		if err != nil {
			h.t.Fatal(err)
		}
		for _, t := range tasks.Tasks {
			if t.Required {
				if _, err := pl.CompleteTask(rctx, t.ID); err != nil {
					h.t.Fatalf("complete %q: %v", t.Title, err)
				}
			}
		}
		if o, err = pl.MoveOpportunity(rctx, o.ID, pipeline.Move{Stage: next}); err != nil {
			h.t.Fatalf("move to %s: %v", next, err)
		}
	}
	c.opportunity = o
	mctx := identity.With(context.Background(), h.principal(c.tenant, c.users["manager"].ID))
	rs, _, err := pl.ListReminders(mctx, false, nil, 1)
	if err != nil || len(rs) == 0 {
		h.t.Fatalf("the manager got no reminder of the trial order (%v)", err)
	}
	c.reminder = rs[0].ID
}

// orderWork adds a product (as admin), the rep's draft order of it and a shelf check.
func (c *company) orderWork(h *harness, actx, rctx context.Context) {
	h.t.Helper()
	o := h.app.orders
	p, err := o.CreateProduct(actx, orders.NewProduct{SKU: "COLA-330", Name: "Cola 330 ml", Unit: "case",
		ListPrice: decimal.RequireFromString("48.00"), Currency: "CNY", Active: true})
	if err != nil {
		h.t.Fatalf("product: %v", err)
	}
	c.order, _, err = o.CreateOrder(rctx, orders.NewOrder{CustomerID: c.customer.ID, Currency: "CNY", VisitID: &c.visit.ID,
		Lines: []orders.LineInput{{ProductID: p.ID, Quantity: decimal.NewFromInt(10)}}})
	if err != nil {
		h.t.Fatalf("order: %v", err)
	}
	_, _, err = o.RecordShelfCheck(rctx, orders.NewShelfCheck{CustomerID: c.customer.ID, VisitID: &c.visit.ID, CheckedAt: time.Now(),
		Items: []orders.ShelfItem{{SKU: p.SKU, Present: true}}})
	if err != nil {
		h.t.Fatalf("shelf check: %v", err)
	}
}

// accountWork logs the rep's call and builds the customer's account: contacts and their
// relationship, a project with a milestone, a service record.
func (c *company) accountWork(h *harness, rctx context.Context) {
	h.t.Helper()
	a := h.app.activities
	buyer, err := a.CreateContact(rctx, activities.NewContact{CustomerID: c.customer.ID, Name: "Wang Fang", Title: "Buyer", Role: "decision_maker"})
	if err != nil {
		h.t.Fatalf("contact: %v", err)
	}
	clerk, err := a.CreateContact(rctx, activities.NewContact{CustomerID: c.customer.ID, Name: "Li Lei", Title: "Clerk", Role: "user"})
	if err != nil {
		h.t.Fatalf("contact: %v", err)
	}
	rel, err := a.AddRelationship(rctx, clerk.ID, activities.NewRelationship{To: buyer.ID, Kind: activities.ReportsTo})
	if err != nil {
		h.t.Fatalf("relationship: %v", err)
	}
	c.relationship = rel.ID
	_, _, err = a.CreateActivity(rctx, activities.NewActivity{ID: identity.NewID(), Kind: activities.KindCall, CustomerID: c.customer.ID,
		ContactID: &buyer.ID, OpportunityID: &c.opportunity.ID, OccurredAt: time.Now(), Direction: activities.Outbound,
		DurationS: 240, Outcome: activities.OutcomeAnswered, Notes: "agreed the trial order"})
	if err != nil {
		h.t.Fatalf("call: %v", err)
	}
	project, err := a.CreateProject(rctx, activities.NewProject{CustomerID: c.customer.ID, Name: "Cooler installation"})
	if err != nil {
		h.t.Fatalf("project: %v", err)
	}
	m, err := a.AddMilestone(rctx, project.ID, activities.NewMilestone{Name: "Cooler delivered", PlannedOn: "2027-01-15"})
	if err != nil {
		h.t.Fatalf("milestone: %v", err)
	}
	c.milestone = m.ID
	_, err = a.CreateServiceRecord(rctx, activities.NewServiceRecord{CustomerID: c.customer.ID, Kind: "installation",
		Summary: "Checked the cooler's power supply", OccurredAt: time.Now().Add(-2 * time.Hour), ContactIDs: []uuid.UUID{buyer.ID}})
	if err != nil {
		h.t.Fatalf("service record: %v", err)
	}
}

func (c *company) String() string { return fmt.Sprintf("tenant %s", c.tenant) }

// principal is user's principal in tenant, as a request of theirs would carry it.
func (h *harness) principal(tenant, user uuid.UUID) identity.Principal {
	h.t.Helper()
	p, err := h.app.org.Principal(identity.System(context.Background(), tenant), user)
	if err != nil {
		h.t.Fatal(err)
	}
	return p
}
