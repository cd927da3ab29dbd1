package activities

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/web"
)

// HTTP is the activities domain's API under /api/v1: activities, key accounts (hierarchy, key
// flag, contact graph, timeline), contacts, projects with milestones, service records and the
// figures.
type HTTP struct{ svc *Service }

// NewHTTP returns the API over svc.
func NewHTTP(svc *Service) *HTTP { return &HTTP{svc: svc} }

var activityTags = []string{"Activities"}

// Register adds the operations to api.
func (h *HTTP) Register(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: "log-activity", Method: http.MethodPost, Path: "/api/v1/activities",
		Summary: "Log a call, meeting or message with a customer",
		Description: "The id is the client's own UUID for the activity: a retry with the same body answers 200 with the stored " +
			"activity, never a second one; the same id with a different body is a 409.",
		Tags: activityTags, DefaultStatus: http.StatusCreated}, h.create)
	huma.Register(api, huma.Operation{OperationID: "list-activities", Method: http.MethodGet, Path: "/api/v1/activities",
		Summary: "Activities the caller may see, newest first, one page at a time", Tags: activityTags}, h.list)
	huma.Register(api, huma.Operation{OperationID: "get-activity", Method: http.MethodGet, Path: "/api/v1/activities/{id}",
		Summary: "One activity", Tags: activityTags}, h.get)
	huma.Register(api, huma.Operation{OperationID: "update-activity", Method: http.MethodPatch, Path: "/api/v1/activities/{id}",
		Summary: "Record what was learned later: notes, a call's outcome, when a message was answered", Tags: activityTags}, h.update)
	h.registerAccounts(api)
	h.registerContacts(api)
	h.registerProjects(api)
	h.registerServiceRecords(api)
	h.registerMetrics(api)
}

// ActivityDTO is an activity as the API shows it; the fields of other kinds are left out.
type ActivityDTO struct {
	ID            uuid.UUID   `json:"id"`
	Kind          string      `json:"kind" enum:"call,meeting,message"`
	OwnerID       uuid.UUID   `json:"owner_id" doc:"the rep who logged it"`
	CustomerID    uuid.UUID   `json:"customer_id"`
	RegionID      uuid.UUID   `json:"region_id"`
	ContactID     *uuid.UUID  `json:"contact_id"`
	OpportunityID *uuid.UUID  `json:"opportunity_id"`
	OccurredAt    time.Time   `json:"occurred_at" doc:"a meeting's start"`
	Notes         string      `json:"notes"`
	Direction     string      `json:"direction,omitempty" enum:"in,out"`
	DurationS     *int        `json:"duration_s,omitempty"`
	Outcome       string      `json:"outcome,omitempty"`
	EndedAt       *time.Time  `json:"ended_at,omitempty"`
	Attendees     []uuid.UUID `json:"attendees,omitempty"`
	Channel       string      `json:"channel,omitempty"`
	RepliedAt     *time.Time  `json:"replied_at,omitempty"`
	ReplyTo       *uuid.UUID  `json:"reply_to,omitempty"`
	Replies       []uuid.UUID `json:"replies,omitempty" doc:"the inbound messages answering this one"`
	Replied       *bool       `json:"replied,omitempty" doc:"messages: a reply time or a linked reply"`
	CreatedAt     time.Time   `json:"created_at"`
	UpdatedAt     time.Time   `json:"updated_at"`
}

func activityDTO(a Activity) ActivityDTO {
	out := ActivityDTO{ID: a.ID, Kind: string(a.Kind), OwnerID: a.OwnerID, CustomerID: a.CustomerID, RegionID: a.RegionID,
		ContactID: a.ContactID, OpportunityID: a.OpportunityID, OccurredAt: a.OccurredAt, Notes: a.Notes,
		Direction: string(a.Direction), Outcome: string(a.Outcome), EndedAt: a.EndedAt, Attendees: a.Attendees,
		Channel: string(a.Channel), RepliedAt: a.RepliedAt, ReplyTo: a.ReplyTo, Replies: a.Replies, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt}
	switch a.Kind {
	case KindCall:
		d := a.DurationS
		out.DurationS = &d
	case KindMessage:
		r := a.Replied()
		out.Replied = &r
	}
	return out
}

type activityOutput struct {
	Status int
	Body   ActivityDTO
}

// NewActivityDTO is the body that logs an activity; give the fields of its kind only.
type NewActivityDTO struct {
	ID            string     `json:"id" format:"uuid" doc:"the client's own id for this activity; reuse it when retrying"`
	Kind          string     `json:"kind" enum:"call,meeting,message"`
	CustomerID    string     `json:"customer_id" format:"uuid"`
	ContactID     string     `json:"contact_id,omitempty" format:"uuid" doc:"a contact of the customer"`
	OpportunityID string     `json:"opportunity_id,omitempty" format:"uuid"`
	OccurredAt    time.Time  `json:"occurred_at" doc:"when the call or message happened, or the meeting began"`
	Notes         string     `json:"notes,omitempty" maxLength:"4000"`
	Direction     string     `json:"direction,omitempty" enum:"in,out" doc:"calls and messages: out when the rep started it"`
	DurationS     int        `json:"duration_s,omitempty" minimum:"0" maximum:"86400" doc:"calls: seconds"`
	Outcome       string     `json:"outcome,omitempty" enum:"answered,no_answer,busy,voicemail,rejected,wrong_number" doc:"calls"`
	EndedAt       *time.Time `json:"ended_at,omitempty" doc:"meetings: when it ended"`
	Attendees     []string   `json:"attendees,omitempty" maxItems:"50" doc:"meetings: contact ids"`
	Channel       string     `json:"channel,omitempty" enum:"sms,wechat,email,whatsapp,dingtalk,other" doc:"messages"`
	RepliedAt     *time.Time `json:"replied_at,omitempty" doc:"outbound messages: when the customer answered"`
	ReplyTo       string     `json:"reply_to,omitempty" format:"uuid" doc:"messages: the message this one answers"`
}

type createActivityInput struct{ Body NewActivityDTO }

func (h *HTTP) create(ctx context.Context, in *createActivityInput) (*activityOutput, error) {
	b := in.Body
	na := NewActivity{Kind: Kind(b.Kind), OccurredAt: b.OccurredAt, Notes: b.Notes, Direction: Direction(b.Direction),
		DurationS: b.DurationS, Outcome: Outcome(b.Outcome), EndedAt: b.EndedAt, Channel: Channel(b.Channel), RepliedAt: b.RepliedAt}
	var err error
	if na.ID, err = web.ParseID(b.ID, "body.id"); err != nil {
		return nil, err
	}
	if na.CustomerID, err = web.ParseID(b.CustomerID, "body.customer_id"); err != nil {
		return nil, err
	}
	if na.ContactID, err = web.ParseOptionalID(b.ContactID, "body.contact_id"); err != nil {
		return nil, err
	}
	if na.OpportunityID, err = web.ParseOptionalID(b.OpportunityID, "body.opportunity_id"); err != nil {
		return nil, err
	}
	if na.ReplyTo, err = web.ParseOptionalID(b.ReplyTo, "body.reply_to"); err != nil {
		return nil, err
	}
	if na.Attendees, err = parseIDs(b.Attendees, "body.attendees"); err != nil {
		return nil, err
	}
	a, created, err := h.svc.CreateActivity(ctx, na)
	if err != nil {
		return nil, err
	}
	status := http.StatusCreated
	if !created {
		status = http.StatusOK
	}
	return &activityOutput{Status: status, Body: activityDTO(a)}, nil
}

// ActivityPageDTO is one page of activities.
type ActivityPageDTO struct {
	Activities []ActivityDTO `json:"activities"`
	NextCursor *string       `json:"next_cursor" doc:"pass as cursor for the next page; null on the last page"`
}

type activityPageOutput struct{ Body ActivityPageDTO }

type listActivitiesInput struct {
	CustomerID    string    `query:"customer_id" format:"uuid"`
	ContactID     string    `query:"contact_id" format:"uuid" doc:"the contact spoken to or a meeting's attendee"`
	OpportunityID string    `query:"opportunity_id" format:"uuid"`
	OwnerID       string    `query:"owner_id" format:"uuid" doc:"the rep who logged them"`
	Kind          string    `query:"kind" enum:"call,meeting,message"`
	Direction     string    `query:"direction" enum:"in,out"`
	From          time.Time `query:"from" doc:"occurred at or after"`
	To            time.Time `query:"to" doc:"occurred before"`
	Limit         int       `query:"limit" minimum:"1" maximum:"200" default:"50"`
	Cursor        string    `query:"cursor" maxLength:"200" doc:"next_cursor of the previous page"`
}

func (h *HTTP) list(ctx context.Context, in *listActivitiesInput) (*activityPageOutput, error) {
	f := ActivityFilter{Kind: Kind(in.Kind), Direction: Direction(in.Direction), From: in.From, To: in.To, Limit: in.Limit, Cursor: in.Cursor}
	var err error
	for _, p := range []struct {
		to       **uuid.UUID
		v, where string
	}{{&f.CustomerID, in.CustomerID, "query.customer_id"}, {&f.ContactID, in.ContactID, "query.contact_id"},
		{&f.OpportunityID, in.OpportunityID, "query.opportunity_id"}, {&f.OwnerID, in.OwnerID, "query.owner_id"}} {
		if *p.to, err = web.ParseOptionalID(p.v, p.where); err != nil {
			return nil, err
		}
	}
	page, err := h.svc.ListActivities(ctx, f)
	if err != nil {
		return nil, err
	}
	out := &activityPageOutput{Body: ActivityPageDTO{Activities: make([]ActivityDTO, len(page.Activities)), NextCursor: cursorDTO(page.NextCursor)}}
	for i, a := range page.Activities {
		out.Body.Activities[i] = activityDTO(a)
	}
	return out, nil
}

type activityPath struct {
	ID string `path:"id" format:"uuid" doc:"the activity's id"`
}

func (h *HTTP) get(ctx context.Context, in *activityPath) (*activityOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	a, err := h.svc.GetActivity(ctx, id)
	if err != nil {
		return nil, err
	}
	return &activityOutput{Status: http.StatusOK, Body: activityDTO(a)}, nil
}

// ActivityChangesDTO is what may change on a logged activity; absent fields stay as they are.
type ActivityChangesDTO struct {
	Notes     *string    `json:"notes,omitempty" maxLength:"4000"`
	Outcome   *string    `json:"outcome,omitempty" enum:"answered,no_answer,busy,voicemail,rejected,wrong_number" doc:"calls"`
	RepliedAt *time.Time `json:"replied_at,omitempty" doc:"outbound messages"`
}

type updateActivityInput struct {
	ID   string `path:"id" format:"uuid" doc:"the activity's id"`
	Body ActivityChangesDTO
}

func (h *HTTP) update(ctx context.Context, in *updateActivityInput) (*activityOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	ch := ActivityChanges{Notes: in.Body.Notes, RepliedAt: in.Body.RepliedAt}
	if in.Body.Outcome != nil {
		o := Outcome(*in.Body.Outcome)
		ch.Outcome = &o
	}
	a, err := h.svc.UpdateActivity(ctx, id, ch)
	if err != nil {
		return nil, err
	}
	return &activityOutput{Status: http.StatusOK, Body: activityDTO(a)}, nil
}

func parseIDs(ss []string, location string) ([]uuid.UUID, error) {
	out := make([]uuid.UUID, len(ss))
	for i, s := range ss {
		id, err := web.ParseID(s, location)
		if err != nil {
			return nil, err
		}
		out[i] = id
	}
	return out, nil
}

func cursorDTO(c string) *string {
	if c == "" {
		return nil
	}
	return &c
}
