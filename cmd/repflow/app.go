package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/admin"
	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/activities"
	"github.com/repflow/repflow/platform/appraisal"
	"github.com/repflow/repflow/platform/audit"
	"github.com/repflow/repflow/platform/auth"
	"github.com/repflow/repflow/platform/blob"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/jobs"
	"github.com/repflow/repflow/platform/mail"
	"github.com/repflow/repflow/platform/orders"
	"github.com/repflow/repflow/platform/org"
	"github.com/repflow/repflow/platform/pipeline"
	"github.com/repflow/repflow/platform/store"
	"github.com/repflow/repflow/platform/sync"
	"github.com/repflow/repflow/platform/visits"
	"github.com/repflow/repflow/platform/web"
	"github.com/repflow/repflow/tenants"
	"github.com/repflow/repflow/tenants/billing"
	"github.com/repflow/repflow/tenants/datarights"
	webui "github.com/repflow/repflow/web"
)

// app is the wired product: every domain service, built once over one store.
type app struct {
	store       *store.Store
	log         *slog.Logger
	warden      *access.Warden
	audit       *audit.Log
	auth        *auth.Service
	org         *org.Service
	provisioner *tenants.Provisioner
	onboarding  *tenants.Onboarding
	invitations *tenants.Invitations
	dataRights  *datarights.Service
	admission   *tenants.Admission
	outbox      *mail.Outbox
	operators   *admin.Service
	billing     *billing.Service
	plans       *tenants.Plans
	visits      *visits.Service
	jobs        *jobs.Queue
	pipeline    *pipeline.Service
	orders      *orders.Service
	activities  *activities.Service
	appraisal   *appraisal.Service
	sync        *sync.Service
	meter       *tenants.Meter
	connectors  *connectorRunner // nil: no connector binaries
	proxies     []string
	mapSettings mapSettings
}

// passwords hands org the auth service, which itself needs org as its user directory.
type passwords struct{ auth *auth.Service }

func (p *passwords) SetPassword(ctx context.Context, userID uuid.UUID, password string) error {
	return p.auth.SetPassword(ctx, userID, password)
}

// resetMailer queues auth's password reset links in the outbox, as mail about the user's tenant.
type resetMailer struct{ outbox *mail.Outbox }

func (m resetMailer) SendPasswordReset(ctx context.Context, email, link string) error {
	return m.outbox.Queue(ctx, mail.Message{Tenant: identity.TenantID(ctx), Kind: "password_reset", To: email,
		Subject: "Reset your repflow password / 重置 repflow 密码",
		Text: "Open this link within an hour to choose a new password:\n" + link +
			"\n\n请在一小时内打开以上链接设置新密码。\n\nIf you did not ask for it, ignore this message: your password stays as it is.\n"})
}

// auditRecorder lets auth record its public routes (login, password reset) in the audit trail.
type auditRecorder struct{ log *audit.Log }

func (r auditRecorder) Record(ctx context.Context, action, resource, outcome string) error {
	return r.log.Record(ctx, audit.Entry{Action: action, Resource: resource, Outcome: outcome})
}

func newApp(s *store.Store, cfg *config) (*app, error) {
	photos, err := blob.NewDisk(filepath.Join(cfg.DataDir, "blobs"))
	if err != nil {
		return nil, fmt.Errorf("REPFLOW_DATA_DIR: %w", err)
	}
	a := &app{store: s, log: cfg.logger(), warden: access.NewWarden(s), proxies: cfg.proxies(), mapSettings: cfg.Map}
	a.audit = audit.New(s, a.warden)
	pw := &passwords{}
	a.org = org.NewService(s, a.warden, pw)
	a.outbox = mail.NewOutbox(s, cfg.mailSender(a.log))
	if a.billing, err = billing.New(s, cfg.billing(), billing.Options{Log: a.log}); err != nil {
		return nil, fmt.Errorf("REPFLOW_STRIPE_*: %w", err)
	}
	a.plans = tenants.NewPlans(s, a.billing)
	a.meter = tenants.NewMeter(s, a.log)
	a.org.LimitSeats(a.plans.CheckSeats)
	a.admission = tenants.NewAdmission(s, a.plans.Writable)
	reset, _ := url.JoinPath(cfg.PublicURL, "reset-password")
	a.auth = auth.New(s, a.org, resetMailer{a.outbox}, auth.Config{
		Params:     cfg.passwordCost,
		Recorder:   auditRecorder{a.audit},
		ResetURL:   reset,
		TenantOpen: a.admission.Open,
		Log:        a.log,
	})
	pw.auth = a.auth
	// Uploads count against the plan's storage; the purge and the export reach the files as they are.
	a.visits = visits.NewService(s, a.warden, visits.Options{Photos: a.plans.LimitStorage(photos), TimeZone: a.org.TimeZone, Reorders: reorders(a)})
	if a.jobs, err = jobs.New(s, jobs.Options{Log: a.log, PollInterval: cfg.JobPoll, NoSweeps: cfg.noSweeps}); err != nil {
		return nil, err
	}
	// Activities logged against an opportunity restart its idle timers; the pipeline shows the
	// opportunity's follow-up from those activities: each asks the other, so one is wired late.
	// The key-account list asks orders, made later, which customers ordered.
	a.activities = activities.NewService(s, a.warden, activityCustomers{a.visits}, activities.Options{TimeZone: a.org.TimeZone,
		Worked: func(ctx context.Context, id uuid.UUID) error { return a.pipeline.Touch(ctx, id) },
		Ordered: func(ctx context.Context, customers []uuid.UUID, from, to time.Time) (map[uuid.UUID]bool, error) {
			return a.orders.CustomersOrdered(ctx, customers, from, to)
		}})
	a.pipeline = pipeline.NewService(s, a.warden, a.jobs, pipeline.Deps{
		PlaceCustomer: placeCustomer(a.visits), ManagerOf: a.org.ManagerOf, Currencies: a.org.Currencies,
		FollowUp: followUp(a.activities)})
	a.orders = orders.NewService(s, a.warden, orderCustomers{a.visits}, a.org, a.jobs, a.pipeline,
		orders.Options{TimeZone: a.org.TimeZone, Opportunity: orderOpportunity(a.pipeline)})
	a.appraisal = appraisal.NewService(s, a.warden, appraisal.Deps{Rep: targetRep(a.org), Reps: reportReps(a.org), TimeZone: a.org.TimeZone, Currencies: a.org.Currencies,
		Administrator: a.org.Administrator, Actions: suggestions(a.pipeline, a.visits), TeamMembers: teamMembers(a.org), RegionPath: regionPath(a.org), Record: func(ctx context.Context, action, resource string) error {
			return a.audit.Record(ctx, audit.Entry{Action: action, Resource: resource})
		},
		Sources: []appraisal.Source{visitSource(a.visits), activitySource(a.activities), orderSource(a.orders), pipelineSource(a.pipeline, a.activities), keyAccountSource(a.visits, a.activities, a.orders)}})
	a.provisioner = tenants.NewProvisioner(s, a.org, a.warden, a.visits, a.pipeline, a.appraisal)
	a.onboarding = tenants.NewOnboarding(a.provisioner, a.outbox, cfg.PublicURL, auditRecorder{a.audit}.Record)
	if a.dataRights, err = datarights.New(s, a.jobs, photos, a.audit, datarights.Options{ExportDir: filepath.Join(cfg.DataDir, "exports"), Log: a.log,
		AbandonAfter: cfg.AbandonSignupsAfter, RecordPurge: func(ctx context.Context, tx *gorm.DB, tenant uuid.UUID, action, detail string) error {
			return a.operators.RecordPlatform(ctx, tx, tenant, action, detail)
		}}); err != nil {
		return nil, err
	}
	a.dataRights.Schedule()
	a.invitations = tenants.NewInvitations(s, a.org, a.warden, a.outbox, cfg.PublicURL, a.auth.SetPassword, auditRecorder{a.audit}.Record)
	a.appraisal.ScheduleMonthlyReports(a.jobs, a.provisioner.Active)
	if a.connectors, err = openConnectors(cfg.ConnectorsDir, a.log); err != nil {
		return nil, err
	}
	syncOpts := sync.Options{Limit: a.plans.CheckConnectors, Tenants: a.provisioner.Active, PageSize: cfg.syncPageSize,
		RetryAfter: cfg.syncRetryAfter, RunSlice: cfg.syncRunSlice}
	if a.connectors != nil {
		syncOpts.Runner = a.connectors
	}
	a.sync = sync.NewService(s, a.warden, a.jobs, syncOpts)
	a.sync.Schedule(a.jobs)
	a.outbox.Schedule(a.jobs)
	a.operators = admin.New(s, admin.Config{CancelDeletion: a.dataRights.Cancel,
		RecordInTenant: func(ctx context.Context, tenant uuid.UUID, action, resource string) error {
			return a.audit.Record(identity.System(ctx, tenant), audit.Entry{Action: action, Resource: resource})
		}})
	return a, nil
}

// authenticate finds a request's caller: an operator's support session (whose tokens are the
// console's), else a tenant's user.
func (a *app) authenticate(c *fiber.Ctx) (identity.Principal, bool, error) {
	scheme, token, _ := strings.Cut(strings.TrimSpace(c.Get(fiber.HeaderAuthorization)), " ")
	if token = strings.TrimSpace(token); strings.EqualFold(scheme, "Bearer") && strings.HasPrefix(token, admin.SupportTokenPrefix) {
		p, err := a.operators.SupportPrincipal(c.UserContext(), token)
		return p, err == nil, err
	}
	return a.auth.Authenticate(c)
}

// server builds the HTTP server with every module mounted.
func (a *app) server() *web.Server {
	srv := web.New(web.Options{
		Version:        version,
		Log:            a.log,
		Ready:          a.store.Ping,
		Authenticate:   a.authenticate,
		Admit:          a.admission.Admit,
		Count:          a.meter.Count,
		Around:         a.audit.Around,
		TrustedProxies: a.proxies,
	})
	srv.Mount(a.auth, org.NewHTTP(a.org), a.warden, a.audit, visits.NewHTTP(a.visits), pipeline.NewHTTP(a.pipeline),
		orders.NewHTTP(a.orders), activities.NewHTTP(a.activities), appraisal.NewHTTP(a.appraisal),
		tenants.NewHTTP(a.onboarding, a.plans), tenants.NewInvitationsHTTP(a.invitations), tenants.NewSupportGrants(a.store), datarights.NewHTTP(a.dataRights),
		billing.NewHTTP(a.billing), sync.NewHTTP(a.sync), a.mapSettings)
	a.operators.Register(admin.NewAPI(srv.App, version))
	webui.Mount(srv.App) // last: it answers the paths nothing else does
	return srv
}

// meterFlushEvery is how often a server adds its API call counts to the database.
const meterFlushEvery = 10 * time.Second

func serve(ctx context.Context, cfg *config) error {
	log := cfg.logger()
	slog.SetDefault(log)
	a, closeStore, err := openApp(ctx, cfg)
	if err != nil {
		return err
	}
	defer closeStore()
	defer a.connectors.Shutdown()
	// The API call counts are added to the database every few seconds, and once more on the way out.
	meterCtx, stopMeter := context.WithCancel(context.WithoutCancel(ctx))
	metered := make(chan struct{})
	go func() {
		a.meter.Run(meterCtx, meterFlushEvery)
		close(metered)
	}()
	defer func() {
		stopMeter()
		<-metered
	}()
	if _, err := a.provisioner.RefreshDefaults(ctx); err != nil {
		return err
	}
	if err := a.rebuildRollups(ctx); err != nil {
		return err
	}
	if cfg.Demo {
		sum, err := tenants.Demo(ctx, a.provisioner)
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		if err := printDemo(os.Stdout, sum, cfg); err != nil {
			return err
		}
	}
	// Not ctx: a signal stops the queue through the deferred Stop, which lets jobs in hand finish
	// within the grace period instead of cancelling them at once.
	if err := a.jobs.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("start job queue: %w", err)
	}
	defer func() {
		stop, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownGrace)
		defer cancel()
		if err := a.jobs.Stop(stop); err != nil {
			log.Error("stop job queue", "err", err)
		}
	}()
	log.Info("repflow serving", "listen", cfg.Listen, "database", string(a.store.Dialect()), "version", version)
	return a.server().Listen(ctx, cfg.Listen, cfg.ShutdownGrace)
}
