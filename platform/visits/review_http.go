package visits

import (
	"context"
	"net/http"
	"time"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/web"
)

// VisitPageDTO is one page of visits.
type VisitPageDTO struct {
	Visits     []VisitDTO `json:"visits"`
	NextCursor *uuid.UUID `json:"next_cursor" doc:"pass as cursor for the next page; null on the last page"`
}

type visitPageOutput struct{ Body VisitPageDTO }

type listVisitsInput struct {
	RepID        string    `query:"rep_id" format:"uuid"`
	CustomerID   string    `query:"customer_id" format:"uuid"`
	From         time.Time `query:"from" doc:"visits that started at or after"`
	To           time.Time `query:"to" doc:"visits that started before"`
	Status       string    `query:"status" enum:"open,closed"`
	ReviewStatus string    `query:"review_status" enum:"none,pending,accepted,rejected"`
	Limit        int       `query:"limit" minimum:"1" maximum:"200" default:"50"`
	Cursor       string    `query:"cursor" format:"uuid" doc:"next_cursor of the previous page"`
}

func (in *listVisitsInput) filter() (VisitFilter, error) {
	f := VisitFilter{From: in.From, To: in.To, Status: VisitStatus(in.Status), ReviewStatus: ReviewStatus(in.ReviewStatus), Limit: in.Limit}
	var err error
	if f.RepID, err = web.ParseOptionalID(in.RepID, "query.rep_id"); err != nil {
		return f, err
	}
	if f.CustomerID, err = web.ParseOptionalID(in.CustomerID, "query.customer_id"); err != nil {
		return f, err
	}
	f.After, err = web.ParseOptionalID(in.Cursor, "query.cursor")
	return f, err
}

func pageDTO(p VisitPage) *visitPageOutput {
	out := &visitPageOutput{Body: VisitPageDTO{Visits: make([]VisitDTO, len(p.Visits)), NextCursor: p.Next}}
	for i, v := range p.Visits {
		out.Body.Visits[i] = visitDTO(v)
	}
	return out
}

func (h *HTTP) listVisits(ctx context.Context, in *listVisitsInput) (*visitPageOutput, error) {
	f, err := in.filter()
	if err != nil {
		return nil, err
	}
	p, err := h.svc.ListVisits(ctx, f)
	if err != nil {
		return nil, err
	}
	return pageDTO(p), nil
}

func (h *HTTP) queue(ctx context.Context, in *listVisitsInput) (*visitPageOutput, error) {
	f, err := in.filter()
	if err != nil {
		return nil, err
	}
	p, err := h.svc.ReviewQueue(ctx, f)
	if err != nil {
		return nil, err
	}
	return pageDTO(p), nil
}

// RevisionDTO is one version of a visit's notes.
type RevisionDTO struct {
	Revision  int       `json:"revision"`
	Notes     string    `json:"notes"`
	Reason    string    `json:"reason"`
	AuthorID  uuid.UUID `json:"author_id"`
	CreatedAt time.Time `json:"created_at"`
}

// RevisionsDTO lists a visit's revisions, oldest first.
type RevisionsDTO struct {
	Revisions []RevisionDTO `json:"revisions"`
}

type revisionsOutput struct{ Body RevisionsDTO }

func (h *HTTP) revisions(ctx context.Context, in *visitPath) (*revisionsOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	rs, err := h.svc.Revisions(ctx, id)
	if err != nil {
		return nil, err
	}
	out := &revisionsOutput{Body: RevisionsDTO{Revisions: make([]RevisionDTO, len(rs))}}
	for i, r := range rs {
		out.Body.Revisions[i] = RevisionDTO(r)
	}
	return out, nil
}

// CorrectionDTO is a new version of a visit's notes and why it was made.
type CorrectionDTO struct {
	Notes  string `json:"notes" maxLength:"4000"`
	Reason string `json:"reason" minLength:"1" maxLength:"500"`
}

type correctInput struct {
	ID   string `path:"id" format:"uuid" doc:"the visit's id"`
	Body CorrectionDTO
}

func (h *HTTP) correct(ctx context.Context, in *correctInput) (*visitOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	v, err := h.svc.CorrectVisit(ctx, id, in.Body.Notes, in.Body.Reason)
	if err != nil {
		return nil, err
	}
	return &visitOutput{Status: http.StatusCreated, Body: visitDTO(v)}, nil
}

// ReviewDecisionDTO is a manager's decision.
type ReviewDecisionDTO struct {
	Decision string `json:"decision" enum:"accepted,rejected"`
	Comment  string `json:"comment,omitempty" maxLength:"2000" doc:"required for a rejection"`
}

type reviewInput struct {
	ID   string `path:"id" format:"uuid" doc:"the visit's id"`
	Body ReviewDecisionDTO
}

func (h *HTTP) review(ctx context.Context, in *reviewInput) (*visitOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	v, err := h.svc.ReviewVisit(ctx, id, ReviewStatus(in.Body.Decision), in.Body.Comment)
	if err != nil {
		return nil, err
	}
	return &visitOutput{Status: http.StatusOK, Body: visitDTO(v)}, nil
}

// ReviewDTO is a decision on a visit.
type ReviewDTO struct {
	ID         uuid.UUID `json:"id"`
	Decision   string    `json:"decision" enum:"accepted,rejected"`
	Comment    string    `json:"comment"`
	ReviewerID uuid.UUID `json:"reviewer_id"`
	CreatedAt  time.Time `json:"created_at"`
}

// ReviewsDTO lists a visit's review decisions, oldest first.
type ReviewsDTO struct {
	Reviews []ReviewDTO `json:"reviews"`
}

type reviewsOutput struct{ Body ReviewsDTO }

func (h *HTTP) reviews(ctx context.Context, in *visitPath) (*reviewsOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	rs, err := h.svc.Reviews(ctx, id)
	if err != nil {
		return nil, err
	}
	out := &reviewsOutput{Body: ReviewsDTO{Reviews: make([]ReviewDTO, len(rs))}}
	for i, r := range rs {
		out.Body.Reviews[i] = ReviewDTO{ID: r.ID, Decision: string(r.Decision), Comment: r.Comment, ReviewerID: r.ReviewerID, CreatedAt: r.CreatedAt}
	}
	return out, nil
}
