package activities

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/web"
)

var accountTags = []string{"Key accounts"}

func (h *HTTP) registerAccounts(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: "get-key-account", Method: http.MethodGet, Path: "/api/v1/accounts/{id}",
		Summary: "A customer as a key account: its key flag, parent, ancestors and children", Tags: accountTags}, h.getAccount)
	huma.Register(api, huma.Operation{OperationID: "link-account", Method: http.MethodPut, Path: "/api/v1/accounts/{id}/links",
		Summary: "Place the account under a parent account (replacing its parent)",
		Description: "Needs the right to update the customer. A link that would make an account its own ancestor is a 409 " +
			"naming both accounts.", Tags: accountTags}, h.link)
	huma.Register(api, huma.Operation{OperationID: "unlink-account", Method: http.MethodDelete, Path: "/api/v1/accounts/{id}/links",
		Summary: "Take the account out from under its parent; its own children stay", Tags: accountTags}, h.unlink)
	huma.Register(api, huma.Operation{OperationID: "mark-key-account", Method: http.MethodPut, Path: "/api/v1/accounts/{id}/key",
		Summary: "Mark the account key", Description: "Key-account touches count in the owner's appraisal, so the owner " +
			"cannot mark their own account: their manager does.", Tags: accountTags}, h.markKey)
	huma.Register(api, huma.Operation{OperationID: "unmark-key-account", Method: http.MethodDelete, Path: "/api/v1/accounts/{id}/key",
		Summary: "Unmark a key account", Tags: accountTags}, h.unmarkKey)
	huma.Register(api, huma.Operation{OperationID: "account-graph", Method: http.MethodGet, Path: "/api/v1/accounts/{id}/graph",
		Summary: "The account's contacts (nodes) and their relationships (edges)", Tags: accountTags}, h.graph)
	huma.Register(api, huma.Operation{OperationID: "account-timeline", Method: http.MethodGet, Path: "/api/v1/accounts/{id}/timeline",
		Summary:     "The account's activities, project milestones and service records, newest first",
		Description: "A milestone stands at the start of the day it was done, or of its planned day while not done.",
		Tags:        accountTags}, h.timeline)
	huma.Register(api, huma.Operation{OperationID: "list-key-account-work", Method: http.MethodGet, Path: "/api/v1/key-accounts",
		Summary: "The key accounts a rep's key-account coverage and retention of a period count, with what was done on each",
		Description: "Coverage is the key accounts touched by an activity in the period over them all; retention is those " +
			"key since before the period (key_at_start; marked_before=from lists only them) that were touched or ordered " +
			"over them. A key account is the rep's when they own the customer now.",
		Tags: accountTags}, h.keyAccounts)
}

type keyAccountsInput struct {
	OwnerID      string    `query:"owner_id" format:"uuid" doc:"one rep's; default every rep's the caller may see"`
	From         time.Time `query:"from" required:"true" doc:"the period's start, inclusive"`
	To           time.Time `query:"to" required:"true" doc:"the period's end, exclusive"`
	MarkedBefore time.Time `query:"marked_before" doc:"only the accounts marked key before this instant"`
}

// KeyAccountTouchDTO is a key account in the period.
type KeyAccountTouchDTO struct {
	CustomerID uuid.UUID `json:"customer_id"`
	OwnerID    uuid.UUID `json:"owner_id"`
	MarkedAt   time.Time `json:"marked_at" doc:"key since"`
	Touched    bool      `json:"touched" doc:"an activity on it in the period: counts in the coverage"`
	KeyAtStart bool      `json:"key_at_start" doc:"marked before the period: one the retention is over"`
	Ordered    *bool     `json:"ordered" doc:"an order of it counts in the period; null when this server cannot tell"`
	Retained   *bool     `json:"retained" doc:"key at the start, and touched or ordered: counts in the retention; null when this server cannot tell"`
}

// KeyAccountTouchesDTO lists key accounts, by customer id.
type KeyAccountTouchesDTO struct {
	Accounts []KeyAccountTouchDTO `json:"accounts"`
}

type keyAccountsOutput struct{ Body KeyAccountTouchesDTO }

func (h *HTTP) keyAccounts(ctx context.Context, in *keyAccountsInput) (*keyAccountsOutput, error) {
	q := KeyAccountQuery{From: in.From, To: in.To, MarkedBefore: in.MarkedBefore}
	var err error
	if q.OwnerID, err = web.ParseOptionalID(in.OwnerID, "query.owner_id"); err != nil {
		return nil, err
	}
	ks, err := h.svc.KeyAccounts(ctx, q)
	if err != nil {
		return nil, err
	}
	out := &keyAccountsOutput{Body: KeyAccountTouchesDTO{Accounts: make([]KeyAccountTouchDTO, len(ks))}}
	for i, k := range ks {
		out.Body.Accounts[i] = KeyAccountTouchDTO{CustomerID: k.CustomerID, OwnerID: k.OwnerID, MarkedAt: k.MarkedAt, Touched: k.Touched,
			KeyAtStart: k.KeyAtStart, Ordered: k.Ordered, Retained: k.Retained()}
	}
	return out, nil
}

// AccountRefDTO names an account.
type AccountRefDTO struct {
	ID   uuid.UUID `json:"id"`
	Name string    `json:"name"`
}

// KeyAccountDTO is a customer's key-account facts; linked accounts the caller cannot see are left out.
type KeyAccountDTO struct {
	ID          uuid.UUID       `json:"id"`
	Name        string          `json:"name"`
	Key         bool            `json:"key"`
	KeyMarkedBy *uuid.UUID      `json:"key_marked_by"`
	KeyMarkedAt *time.Time      `json:"key_marked_at"`
	Parent      *AccountRefDTO  `json:"parent"`
	Ancestors   []AccountRefDTO `json:"ancestors" doc:"parent first, up to the top of the group"`
	Children    []AccountRefDTO `json:"children"`
}

type keyAccountOutput struct{ Body KeyAccountDTO }

func keyAccountDTO(a Account) *keyAccountOutput {
	refs := func(rs []AccountRef) []AccountRefDTO {
		out := make([]AccountRefDTO, len(rs))
		for i, r := range rs {
			out[i] = AccountRefDTO(r)
		}
		return out
	}
	out := KeyAccountDTO{ID: a.ID, Name: a.Name, Key: a.Key, KeyMarkedBy: a.KeyMarkedBy, KeyMarkedAt: a.KeyMarkedAt,
		Ancestors: refs(a.Ancestors), Children: refs(a.Children)}
	if a.Parent != nil {
		p := AccountRefDTO(*a.Parent)
		out.Parent = &p
	}
	return &keyAccountOutput{Body: out}
}

type accountPath struct {
	ID string `path:"id" format:"uuid" doc:"the account's (customer's) id"`
}

func (h *HTTP) getAccount(ctx context.Context, in *accountPath) (*keyAccountOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	a, err := h.svc.GetAccount(ctx, id)
	if err != nil {
		return nil, err
	}
	return keyAccountDTO(a), nil
}

// AccountLinkDTO names the parent account.
type AccountLinkDTO struct {
	ParentID string `json:"parent_id" format:"uuid"`
}

type linkInput struct {
	ID   string `path:"id" format:"uuid" doc:"the child account's id"`
	Body AccountLinkDTO
}

func (h *HTTP) link(ctx context.Context, in *linkInput) (*keyAccountOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	parent, err := web.ParseID(in.Body.ParentID, "body.parent_id")
	if err != nil {
		return nil, err
	}
	a, err := h.svc.LinkAccount(ctx, id, parent)
	if err != nil {
		return nil, err
	}
	return keyAccountDTO(a), nil
}

func (h *HTTP) unlink(ctx context.Context, in *accountPath) (*keyAccountOutput, error) {
	return h.accountCall(in, func(id uuid.UUID) (Account, error) { return h.svc.UnlinkAccount(ctx, id) })
}

func (h *HTTP) markKey(ctx context.Context, in *accountPath) (*keyAccountOutput, error) {
	return h.accountCall(in, func(id uuid.UUID) (Account, error) { return h.svc.MarkKey(ctx, id, true) })
}

func (h *HTTP) unmarkKey(ctx context.Context, in *accountPath) (*keyAccountOutput, error) {
	return h.accountCall(in, func(id uuid.UUID) (Account, error) { return h.svc.MarkKey(ctx, id, false) })
}

func (h *HTTP) accountCall(in *accountPath, call func(uuid.UUID) (Account, error)) (*keyAccountOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	a, err := call(id)
	if err != nil {
		return nil, err
	}
	return keyAccountDTO(a), nil
}

// GraphDTO is an account's contact graph.
type GraphDTO struct {
	AccountID     uuid.UUID         `json:"account_id"`
	Contacts      []ContactDTO      `json:"contacts" doc:"the nodes"`
	Relationships []RelationshipDTO `json:"relationships" doc:"the edges, from -> to"`
}

type graphOutput struct{ Body GraphDTO }

func (h *HTTP) graph(ctx context.Context, in *accountPath) (*graphOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	g, err := h.svc.AccountGraph(ctx, id)
	if err != nil {
		return nil, err
	}
	out := &graphOutput{Body: GraphDTO{AccountID: g.AccountID, Contacts: make([]ContactDTO, len(g.Contacts)),
		Relationships: make([]RelationshipDTO, len(g.Relationships))}}
	for i, c := range g.Contacts {
		out.Body.Contacts[i] = contactDTO(c)
	}
	for i, r := range g.Relationships {
		out.Body.Relationships[i] = relationshipDTO(r)
	}
	return out, nil
}

// TimelineEntryDTO is one entry of an account's timeline; the field named by kind is set.
type TimelineEntryDTO struct {
	Kind          string            `json:"kind" enum:"activity,milestone,service_record"`
	At            time.Time         `json:"at"`
	Activity      *ActivityDTO      `json:"activity,omitempty"`
	Milestone     *MilestoneDTO     `json:"milestone,omitempty"`
	ProjectName   string            `json:"project_name,omitempty" doc:"the milestone's project"`
	ServiceRecord *ServiceRecordDTO `json:"service_record,omitempty"`
}

// TimelinePageDTO is one page of an account's timeline.
type TimelinePageDTO struct {
	Entries    []TimelineEntryDTO `json:"entries"`
	NextCursor *string            `json:"next_cursor" doc:"pass as cursor for the next page; null on the last page"`
}

type timelineOutput struct{ Body TimelinePageDTO }

type timelineInput struct {
	ID     string `path:"id" format:"uuid" doc:"the account's (customer's) id"`
	Limit  int    `query:"limit" minimum:"1" maximum:"200" default:"50"`
	Cursor string `query:"cursor" maxLength:"200" doc:"next_cursor of the previous page"`
}

func (h *HTTP) timeline(ctx context.Context, in *timelineInput) (*timelineOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	page, err := h.svc.Timeline(ctx, id, in.Limit, in.Cursor)
	if err != nil {
		return nil, err
	}
	out := &timelineOutput{Body: TimelinePageDTO{Entries: make([]TimelineEntryDTO, len(page.Entries)), NextCursor: cursorDTO(page.NextCursor)}}
	for i, e := range page.Entries {
		d := TimelineEntryDTO{Kind: string(e.Kind), At: e.At, ProjectName: e.ProjectName}
		switch {
		case e.Activity != nil:
			a := activityDTO(*e.Activity)
			d.Activity = &a
		case e.Milestone != nil:
			m := milestoneDTO(*e.Milestone)
			d.Milestone = &m
		case e.ServiceRecord != nil:
			r := serviceRecordDTO(*e.ServiceRecord)
			d.ServiceRecord = &r
		}
		out.Body.Entries[i] = d
	}
	return out, nil
}
