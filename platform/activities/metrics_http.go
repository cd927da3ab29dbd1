package activities

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/web"
)

func (h *HTTP) registerMetrics(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: "activity-metrics", Method: http.MethodGet, Path: "/api/v1/activity-metrics",
		Summary: "Activity figures per rep over a period: calls, durations, response rates, meetings, messages, milestones, key accounts",
		Description: "Call response rate: outbound calls answered / outbound calls. Message response rate: outbound messages " +
			"replied (a reply time, or an inbound message linked as the reply) / outbound messages. Average call duration: " +
			"over answered calls. A milestone is due when planned in the period and its day has passed or it is done; on " +
			"time when done on or before its planned day. Key-account touches: activities on accounts marked key. A ratio " +
			"with nothing to judge is 1.",
		Tags: activityTags}, h.metrics)
	huma.Register(api, huma.Operation{OperationID: "follow-up", Method: http.MethodGet, Path: "/api/v1/follow-up",
		Summary: "How closely a customer or an opportunity was followed up over a period",
		Description: "Touches are activities of any kind; touches per week divide them by the period's days / 7. Depth is " +
			"the distinct kinds of activity and the distinct contacts reached (answered calls, meetings, inbound or replied messages).",
		Tags: activityTags}, h.followUp)
	huma.Register(api, huma.Operation{OperationID: "list-milestone-punctuality", Method: http.MethodGet, Path: "/api/v1/milestone-punctuality",
		Summary: "The milestones a rep's on-time rate of a period judges, each on time or not",
		Description: "A milestone of a project the rep owns is judged when planned in the period and its day has passed or " +
			"it is done (milestones_due of /api/v1/activity-metrics); on time when done on or before its planned day " +
			"(milestones_on_time).",
		Tags: projectTags}, h.punctuality)
}

type punctualityInput struct {
	OwnerID string `query:"owner_id" format:"uuid" doc:"one rep's; default every rep's the caller may see"`
	From    string `query:"from" required:"true" pattern:"^\\d{4}-\\d{2}-\\d{2}$" doc:"first day, YYYY-MM-DD, tenant's time zone"`
	To      string `query:"to" required:"true" pattern:"^\\d{4}-\\d{2}-\\d{2}$" doc:"the day after the last, YYYY-MM-DD"`
}

// JudgedMilestoneDTO is a milestone due in the period.
type JudgedMilestoneDTO struct {
	Milestone MilestoneDTO `json:"milestone"`
	OwnerID   uuid.UUID    `json:"owner_id" doc:"the project's owner"`
	OnTime    bool         `json:"on_time" doc:"done on or before its planned day"`
}

// MilestonePunctualityDTO lists the milestones judged, rep by rep, by planned day.
type MilestonePunctualityDTO struct {
	Milestones []JudgedMilestoneDTO `json:"milestones"`
}

type punctualityOutput struct{ Body MilestonePunctualityDTO }

func (h *HTTP) punctuality(ctx context.Context, in *punctualityInput) (*punctualityOutput, error) {
	q := PunctualityQuery{From: in.From, To: in.To}
	var err error
	if q.OwnerID, err = web.ParseOptionalID(in.OwnerID, "query.owner_id"); err != nil {
		return nil, err
	}
	ms, err := h.svc.MilestonePunctuality(ctx, q)
	if err != nil {
		return nil, err
	}
	out := &punctualityOutput{Body: MilestonePunctualityDTO{Milestones: make([]JudgedMilestoneDTO, len(ms))}}
	for i, m := range ms {
		out.Body.Milestones[i] = JudgedMilestoneDTO{Milestone: milestoneDTO(m.Milestone), OwnerID: m.OwnerID, OnTime: m.OnTime}
	}
	return out, nil
}

type activityMetricsInput struct {
	From  string   `query:"from" required:"true" pattern:"^\\d{4}-\\d{2}-\\d{2}$" doc:"first day, YYYY-MM-DD, tenant's time zone"`
	To    string   `query:"to" required:"true" pattern:"^\\d{4}-\\d{2}-\\d{2}$" doc:"the day after the last, YYYY-MM-DD"`
	RepID []string `query:"rep_id" doc:"only these reps (repeat the parameter); default every rep the caller may see"`
}

// RepActivityMetricsDTO is one rep's activity figures.
type RepActivityMetricsDTO struct {
	RepID                   uuid.UUID `json:"rep_id"`
	Calls                   int       `json:"calls"`
	OutboundCalls           int       `json:"outbound_calls"`
	AnsweredOutboundCalls   int       `json:"answered_outbound_calls"`
	AnsweredCalls           int       `json:"answered_calls"`
	AvgCallDurationS        float64   `json:"avg_call_duration_s" doc:"over answered calls"`
	CallResponseRate        float64   `json:"call_response_rate" doc:"0..1"`
	Messages                int       `json:"messages"`
	OutboundMessages        int       `json:"outbound_messages"`
	RepliedOutboundMessages int       `json:"replied_outbound_messages"`
	MessageResponseRate     float64   `json:"message_response_rate" doc:"0..1"`
	ResponseRate            float64   `json:"response_rate" doc:"calls and messages together, 0..1"`
	Meetings                int       `json:"meetings"`
	MilestonesDue           int       `json:"milestones_due"`
	MilestonesOnTime        int       `json:"milestones_on_time"`
	MilestoneOnTimeRate     float64   `json:"milestone_on_time_rate" doc:"0..1"`
	KeyAccountTouches       int       `json:"key_account_touches"`
	KeyAccountsTouched      int       `json:"key_accounts_touched"`
}

// ActivityMetricsDTO lists the reps' figures.
type ActivityMetricsDTO struct {
	Reps []RepActivityMetricsDTO `json:"reps"`
}

type activityMetricsOutput struct{ Body ActivityMetricsDTO }

func (h *HTTP) metrics(ctx context.Context, in *activityMetricsInput) (*activityMetricsOutput, error) {
	q := MetricsQuery{From: in.From, To: in.To}
	ids, err := parseIDs(in.RepID, "query.rep_id")
	if err != nil {
		return nil, err
	}
	q.RepIDs = ids
	ms, err := h.svc.Metrics(ctx, q)
	if err != nil {
		return nil, err
	}
	out := &activityMetricsOutput{Body: ActivityMetricsDTO{Reps: make([]RepActivityMetricsDTO, len(ms))}}
	for i, m := range ms {
		out.Body.Reps[i] = RepActivityMetricsDTO{RepID: m.RepID, Calls: m.Calls, OutboundCalls: m.OutboundCalls,
			AnsweredOutboundCalls: m.AnsweredOutboundCalls, AnsweredCalls: m.AnsweredCalls, AvgCallDurationS: m.AvgCallDuration.Seconds(),
			CallResponseRate: m.CallResponseRate, Messages: m.Messages, OutboundMessages: m.OutboundMessages,
			RepliedOutboundMessages: m.RepliedOutboundMessages, MessageResponseRate: m.MessageResponseRate, ResponseRate: m.ResponseRate,
			Meetings: m.Meetings, MilestonesDue: m.Milestones.Due, MilestonesOnTime: m.Milestones.OnTime, MilestoneOnTimeRate: m.Milestones.Rate,
			KeyAccountTouches: m.KeyAccountTouches, KeyAccountsTouched: m.KeyAccountsTouched}
	}
	return out, nil
}

type followUpInput struct {
	CustomerID    string    `query:"customer_id" format:"uuid" doc:"the customer followed up (or give opportunity_id)"`
	OpportunityID string    `query:"opportunity_id" format:"uuid"`
	From          time.Time `query:"from" required:"true"`
	To            time.Time `query:"to" required:"true" doc:"exclusive"`
}

// FollowUpDTO is how closely a customer or an opportunity was followed up.
type FollowUpDTO struct {
	Touches         int     `json:"touches"`
	Weeks           float64 `json:"weeks"`
	TouchesPerWeek  float64 `json:"touches_per_week"`
	ActivityKinds   int     `json:"activity_kinds" doc:"distinct kinds: call, meeting, message"`
	ContactsReached int     `json:"contacts_reached"`
}

type followUpOutput struct{ Body FollowUpDTO }

func (h *HTTP) followUp(ctx context.Context, in *followUpInput) (*followUpOutput, error) {
	q := FollowUpQuery{From: in.From, To: in.To}
	var err error
	if q.CustomerID, err = web.ParseOptionalID(in.CustomerID, "query.customer_id"); err != nil {
		return nil, err
	}
	if q.OpportunityID, err = web.ParseOptionalID(in.OpportunityID, "query.opportunity_id"); err != nil {
		return nil, err
	}
	f, err := h.svc.FollowUp(ctx, q)
	if err != nil {
		return nil, err
	}
	return &followUpOutput{Body: FollowUpDTO{Touches: f.Touches, Weeks: f.Weeks, TouchesPerWeek: f.TouchesPerWeek,
		ActivityKinds: f.Kinds, ContactsReached: f.ContactsReached}}, nil
}
