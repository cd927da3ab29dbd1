package sync

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/jobs"
	"github.com/repflow/repflow/platform/store"
	"github.com/repflow/repflow/plugins/sdk"
)

// MaxNameLen is the longest connector name.
const MaxNameLen = 100

// Options tune a Service.
type Options struct {
	// Runner runs the connector processes; nil: this server runs none (no kinds to choose).
	Runner Runner
	// Limit refuses a tenant a connector more than its plan allows: configured counts the new one.
	Limit func(ctx context.Context, configured int) error
	// Tenants lists the tenants whose connectors the sweeps check and sync.
	Tenants func(ctx context.Context) ([]uuid.UUID, error)
	// CheckEvery is how often every enabled connector is checked (default 5 min); SyncEvery how
	// long after its last sync began a healthy one syncs again on its own (default 1 h).
	CheckEvery, SyncEvery time.Duration
	// PageSize is how many records one sync job pulls and commits (default 200).
	PageSize int
	// CallTimeout bounds one call into a connector (default 30 s); RetryAfter is the wait before
	// a failed page is pulled again, doubled on each attempt (default 30 s).
	CallTimeout, RetryAfter time.Duration
	// RunSlice is how long one job pulls pages before it hands its run on to a new job (default
	// 20 s): River cuts a job at a minute, and the queue's other work should not wait behind a
	// long sync.
	RunSlice time.Duration
}

// Service keeps the tenants' connectors.
type Service struct {
	store  *store.Store
	warden *access.Warden
	queue  *jobs.Queue
	opts   Options
	now    func() time.Time
}

// NewService returns the connectors' service; its jobs are handled by q.
func NewService(s *store.Store, w *access.Warden, q *jobs.Queue, o Options) *Service {
	o.CheckEvery = cmp.Or(o.CheckEvery, 5*time.Minute)
	o.SyncEvery = cmp.Or(o.SyncEvery, time.Hour)
	o.CallTimeout = cmp.Or(o.CallTimeout, 30*time.Second)
	o.RetryAfter = cmp.Or(o.RetryAfter, 30*time.Second)
	o.RunSlice = cmp.Or(o.RunSlice, 20*time.Second)
	o.PageSize = cmp.Or(o.PageSize, 200)
	svc := &Service{store: s, warden: w, queue: q, opts: o, now: time.Now}
	jobs.HandleOutside(q, svc.onSyncRun)
	return svc
}

// Kinds are the connectors this server runs, for the caller to choose from.
func (s *Service) Kinds(ctx context.Context) ([]sdk.Description, error) {
	if err := s.warden.Check(ctx, access.List, access.Resource{Kind: access.KindConnector}); err != nil {
		return nil, err
	}
	if s.opts.Runner == nil {
		return []sdk.Description{}, nil
	}
	return s.opts.Runner.Kinds(), nil
}

func (s *Service) kind(name string) (sdk.Description, bool) {
	if s.opts.Runner == nil {
		return sdk.Description{}, false
	}
	for _, d := range s.opts.Runner.Kinds() {
		if d.Kind == name {
			return d, true
		}
	}
	return sdk.Description{}, false
}

// secrets are the secret fields of kind's configuration; none for a kind this server lacks.
func (s *Service) secrets(kind string) []string {
	d, _ := s.kind(kind)
	return secretFields(d.ConfigSchema)
}

// Create adds a connector. Its configuration is checked by the connector itself first (a
// process of its kind is started for that), so a refused field is named before anything is kept.
func (s *Service) Create(ctx context.Context, in NewConnector) (Connector, error) {
	if err := s.warden.Check(ctx, access.Create, access.Resource{Kind: access.KindConnector}); err != nil {
		return Connector{}, err
	}
	name, err := connectorName(in.Name, "body.name")
	if err != nil {
		return Connector{}, err
	}
	if _, ok := s.kind(in.Kind); !ok {
		return Connector{}, fault.Field("body.kind", "is not a connector this server runs ("+strings.Join(s.kindNames(), ", ")+")", in.Kind)
	}
	if err := configObject(in.Config, "body.config"); err != nil {
		return Connector{}, err
	}
	id := identity.NewID()
	if err := s.start(ctx, id, in.Kind, in.Config, "body.config"); err != nil {
		return Connector{}, err
	}
	now := s.now().UTC()
	row := connectorRow{ID: id, Kind: in.Kind, Name: name, Enabled: in.Enabled, State: string(StateUnknown), CreatedAt: now, UpdatedAt: now}
	row.setConfig(in.Config, s.secrets(in.Kind))
	if !in.Enabled {
		row.State = string(StateDisabled)
	}
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		var configured int64
		if err := db.Model(&connectorRow{}).Count(&configured).Error; err != nil {
			return err
		}
		if s.opts.Limit != nil {
			if err := s.opts.Limit(ctx, int(configured)+1); err != nil {
				return err
			}
		}
		if err := db.Create(&row).Error; err != nil {
			if store.IsUniqueViolation(err) {
				return nameTaken(name)
			}
			return err
		}
		return nil
	})
	if err != nil || !in.Enabled {
		s.opts.Runner.Stop(id.String())
	}
	if err != nil {
		return Connector{}, fmt.Errorf("create connector: %w", err)
	}
	return toConnector(row, s.secrets(row.Kind)), nil
}

func (s *Service) kindNames() []string {
	var out []string
	if s.opts.Runner != nil {
		for _, d := range s.opts.Runner.Kinds() {
			out = append(out, d.Kind)
		}
	}
	if len(out) == 0 {
		return []string{"none is installed"}
	}
	return out
}

// start runs connector id with config; the connector's refusals are field errors under location.
func (s *Service) start(ctx context.Context, id uuid.UUID, kind string, config json.RawMessage, location string) error {
	call, cancel := context.WithTimeout(ctx, s.opts.CallTimeout)
	defer cancel()
	refused, err := s.opts.Runner.Start(call, id.String(), kind, config)
	if err != nil {
		return fault.New(fault.Unavailable, "connector_unavailable", "the "+kind+" connector could not be started: "+err.Error())
	}
	if len(refused) == 0 {
		return nil
	}
	s.opts.Runner.Stop(id.String())
	f := fault.New(fault.Invalid, "invalid_input", "the "+kind+" connector refused its configuration: "+refused[0].Field+" "+refused[0].Message)
	for _, e := range refused {
		f.Details = append(f.Details, fault.Detail{Location: location + strings.ReplaceAll(e.Field, "/", "."), Message: e.Message})
	}
	return f
}

// Get returns one connector.
func (s *Service) Get(ctx context.Context, id uuid.UUID) (Connector, error) {
	row, err := s.read(ctx, id, access.Read)
	if err != nil {
		return Connector{}, fmt.Errorf("get connector: %w", err)
	}
	return toConnector(row, s.secrets(row.Kind)), nil
}

// List returns the tenant's connectors by name.
func (s *Service) List(ctx context.Context) ([]Connector, error) {
	if err := s.warden.Check(ctx, access.List, access.Resource{Kind: access.KindConnector}); err != nil {
		return nil, err
	}
	var rows []connectorRow
	err := s.store.Tx(store.Reading(ctx), func(_ context.Context, db *gorm.DB) error {
		return db.Order("name").Find(&rows).Error
	})
	if err != nil {
		return nil, fmt.Errorf("list connectors: %w", err)
	}
	out := make([]Connector, len(rows))
	for i, r := range rows {
		out[i] = toConnector(r, s.secrets(r.Kind))
	}
	return out, nil
}

// read is load in a read-only transaction of its own.
func (s *Service) read(ctx context.Context, id uuid.UUID, action access.Action) (connectorRow, error) {
	var row connectorRow
	err := s.store.Tx(store.Reading(ctx), func(ctx context.Context, db *gorm.DB) error {
		var err error
		row, err = s.load(ctx, db, id, action)
		return err
	})
	return row, err
}

// load reads connector id for action, as not found when the caller may not.
func (s *Service) load(ctx context.Context, db *gorm.DB, id uuid.UUID, action access.Action) (connectorRow, error) {
	var row connectorRow
	if err := db.Where("id = ?", id).Take(&row).Error; err != nil {
		if store.IsNotFound(err) {
			return row, fault.NotFoundf("connector")
		}
		return row, err
	}
	if err := s.warden.Check(ctx, action, access.Resource{Kind: access.KindConnector, ID: id}); err != nil {
		if fault.Is(err, fault.Forbidden) && action == access.Read {
			return row, fault.NotFoundf("connector")
		}
		return row, err
	}
	return row, nil
}

func connectorName(name, location string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", fault.Field(location, "is required", name)
	}
	if utf8.RuneCountInString(name) > MaxNameLen {
		return "", fault.Field(location, fmt.Sprintf("is longer than %d characters", MaxNameLen), name)
	}
	return name, nil
}

func configObject(config json.RawMessage, location string) error {
	var doc map[string]json.RawMessage
	if len(config) == 0 || json.Unmarshal(config, &doc) != nil || doc == nil {
		return fault.Field(location, "must be a JSON object", nil)
	}
	return nil
}

func nameTaken(name string) error {
	return fault.New(fault.Conflict, "name_taken", fmt.Sprintf("a connector named %q exists already: choose another name", name),
		fault.Detail{Location: "body.name", Message: "is taken", Value: name})
}
