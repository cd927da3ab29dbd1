package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/repflow/repflow/plugins/sdk"
)

// pull runs one Pull and returns what it sent.
func pull(t *testing.T, c *connector, entity, cursor string, limit int) []sdk.Record {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var got []sdk.Record
	err := c.Pull(ctx, sdk.PullRequest{Entity: entity, Cursor: cursor, Limit: limit}, func(r sdk.Record) error {
		got = append(got, r)
		return nil
	})
	if err != nil {
		t.Fatalf("Pull %s after %q: %v", entity, cursor, err)
	}
	return got
}

// data decodes a record's Data, checks its change dates and drops them so the rest compares exactly.
func data(t *testing.T, r sdk.Record) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Data, &m); err != nil {
		t.Fatalf("record %s: Data is not a JSON object: %v", r.ExternalID, err)
	}
	created, _ := m["create_date"].(string)
	at, err := time.Parse(time.RFC3339Nano, created)
	if err != nil {
		t.Fatalf("record %s: create_date %v: %v", r.ExternalID, m["create_date"], err)
	}
	// TZ=UTC on the server and UTC in the connector: the stamp is now, not hours away.
	if d := time.Since(at); d < -time.Minute || d > 10*time.Minute {
		t.Errorf("record %s: create_date %s is %s from now", r.ExternalID, created, d)
	}
	changed := at
	if w, ok := m["write_date"].(string); ok {
		if changed, err = time.Parse(time.RFC3339Nano, w); err != nil {
			t.Fatalf("record %s: write_date %q: %v", r.ExternalID, w, err)
		}
	}
	if !r.ChangedAt.Equal(changed) {
		t.Errorf("record %s: ChangedAt %s, want its write/create date %s", r.ExternalID, r.ChangedAt, changed)
	}
	if r.ExternalID != fmt.Sprint(m["id"]) {
		t.Errorf("ExternalID %q but id %v", r.ExternalID, m["id"])
	}
	delete(m, "create_date")
	delete(m, "write_date")
	return m
}

func ids(records []sdk.Record) []int {
	out := make([]int, len(records))
	for i, r := range records {
		out[i], _ = strconv.Atoi(r.ExternalID)
	}
	return out
}

func today() string { return time.Now().UTC().Format("2006-01-02") }

func TestPullEntities(t *testing.T) {
	db := newDatabase(t)
	a := newAdmin(t, db)
	acme := a.create("party.party", map[string]any{
		"name": "ACME Corp",
		"addresses": []any{[]any{"create", []any{
			map[string]any{"street": "1 Main St", "city": "Springfield", "postal_code": "12345", "country": 1},
			map[string]any{"street": "2 Side St", "city": "Shelbyville"},
		}}},
		"contact_mechanisms": []any{[]any{"create", []any{
			map[string]any{"type": "email", "value": "info@acme.example"},
			map[string]any{"type": "phone", "value": "+33 1 23 45 67 89"},
		}}},
	})[0]
	bare := a.create("party.party", map[string]any{"name": "Bare Ltd"})[0]
	template := func(name, price, code string) map[string]any {
		return map[string]any{"name": name, "type": "goods", "default_uom": 1, "list_price": dec(price),
			"salable": true, "sale_uom": 1, "account_category": 1,
			"products": []any{[]any{"create", []any{map[string]any{"suffix_code": code}}}}}
	}
	a.create("product.template", template("Widget", "10.00", "WID-001"), template("Gadget", "25.50", "GAD-001"))
	a.write("product.product", []int64{2}, map[string]any{"active": false})
	a.create("sale.opportunity", map[string]any{
		"description": "Big deal", "party": acme, "employee": 1, "amount": dec("500.00"),
		"conversion_probability": 0.5,
		"start_date":             map[string]any{"__class__": "date", "year": 2026, "month": 1, "day": 5},
		"end_date":               map[string]any{"__class__": "date", "year": 2026, "month": 2, "day": 1},
	})
	var addresses []int64
	if err := json.Unmarshal(a.call("model.party.party.read", []int64{acme}, []string{"addresses"}, company),
		&[]struct{ Addresses *[]int64 }{{&addresses}}); err != nil || len(addresses) == 0 {
		t.Fatalf("addresses of ACME: %v %v", addresses, err)
	}
	line := func(product int, qty float64, price string) map[string]any {
		return map[string]any{"type": "line", "product": product, "quantity": qty, "unit": 1,
			"unit_price": dec(price), "description": "item"}
	}
	sales := a.create("sale.sale",
		map[string]any{"party": acme, "invoice_address": addresses[0], "shipment_address": addresses[0],
			"lines": []any{[]any{"create", []any{line(1, 3, "10.00"), line(2, 2, "25.50")}}}},
		map[string]any{"party": bare})
	a.call("model.sale.sale.quote", sales[:1], company)
	a.call("model.sale.sale.confirm", sales[:1], company)

	c := configured(t, db, 100)

	t.Run("customers", func(t *testing.T) {
		got := pull(t, c, "customers", "", 0)
		if want := []int{1, int(acme), int(bare)}; !reflect.DeepEqual(ids(got), want) {
			t.Fatalf("customer ids = %v, want %v", ids(got), want)
		}
		want := map[string]any{"id": float64(acme), "code": "2", "name": "ACME Corp", "street": "1 Main St",
			"city": "Springfield", "zip": "12345", "country": "FR", "phone": "+33 1 23 45 67 89",
			"email": "info@acme.example"}
		if d := data(t, got[1]); !reflect.DeepEqual(d, want) {
			t.Errorf("ACME = %v\nwant   %v", d, want)
		}
		wantBare := map[string]any{"id": float64(bare), "code": "3", "name": "Bare Ltd", "street": nil,
			"city": nil, "zip": nil, "country": nil, "phone": nil, "email": nil}
		if d := data(t, got[2]); !reflect.DeepEqual(d, wantBare) {
			t.Errorf("Bare = %v\nwant   %v", d, wantBare)
		}
	})

	t.Run("products", func(t *testing.T) {
		got := pull(t, c, "products", "", 0)
		if len(got) != 2 {
			t.Fatalf("%d products, want 2 (inactive included)", len(got))
		}
		want := []map[string]any{
			{"id": 1.0, "code": "WID-001", "name": "Widget", "list_price": "10.00", "active": true},
			{"id": 2.0, "code": "GAD-001", "name": "Gadget", "list_price": "25.50", "active": false},
		}
		// The deactivated Gadget was written after Widget was created: it comes last either way.
		for i, r := range got {
			if d := data(t, r); !reflect.DeepEqual(d, want[i]) {
				t.Errorf("product %d = %v\nwant %v", i, d, want[i])
			}
		}
	})

	t.Run("opportunities", func(t *testing.T) {
		got := pull(t, c, "opportunities", "", 0)
		if len(got) != 1 {
			t.Fatalf("%d opportunities, want 1", len(got))
		}
		d := data(t, got[0])
		if n, _ := d["number"].(string); n == "" {
			t.Errorf("opportunity has no number: %v", d)
		}
		delete(d, "number")
		want := map[string]any{"id": 1.0, "party_id": float64(acme), "description": "Big deal", "amount": "500.00",
			"currency_code": "EUR", "state": "lead", "conversion_probability": 0.5,
			"start_date": "2026-01-05", "end_date": "2026-02-01"}
		if !reflect.DeepEqual(d, want) {
			t.Errorf("opportunity = %v\nwant %v", d, want)
		}
	})

	t.Run("orders", func(t *testing.T) {
		got := pull(t, c, "orders", "", 0)
		if len(got) != 2 {
			t.Fatalf("%d orders, want 2", len(got))
		}
		// The draft was never written after its creation; the confirmed one was, so it is last.
		draft, confirmed := data(t, got[0]), data(t, got[1])
		wantDraft := map[string]any{"id": float64(sales[1]), "number": nil, "party_id": float64(bare), "state": "draft",
			"sale_date": nil, "currency_code": "EUR", "total_amount": "0", "lines": []any{}}
		if !reflect.DeepEqual(draft, wantDraft) {
			t.Errorf("draft = %v\nwant %v", draft, wantDraft)
		}
		lines, _ := confirmed["lines"].([]any)
		if len(lines) != 2 {
			t.Fatalf("confirmed order lines = %v", confirmed["lines"])
		}
		for i, l := range lines {
			m := l.(map[string]any)
			if _, ok := m["id"].(float64); !ok {
				t.Errorf("line %d has no id: %v", i, m)
			}
			delete(m, "id")
		}
		wantConfirmed := map[string]any{"id": float64(sales[0]), "number": "1", "party_id": float64(acme),
			"state": "confirmed", "sale_date": today(), "currency_code": "EUR", "total_amount": "81.00",
			"lines": []any{
				map[string]any{"product_id": 1.0, "quantity": 3.0, "unit_price": "10.00"},
				map[string]any{"product_id": 2.0, "quantity": 2.0, "unit_price": "25.50"},
			}}
		if !reflect.DeepEqual(confirmed, wantConfirmed) {
			t.Errorf("confirmed = %v\nwant %v", confirmed, wantConfirmed)
		}
	})

	t.Run("unknown entity", func(t *testing.T) {
		err := c.Pull(context.Background(), sdk.PullRequest{Entity: "invoices"}, func(sdk.Record) error { return nil })
		if err == nil || !strings.Contains(err.Error(), "unknown entity") {
			t.Errorf("Pull invoices = %v", err)
		}
	})

	t.Run("invalid cursor", func(t *testing.T) {
		err := c.Pull(context.Background(), sdk.PullRequest{Entity: "customers", Cursor: "yesterday"},
			func(sdk.Record) error { return nil })
		if err == nil || !strings.Contains(err.Error(), "invalid cursor") {
			t.Errorf("Pull with a bad cursor = %v", err)
		}
	})
}

func TestPullIncremental(t *testing.T) {
	db := newDatabase(t)
	a := newAdmin(t, db)
	var parties []int64
	for _, name := range []string{"Alpha", "Beta", "Gamma"} {
		parties = append(parties, a.create("party.party", map[string]any{"name": name})[0])
	}
	c := configured(t, db, 100)
	all := pull(t, c, "customers", "", 0)
	if len(all) != 4 {
		t.Fatalf("first pull: %d customers, want 4", len(all))
	}
	cursor := all[len(all)-1].Cursor
	if again := pull(t, c, "customers", cursor, 0); len(again) != 0 {
		t.Fatalf("nothing changed, yet the pull after the last cursor sent %v", ids(again))
	}

	a.write("party.party", parties[1:2], map[string]any{"name": "Beta Renamed"})
	changed := pull(t, c, "customers", cursor, 0)
	if !reflect.DeepEqual(ids(changed), []int{int(parties[1])}) {
		t.Fatalf("after updating Beta the pull sent %v, want only %d", ids(changed), parties[1])
	}
	d := data(t, changed[0])
	if d["name"] != "Beta Renamed" {
		t.Errorf("updated party = %v", d)
	}
	if !changed[0].ChangedAt.After(all[len(all)-1].ChangedAt) {
		t.Errorf("update ChangedAt %s is not after the last pulled change %s", changed[0].ChangedAt, all[len(all)-1].ChangedAt)
	}
	if again := pull(t, c, "customers", changed[0].Cursor, 0); len(again) != 0 {
		t.Errorf("after the update's cursor the pull sent %v", ids(again))
	}
}

// TestPullWaitsForChangesToSettle: with a settle time, a change younger than it on the server's
// clock waits for a later pull (a transaction still open could commit rows stamped before it),
// and arrives once it is old enough; the cursor of the earlier pull does not skip it.
func TestPullWaitsForChangesToSettle(t *testing.T) {
	db := newDatabase(t)
	a := newAdmin(t, db)
	c := configuredSettling(t, db, 100, 2)
	time.Sleep(2100 * time.Millisecond) // the template's own records settle
	before := pull(t, c, "customers", "", 0)
	if len(before) != 1 {
		t.Fatalf("first pull: %d customers, want the company's party alone", len(before))
	}
	fresh := a.create("party.party", map[string]any{"name": "Just Now"})[0]
	cursor := before[len(before)-1].Cursor
	if got := pull(t, c, "customers", cursor, 0); len(got) != 0 {
		t.Fatalf("a party created a moment ago was pulled at once: %v", ids(got))
	}
	time.Sleep(3 * time.Second) // past the settle time, on the server's clock to the second
	got := pull(t, c, "customers", cursor, 0)
	if !reflect.DeepEqual(ids(got), []int{int(fresh)}) {
		t.Fatalf("after the settle time the pull sent %v, want %d", ids(got), fresh)
	}
}

// TestPullSharedTimestamps pages in small steps through many records stamped in the same
// transaction (same create_date, then same write_date) and checks that nothing is lost or repeated.
func TestPullSharedTimestamps(t *testing.T) {
	db := newDatabase(t)
	a := newAdmin(t, db)
	values := make([]map[string]any, 30)
	for i := range values {
		values[i] = map[string]any{"name": fmt.Sprintf("Party %02d", i)}
	}
	parties := a.create("party.party", values...)
	var written, unwritten []int
	var evens []int64
	for i, id := range parties {
		if i%2 == 0 {
			evens = append(evens, id)
			written = append(written, int(id))
		} else {
			unwritten = append(unwritten, int(id))
		}
	}
	a.write("party.party", evens, map[string]any{"name": "written once"})

	c := configured(t, db, 4) // pages of 4 inside pulls of 7: cursors fall inside shared timestamps
	pullInSteps := func(cursor string) ([]sdk.Record, string) {
		var out []sdk.Record
		for i := 0; i < 20; i++ {
			page := pull(t, c, "customers", cursor, 7)
			if len(page) > 7 {
				t.Fatalf("limit 7 but %d records", len(page))
			}
			if len(page) == 0 {
				return out, cursor
			}
			out = append(out, page...)
			cursor = page[len(page)-1].Cursor
		}
		t.Fatal("pulling never ended")
		return nil, ""
	}

	got, cursor := pullInSteps("")
	// The company's party, then the 15 never written (one create_date), then the 15 written (one write_date).
	want := append(append([]int{1}, unwritten...), written...)
	if !reflect.DeepEqual(ids(got), want) {
		t.Fatalf("pulled ids\n%v\nwant\n%v", ids(got), want)
	}
	for _, group := range [][]sdk.Record{got[1:16], got[16:]} {
		for _, r := range group {
			if !r.ChangedAt.Equal(group[0].ChangedAt) {
				t.Fatalf("records written in one transaction have different times %s and %s", r.ChangedAt, group[0].ChangedAt)
			}
		}
	}
	if !got[16].ChangedAt.After(got[15].ChangedAt) {
		t.Errorf("write time %s is not after create time %s", got[16].ChangedAt, got[15].ChangedAt)
	}

	a.write("party.party", parties, map[string]any{"name": "written twice"})
	again, _ := pullInSteps(cursor)
	wantAgain := make([]int, len(parties))
	for i, id := range parties {
		wantAgain[i] = int(id)
	}
	if !reflect.DeepEqual(ids(again), wantAgain) {
		t.Fatalf("after rewriting all: ids\n%v\nwant\n%v", ids(again), wantAgain)
	}
}

func TestPullLimit(t *testing.T) {
	db := newDatabase(t)
	a := newAdmin(t, db)
	values := make([]map[string]any, 10)
	for i := range values {
		values[i] = map[string]any{"name": fmt.Sprintf("P%d", i)}
	}
	a.create("party.party", values...)
	c := configured(t, db, 4)
	for _, tt := range []struct{ limit, want int }{{0, 4}, {3, 3}, {9, 9}, {100, 11}} {
		got := pull(t, c, "customers", "", tt.limit)
		if len(got) != tt.want {
			t.Errorf("limit %d: %d records, want %d", tt.limit, len(got), tt.want)
		}
		for i, id := range ids(got) {
			if id != i+1 {
				t.Errorf("limit %d: record %d has id %d", tt.limit, i, id)
			}
		}
	}
}

func TestPullContext(t *testing.T) {
	db := newDatabase(t)
	newAdmin(t, db).create("party.party", map[string]any{"name": "A"}, map[string]any{"name": "B"})
	c := configured(t, db, 1)
	log := watch(c)
	nothing := func(sdk.Record) error { t.Error("a record was sent after cancellation"); return nil }

	t.Run("canceled before", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		err := c.Pull(ctx, sdk.PullRequest{Entity: "customers"}, nothing)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Pull = %v, want context.Canceled", err)
		}
		if log.total() != 0 {
			t.Errorf("%d requests sent with a canceled context", log.total())
		}
	})

	t.Run("deadline passed", func(t *testing.T) {
		ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
		defer cancel()
		if err := c.Pull(ctx, sdk.PullRequest{Entity: "customers"}, nothing); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Pull = %v, want context.DeadlineExceeded", err)
		}
	})

	// The host goes away after the first record: between pages (page size 1) and within one.
	for _, pc := range []*connector{c, configured(t, db, 100)} {
		t.Run(fmt.Sprintf("canceled while pulling pages of %d", pc.cfg.PageSize), func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			sent := 0
			err := pc.Pull(ctx, sdk.PullRequest{Entity: "customers", Limit: 3}, func(sdk.Record) error {
				sent++
				cancel()
				return nil
			})
			if !errors.Is(err, context.Canceled) || sent != 1 {
				t.Errorf("Pull = %v after %d records, want context.Canceled after 1", err, sent)
			}
		})
	}

	t.Run("send fails", func(t *testing.T) {
		err := c.Pull(context.Background(), sdk.PullRequest{Entity: "customers"}, func(sdk.Record) error { return errStop })
		if !errors.Is(err, errStop) {
			t.Errorf("Pull = %v, want the send error", err)
		}
	})

	t.Run("server does not answer", func(t *testing.T) {
		// A listener that accepts and never answers: only the deadline ends the call.
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		go func() {
			for {
				conn, err := l.Accept()
				if err != nil {
					return
				}
				defer conn.Close()
			}
		}()
		hung := newConnector()
		cfg := fmt.Sprintf(`{"url":"http://%s","database":"x","username":"u","password":"p"}`, l.Addr())
		if _, err := hung.Configure(context.Background(), json.RawMessage(cfg)); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		start := time.Now()
		err = hung.Check(ctx)
		if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
			t.Errorf("Check = %v after %s, want context.DeadlineExceeded soon after 300ms", err, time.Since(start))
		}
	})
}

// TestSessionExpired ends the connector's session on the server: it logs in again once and
// carries on; when the password changed meanwhile, it stops after that one login.
func TestSessionExpired(t *testing.T) {
	db := newDatabase(t)
	a := newAdmin(t, db)
	a.create("party.party", map[string]any{"name": "A"})
	c := configured(t, db, 100)
	log := watch(c)
	endSession := func() {
		t.Helper()
		cl, _, _ := c.session()
		// 401: the server already ended it (a password change does).
		_, err := cl.post(context.Background(), cl.auth, "common.db.logout", []any{})
		if err != nil && !isStatus(err, http.StatusUnauthorized) {
			t.Fatalf("logout: %v", err)
		}
	}

	if got := pull(t, c, "customers", "", 0); len(got) != 2 {
		t.Fatalf("%d customers, want 2", len(got))
	}
	endSession()
	if got := pull(t, c, "customers", "", 0); len(got) != 2 {
		t.Fatalf("after the session ended: %d customers, want 2", len(got))
	}
	if n := log.count("common.db.login"); n != 2 {
		t.Errorf("logins = %d, want 2 (one more after the session ended)", n)
	}

	a.write("res.user", []int64{1}, map[string]any{"password": "An0therPassw0rd!"})
	endSession()
	for i := 0; i < 2; i++ {
		err := c.Pull(context.Background(), sdk.PullRequest{Entity: "customers"}, func(sdk.Record) error { return nil })
		if err == nil || !strings.Contains(err.Error(), "Tryton refused the user name or password") {
			t.Fatalf("Pull %d with a changed password = %v", i, err)
		}
	}
	if n := log.count("common.db.login"); n != 3 {
		t.Errorf("logins = %d, want 3: one attempt with the old password, then none", n)
	}
}
