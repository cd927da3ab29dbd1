package orders

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/jobs"
	"github.com/repflow/repflow/platform/org"
	"github.com/repflow/repflow/platform/store"
	"github.com/repflow/repflow/platform/storetest"
	"github.com/repflow/repflow/platform/visits"
	"github.com/repflow/repflow/platform/visits/geo"
	"github.com/repflow/repflow/platform/web"
	"github.com/repflow/repflow/platform/web/webtest"
)

// world is one database with the real services around the orders domain: customers come from
// the visits domain through the adapter cmd is to wire (customerRefs).
type world struct {
	s         *store.Store
	w         *access.Warden
	org       *org.Service
	visits    *visits.Service
	svc       *Service
	srv       *web.Server
	zone      *time.Location
	reminders *reminderLog
}

// tenantCurrencies are what every test tenant trades in.
var tenantCurrencies = CurrencyList{"CNY", "USD", "JPY"}

func newWorld(t testing.TB) *world {
	s := storetest.Open(t)
	w := &world{s: s, w: access.NewWarden(s), zone: time.UTC, reminders: &reminderLog{}}
	w.org = org.NewService(s, w.w, nil)
	w.visits = visits.NewService(s, w.w, visits.Options{})
	w.svc = w.at(time.Time{})
	w.serve(w.svc)
	return w
}

// serve makes the API answer through svc from now on (to move the clock of HTTP tests).
func (w *world) serve(svc *Service) {
	w.srv = web.New(web.Options{Authenticate: webtest.Authenticate(w.org.Principal)})
	w.srv.Mount(NewHTTP(svc))
}

// customerRefs is the adapter cmd wires: the visits domain's customer, reduced to a CustomerRef.
func (w *world) customerRefs() Customers {
	return CustomerFunc(func(ctx context.Context, id uuid.UUID) (CustomerRef, error) {
		c, err := w.visits.GetCustomer(ctx, id)
		if err != nil {
			return CustomerRef{}, err
		}
		return CustomerRef{ID: c.ID, OwnerID: c.OwnerID, RegionID: c.RegionID}, nil
	})
}

// at returns a service whose clock stands at t (the real clock for the zero time), counting days
// in the world's zone. Its job queue is its own (a queue serves one service) and is not started:
// timers are queued in the database, where a started queue (see startQueue) works them.
func (w *world) at(t time.Time) *Service {
	o := Options{TimeZone: func(context.Context) (*time.Location, error) { return w.zone, nil }}
	if !t.IsZero() {
		o.Now = func() time.Time { return t }
	}
	q, err := jobs.New(w.s, jobs.Options{PollInterval: 50 * time.Millisecond})
	if err != nil {
		panic(err) // only a broken store fails here, and every test would fail the same way
	}
	return NewService(w.s, w.w, w.customerRefs(), tenantCurrencies, q, w.inbox(), o)
}

// tenantFixture is a small organisation with customers and a catalogue:
//
//	root                 admin (tenant_admin + hq), analyst (hq)
//	  Shandong           mgr.shandong (manager)
//	    Jinan            rep.jinan.1, rep.jinan.2   customers "Jinan One", "Jinan Two"
//	    Qingdao          rep.qingdao                customer "Qingdao Port"
//	  Guangdong          mgr.guangdong, rep.guangdong  customer "Canton Store"
//
// Products: COLA-330 (3.50 CNY a can), WATER-500 (1.20 CNY a bottle), CHIPS-70 (4.00 USD),
// OLD-1 (inactive).
type tenantFixture struct {
	id        uuid.UUID
	slug      string
	w         *world
	regions   map[string]org.Region
	users     map[string]org.User
	customers map[string]uuid.UUID
	products  map[string]uuid.UUID
}

func (w *world) tenant(t testing.TB, slug string) *tenantFixture {
	t.Helper()
	ctx := context.Background()
	f := &tenantFixture{id: identity.NewID(), slug: slug, w: w, regions: map[string]org.Region{}, users: map[string]org.User{},
		customers: map[string]uuid.UUID{}, products: map[string]uuid.UUID{}}
	now := time.Now().UTC()
	row := map[string]any{"id": f.id, "slug": slug, "name": slug + " Ltd", "industry": "fmcg", "time_zone": "Asia/Shanghai",
		"currency": "CNY", "status": "active", "created_at": now, "updated_at": now}
	if err := w.s.Owner(ctx).Table("tenants").Create(row).Error; err != nil {
		t.Fatalf("insert tenant: %v", err)
	}
	sys := identity.System(ctx, f.id)
	root, admin, err := w.org.Bootstrap(sys, slug+" Ltd", org.NewUser{Email: "admin@" + slug + ".test", Name: "Admin"})
	if err != nil {
		t.Fatalf("bootstrap: %v", err)
	}
	if err := w.w.SeedDefaults(sys); err != nil {
		t.Fatalf("seed policies: %v", err)
	}
	f.regions["root"], f.users["admin"] = root, admin
	for _, r := range [][2]string{{"Shandong", "root"}, {"Jinan", "Shandong"}, {"Qingdao", "Shandong"}, {"Guangdong", "root"}} {
		region, err := w.org.CreateRegion(f.as(t, "admin"), r[0], f.regions[r[1]].ID)
		if err != nil {
			t.Fatalf("create region %s: %v", r[0], err)
		}
		f.regions[r[0]] = region
	}
	f.user(t, "analyst", "root", "", identity.RoleHQ)
	f.user(t, "mgr.shandong", "Shandong", "", identity.RoleManager)
	f.user(t, "rep.jinan.1", "Jinan", "mgr.shandong", identity.RoleRep)
	f.user(t, "rep.jinan.2", "Jinan", "mgr.shandong", identity.RoleRep)
	f.user(t, "rep.qingdao", "Qingdao", "mgr.shandong", identity.RoleRep)
	f.user(t, "mgr.guangdong", "Guangdong", "", identity.RoleManager)
	f.user(t, "rep.guangdong", "Guangdong", "mgr.guangdong", identity.RoleRep)
	for _, c := range [][3]string{{"Jinan One", "rep.jinan.1", "Jinan"}, {"Jinan Two", "rep.jinan.2", "Jinan"},
		{"Qingdao Port", "rep.qingdao", "Qingdao"}, {"Canton Store", "rep.guangdong", "Guangdong"}} {
		cust, err := w.visits.CreateCustomer(f.as(t, "admin"), visits.NewCustomer{Name: c[0], Grade: visits.GradeA,
			OwnerID: f.users[c[1]].ID, RegionID: f.regions[c[2]].ID,
			Location: visits.Position{Point: geo.Point{Lat: 36.66, Lon: 117.02}, Datum: visits.WGS84},
			Fence:    visits.FenceInput{Kind: visits.FenceCircle, RadiusM: 100}})
		if err != nil {
			t.Fatalf("create customer %s: %v", c[0], err)
		}
		f.customers[c[0]] = cust.ID
	}
	for _, p := range []NewProduct{
		{SKU: "COLA-330", Name: "Cola 330 ml", Unit: "can", ListPrice: dec("3.50"), Currency: "CNY", Active: true},
		{SKU: "WATER-500", Name: "Water 500 ml", Unit: "bottle", ListPrice: dec("1.20"), Currency: "CNY", Active: true},
		{SKU: "CHIPS-70", Name: "Chips 70 g", Unit: "bag", ListPrice: dec("4.00"), Currency: "USD", Active: true},
		{SKU: "OLD-1", Name: "Discontinued", Unit: "can", ListPrice: dec("1"), Currency: "CNY", Active: false},
	} {
		made, err := w.svc.CreateProduct(f.as(t, "admin"), p)
		if err != nil {
			t.Fatalf("create product %s: %v", p.SKU, err)
		}
		f.products[p.SKU] = made.ID
	}
	return f
}

func (f *tenantFixture) user(t testing.TB, key, region, manager string, roles ...string) {
	t.Helper()
	in := org.NewUser{Email: key + "@" + f.slug + ".test", Name: key, Roles: roles, RegionID: f.regions[region].ID}
	if manager != "" {
		id := f.users[manager].ID
		in.ManagerID = &id
	}
	u, err := f.w.org.CreateUser(f.as(t, "admin"), in)
	if err != nil {
		t.Fatalf("create user %s: %v", key, err)
	}
	f.users[key] = u
}

// as returns a context acting as user key, with the principal loaded the way authentication does.
func (f *tenantFixture) as(t testing.TB, key string) context.Context {
	t.Helper()
	ctx := context.Background()
	p, err := f.w.org.Principal(identity.System(ctx, f.id), f.users[key].ID)
	if err != nil {
		t.Fatalf("principal of %s: %v", key, err)
	}
	return identity.With(ctx, p)
}

// call sends a request as user key of tenant f.
func (f *tenantFixture) call(t *testing.T, key, method, path string, body any) (int, []byte) {
	t.Helper()
	return webtest.Call(t, f.w.srv, webtest.Caller{Tenant: f.id, User: f.users[key].ID}, method, path, body)
}

// must calls and fails the test unless the answer has status want; it decodes the answer.
func must[T any](t *testing.T, f *tenantFixture, key, method, path string, body any, want int) T {
	t.Helper()
	status, raw := f.call(t, key, method, path, body)
	if status != want {
		t.Fatalf("%s %s as %s: %d %s, want %d", method, path, key, status, raw, want)
	}
	return webtest.Decode[T](t, raw)
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// line is a line input at the list price.
func (f *tenantFixture) line(sku, qty string) LineInput {
	return LineInput{ProductID: f.products[sku], Quantity: dec(qty)}
}

// draft makes a draft order for a customer, as its rep, through svc.
func (f *tenantFixture) draft(t *testing.T, svc *Service, customer string, lines ...LineInput) Order {
	t.Helper()
	rep := map[string]string{"Jinan One": "rep.jinan.1", "Jinan Two": "rep.jinan.2", "Qingdao Port": "rep.qingdao", "Canton Store": "rep.guangdong"}[customer]
	o, _, err := svc.CreateOrder(f.as(t, rep), NewOrder{CustomerID: f.customers[customer], Currency: "CNY", Lines: lines})
	if err != nil {
		t.Fatalf("create order for %s: %v", customer, err)
	}
	return o
}

// step moves an order as user key through svc, failing the test on a refusal.
func (f *tenantFixture) step(t *testing.T, svc *Service, key string, id uuid.UUID, to Status) Order {
	t.Helper()
	o, err := svc.Transition(f.as(t, key), id, to, "test: "+string(to))
	if err != nil {
		t.Fatalf("%s moves order to %s: %v", key, to, err)
	}
	return o
}

// approved takes a draft of Jinan One's rep to approved (the Shandong manager approves).
func (f *tenantFixture) approved(t *testing.T, svc *Service, o Order) Order {
	t.Helper()
	f.step(t, svc, "rep.jinan.1", o.ID, Submitted)
	return f.step(t, svc, "mgr.shandong", o.ID, Approved)
}

// count counts a table's rows of tenant f.
func (f *tenantFixture) count(t *testing.T, model any) int64 {
	t.Helper()
	var n int64
	err := f.w.s.Tx(identity.System(context.Background(), f.id), func(ctx context.Context, db *gorm.DB) error {
		return db.Model(model).Count(&n).Error
	})
	if err != nil {
		t.Fatalf("count: %v", err)
	}
	return n
}
