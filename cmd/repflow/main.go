// Command repflow is the one binary: the server, its migrations and the demo tenant.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

const usage = `repflow: field sales, visits, pipeline and appraisal for many tenants.

Usage:
  repflow serve [--demo] [flags]   serve the API (and the UI) on REPFLOW_LISTEN
  repflow migrate up|status        apply or list the database migrations
  repflow demo                     create the demo tenant and print how to log in
  repflow demo --reps N --days D [--until YYYY-MM-DD]
                                   instead, create a load tenant of N reps with D days of work
                                   ending the day before --until (default: the first of this
                                   month), for benchmarks; slug load-NxD
  repflow operator add EMAIL NAME  enrol an operator of the console under /admin (password from
                                   REPFLOW_OPERATOR_PASSWORD or standard input); prints the
                                   authenticator app's otpauth:// address
  repflow version                  print the version

Settings come from flags or REPFLOW_* environment variables; run "repflow serve -h" to list them.
Without REPFLOW_DATABASE_URL the embedded database in REPFLOW_DATA_DIR (default ./data) is used.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:])
	stop()
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "repflow:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Print(usage)
		return errors.New("name a command")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		cfg, err := parseConfig(cmd, rest, true)
		if err != nil {
			return err
		}
		return serve(ctx, cfg)
	case "migrate":
		if len(rest) == 0 || (rest[0] != "up" && rest[0] != "status") {
			return errors.New("usage: repflow migrate up|status")
		}
		cfg, err := parseConfig(cmd, rest[1:], false)
		if err != nil {
			return err
		}
		return migrate(ctx, cfg, rest[0], os.Stdout)
	case "demo":
		cfg, err := parseConfig(cmd, rest, false)
		if err != nil {
			return err
		}
		cfg.ConnectorsDir = "" // only a serving server starts connector processes
		return demo(ctx, cfg, os.Stdout)
	case "operator":
		if len(rest) < 3 || rest[0] != "add" {
			return errors.New("usage: repflow operator add EMAIL NAME")
		}
		cfg, err := parseConfig(cmd, rest[3:], false)
		if err != nil {
			return err
		}
		cfg.ConnectorsDir = "" // only a serving server starts connector processes
		return addOperator(ctx, cfg, rest[1], rest[2], os.Stdin, os.Stdout)
	case "version":
		fmt.Println("repflow", version)
		return nil
	case "help", "-h", "--help":
		fmt.Print(usage)
		return nil
	}
	fmt.Fprint(os.Stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}
