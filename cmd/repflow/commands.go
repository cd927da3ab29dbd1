package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/repflow/repflow/migrations"
	"github.com/repflow/repflow/platform/store"
	"github.com/repflow/repflow/tenants"
)

func openStore(ctx context.Context, cfg *config) (*store.Store, error) {
	return store.Open(ctx, store.Config{DatabaseURL: cfg.DatabaseURL, DataDir: cfg.DataDir, Log: cfg.logger()})
}

func migrate(ctx context.Context, cfg *config, what string, out io.Writer) error {
	s, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	if what == "up" {
		done, err := migrations.Up(ctx, s)
		if err != nil {
			return err
		}
		a, err := newApp(s, cfg)
		if err != nil {
			return err
		}
		seeded, err := a.provisioner.RefreshDefaults(ctx)
		if err != nil {
			return err
		}
		if seeded > 0 {
			fmt.Fprintf(out, "gave %d tenants the current built-in access policies\n", seeded)
		}
		if len(done) == 0 {
			fmt.Fprintf(out, "database is up to date at version %d\n", migrations.Latest())
			return nil
		}
		fmt.Fprintf(out, "applied migrations %v; database is at version %d\n", done, migrations.Latest())
		return nil
	}
	st, err := migrations.List(ctx, s)
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VERSION\tNAME\tAPPLIED")
	for _, m := range st {
		applied := "pending"
		if m.AppliedAt != nil {
			applied = m.AppliedAt.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\n", m.Version, m.Name, applied)
	}
	_ = tw.Flush()
	return err
}

// prepare brings the database to this binary's version, or checks that it is there.
func prepare(ctx context.Context, cfg *config, s *store.Store) error {
	if cfg.Migrate == "auto" {
		if _, err := migrations.Up(ctx, s); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
	}
	return migrations.Check(ctx, s)
}

// openApp opens the store, brings it to this binary's schema (prepare) and wires the app over
// it; closing the store is the caller's, with the function answered.
func openApp(ctx context.Context, cfg *config) (*app, func(), error) {
	s, err := openStore(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	closeStore := func() { _ = s.Close() }
	if err := prepare(ctx, cfg, s); err != nil {
		closeStore()
		return nil, nil, err
	}
	a, err := newApp(s, cfg)
	if err != nil {
		closeStore()
		return nil, nil, err
	}
	return a, closeStore, nil
}

func demo(ctx context.Context, cfg *config, out io.Writer) error {
	a, closeStore, err := openApp(ctx, cfg)
	if err != nil {
		return err
	}
	defer closeStore()
	if cfg.Load.Reps > 0 {
		sum, err := tenants.Load(ctx, a.provisioner, cfg.Load)
		if err != nil {
			return err
		}
		if err := a.rebuildRollups(ctx); err != nil {
			return err
		}
		if err := sum.Print(out); err != nil {
			return err
		}
		return printLogin(out, cfg, sum.AdminEmail, sum.Password)
	}
	sum, err := tenants.Demo(ctx, a.provisioner)
	if err != nil {
		return err
	}
	return printDemo(out, sum, cfg)
}

func printDemo(out io.Writer, sum tenants.DemoSummary, cfg *config) error {
	if err := sum.Print(out); err != nil {
		return err
	}
	return printLogin(out, cfg, tenants.DemoAdminEmail, sum.Password)
}

// printLogin shows how to sign in over the API.
func printLogin(out io.Writer, cfg *config, email, password string) error {
	host := cfg.Listen
	if strings.HasPrefix(host, ":") {
		host = "localhost" + host
	}
	fmt.Fprintf(out, "\nLog in over the API (with the server running):\n  curl -s http://%s/api/v1/auth/login -H 'Content-Type: application/json' \\\n", host)
	_, err := fmt.Fprintf(out, "    -d '{\"email\":\"%s\",\"password\":\"%s\",\"client\":\"mobile\"}'\n", email, password)
	return err
}
