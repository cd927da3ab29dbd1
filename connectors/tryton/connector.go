package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/repflow/repflow/plugins/sdk"
)

// version is this connector's release, reported by Describe.
const version = "0.1.0"

// connector is the Tryton ERP as a repflow connector: it pulls parties, products,
// opportunities and sale orders over JSON-RPC.
type connector struct {
	http *http.Client

	mu     sync.Mutex
	cfg    config
	client *client // nil until configured
}

func newConnector() *connector {
	// No client-wide timeout: every call carries the host's deadline in its context.
	return &connector{http: &http.Client{}}
}

var errNotConfigured = errors.New("the Tryton connector is not configured yet")

func (c *connector) Describe(context.Context) (sdk.Description, error) {
	return sdk.Description{
		Kind:         "tryton",
		DisplayName:  "Tryton ERP",
		Version:      version,
		Entities:     describeEntities(),
		ConfigSchema: json.RawMessage(configSchema),
	}, nil
}

// Configure validates and applies the configuration without contacting Tryton. An unchanged
// server and login keep the session (and the memory of a refused password).
func (c *connector) Configure(_ context.Context, raw json.RawMessage) ([]sdk.FieldError, error) {
	cfg, errs := parseConfig(raw)
	if len(errs) > 0 {
		return errs, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.client == nil || !sameLogin(c.cfg, cfg) {
		c.client = newClient(cfg, c.http)
	}
	c.cfg = cfg
	return nil, nil
}

func sameLogin(a, b config) bool {
	return a.URL == b.URL && a.Database == b.Database && a.Username == b.Username && a.Password == b.Password
}

func (c *connector) session() (*client, config, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.client == nil {
		return nil, config{}, errNotConfigured
	}
	return c.client, c.cfg, nil
}

// Check logs in (once, even after a refusal) and reads the configured company.
func (c *connector) Check(ctx context.Context) error {
	cl, cfg, err := c.session()
	if err != nil {
		return err
	}
	if err := cl.login(ctx); err != nil {
		return err
	}
	result, err := cl.call(ctx, "model.company.company.search_read",
		[]any{[]any{"id", "=", cfg.Company}}, 0, 1, nil, []string{"rec_name", "currency.code"},
		map[string]any{"company": cfg.Company})
	if err != nil {
		return fmt.Errorf("read company %d: %w", cfg.Company, err)
	}
	var companies []row
	if err := json.Unmarshal(result, &companies); err != nil {
		return fmt.Errorf("read company %d: unexpected answer: %w", cfg.Company, err)
	}
	if len(companies) == 0 {
		return fmt.Errorf("company %d does not exist in database %q (or user %q may not see it); "+
			"set \"company\" to the id of a company of that database", cfg.Company, cfg.Database, cfg.Username)
	}
	return nil
}

// Push refuses every record: Tryton is only read.
func (c *connector) Push(_ context.Context, entity string, records []sdk.Record) ([]sdk.PushResult, error) {
	results := make([]sdk.PushResult, len(records))
	for i, r := range records {
		results[i] = sdk.PushResult{ExternalID: r.ExternalID,
			Error: fmt.Sprintf("the Tryton connector does not push %q: it only pulls from Tryton", entity)}
	}
	return results, nil
}
