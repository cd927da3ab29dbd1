package visits

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/visits/geo"
	"github.com/repflow/repflow/platform/web"
)

// HTTP is the visits domain's API: customers, tracks, visits, reviews and plans under /api/v1.
type HTTP struct{ svc *Service }

// NewHTTP returns the API over svc.
func NewHTTP(svc *Service) *HTTP { return &HTTP{svc: svc} }

var customerTags = []string{"Customers"}

// Register adds the operations to api.
func (h *HTTP) Register(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: "list-customers", Method: http.MethodGet, Path: "/api/v1/customers",
		Summary: "Customers the caller may see, oldest first, one page at a time", Tags: customerTags}, h.list)
	huma.Register(api, huma.Operation{OperationID: "get-customer", Method: http.MethodGet, Path: "/api/v1/customers/{id}",
		Summary: "One customer with its location and fence in WGS84", Tags: customerTags}, h.get)
	huma.Register(api, huma.Operation{OperationID: "create-customer", Method: http.MethodPost, Path: "/api/v1/customers",
		Summary: "Add a customer; coordinates may be WGS84 or GCJ-02 and are stored as WGS84", Tags: customerTags,
		DefaultStatus: http.StatusCreated}, h.create)
	huma.Register(api, huma.Operation{OperationID: "update-customer", Method: http.MethodPatch, Path: "/api/v1/customers/{id}",
		Summary: "Change a customer; a new location moves a circle fence with it", Tags: customerTags}, h.update)
	huma.Register(api, huma.Operation{OperationID: "delete-customer", Method: http.MethodDelete, Path: "/api/v1/customers/{id}",
		Summary: "Remove a customer", Tags: customerTags, DefaultStatus: http.StatusNoContent}, h.delete)
	h.registerTracks(api)
	h.registerVisits(api)
	h.registerPlans(api)
	h.registerMetrics(api)
	documentLive(api)
}

// LocationDTO is a point with the datum it is given in; responses are always in WGS84.
type LocationDTO struct {
	Lat   float64 `json:"lat" doc:"degrees, [-90, 90]"`
	Lon   float64 `json:"lon" doc:"degrees, [-180, 180]"`
	Datum string  `json:"datum" enum:"wgs84,gcj02" doc:"gcj02 for coordinates from Chinese phones and maps"`
}

// PolygonDTO is a GeoJSON (RFC 7946) Polygon geometry: the outer ring, then the holes, each
// closed, positions as [lon, lat].
type PolygonDTO struct {
	Type        string        `json:"type" enum:"Polygon"`
	Coordinates [][][]float64 `json:"coordinates"`
}

// FenceDTO is a circle around the customer's location or a polygon.
type FenceDTO struct {
	Kind    string      `json:"kind" enum:"circle,polygon"`
	RadiusM *float64    `json:"radius_m,omitempty" doc:"circle only: metres, (0, 100000]"`
	Polygon *PolygonDTO `json:"polygon,omitempty" doc:"polygon only"`
	Datum   string      `json:"datum,omitempty" enum:"wgs84,gcj02" doc:"polygon only: the datum of its coordinates; defaults to the location's (wgs84 in a PATCH without location)"`
}

// CustomerDTO is a customer as the API shows it, in WGS84.
type CustomerDTO struct {
	ID          uuid.UUID   `json:"id"`
	Name        string      `json:"name"`
	ContactName string      `json:"contact_name"`
	Phone       string      `json:"phone"`
	Address     string      `json:"address"`
	Grade       string      `json:"grade" enum:"A,B,C,D"`
	OwnerID     uuid.UUID   `json:"owner_id"`
	RegionID    uuid.UUID   `json:"region_id"`
	Location    LocationDTO `json:"location"`
	Fence       FenceDTO    `json:"fence"`
	CreatedAt   time.Time   `json:"created_at"`
	UpdatedAt   time.Time   `json:"updated_at"`
}

func customerDTO(c Customer) CustomerDTO {
	out := CustomerDTO{ID: c.ID, Name: c.Name, ContactName: c.ContactName, Phone: c.Phone, Address: c.Address,
		Grade: string(c.Grade), OwnerID: c.OwnerID, RegionID: c.RegionID,
		Location:  LocationDTO{Lat: c.Location.Lat, Lon: c.Location.Lon, Datum: string(WGS84)},
		CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
	switch f := c.Fence.(type) {
	case geo.Circle:
		out.Fence = FenceDTO{Kind: string(FenceCircle), RadiusM: &f.Radius}
	case *geo.Polygon:
		p := &PolygonDTO{Type: "Polygon"}
		for _, r := range f.Rings() {
			ring := make([][]float64, len(r))
			for i, v := range r {
				ring[i] = []float64{v.Lon, v.Lat}
			}
			p.Coordinates = append(p.Coordinates, ring)
		}
		out.Fence = FenceDTO{Kind: string(FencePolygon), Polygon: p, Datum: string(WGS84)}
	}
	return out
}

func (l LocationDTO) position() Position {
	return Position{Point: geo.Point{Lat: l.Lat, Lon: l.Lon}, Datum: Datum(l.Datum)}
}

func (f FenceDTO) input() (FenceInput, error) {
	in := FenceInput{Kind: FenceKind(f.Kind), Datum: Datum(f.Datum)}
	if f.RadiusM != nil {
		in.RadiusM = *f.RadiusM
	}
	if f.Polygon != nil {
		raw, err := json.Marshal(f.Polygon)
		if err != nil {
			return in, fault.Field("body.fence.polygon", "cannot be encoded: "+err.Error(), nil)
		}
		in.Polygon = raw
	}
	return in, nil
}

type customerOutput struct{ Body CustomerDTO }

type idPath struct {
	ID string `path:"id" format:"uuid" doc:"the customer's id (a UUID)"`
}

type listInput struct {
	OwnerID  string `query:"owner_id" format:"uuid" doc:"only this rep's customers"`
	RegionID string `query:"region_id" format:"uuid" doc:"only customers in this region's subtree"`
	Grade    string `query:"grade" enum:"A,B,C,D"`
	Q        string `query:"q" maxLength:"100" doc:"contained in the name, contact name or address, case-insensitive"`
	// What a rep's new-customer figure of a period counts, with owner_id, for the appraisal's drill-down.
	CreatedFrom time.Time `query:"created_from" doc:"created at or after"`
	CreatedTo   time.Time `query:"created_to" doc:"created before"`
	Limit       int       `query:"limit" minimum:"1" maximum:"200" default:"50"`
	Cursor      string    `query:"cursor" format:"uuid" doc:"next_cursor of the previous page"`
}

// Named bodies: huma names anonymous ones after their holder ("ListOutputBody"), and those names
// are shared by every domain's operations in the one OpenAPI document.
type listOutput struct{ Body CustomerPageDTO }

// CustomerPageDTO is one page of customers.
type CustomerPageDTO struct {
	Customers  []ListedCustomerDTO `json:"customers"`
	NextCursor *uuid.UUID          `json:"next_cursor" doc:"pass as cursor for the next page; null on the last page"`
}

// ListedCustomerDTO is a customer as a list shows it: with its last visit.
type ListedCustomerDTO struct {
	CustomerDTO
	LastVisitAt *time.Time `json:"last_visit_at" doc:"the start of its newest visit by anyone, rejected ones left out; null when never visited"`
}

type createInput struct{ Body NewCustomerDTO }

// NewCustomerDTO is the body that creates a customer.
type NewCustomerDTO struct {
	Name        string      `json:"name" maxLength:"200"`
	ContactName string      `json:"contact_name,omitempty" maxLength:"200"`
	Phone       string      `json:"phone,omitempty" maxLength:"40"`
	Address     string      `json:"address,omitempty" maxLength:"500"`
	Grade       string      `json:"grade" enum:"A,B,C,D"`
	OwnerID     string      `json:"owner_id" format:"uuid" doc:"the rep who owns the customer"`
	RegionID    string      `json:"region_id" format:"uuid"`
	Location    LocationDTO `json:"location"`
	Fence       FenceDTO    `json:"fence"`
}

type updateInput struct {
	ID   string `path:"id" format:"uuid" doc:"the customer's id (a UUID)"`
	Body CustomerChangesDTO
}

// CustomerChangesDTO is the body that changes a customer; absent fields stay as they are.
type CustomerChangesDTO struct {
	Name        *string      `json:"name,omitempty" maxLength:"200"`
	ContactName *string      `json:"contact_name,omitempty" maxLength:"200"`
	Phone       *string      `json:"phone,omitempty" maxLength:"40"`
	Address     *string      `json:"address,omitempty" maxLength:"500"`
	Grade       *string      `json:"grade,omitempty" enum:"A,B,C,D"`
	OwnerID     *string      `json:"owner_id,omitempty" format:"uuid"`
	RegionID    *string      `json:"region_id,omitempty" format:"uuid"`
	Location    *LocationDTO `json:"location,omitempty"`
	Fence       *FenceDTO    `json:"fence,omitempty"`
}

func (h *HTTP) list(ctx context.Context, in *listInput) (*listOutput, error) {
	f := CustomerFilter{Grade: Grade(in.Grade), Query: in.Q, CreatedFrom: in.CreatedFrom, CreatedTo: in.CreatedTo, Limit: in.Limit}
	var err error
	if f.OwnerID, err = web.ParseOptionalID(in.OwnerID, "query.owner_id"); err != nil {
		return nil, err
	}
	if f.RegionID, err = web.ParseOptionalID(in.RegionID, "query.region_id"); err != nil {
		return nil, err
	}
	if f.After, err = web.ParseOptionalID(in.Cursor, "query.cursor"); err != nil {
		return nil, err
	}
	page, err := h.svc.ListCustomers(ctx, f)
	if err != nil {
		return nil, err
	}
	out := &listOutput{}
	out.Body.Customers = make([]ListedCustomerDTO, len(page.Customers))
	for i, c := range page.Customers {
		out.Body.Customers[i] = ListedCustomerDTO{CustomerDTO: customerDTO(c)}
		if last, ok := page.LastVisits[c.ID]; ok {
			last = last.UTC()
			out.Body.Customers[i].LastVisitAt = &last
		}
	}
	out.Body.NextCursor = page.Next
	return out, nil
}

func (h *HTTP) get(ctx context.Context, in *idPath) (*customerOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	c, err := h.svc.GetCustomer(ctx, id)
	if err != nil {
		return nil, err
	}
	return &customerOutput{Body: customerDTO(c)}, nil
}

func (h *HTTP) create(ctx context.Context, in *createInput) (*customerOutput, error) {
	b := in.Body
	nc := NewCustomer{Name: b.Name, ContactName: b.ContactName, Phone: b.Phone, Address: b.Address, Grade: Grade(b.Grade),
		Location: b.Location.position()}
	var err error
	if nc.OwnerID, err = web.ParseID(b.OwnerID, "body.owner_id"); err != nil {
		return nil, err
	}
	if nc.RegionID, err = web.ParseID(b.RegionID, "body.region_id"); err != nil {
		return nil, err
	}
	if nc.Fence, err = b.Fence.input(); err != nil {
		return nil, err
	}
	c, err := h.svc.CreateCustomer(ctx, nc)
	if err != nil {
		return nil, err
	}
	return &customerOutput{Body: customerDTO(c)}, nil
}

func (h *HTTP) update(ctx context.Context, in *updateInput) (*customerOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	b := in.Body
	ch := CustomerChanges{Name: b.Name, ContactName: b.ContactName, Phone: b.Phone, Address: b.Address}
	if b.Grade != nil {
		g := Grade(*b.Grade)
		ch.Grade = &g
	}
	if b.OwnerID != nil {
		if ch.OwnerID, err = web.ParseOptionalID(*b.OwnerID, "body.owner_id"); err != nil {
			return nil, err
		}
	}
	if b.RegionID != nil {
		if ch.RegionID, err = web.ParseOptionalID(*b.RegionID, "body.region_id"); err != nil {
			return nil, err
		}
	}
	if b.Location != nil {
		p := b.Location.position()
		ch.Location = &p
	}
	if b.Fence != nil {
		f, err := b.Fence.input()
		if err != nil {
			return nil, err
		}
		ch.Fence = &f
	}
	c, err := h.svc.UpdateCustomer(ctx, id, ch)
	if err != nil {
		return nil, err
	}
	return &customerOutput{Body: customerDTO(c)}, nil
}

func (h *HTTP) delete(ctx context.Context, in *idPath) (*struct{}, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	return nil, h.svc.DeleteCustomer(ctx, id)
}
