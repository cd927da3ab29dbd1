package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// The tests run one real trytond (Debian's tryton-server 6.0 packages) for the whole package:
// TestMain creates a template SQLite database once, and each test copies it to its own database.

const (
	adminPassword = "Adm1nPassw0rd!x"
	python        = "/usr/bin/python3" // Debian's trytond scripts only import under this interpreter
)

var (
	server     *trytonServer // nil when trytond is not installed
	skipReason string
)

type trytonServer struct {
	dir, dbDir, url string
	cmd             *exec.Cmd
	exited          chan struct{}
	dbs             atomic.Int64
}

func TestMain(m *testing.M) { os.Exit(runTests(m)) }

func runTests(m *testing.M) int {
	required := os.Getenv("REPFLOW_REQUIRE_TRYTON") == "1"
	var missing []string
	for _, bin := range []string{python, "/usr/bin/trytond", "/usr/bin/trytond-admin"} {
		if _, err := os.Stat(bin); err != nil {
			missing = append(missing, bin)
		}
	}
	if len(missing) > 0 {
		skipReason = "trytond is not installed (missing " + strings.Join(missing, ", ") + "); install it with " +
			"apt-get install -y --no-install-recommends tryton-server tryton-modules-party tryton-modules-product " +
			"tryton-modules-sale tryton-modules-sale-opportunity"
		if required {
			fmt.Fprintln(os.Stderr, "REPFLOW_REQUIRE_TRYTON=1:", skipReason)
			return 1
		}
		return m.Run()
	}
	start := time.Now()
	srv, err := startTryton()
	if err != nil {
		fmt.Fprintln(os.Stderr, "start trytond:", err)
		return 1
	}
	fmt.Fprintf(os.Stderr, "trytond ready with template database in %s\n", time.Since(start).Round(time.Millisecond))
	server = srv
	defer srv.stop()
	return m.Run()
}

func needTryton(t *testing.T) {
	t.Helper()
	if server == nil {
		t.Skip(skipReason)
	}
}

func startTryton() (_ *trytonServer, err error) {
	dir, err := os.MkdirTemp("", "repflow-tryton-")
	if err != nil {
		return nil, err
	}
	s := &trytonServer{dir: dir, dbDir: filepath.Join(dir, "db")}
	defer func() {
		if err != nil {
			s.stop()
		}
	}()
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	s.url = fmt.Sprintf("http://127.0.0.1:%d", port)
	conf := fmt.Sprintf("[web]\nlisten = 127.0.0.1:%d\nroot = %s\n[database]\nuri = sqlite://\npath = %s\n",
		port, filepath.Join(dir, "www"), s.dbDir)
	for _, d := range []string{s.dbDir, filepath.Join(dir, "www")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	files := map[string]string{
		"trytond.conf":       conf,
		"admin.pass":         adminPassword + "\n", // exactly one line
		"db/template.sqlite": "",                   // trytond-admin only fills an existing file
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			return nil, err
		}
	}
	env := append(os.Environ(), "TZ=UTC", "TRYTONPASSFILE="+filepath.Join(dir, "admin.pass"))

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	admin := exec.CommandContext(ctx, python, "/usr/bin/trytond-admin", "-c", filepath.Join(dir, "trytond.conf"),
		"-d", "template", "--email", "admin@example.com",
		"-u", "party", "product", "sale", "sale_opportunity", "--activate-dependencies")
	admin.Env = env
	if out, err := admin.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("trytond-admin: %w\n%s", err, tail(out))
	}

	logFile, err := os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		return nil, err
	}
	s.cmd = exec.Command(python, "/usr/bin/trytond", "-c", filepath.Join(dir, "trytond.conf"))
	s.cmd.Env = env // TZ=UTC: on SQLite the server stamps create/write dates in local time
	s.cmd.Stdout, s.cmd.Stderr = logFile, logFile
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := s.cmd.Start(); err != nil {
		logFile.Close()
		return nil, err
	}
	s.exited = make(chan struct{})
	go func() { _ = s.cmd.Wait(); logFile.Close(); close(s.exited) }()
	if err := s.waitReady(ctx); err != nil {
		return nil, err
	}
	if err := seedTemplate(ctx, s.url); err != nil {
		return nil, fmt.Errorf("seed template database: %w", err)
	}
	return s, nil
}

func (s *trytonServer) waitReady(ctx context.Context) error {
	body := []byte(`{"id":0,"method":"common.server.version","params":[]}`)
	for {
		resp, err := http.Post(s.url+"/", "application/json", bytes.NewReader(body))
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-s.exited:
			log, _ := os.ReadFile(filepath.Join(s.dir, "server.log"))
			return fmt.Errorf("trytond exited before answering:\n%s", tail(log))
		case <-ctx.Done():
			return fmt.Errorf("trytond did not answer: %w", ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func (s *trytonServer) stop() {
	if s.cmd != nil && s.cmd.Process != nil {
		_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-s.exited:
		case <-time.After(10 * time.Second):
			_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
			<-s.exited
		}
	}
	_ = os.RemoveAll(s.dir)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func tail(b []byte) string {
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// seedTemplate adds what sales and opportunities need (peers README): a currency, a company
// the admin works in, an employee, an accounting product category and a country.
func seedTemplate(ctx context.Context, url string) error {
	a := &admin{c: newClient(config{URL: url, Database: "template", Username: "admin", Password: adminPassword},
		http.DefaultClient)}
	steps := []struct {
		method string
		params []any
	}{
		{"model.currency.currency.create", []any{[]any{map[string]any{"name": "Euro", "code": "EUR", "symbol": "€",
			"rounding": dec("0.01"), "digits": 2}}, map[string]any{}}},
		{"model.party.party.create", []any{[]any{map[string]any{"name": "My Company"}}, map[string]any{}}},
		{"model.company.company.create", []any{[]any{map[string]any{"party": 1, "currency": 1}}, map[string]any{}}},
		{"model.res.user.write", []any{[]any{1}, map[string]any{"companies": []any{[]any{"add", []any{1}}}, "company": 1},
			map[string]any{}}},
		{"model.company.employee.create", []any{[]any{map[string]any{"party": 1, "company": 1}}, company}},
		{"model.product.category.create", []any{[]any{map[string]any{"name": "Goods", "accounting": true}}, company}},
		{"model.country.country.create", []any{[]any{map[string]any{"name": "France", "code": "FR"}}, map[string]any{}}},
	}
	for _, st := range steps {
		if _, err := a.c.call(ctx, st.method, st.params...); err != nil {
			return fmt.Errorf("%s: %w", st.method, err)
		}
	}
	return nil
}

var company = map[string]any{"company": 1}

func dec(s string) map[string]any { return map[string]any{"__class__": "Decimal", "decimal": s} }

var unsafeName = regexp.MustCompile(`[^a-z0-9]+`)

// newDatabase copies the template into a fresh database for one test and returns its name.
func newDatabase(t *testing.T) string {
	t.Helper()
	needTryton(t)
	name := fmt.Sprintf("%s_%d", unsafeName.ReplaceAllString(strings.ToLower(t.Name()), "_"), server.dbs.Add(1))
	src, err := os.ReadFile(filepath.Join(server.dbDir, "template.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(server.dbDir, name+".sqlite")
	if err := os.WriteFile(path, src, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Remove(path) })
	return name
}

// admin drives Tryton directly to set up what the connector then reads.
type admin struct {
	t *testing.T
	c *client
}

func newAdmin(t *testing.T, db string) *admin {
	return &admin{t: t, c: newClient(config{URL: server.url, Database: db, Username: "admin", Password: adminPassword},
		http.DefaultClient)}
}

func (a *admin) call(method string, params ...any) json.RawMessage {
	a.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := a.c.call(ctx, method, params...)
	if err != nil {
		a.t.Fatalf("%s: %v", method, err)
	}
	return res
}

// create makes records of model and returns their ids.
func (a *admin) create(model string, values ...map[string]any) []int64 {
	a.t.Helper()
	list := make([]any, len(values))
	for i, v := range values {
		list[i] = v
	}
	var ids []int64
	if err := json.Unmarshal(a.call("model."+model+".create", list, company), &ids); err != nil {
		a.t.Fatalf("create %s: %v", model, err)
	}
	return ids
}

func (a *admin) write(model string, ids []int64, values map[string]any) {
	a.t.Helper()
	a.call("model."+model+".write", ids, values, company)
}

// configured returns a connector configured for db as admin, with the given page size, that
// pulls changes at once (no settle time: the tests read what they have just written).
func configured(t *testing.T, db string, pageSize int) *connector {
	t.Helper()
	return configuredSettling(t, db, pageSize, 0)
}

// configuredSettling is configured with a settle time in seconds.
func configuredSettling(t *testing.T, db string, pageSize, settle int) *connector {
	t.Helper()
	c := newConnector()
	cfg := fmt.Sprintf(`{"url":%q,"database":%q,"username":"admin","password":%q,"page_size":%d,"settle_seconds":%d}`,
		server.url, db, adminPassword, pageSize, settle)
	errs, err := c.Configure(context.Background(), json.RawMessage(cfg))
	if err != nil || len(errs) > 0 {
		t.Fatalf("Configure: %v %v", errs, err)
	}
	return c
}

// rpcLog records the JSON-RPC methods a connector sends, to see logins and their absence.
type rpcLog struct {
	base    http.RoundTripper
	mu      sync.Mutex
	methods []string
}

func watch(c *connector) *rpcLog {
	l := &rpcLog{base: http.DefaultTransport}
	c.http.Transport = l
	return l
}

func (l *rpcLog) RoundTrip(req *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	var call struct{ Method string }
	_ = json.Unmarshal(body, &call)
	l.mu.Lock()
	l.methods = append(l.methods, call.Method)
	l.mu.Unlock()
	return l.base.RoundTrip(req)
}

func (l *rpcLog) count(method string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, m := range l.methods {
		if m == method {
			n++
		}
	}
	return n
}

func (l *rpcLog) total() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.methods)
}

var errStop = errors.New("stop")
