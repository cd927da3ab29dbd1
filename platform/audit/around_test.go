package audit

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/danielgtaylor/huma/v2"
	"github.com/gofiber/fiber/v2"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
	"github.com/repflow/repflow/platform/web"
)

// widget is a tenant row of a test-only table: the "change" an audited request makes.
type widget struct {
	TenantID uuid.UUID
	ID       uuid.UUID
	Name     string
}

func (widget) TableName() string { return "test_widgets" }

func createWidgetTable(t *testing.T, s *store.Store) {
	t.Helper()
	idType := "UUID"
	if s.Dialect() == store.SQLite {
		idType = "TEXT"
	}
	db := s.Owner(context.Background())
	stmts := []string{"CREATE TABLE test_widgets (tenant_id " + idType + " NOT NULL, id " + idType + " NOT NULL, name TEXT NOT NULL, PRIMARY KEY (tenant_id, id))"}
	if s.Dialect() == store.Postgres {
		stmts = append(stmts, "GRANT SELECT, INSERT ON test_widgets TO "+store.AppRole)
	}
	for _, stmt := range stmts {
		if err := db.Exec(stmt).Error; err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
}

type widgetInput struct {
	Body struct {
		Name string `json:"name"`
		// Then says what the handler does after writing the widget: "" answers 201.
		Then string `json:"then,omitempty" enum:"conflict,panic,break-audit"`
	}
}

type widgetOutput struct {
	Body struct {
		ID uuid.UUID `json:"id"`
	}
}

// server is the web edge with a's log around every API request, callers chosen by bearer token.
func (w *world) server(callers map[string]identity.Principal) *fiber.App {
	w.t.Helper()
	srv := web.New(web.Options{
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Authenticate: func(c *fiber.Ctx) (identity.Principal, bool, error) {
			p, ok := callers[strings.TrimPrefix(c.Get(fiber.HeaderAuthorization), "Bearer ")]
			return p, ok, nil
		},
		Around: w.log.Around,
	})
	srv.Mount(w.log)
	huma.Register(srv.API, huma.Operation{OperationID: "test-create-widget", Method: http.MethodPost, Path: "/api/v1/test/widgets", DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *widgetInput) (*widgetOutput, error) {
			out := &widgetOutput{}
			out.Body.ID = identity.NewID()
			err := w.s.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
				if err := db.Create(&widget{ID: out.Body.ID, Name: in.Body.Name}).Error; err != nil {
					return err
				}
				switch in.Body.Then {
				case "conflict":
					return fault.New(fault.Conflict, "widget_taken", "a widget of that name exists")
				case "panic":
					panic("widget handler broke")
				case "break-audit":
					// Takes the seq the request's own audit record needs, so its append fails.
					return db.Create(&Record{Seq: 1, ID: identity.NewID(), Action: "test.squatter", Outcome: OutcomeOK}).Error
				}
				return nil
			})
			return out, err
		})
	huma.Register(srv.API, huma.Operation{OperationID: "test-rename-widget", Method: http.MethodPut, Path: "/api/v1/test/widgets/{id}/name"},
		func(ctx context.Context, in *struct {
			ID string `path:"id"`
		}) (*struct{}, error) {
			return nil, nil
		})
	huma.Register(srv.API, huma.Operation{OperationID: "test-count-widgets", Method: http.MethodGet, Path: "/api/v1/test/widgets"},
		func(ctx context.Context, _ *struct{}) (*struct{ Body int64 }, error) {
			out := &struct{ Body int64 }{}
			err := w.s.Tx(ctx, func(ctx context.Context, db *gorm.DB) error { return db.Model(&widget{}).Count(&out.Body).Error })
			return out, err
		})
	// A plain fiber handler whose error reaches Around unanswered.
	srv.App.Delete("/api/v1/test/plain/:id", func(c *fiber.Ctx) error {
		return fault.New(fault.Conflict, "plain_conflict", "plain handlers fail too")
	})
	return srv.App
}

type call struct {
	method, path, token, body string
}

// do sends c and returns the status and the decoded JSON body (nil when empty).
func do(t *testing.T, app *fiber.App, c call) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(c.method, c.path, strings.NewReader(c.body))
	req.Header.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	req.Header.Set(fiber.HeaderUserAgent, "audit-test/1.0")
	req.Header.Set(fiber.HeaderXRequestID, "req-"+strings.ToLower(c.method)+"-0001")
	if c.token != "" {
		req.Header.Set(fiber.HeaderAuthorization, "Bearer "+c.token)
	}
	resp, err := app.Test(req, -1)
	if err != nil {
		t.Fatalf("%s %s: %v", c.method, c.path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var body map[string]any
	if len(raw) > 0 && raw[0] == '{' {
		if err := json.Unmarshal(raw, &body); err != nil {
			t.Fatalf("%s %s: body %s: %v", c.method, c.path, raw, err)
		}
	}
	return resp.StatusCode, body
}

func (w *world) widgets() int64 {
	w.t.Helper()
	var n int64
	if err := w.owner().Model(&widget{}).Where("tenant_id = ?", w.tenant).Count(&n).Error; err != nil {
		w.t.Fatal(err)
	}
	return n
}

func TestAroundCommitsTheChangeWithItsRecordOrNeither(t *testing.T) {
	t.Parallel()
	const createBody = `{"name":"w1"}`
	cases := []struct {
		name        string
		call        call
		wantStatus  int
		wantCode    string // error code of the answer, if an error
		wantWidgets int64
		want        []Record // Seq, Action, Resource, Outcome, Status, Digest
	}{{
		name:        "a success commits the change and one ok record",
		call:        call{method: "POST", path: "/api/v1/test/widgets", body: createBody},
		wantStatus:  201,
		wantWidgets: 1,
		want:        []Record{{Seq: 1, Action: "POST /api/v1/test/widgets", Resource: "/api/v1/test/widgets", Outcome: OutcomeOK, Status: 201, Digest: Digest([]byte(createBody))}},
	}, {
		name:       "a 4xx from the handler rolls the change back and records the rejection",
		call:       call{method: "POST", path: "/api/v1/test/widgets", body: `{"name":"w1","then":"conflict"}`},
		wantStatus: 409, wantCode: "widget_taken",
		want: []Record{{Seq: 1, Action: "POST /api/v1/test/widgets", Resource: "/api/v1/test/widgets", Outcome: OutcomeRejected, Status: 409, Digest: Digest([]byte(`{"name":"w1","then":"conflict"}`))}},
	}, {
		name:       "input huma refuses is recorded as rejected",
		call:       call{method: "POST", path: "/api/v1/test/widgets", body: `{"name":"w1","then":"nonsense"}`},
		wantStatus: 422, wantCode: "invalid_input",
		want: []Record{{Seq: 1, Action: "POST /api/v1/test/widgets", Resource: "/api/v1/test/widgets", Outcome: OutcomeRejected, Status: 422, Digest: Digest([]byte(`{"name":"w1","then":"nonsense"}`))}},
	}, {
		name:       "a panic rolls back and is recorded as a 500",
		call:       call{method: "POST", path: "/api/v1/test/widgets", body: `{"name":"w1","then":"panic"}`},
		wantStatus: 500, wantCode: "internal",
		want: []Record{{Seq: 1, Action: "POST /api/v1/test/widgets", Resource: "/api/v1/test/widgets", Outcome: OutcomeRejected, Status: 500, Digest: Digest([]byte(`{"name":"w1","then":"panic"}`))}},
	}, {
		name:       "a failed audit append voids the handler's answer and writes nothing",
		call:       call{method: "POST", path: "/api/v1/test/widgets", body: `{"name":"w1","then":"break-audit"}`},
		wantStatus: 500, wantCode: "internal",
	}, {
		name:       "an error returned past huma is answered and recorded with its status",
		call:       call{method: "DELETE", path: "/api/v1/test/plain/42"},
		wantStatus: 409, wantCode: "plain_conflict",
		want: []Record{{Seq: 1, Action: "DELETE /api/v1/test/plain/{id}", Resource: "/api/v1/test/plain/42", Outcome: OutcomeRejected, Status: 409, Digest: Digest(nil)}},
	}, {
		name:       "the action is the route pattern, the resource the concrete path",
		call:       call{method: "PUT", path: "/api/v1/test/widgets/0190f0c1-0000-7000-8000-000000000001/name"},
		wantStatus: 204,
		want:       []Record{{Seq: 1, Action: "PUT /api/v1/test/widgets/{id}/name", Resource: "/api/v1/test/widgets/0190f0c1-0000-7000-8000-000000000001/name", Outcome: OutcomeOK, Status: 204, Digest: Digest(nil)}},
	}, {
		name:       "safe methods pass through unrecorded",
		call:       call{method: "GET", path: "/api/v1/test/widgets"},
		wantStatus: 200,
	}}
	shared := newWorld(t)
	createWidgetTable(t, shared.s)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := shared.another(t)
			rep := person(w.tenant, identity.RoleRep)
			app := w.server(map[string]identity.Principal{"rep": rep})
			tc.call.token = "rep"
			status, body := do(t, app, tc.call)
			if status != tc.wantStatus {
				t.Fatalf("status %d, want %d; body %v", status, tc.wantStatus, body)
			}
			if tc.wantCode != "" {
				e, _ := body["error"].(map[string]any)
				if e["code"] != tc.wantCode {
					t.Errorf("error body %v, want code %s", body, tc.wantCode)
				}
			}
			if got := w.widgets(); got != tc.wantWidgets {
				t.Errorf("%d widgets committed, want %d", got, tc.wantWidgets)
			}
			got := w.records(w.tenant)
			if d := cmp.Diff(tc.want, got, cmpopts.EquateEmpty(), cmpopts.IgnoreFields(Record{},
				"TenantID", "ID", "At", "ActorID", "SessionID", "IP", "UserAgent", "RequestID", "PrevHash", "Hash")); d != "" {
				t.Errorf("records (-want +got):\n%s", d)
			}
			for _, r := range got {
				if *r.ActorID != rep.UserID || *r.SessionID != rep.SessionID || r.UserAgent != "audit-test/1.0" ||
					r.RequestID != "req-"+strings.ToLower(tc.call.method)+"-0001" || r.IP == "" {
					t.Errorf("record %d does not say who and where: %+v", r.Seq, r)
				}
			}
			if d := cmp.Diff(Report{OK: true, Checked: int64(len(tc.want))}, w.verify(w.tenant)); d != "" {
				t.Errorf("report (-want +got):\n%s", d)
			}
		})
	}
}

// Requests without a principal never reach Around: there is no tenant to record them for.
func TestAroundLeavesAnonymousRequestsAlone(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	createWidgetTable(t, w.s)
	status, _ := do(t, w.server(nil), call{method: "POST", path: "/api/v1/test/widgets", body: `{"name":"w1"}`})
	if status != http.StatusUnauthorized {
		t.Fatalf("status %d, want 401", status)
	}
	if n, m := w.widgets(), len(w.records(w.tenant)); n != 0 || m != 0 {
		t.Errorf("%d widgets and %d records written by an anonymous request", n, m)
	}
}
