package main

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/repflow/repflow/platform/auth"
	"github.com/repflow/repflow/platform/mail"
	"github.com/repflow/repflow/tenants"
	"github.com/repflow/repflow/tenants/billing"
)

// config is every setting of the binary. Each comes from a flag, else from its REPFLOW_*
// environment variable, else from its default.
type config struct {
	Listen        string
	DatabaseURL   string
	DataDir       string
	PublicURL     string
	LogLevel      string
	LogFormat     string
	ShutdownGrace time.Duration
	// JobPoll is how often the job queue looks for due jobs.
	JobPoll time.Duration
	// AbandonSignupsAfter is how long a sign-up may stay unverified before it is purged.
	AbandonSignupsAfter time.Duration

	Migrate string // auto: serve migrates on start; check: serve refuses an unmigrated database
	// TrustedProxies is a comma-separated list of proxy IPs or CIDRs whose X-Forwarded-For to believe.
	TrustedProxies string
	// Billing is Stripe's settings; without a secret key billing is off (a self-hosted server).
	Billing billing.Config
	// SMTP is the mail server the platform's mail goes through; without an address it is logged.
	SMTP mail.SMTP
	// Map is the live map's base layer: its tiles, their attribution and datum.
	Map mapSettings
	// ConnectorsDir holds the connector binaries this server runs; absent: none.
	ConnectorsDir string
	Demo          bool
	// Load asks `repflow demo` for a load tenant of this size instead of the demo (--reps, --days,
	// --until); zero Reps keeps the demo.
	Load tenants.LoadSize
	// passwordCost overrides argon2id's cost; zero keeps the production default. Tests only.
	passwordCost auth.Params
	// syncPageSize, syncRetryAfter and syncRunSlice override the connector sync's page, first
	// retry wait and time per job; zero keeps the defaults. Tests only.
	syncPageSize                 int
	syncRetryAfter, syncRunSlice time.Duration
	// noSweeps leaves the platform's scheduled sweeps (mail delivery, connector checks, purges,
	// monthly reports) out of the job queue. Tests only: each sweep would otherwise run once at
	// a moment of the queue's choosing, in the middle of whatever a test is doing; a test of a
	// sweep calls its task itself.
	noSweeps bool
}

// setting describes one configuration entry: its flag, its variable, its default.
type setting struct {
	flag, env, def, usage string
	into                  *string
}

func (c *config) settings() []setting {
	return []setting{
		{"listen", "REPFLOW_LISTEN", ":8080", "address to serve HTTP on", &c.Listen},
		{"database-url", "REPFLOW_DATABASE_URL", "", "PostgreSQL URL; empty uses the embedded database in the data directory", &c.DatabaseURL},
		{"data-dir", "REPFLOW_DATA_DIR", "./data", "directory for the embedded database and uploaded files", &c.DataDir},
		{"public-url", "REPFLOW_PUBLIC_URL", "http://localhost:8080", "URL people reach this server at (used in e-mailed links)", &c.PublicURL},
		{"log-level", "REPFLOW_LOG_LEVEL", "info", "debug, info, warn or error", &c.LogLevel},
		{"log-format", "REPFLOW_LOG_FORMAT", "text", "text or json", &c.LogFormat},
		{"migrate", "REPFLOW_MIGRATE", "auto", "auto: migrate the database on start; check: refuse to start on an unmigrated one", &c.Migrate},
		{"trusted-proxies", "REPFLOW_TRUSTED_PROXIES", "", "comma-separated IPs or CIDRs of load balancers whose X-Forwarded-For names the client", &c.TrustedProxies},
		{"stripe-secret-key", "REPFLOW_STRIPE_SECRET_KEY", "", "Stripe API key; empty turns billing off (self-hosted: no plans, no limits)", &c.Billing.SecretKey},
		{"stripe-webhook-secret", "REPFLOW_STRIPE_WEBHOOK_SECRET", "", "signing secret of the Stripe webhook at /api/v1/billing/webhook", &c.Billing.WebhookSecret},
		{"stripe-seat-price", "REPFLOW_STRIPE_SEAT_PRICE", "", "the Stripe price id of one seat a month", &c.Billing.SeatPriceID},
		{"stripe-backend-url", "REPFLOW_STRIPE_BACKEND_URL", "", "Stripe's API address, for stripe-mock; empty is Stripe itself", &c.Billing.BackendURL},
		{"smtp-addr", "REPFLOW_SMTP_ADDR", "", "host:port of the mail server for sign-up, invitation and password mails; empty logs them instead", &c.SMTP.Addr},
		{"smtp-from", "REPFLOW_SMTP_FROM", "repflow <no-reply@localhost>", "the sender of the platform's mail", &c.SMTP.From},
		{"smtp-user", "REPFLOW_SMTP_USER", "", "user for the mail server's PLAIN authentication; empty for none", &c.SMTP.Username},
		{"smtp-password", "REPFLOW_SMTP_PASSWORD", "", "password for the mail server", &c.SMTP.Password},
		{"map-tile-url", "REPFLOW_MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "tile URL template of the live map ({z}/{x}/{y}, optional {s}); empty draws the map without tiles (offline installs)", &c.Map.TileURL},
		{"map-attribution", "REPFLOW_MAP_ATTRIBUTION", "© OpenStreetMap contributors", "the credit the tile provider asks for, shown on the map as plain text", &c.Map.Attribution},
		{"map-datum", "REPFLOW_MAP_DATUM", "wgs84", "datum the tiles are drawn in: wgs84, or gcj02 for Chinese providers such as AMap", &c.Map.Datum},
		{"connectors-dir", "REPFLOW_CONNECTORS_DIR", "bin/connectors", "directory of the connector binaries (CRM and ERP plugins) this server runs; a missing directory runs none", &c.ConnectorsDir},
	}
}

// parseConfig reads args (after the subcommand) and the environment.
func parseConfig(name string, args []string, withServe bool) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("repflow "+name, flag.ContinueOnError)
	for _, s := range c.settings() {
		def := s.def
		if v, ok := os.LookupEnv(s.env); ok {
			def = v
		}
		fs.StringVar(s.into, s.flag, def, s.usage+" ("+s.env+")")
	}
	billingGrace := envOr("REPFLOW_BILLING_GRACE", "168h")
	abandoned := envOr("REPFLOW_ABANDONED_SIGNUP_AFTER", "168h")
	fs.StringVar(&abandoned, "abandoned-signup-after", abandoned, "how long a sign-up may stay unverified before it is purged with all it made (REPFLOW_ABANDONED_SIGNUP_AFTER)")
	fs.StringVar(&billingGrace, "billing-grace", billingGrace, "how long a tenant with a failed payment keeps writing before it turns read-only (REPFLOW_BILLING_GRACE)")
	grace := envOr("REPFLOW_SHUTDOWN_GRACE", "15s")
	fs.StringVar(&grace, "shutdown-grace", grace, "how long to let requests finish on shutdown (REPFLOW_SHUTDOWN_GRACE)")
	poll := envOr("REPFLOW_JOB_POLL", "1s")
	fs.StringVar(&poll, "job-poll", poll, "how often to look for due background jobs: reminders, escalations (REPFLOW_JOB_POLL)")
	demo := envOr("REPFLOW_DEMO", "false")
	if withServe {
		fs.StringVar(&demo, "demo", demo, "create the demo tenant on first start (REPFLOW_DEMO)")
		// "--demo" alone means true.
		for i, a := range args {
			if a == "--demo" || a == "-demo" {
				args[i] = "--demo=true"
			}
		}
	}
	var until string
	if name == "demo" {
		fs.IntVar(&c.Load.Reps, "reps", 0, "create a load tenant with this many reps instead of the demo (with --days)")
		fs.IntVar(&c.Load.Days, "days", 0, "the load tenant's days of work, ending the day before --until (with --reps)")
		fs.StringVar(&until, "until", "", "the day after the load tenant's data, YYYY-MM-DD (default: the first of this month)")
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if err := c.parseLoad(until); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	var err error
	if c.ShutdownGrace, err = time.ParseDuration(grace); err != nil || c.ShutdownGrace < 0 {
		return nil, fmt.Errorf("REPFLOW_SHUTDOWN_GRACE (--shutdown-grace): %q is not a duration like 15s", grace)
	}
	if c.JobPoll, err = time.ParseDuration(poll); err != nil || c.JobPoll < 10*time.Millisecond || c.JobPoll > time.Minute {
		return nil, fmt.Errorf("REPFLOW_JOB_POLL (--job-poll): %q is not a duration from 10ms to 1m", poll)
	}
	if c.Demo, err = strconv.ParseBool(demo); err != nil {
		return nil, fmt.Errorf("REPFLOW_DEMO (--demo): %q is not true or false", demo)
	}
	if c.Billing.GracePeriod, err = time.ParseDuration(billingGrace); err != nil || c.Billing.GracePeriod <= 0 {
		return nil, fmt.Errorf("REPFLOW_BILLING_GRACE (--billing-grace): %q is not a duration like 168h", billingGrace)
	}
	if c.AbandonSignupsAfter, err = time.ParseDuration(abandoned); err != nil || c.AbandonSignupsAfter < tenants.VerificationLifetime {
		// Shorter than a verification link's life would purge a sign-up whose link still works.
		return nil, fmt.Errorf("REPFLOW_ABANDONED_SIGNUP_AFTER (--abandoned-signup-after): %q is not a duration of at least 48h, like 168h", abandoned)
	}
	return c, c.validate()
}

// parseLoad checks the load tenant's flags: both sizes or neither, and a date for --until.
func (c *config) parseLoad(until string) error {
	if (c.Load.Reps == 0) != (c.Load.Days == 0) || (c.Load.Reps == 0 && until != "") {
		return errors.New("--reps and --days go together (and --until with them): give both for a load tenant, neither for the demo")
	}
	if until == "" {
		return nil
	}
	var err error
	if c.Load.Until, err = time.Parse(time.DateOnly, until); err != nil {
		return fmt.Errorf("--until: %q is not a day like 2026-11-01", until)
	}
	return nil
}

func envOr(k, def string) string {
	if v, ok := os.LookupEnv(k); ok {
		return v
	}
	return def
}

// validate names the setting at fault, so a bad deployment says what to fix.
func (c *config) validate() error {
	host, port, err := net.SplitHostPort(c.Listen)
	if n, perr := strconv.Atoi(port); err != nil || perr != nil || n < 0 || n > 65535 {
		return fmt.Errorf("REPFLOW_LISTEN (--listen): %q is not an address like :8080 or 127.0.0.1:8080", c.Listen)
	}
	_ = host
	if c.DatabaseURL != "" {
		if _, err := pgx.ParseConfig(c.DatabaseURL); err != nil {
			return fmt.Errorf("REPFLOW_DATABASE_URL (--database-url): not a PostgreSQL URL: %v", redact(err))
		}
	}
	if strings.TrimSpace(c.DataDir) == "" {
		return errors.New("REPFLOW_DATA_DIR (--data-dir): must name a directory")
	}
	if _, port, err := net.SplitHostPort(c.SMTP.Addr); c.SMTP.Addr != "" && (err != nil || port == "") {
		return fmt.Errorf("REPFLOW_SMTP_ADDR (--smtp-addr): %q is not a host:port like smtp.example.com:587", c.SMTP.Addr)
	}
	if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("REPFLOW_PUBLIC_URL (--public-url): %q is not an http(s) URL", c.PublicURL)
	}
	if _, err := c.level(); err != nil {
		return err
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("REPFLOW_LOG_FORMAT (--log-format): %q is neither text nor json", c.LogFormat)
	}
	for _, p := range c.proxies() {
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				return fmt.Errorf("REPFLOW_TRUSTED_PROXIES (--trusted-proxies): %q is neither an IP nor a CIDR", p)
			}
		}
	}
	if c.Migrate != "auto" && c.Migrate != "check" {
		return fmt.Errorf("REPFLOW_MIGRATE (--migrate): %q is neither auto nor check", c.Migrate)
	}
	return c.Map.validate()
}

func (c *config) proxies() []string {
	var out []string
	for _, p := range strings.Split(c.TrustedProxies, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (c *config) level() (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return l, fmt.Errorf("REPFLOW_LOG_LEVEL (--log-level): %q is not debug, info, warn or error", c.LogLevel)
	}
	return l, nil
}

func (c *config) logger() *slog.Logger {
	l, _ := c.level()
	opts := &slog.HandlerOptions{Level: l}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}

// redact keeps a password in a malformed URL out of the message.
func redact(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, "://"); i >= 0 {
		if j := strings.Index(msg[i:], "@"); j >= 0 {
			return msg[:i+3] + "***" + msg[i+j:]
		}
	}
	return msg
}

// mailSender is the configured mail server, or the log where none is.
func (c *config) mailSender(log *slog.Logger) mail.Sender {
	if c.SMTP.Addr == "" {
		return mail.Log{Log: log}
	}
	return c.SMTP
}

// billing is Stripe's settings with the pages Checkout and the portal send people back to.
func (c *config) billing() billing.Config {
	b := c.Billing
	b.SuccessURL, _ = url.JoinPath(c.PublicURL, "billing")
	b.SuccessURL += "?checkout=success"
	b.CancelURL, _ = url.JoinPath(c.PublicURL, "billing")
	b.CancelURL += "?checkout=cancel"
	b.PortalReturnURL, _ = url.JoinPath(c.PublicURL, "billing")
	return b
}
