package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestCheck(t *testing.T) {
	db := newDatabase(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	configure := func(t *testing.T, url, db, password string, company int) (*connector, *rpcLog) {
		t.Helper()
		c := newConnector()
		log := watch(c)
		cfg := fmt.Sprintf(`{"url":%q,"database":%q,"username":"admin","password":%q,"company":%d}`, url, db, password, company)
		if errs, err := c.Configure(ctx, json.RawMessage(cfg)); err != nil || len(errs) > 0 {
			t.Fatalf("Configure: %v %v", errs, err)
		}
		if log.total() != 0 {
			t.Errorf("Configure sent %d requests to Tryton, want none", log.total())
		}
		return c, log
	}

	t.Run("good credentials", func(t *testing.T) {
		c, log := configure(t, server.url, db, adminPassword, 1)
		if err := c.Check(ctx); err != nil {
			t.Fatalf("Check: %v", err)
		}
		if log.count("common.db.login") != 1 {
			t.Errorf("logins = %d, want 1", log.count("common.db.login"))
		}
	})

	t.Run("bad password is tried once", func(t *testing.T) {
		c, log := configure(t, server.url, db, "wrong-password", 1)
		for i := 0; i < 3; i++ {
			err := c.Check(ctx)
			if err == nil || !strings.Contains(err.Error(), "Tryton refused the user name or password") {
				t.Fatalf("Check %d = %v, want a refused password", i, err)
			}
		}
		if n := log.count("common.db.login"); n != 1 {
			t.Errorf("logins sent = %d over 3 Checks, want 1 (no retries of a bad password)", n)
		}
		// The same settings again keep the refusal; new ones are tried.
		same := fmt.Sprintf(`{"url":%q,"database":%q,"username":"admin","password":"wrong-password"}`, server.url, db)
		if _, err := c.Configure(ctx, json.RawMessage(same)); err != nil {
			t.Fatal(err)
		}
		if err := c.Check(ctx); err == nil || log.count("common.db.login") != 1 {
			t.Errorf("after the same configuration: Check = %v, logins = %d", err, log.count("common.db.login"))
		}
		fixed := fmt.Sprintf(`{"url":%q,"database":%q,"username":"admin","password":%q}`, server.url, db, adminPassword)
		if _, err := c.Configure(ctx, json.RawMessage(fixed)); err != nil {
			t.Fatal(err)
		}
		if err := c.Check(ctx); err != nil {
			t.Errorf("Check after fixing the password: %v", err)
		}
	})

	t.Run("unknown database", func(t *testing.T) {
		c, _ := configure(t, server.url, "no_such_db", adminPassword, 1)
		err := c.Check(ctx)
		if err == nil || !strings.Contains(err.Error(), `database "no_such_db" does not exist`) {
			t.Errorf("Check = %v, want database does not exist", err)
		}
	})

	t.Run("unknown company", func(t *testing.T) {
		c, _ := configure(t, server.url, db, adminPassword, 99)
		err := c.Check(ctx)
		if err == nil || !strings.Contains(err.Error(), "company 99 does not exist") {
			t.Errorf("Check = %v, want company 99 does not exist", err)
		}
	})

	t.Run("server not running", func(t *testing.T) {
		port, err := freePort()
		if err != nil {
			t.Fatal(err)
		}
		url := fmt.Sprintf("http://127.0.0.1:%d", port)
		c, _ := configure(t, url, db, adminPassword, 1)
		err = c.Check(ctx)
		if err == nil || !strings.Contains(err.Error(), "cannot reach the Tryton server at "+url) {
			t.Errorf("Check = %v, want cannot reach", err)
		}
	})

	t.Run("not a Tryton server", func(t *testing.T) {
		c, _ := configure(t, server.url+"/nothing/here", db, adminPassword, 1)
		if err := c.Check(ctx); err == nil || !strings.Contains(err.Error(), "check the URL") {
			t.Errorf("Check against a URL that is not Tryton's = %v, want advice to check the URL", err)
		}
	})
}
