package visits

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/visits/cadence"
	"github.com/repflow/repflow/platform/visits/geo"
	"github.com/repflow/repflow/platform/visits/route"
	"github.com/repflow/repflow/platform/web"
)

var planTags = []string{"Visit plans"}

func (h *HTTP) registerPlans(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: "plan-day", Method: http.MethodPost, Path: "/api/v1/visit-plans",
		Summary: "Plan a rep's day: the customers due by their grade's cadence, in the order that keeps travel short",
		Description: "Nothing is stored: the plan is computed from the customers, their last visits and the cadences. " +
			"Customers that cannot be fitted into the day (or their opening hours) come back as unserved, with the reason.",
		Tags: planTags}, h.planDay)
	huma.Register(api, huma.Operation{OperationID: "get-visit-cadences", Method: http.MethodGet, Path: "/api/v1/visit-cadences",
		Summary: "How often customers of each grade are to be visited, in days", Tags: planTags}, h.getCadences)
	huma.Register(api, huma.Operation{OperationID: "set-visit-cadences", Method: http.MethodPut, Path: "/api/v1/visit-cadences",
		Summary: "Set how often customers of each grade are to be visited", Tags: planTags}, h.setCadences)
}

// WindowDTO is a customer's opening hours on the plan's day.
type WindowDTO struct {
	CustomerID string     `json:"customer_id" format:"uuid"`
	Earliest   *time.Time `json:"earliest,omitempty"`
	Latest     *time.Time `json:"latest,omitempty"`
}

// PlanRequestDTO asks for a day's plan.
type PlanRequestDTO struct {
	RepID          string       `json:"rep_id" format:"uuid"`
	Date           string       `json:"date" pattern:"^\\d{4}-\\d{2}-\\d{2}$" doc:"the day, YYYY-MM-DD, in the tenant's time zone"`
	Start          *LocationDTO `json:"start,omitempty" doc:"where the rep sets off; default: their last known position"`
	Departure      *time.Time   `json:"departure,omitempty" doc:"default: 08:30 local time"`
	Return         bool         `json:"return,omitempty" doc:"end the day back at the start"`
	ServiceMinutes int          `json:"service_minutes,omitempty" minimum:"0" maximum:"480" doc:"time at each customer; default 20"`
	Windows        []WindowDTO  `json:"windows,omitempty" maxItems:"500"`
}

// PlannedVisitDTO is one stop of the day.
type PlannedVisitDTO struct {
	CustomerID  uuid.UUID   `json:"customer_id"`
	Name        string      `json:"name"`
	Location    LocationDTO `json:"location"`
	DistanceM   float64     `json:"distance_m" doc:"of the leg from the previous stop"`
	TravelS     float64     `json:"travel_s"`
	Arrival     time.Time   `json:"arrival"`
	WaitS       float64     `json:"wait_s"`
	Departure   time.Time   `json:"departure"`
	OverdueDays int         `json:"overdue_days"`
}

// DueDTO is a customer due that day.
type DueDTO struct {
	CustomerID  uuid.UUID  `json:"customer_id"`
	Grade       string     `json:"grade"`
	LastVisit   *time.Time `json:"last_visit"`
	OverdueDays int        `json:"overdue_days"`
	ReorderBy   *string    `json:"reorder_by,omitempty" format:"date" doc:"the customer's next order is predicted by this day: take it on this visit"`
}

// UnservedDTO is a due customer the day cannot hold.
type UnservedDTO struct {
	CustomerID uuid.UUID `json:"customer_id"`
	Reason     string    `json:"reason" enum:"unreachable,window_conflict"`
}

// DayPlanDTO is the plan.
type DayPlanDTO struct {
	Date      string            `json:"date"`
	Start     LocationDTO       `json:"start"`
	Due       []DueDTO          `json:"due"`
	Visits    []PlannedVisitDTO `json:"visits"`
	Unserved  []UnservedDTO     `json:"unserved"`
	DistanceM float64           `json:"distance_m"`
	TravelS   float64           `json:"travel_s"`
	Finish    *time.Time        `json:"finish"`
	Cadences  cadence.Cadences  `json:"cadences"`
}

type planInput struct{ Body PlanRequestDTO }

type planOutput struct{ Body DayPlanDTO }

func (h *HTTP) planDay(ctx context.Context, in *planInput) (*planOutput, error) {
	b := in.Body
	rep, err := web.ParseID(b.RepID, "body.rep_id")
	if err != nil {
		return nil, err
	}
	req := PlanRequest{RepID: rep, Date: b.Date, Return: b.Return, Service: time.Duration(b.ServiceMinutes) * time.Minute,
		Windows: map[uuid.UUID]route.TimeWindow{}}
	if b.Start != nil {
		p, err := b.Start.position().wgs84("body.start")
		if err != nil {
			return nil, err
		}
		req.Start = &p
	}
	if b.Departure != nil {
		req.Departure = *b.Departure
	}
	for _, w := range b.Windows {
		id, err := web.ParseID(w.CustomerID, "body.windows.customer_id")
		if err != nil {
			return nil, err
		}
		var tw route.TimeWindow
		if w.Earliest != nil {
			tw.Earliest = *w.Earliest
		}
		if w.Latest != nil {
			tw.Latest = *w.Latest
		}
		req.Windows[id] = tw
	}
	plan, err := h.svc.PlanDay(ctx, req)
	if err != nil {
		return nil, err
	}
	return &planOutput{Body: dayPlanDTO(plan)}, nil
}

func dayPlanDTO(p DayPlan) DayPlanDTO {
	out := DayPlanDTO{Date: p.Day.Format(time.DateOnly), Start: wgs84DTO(p.Start), Due: make([]DueDTO, len(p.Due)),
		Visits: []PlannedVisitDTO{}, Unserved: []UnservedDTO{}, DistanceM: p.Route.Distance, TravelS: p.Route.Travel.Seconds(),
		Cadences: p.Cadences}
	overdue := map[uuid.UUID]int{}
	for i, d := range p.Due {
		out.Due[i] = DueDTO{CustomerID: d.CustomerID, Grade: string(d.Grade), LastVisit: d.LastVisit, OverdueDays: d.OverdueDays}
		if d.ReorderBy != nil {
			by := d.ReorderBy.Format(time.DateOnly)
			out.Due[i].ReorderBy = &by
		}
		overdue[d.CustomerID] = d.OverdueDays
	}
	for _, v := range p.Route.Visits {
		id := uuid.MustParse(v.Stop.ID)
		c := p.Customers[id]
		out.Visits = append(out.Visits, PlannedVisitDTO{CustomerID: id, Name: c.Name, Location: wgs84DTO(c.Location),
			DistanceM: v.Distance, TravelS: v.Travel.Seconds(), Arrival: v.Arrival, WaitS: v.Wait.Seconds(),
			Departure: v.Departure, OverdueDays: overdue[id]})
	}
	for _, u := range p.Route.Unserved {
		out.Unserved = append(out.Unserved, UnservedDTO{CustomerID: uuid.MustParse(u.Stop.ID), Reason: string(u.Reason)})
	}
	if len(p.Route.Visits) > 0 {
		f := p.Route.Finish
		out.Finish = &f
	}
	return out
}

func wgs84DTO(p geo.Point) LocationDTO {
	return LocationDTO{Lat: p.Lat, Lon: p.Lon, Datum: string(WGS84)}
}

type cadencesOutput struct{ Body CadencesDTO }

// CadencesDTO says how often customers of each grade are to be visited.
type CadencesDTO struct {
	EveryDays cadence.Cadences `json:"every_days" doc:"days between visits per grade, e.g. {\"A\":7,\"B\":14,\"C\":30,\"D\":60}"`
}

type setCadencesInput struct{ Body CadencesDTO }

func (h *HTTP) getCadences(ctx context.Context, _ *struct{}) (*cadencesOutput, error) {
	c, err := h.svc.Cadences(ctx)
	if err != nil {
		return nil, err
	}
	return &cadencesOutput{Body: CadencesDTO{EveryDays: c}}, nil
}

func (h *HTTP) setCadences(ctx context.Context, in *setCadencesInput) (*cadencesOutput, error) {
	c, err := h.svc.SetCadences(ctx, in.Body.EveryDays)
	if err != nil {
		return nil, err
	}
	return &cadencesOutput{Body: CadencesDTO{EveryDays: c}}, nil
}
