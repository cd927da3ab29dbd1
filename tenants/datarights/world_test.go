package datarights_test

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/appraisal"
	"github.com/repflow/repflow/platform/audit"
	"github.com/repflow/repflow/platform/blob"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/jobs"
	"github.com/repflow/repflow/platform/org"
	"github.com/repflow/repflow/platform/pipeline"
	"github.com/repflow/repflow/platform/store"
	"github.com/repflow/repflow/platform/storetest"
	"github.com/repflow/repflow/platform/visits"
	"github.com/repflow/repflow/platform/web"
	"github.com/repflow/repflow/platform/web/webtest"
	"github.com/repflow/repflow/tenants"
	"github.com/repflow/repflow/tenants/datarights"
)

// world is the product as far as data rights need it, over one test database: tenants are
// provisioned by the real provisioner, exports are made by the real job queue.
type world struct {
	s         *store.Store
	photos    *blob.Disk
	exportDir string
	queue     *jobs.Queue
	org       *org.Service
	prov      *tenants.Provisioner
	audit     *audit.Log
	svc       *datarights.Service
	clock     *clock
	srv       *web.Server
}

// clock is the service's time, moved by the tests; it starts at the wall clock so that what
// other services stamp with the real time stays in order with it.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type noPasswords struct{}

func (noPasswords) SetPassword(context.Context, uuid.UUID, string) error { return nil }

func newWorld(t *testing.T) *world {
	t.Helper()
	s := storetest.Open(t)
	w := access.NewWarden(s)
	o := org.NewService(s, w, noPasswords{})
	q, err := jobs.New(s, jobs.Options{PollInterval: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	photos, err := blob.NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	v := visits.NewService(s, w, visits.Options{Photos: photos})
	pl := pipeline.NewService(s, w, q, pipeline.Deps{ManagerOf: o.ManagerOf, Currencies: o.Currencies})
	ap := appraisal.NewService(s, w, appraisal.Deps{})
	wd := &world{s: s, photos: photos, exportDir: t.TempDir(), queue: q, org: o, audit: audit.New(s, w),
		prov: tenants.NewProvisioner(s, o, w, v, pl, ap), clock: &clock{t: time.Now().UTC()}}
	wd.svc, err = datarights.New(s, q, photos, wd.audit, datarights.Options{ExportDir: wd.exportDir, Now: wd.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	wd.srv = web.New(web.Options{Authenticate: webtest.Authenticate(o.Principal), Around: wd.audit.Around})
	wd.srv.Mount(datarights.NewHTTP(wd.svc))
	// Jobs queued by the tests' companies (see fill) need a worker to be queued at all.
	jobs.Handle(q, func(context.Context, reminderJob) error { return nil })
	return wd
}

// start works the queue's jobs (the exports) until the test ends.
func (w *world) start(t *testing.T) {
	t.Helper()
	if err := w.queue.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.stop() })
}

func (w *world) stop() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = w.queue.Stop(ctx)
}

// company is one provisioned tenant, with a row in every tenant table (fill).
type company struct {
	tenant  uuid.UUID
	slug    string
	admin   uuid.UUID
	rep     uuid.UUID
	region  uuid.UUID
	email   string
	photo   string // the hash of its visit's photo
	related map[string]uuid.UUID
}

// as is a context signed in as user of c, as the authentication middleware makes it.
func (w *world) as(t *testing.T, c *company, user uuid.UUID) context.Context {
	t.Helper()
	ctx := identity.System(context.Background(), c.tenant)
	var p identity.Principal
	err := w.s.Tx(ctx, func(ctx context.Context, _ *gorm.DB) error {
		var err error
		p, err = w.org.Principal(ctx, user)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return identity.With(context.Background(), p)
}

func (c *company) caller(user uuid.UUID) webtest.Caller {
	return webtest.Caller{Tenant: c.tenant, User: user}
}

// newCompany provisions a tenant named slug, fills it, and stores the photo shared by every
// company: the same picture, so the same hash, in each tenant's own blobs.
func (w *world) newCompany(t *testing.T, slug string) *company {
	t.Helper()
	ctx := context.Background()
	p, err := w.prov.Provision(ctx, tenants.Signup{Company: slug + " Foods", Slug: slug, Industry: tenants.IndustryFMCG,
		TimeZone: "Asia/Shanghai", Currency: "CNY", AdminName: "Admin " + slug, AdminEmail: "admin@" + slug + ".test",
		AdminPassword: "correct horse battery"})
	if err != nil {
		t.Fatalf("provision %s: %v", slug, err)
	}
	c := &company{tenant: p.TenantID, slug: p.Slug, admin: p.AdminID, region: p.RootRegionID, email: p.AdminEmail, related: map[string]uuid.UUID{}}
	info, err := w.photos.Put(ctx, c.tenant, bytes.NewReader(samePhoto), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	c.photo = info.SHA256
	w.fill(t, c)
	return c
}

var samePhoto = []byte("\xff\xd8\xff\xe0 not really a jpeg, but the same bytes in every tenant")
