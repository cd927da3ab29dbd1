package activities

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/web"
)

var contactTags = []string{"Contacts"}

func (h *HTTP) registerContacts(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: "create-contact", Method: http.MethodPost, Path: "/api/v1/contacts",
		Summary: "Add a person at an account, with their part in the buying decision", Tags: contactTags,
		DefaultStatus: http.StatusCreated}, h.createContact)
	huma.Register(api, huma.Operation{OperationID: "list-contacts", Method: http.MethodGet, Path: "/api/v1/contacts",
		Summary: "Contacts the caller may see, oldest first, one page at a time", Tags: contactTags}, h.listContacts)
	huma.Register(api, huma.Operation{OperationID: "get-contact", Method: http.MethodGet, Path: "/api/v1/contacts/{id}",
		Summary: "One contact", Tags: contactTags}, h.getContact)
	huma.Register(api, huma.Operation{OperationID: "update-contact", Method: http.MethodPatch, Path: "/api/v1/contacts/{id}",
		Summary: "Change a contact", Tags: contactTags}, h.updateContact)
	huma.Register(api, huma.Operation{OperationID: "list-contact-relationships", Method: http.MethodGet, Path: "/api/v1/contacts/{id}/relationships",
		Summary: "A contact's relationships, both ways", Tags: contactTags}, h.relationships)
	huma.Register(api, huma.Operation{OperationID: "add-contact-relationship", Method: http.MethodPost, Path: "/api/v1/contacts/{id}/relationships",
		Summary:     "Relate the contact to another of the same account: it reports to or influences them",
		Description: "Each contact reports to at most one other, and a reporting line that would loop back is a 409 naming both.",
		Tags:        contactTags, DefaultStatus: http.StatusCreated}, h.addRelationship)
	huma.Register(api, huma.Operation{OperationID: "remove-contact-relationship", Method: http.MethodDelete,
		Path:    "/api/v1/contacts/{id}/relationships/{relationship_id}",
		Summary: "Remove one of the contact's relationships", Tags: contactTags, DefaultStatus: http.StatusNoContent}, h.removeRelationship)
}

// ContactDTO is a contact as the API shows it.
type ContactDTO struct {
	ID         uuid.UUID `json:"id"`
	CustomerID uuid.UUID `json:"customer_id"`
	OwnerID    uuid.UUID `json:"owner_id"`
	RegionID   uuid.UUID `json:"region_id"`
	Name       string    `json:"name"`
	Title      string    `json:"title"`
	Role       string    `json:"role"`
	Phone      string    `json:"phone"`
	Email      string    `json:"email"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

func contactDTO(c Contact) ContactDTO {
	return ContactDTO{ID: c.ID, CustomerID: c.CustomerID, OwnerID: c.OwnerID, RegionID: c.RegionID, Name: c.Name, Title: c.Title,
		Role: string(c.Role), Phone: c.Phone, Email: c.Email, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}

type contactOutput struct{ Body ContactDTO }

// NewContactDTO is the body that adds a contact.
type NewContactDTO struct {
	CustomerID string `json:"customer_id" format:"uuid"`
	Name       string `json:"name" maxLength:"200"`
	Title      string `json:"title,omitempty" maxLength:"200"`
	Role       string `json:"role" enum:"decision_maker,influencer,user,gatekeeper,technical,champion,procurement,other" doc:"part in the buying decision"`
	Phone      string `json:"phone,omitempty" maxLength:"40"`
	Email      string `json:"email,omitempty" maxLength:"254"`
}

type createContactInput struct{ Body NewContactDTO }

func (h *HTTP) createContact(ctx context.Context, in *createContactInput) (*contactOutput, error) {
	b := in.Body
	customer, err := web.ParseID(b.CustomerID, "body.customer_id")
	if err != nil {
		return nil, err
	}
	c, err := h.svc.CreateContact(ctx, NewContact{CustomerID: customer, Name: b.Name, Title: b.Title, Role: Role(b.Role), Phone: b.Phone, Email: b.Email})
	if err != nil {
		return nil, err
	}
	return &contactOutput{Body: contactDTO(c)}, nil
}

// ContactPageDTO is one page of contacts.
type ContactPageDTO struct {
	Contacts   []ContactDTO `json:"contacts"`
	NextCursor *uuid.UUID   `json:"next_cursor" doc:"pass as cursor for the next page; null on the last page"`
}

type contactPageOutput struct{ Body ContactPageDTO }

type listContactsInput struct {
	CustomerID string `query:"customer_id" format:"uuid"`
	Role       string `query:"role" enum:"decision_maker,influencer,user,gatekeeper,technical,champion,procurement,other"`
	Limit      int    `query:"limit" minimum:"1" maximum:"200" default:"50"`
	Cursor     string `query:"cursor" format:"uuid" doc:"next_cursor of the previous page"`
}

func (h *HTTP) listContacts(ctx context.Context, in *listContactsInput) (*contactPageOutput, error) {
	f := ContactFilter{Role: Role(in.Role), Limit: in.Limit}
	var err error
	if f.CustomerID, err = web.ParseOptionalID(in.CustomerID, "query.customer_id"); err != nil {
		return nil, err
	}
	if f.After, err = web.ParseOptionalID(in.Cursor, "query.cursor"); err != nil {
		return nil, err
	}
	page, err := h.svc.ListContacts(ctx, f)
	if err != nil {
		return nil, err
	}
	out := &contactPageOutput{Body: ContactPageDTO{Contacts: make([]ContactDTO, len(page.Contacts)), NextCursor: page.Next}}
	for i, c := range page.Contacts {
		out.Body.Contacts[i] = contactDTO(c)
	}
	return out, nil
}

type contactPath struct {
	ID string `path:"id" format:"uuid" doc:"the contact's id"`
}

func (h *HTTP) getContact(ctx context.Context, in *contactPath) (*contactOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	c, err := h.svc.GetContact(ctx, id)
	if err != nil {
		return nil, err
	}
	return &contactOutput{Body: contactDTO(c)}, nil
}

// ContactChangesDTO changes a contact; absent fields stay as they are.
type ContactChangesDTO struct {
	Name  *string `json:"name,omitempty" maxLength:"200"`
	Title *string `json:"title,omitempty" maxLength:"200"`
	Role  *string `json:"role,omitempty" enum:"decision_maker,influencer,user,gatekeeper,technical,champion,procurement,other"`
	Phone *string `json:"phone,omitempty" maxLength:"40"`
	Email *string `json:"email,omitempty" maxLength:"254"`
}

type updateContactInput struct {
	ID   string `path:"id" format:"uuid" doc:"the contact's id"`
	Body ContactChangesDTO
}

func (h *HTTP) updateContact(ctx context.Context, in *updateContactInput) (*contactOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	b := in.Body
	ch := ContactChanges{Name: b.Name, Title: b.Title, Phone: b.Phone, Email: b.Email}
	if b.Role != nil {
		r := Role(*b.Role)
		ch.Role = &r
	}
	c, err := h.svc.UpdateContact(ctx, id, ch)
	if err != nil {
		return nil, err
	}
	return &contactOutput{Body: contactDTO(c)}, nil
}

// RelationshipDTO is an edge of the contact graph: from reports to, or influences, to.
type RelationshipDTO struct {
	ID            uuid.UUID `json:"id"`
	FromContactID uuid.UUID `json:"from_contact_id"`
	ToContactID   uuid.UUID `json:"to_contact_id"`
	Kind          string    `json:"kind" enum:"reports_to,influences"`
	Strength      *int      `json:"strength" doc:"1 (weak) to 5 (strong); null when unknown"`
	CreatedBy     uuid.UUID `json:"created_by"`
	CreatedAt     time.Time `json:"created_at"`
}

func relationshipDTO(r Relationship) RelationshipDTO {
	return RelationshipDTO{ID: r.ID, FromContactID: r.From, ToContactID: r.To, Kind: string(r.Kind), Strength: r.Strength,
		CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt}
}

// RelationshipsDTO lists a contact's relationships.
type RelationshipsDTO struct {
	Relationships []RelationshipDTO `json:"relationships"`
}

type relationshipsOutput struct{ Body RelationshipsDTO }

func (h *HTTP) relationships(ctx context.Context, in *contactPath) (*relationshipsOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	rs, err := h.svc.Relationships(ctx, id)
	if err != nil {
		return nil, err
	}
	out := &relationshipsOutput{Body: RelationshipsDTO{Relationships: make([]RelationshipDTO, len(rs))}}
	for i, r := range rs {
		out.Body.Relationships[i] = relationshipDTO(r)
	}
	return out, nil
}

// NewRelationshipDTO relates the contact in the path to another.
type NewRelationshipDTO struct {
	ToContactID string `json:"to_contact_id" format:"uuid"`
	Kind        string `json:"kind" enum:"reports_to,influences"`
	Strength    *int   `json:"strength,omitempty" minimum:"1" maximum:"5"`
}

type addRelationshipInput struct {
	ID   string `path:"id" format:"uuid" doc:"the contact who reports or influences"`
	Body NewRelationshipDTO
}

type relationshipOutput struct{ Body RelationshipDTO }

func (h *HTTP) addRelationship(ctx context.Context, in *addRelationshipInput) (*relationshipOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	to, err := web.ParseID(in.Body.ToContactID, "body.to_contact_id")
	if err != nil {
		return nil, err
	}
	r, err := h.svc.AddRelationship(ctx, id, NewRelationship{To: to, Kind: RelationKind(in.Body.Kind), Strength: in.Body.Strength})
	if err != nil {
		return nil, err
	}
	return &relationshipOutput{Body: relationshipDTO(r)}, nil
}

type relationshipPath struct {
	ID             string `path:"id" format:"uuid" doc:"the contact's id"`
	RelationshipID string `path:"relationship_id" format:"uuid"`
}

func (h *HTTP) removeRelationship(ctx context.Context, in *relationshipPath) (*struct{}, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	rel, err := web.ParseID(in.RelationshipID, "path.relationship_id")
	if err != nil {
		return nil, err
	}
	return nil, h.svc.RemoveRelationship(ctx, id, rel)
}
