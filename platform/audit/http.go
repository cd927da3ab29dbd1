package audit

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
)

// Register adds the audit operations: listing the trail and verifying its chain.
func (l *Log) Register(api huma.API) {
	huma.Register(api, huma.Operation{
		OperationID: "list-audit-records",
		Method:      http.MethodGet,
		Path:        "/api/v1/audit",
		Summary:     "List audit records, newest first",
		Tags:        []string{"audit"},
	}, l.listHandler)
	huma.Register(api, huma.Operation{
		OperationID: "verify-audit-chain",
		Method:      http.MethodPost,
		Path:        "/api/v1/audit/verify",
		Summary:     "Verify the audit chain: detect changed, deleted or added records",
		Tags:        []string{"audit"},
	}, l.verifyHandler)
}

type listInput struct {
	Actor    string `query:"actor" doc:"Only records of this user (UUID)"`
	Action   string `query:"action" doc:"Only this action, e.g. \"POST /api/v1/users\" or \"auth.login\""`
	Resource string `query:"resource" doc:"Only resources starting with this prefix, e.g. /api/v1/users/"`
	Outcome  string `query:"outcome" doc:"ok or rejected"`
	From     string `query:"from" doc:"Only records at or after this time (RFC3339)"`
	To       string `query:"to" doc:"Only records before this time (RFC3339)"`
	Limit    int    `query:"limit" default:"50" doc:"Records per page, 1 to 200"`
	Before   string `query:"before" doc:"The next cursor of the previous page"`
}

// Item is an audit record as the API shows it.
type Item struct {
	Seq       int64      `json:"seq"`
	ID        uuid.UUID  `json:"id"`
	At        time.Time  `json:"at"`
	ActorID   *uuid.UUID `json:"actor_id"`
	SessionID *uuid.UUID `json:"session_id"`
	Action    string     `json:"action"`
	Resource  string     `json:"resource"`
	Outcome   string     `json:"outcome"`
	Status    int        `json:"status"`
	IP        string     `json:"ip"`
	UserAgent string     `json:"user_agent"`
	RequestID string     `json:"request_id"`
	Digest    string     `json:"digest" doc:"Hex SHA-256 of the change (the request body)"`
	PrevHash  string     `json:"prev_hash"`
	Hash      string     `json:"hash"`
}

type listOutput struct {
	Body struct {
		Items []Item `json:"items"`
		Next  string `json:"next" doc:"Pass as before to get the next page; empty on the last page"`
	}
}

type verifyOutput struct {
	Body Report
}

func (l *Log) listHandler(ctx context.Context, in *listInput) (*listOutput, error) {
	f, err := in.filter()
	if err != nil {
		return nil, err
	}
	page, err := l.List(ctx, f)
	if err != nil {
		return nil, err
	}
	out := &listOutput{}
	out.Body.Items = make([]Item, 0, len(page.Items))
	for _, r := range page.Items {
		out.Body.Items = append(out.Body.Items, itemOf(r))
	}
	out.Body.Next = page.Next
	return out, nil
}

func (l *Log) verifyHandler(ctx context.Context, _ *struct{}) (*verifyOutput, error) {
	if err := l.authorize(ctx); err != nil {
		return nil, err
	}
	rep, err := l.Verify(ctx)
	if err != nil {
		return nil, err
	}
	return &verifyOutput{Body: rep}, nil
}

// filter parses the query into a Filter, naming the parameter that is malformed; List checks the
// ranges (limit, outcome, from before to).
func (in *listInput) filter() (Filter, error) {
	f := Filter{Action: in.Action, ResourcePrefix: in.Resource, Outcome: in.Outcome, Limit: in.Limit}
	if in.Actor != "" {
		id, err := uuid.Parse(in.Actor)
		if err != nil {
			return f, invalidFilter("actor", in.Actor, "actor must be a user id (UUID)")
		}
		f.ActorID = &id
	}
	var err error
	if f.From, err = parseTime(in.From); err != nil {
		return f, invalidFilter("from", in.From, "from must be an RFC3339 time, e.g. 2025-01-31T08:00:00Z")
	}
	if f.To, err = parseTime(in.To); err != nil {
		return f, invalidFilter("to", in.To, "to must be an RFC3339 time, e.g. 2025-01-31T18:00:00Z")
	}
	if in.Before != "" {
		if f.Before, err = strconv.ParseInt(in.Before, 10, 64); err != nil || f.Before < 1 {
			return f, invalidFilter("before", in.Before, "before must be the next cursor of a previous page")
		}
	}
	return f, nil
}

func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339Nano, s)
}

func itemOf(r Record) Item {
	return Item{
		Seq: r.Seq, ID: r.ID, At: r.At.UTC(), ActorID: r.ActorID, SessionID: r.SessionID,
		Action: r.Action, Resource: r.Resource, Outcome: r.Outcome, Status: r.Status,
		IP: r.IP, UserAgent: r.UserAgent, RequestID: r.RequestID, Digest: r.Digest,
		PrevHash: r.PrevHash, Hash: r.Hash,
	}
}
