package activities

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/web"
)

var serviceTags = []string{"Service records"}

func (h *HTTP) registerServiceRecords(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: "create-service-record", Method: http.MethodPost, Path: "/api/v1/service-records",
		Summary: "Record a technical exchange or after-sales service for an account; records are never changed",
		Tags:    serviceTags, DefaultStatus: http.StatusCreated}, h.createServiceRecord)
	huma.Register(api, huma.Operation{OperationID: "list-service-records", Method: http.MethodGet, Path: "/api/v1/service-records",
		Summary: "Service records the caller may see, newest first", Tags: serviceTags}, h.listServiceRecords)
	huma.Register(api, huma.Operation{OperationID: "get-service-record", Method: http.MethodGet, Path: "/api/v1/service-records/{id}",
		Summary: "One service record", Tags: serviceTags}, h.getServiceRecord)
}

// ServiceRecordDTO is a service record as the API shows it.
type ServiceRecordDTO struct {
	ID         uuid.UUID   `json:"id"`
	CustomerID uuid.UUID   `json:"customer_id"`
	OwnerID    uuid.UUID   `json:"owner_id" doc:"the account's rep when it was recorded"`
	RegionID   uuid.UUID   `json:"region_id"`
	AuthorID   uuid.UUID   `json:"author_id" doc:"who recorded it"`
	Kind       string      `json:"kind"`
	Summary    string      `json:"summary"`
	OccurredAt time.Time   `json:"occurred_at"`
	ContactIDs []uuid.UUID `json:"contact_ids"`
	CreatedAt  time.Time   `json:"created_at"`
}

func serviceRecordDTO(r ServiceRecord) ServiceRecordDTO {
	return ServiceRecordDTO{ID: r.ID, CustomerID: r.CustomerID, OwnerID: r.OwnerID, RegionID: r.RegionID, AuthorID: r.AuthorID,
		Kind: string(r.Kind), Summary: r.Summary, OccurredAt: r.OccurredAt, ContactIDs: r.ContactIDs, CreatedAt: r.CreatedAt}
}

type serviceRecordOutput struct{ Body ServiceRecordDTO }

// NewServiceRecordDTO is the body that records service.
type NewServiceRecordDTO struct {
	CustomerID string    `json:"customer_id" format:"uuid"`
	Kind       string    `json:"kind" enum:"technical_exchange,installation,commissioning,maintenance,repair,training,inspection,complaint,other"`
	Summary    string    `json:"summary" maxLength:"4000"`
	OccurredAt time.Time `json:"occurred_at"`
	ContactIDs []string  `json:"contact_ids,omitempty" maxItems:"50" doc:"contacts of the account involved"`
}

type createServiceRecordInput struct{ Body NewServiceRecordDTO }

func (h *HTTP) createServiceRecord(ctx context.Context, in *createServiceRecordInput) (*serviceRecordOutput, error) {
	b := in.Body
	customer, err := web.ParseID(b.CustomerID, "body.customer_id")
	if err != nil {
		return nil, err
	}
	contacts, err := parseIDs(b.ContactIDs, "body.contact_ids")
	if err != nil {
		return nil, err
	}
	r, err := h.svc.CreateServiceRecord(ctx, NewServiceRecord{CustomerID: customer, Kind: ServiceKind(b.Kind), Summary: b.Summary,
		OccurredAt: b.OccurredAt, ContactIDs: contacts})
	if err != nil {
		return nil, err
	}
	return &serviceRecordOutput{Body: serviceRecordDTO(r)}, nil
}

// ServiceRecordPageDTO is one page of service records.
type ServiceRecordPageDTO struct {
	Records    []ServiceRecordDTO `json:"service_records"`
	NextCursor *string            `json:"next_cursor" doc:"pass as cursor for the next page; null on the last page"`
}

type serviceRecordPageOutput struct{ Body ServiceRecordPageDTO }

type listServiceRecordsInput struct {
	CustomerID string    `query:"customer_id" format:"uuid"`
	Kind       string    `query:"kind" enum:"technical_exchange,installation,commissioning,maintenance,repair,training,inspection,complaint,other"`
	From       time.Time `query:"from" doc:"occurred at or after"`
	To         time.Time `query:"to" doc:"occurred before"`
	Limit      int       `query:"limit" minimum:"1" maximum:"200" default:"50"`
	Cursor     string    `query:"cursor" maxLength:"200" doc:"next_cursor of the previous page"`
}

func (h *HTTP) listServiceRecords(ctx context.Context, in *listServiceRecordsInput) (*serviceRecordPageOutput, error) {
	f := ServiceRecordFilter{Kind: ServiceKind(in.Kind), From: in.From, To: in.To, Limit: in.Limit, Cursor: in.Cursor}
	var err error
	if f.CustomerID, err = web.ParseOptionalID(in.CustomerID, "query.customer_id"); err != nil {
		return nil, err
	}
	page, err := h.svc.ListServiceRecords(ctx, f)
	if err != nil {
		return nil, err
	}
	out := &serviceRecordPageOutput{Body: ServiceRecordPageDTO{Records: make([]ServiceRecordDTO, len(page.Records)), NextCursor: cursorDTO(page.NextCursor)}}
	for i, r := range page.Records {
		out.Body.Records[i] = serviceRecordDTO(r)
	}
	return out, nil
}

type serviceRecordPath struct {
	ID string `path:"id" format:"uuid" doc:"the service record's id"`
}

func (h *HTTP) getServiceRecord(ctx context.Context, in *serviceRecordPath) (*serviceRecordOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	r, err := h.svc.GetServiceRecord(ctx, id)
	if err != nil {
		return nil, err
	}
	return &serviceRecordOutput{Body: serviceRecordDTO(r)}, nil
}
