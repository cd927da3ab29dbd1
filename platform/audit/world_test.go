package audit

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
	"github.com/repflow/repflow/platform/storetest"
	"github.com/repflow/repflow/platform/web"
)

// world is one fresh database with an audit log and a tenant whose built-in policies are seeded.
type world struct {
	t      *testing.T
	s      *store.Store
	log    *Log
	tenant uuid.UUID
}

func newWorld(t *testing.T) *world {
	t.Helper()
	s := storetest.Open(t)
	w := &world{t: t, s: s, log: New(s, access.NewWarden(s)), tenant: identity.NewID()}
	w.seedPolicies(w.tenant)
	return w
}

// another is w's database with a fresh tenant, for subtest t: tenants share nothing but the
// database, so cases need not pay for a database each.
func (w *world) another(t *testing.T) *world {
	t.Helper()
	o := &world{t: t, s: w.s, log: w.log, tenant: identity.NewID()}
	o.seedPolicies(o.tenant)
	return o
}

func (w *world) seedPolicies(tenant uuid.UUID) {
	w.t.Helper()
	if err := w.log.w.SeedDefaults(identity.System(context.Background(), tenant)); err != nil {
		w.t.Fatalf("seed policies: %v", err)
	}
}

// person is a signed-in user of tenant with roles.
func person(tenant uuid.UUID, roles ...string) identity.Principal {
	return identity.Principal{TenantID: tenant, UserID: identity.NewID(), SessionID: identity.NewID(), Roles: roles}
}

// as is a context of p acting in a request with id requestID.
func as(p identity.Principal, requestID string) context.Context {
	ctx := web.WithRequest(context.Background(), web.Request{ID: requestID, IP: "203.0.113.7", UserAgent: "audit-test/1.0"})
	return identity.With(ctx, p)
}

// appendN appends n records for p in one transaction (Record joins it).
func (w *world) appendN(p identity.Principal, n int) {
	w.t.Helper()
	err := w.s.Tx(as(p, "req-append-n"), func(ctx context.Context, _ *gorm.DB) error {
		for i := 0; i < n; i++ {
			if err := w.log.Record(ctx, Entry{Action: "test.append", Resource: "thing", Status: 200, Digest: Digest([]byte{byte(i)})}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		w.t.Fatalf("append %d records: %v", n, err)
	}
}

// records reads tenant's whole chain in seq order.
func (w *world) records(tenant uuid.UUID) []Record {
	w.t.Helper()
	var rows []Record
	err := w.s.Tx(identity.System(context.Background(), tenant), func(ctx context.Context, db *gorm.DB) error {
		return db.Order("seq").Find(&rows).Error
	})
	if err != nil {
		w.t.Fatalf("read records: %v", err)
	}
	return rows
}

func (w *world) verify(tenant uuid.UUID) Report {
	w.t.Helper()
	rep, err := w.log.Verify(identity.System(context.Background(), tenant))
	if err != nil {
		w.t.Fatalf("verify: %v", err)
	}
	return rep
}

// owner is the schema owner's handle: what someone with the database's keys could tamper with.
func (w *world) owner() *gorm.DB { return w.s.Owner(context.Background()) }

func (w *world) exec(sql string, args ...any) {
	w.t.Helper()
	res := w.owner().Exec(sql, args...)
	if res.Error != nil {
		w.t.Fatalf("%s: %v", sql, res.Error)
	}
	if res.RowsAffected == 0 {
		w.t.Fatalf("%s: changed no row", sql)
	}
}
