package activities

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
)

// ServiceKind is what a service record is about: a technical exchange before a sale, or
// after-sales service.
type ServiceKind string

// ServiceKinds lists every kind of service record.
var ServiceKinds = []ServiceKind{"technical_exchange", "installation", "commissioning", "maintenance", "repair",
	"training", "inspection", "complaint", "other"}

// ServiceRecord is technical or after-sales work done for an account, with the contacts
// involved. It is placed like its account, so the account's rep sees the service on the
// timeline whoever did it (AuthorID). Records are never changed: they are the record of work.
type ServiceRecord struct {
	ID, CustomerID, OwnerID, RegionID, AuthorID uuid.UUID
	Kind                                        ServiceKind
	Summary                                     string
	OccurredAt                                  time.Time
	ContactIDs                                  []uuid.UUID
	CreatedAt                                   time.Time
}

// NewServiceRecord is the input of CreateServiceRecord.
type NewServiceRecord struct {
	CustomerID uuid.UUID
	Kind       ServiceKind
	Summary    string
	OccurredAt time.Time
	ContactIDs []uuid.UUID
}

// ServiceRecordFilter narrows ListServiceRecords.
type ServiceRecordFilter struct {
	CustomerID *uuid.UUID
	Kind       ServiceKind
	From, To   time.Time
	Limit      int
	Cursor     string
}

// ServiceRecordPage is one page, newest first; NextCursor is "" on the last page.
type ServiceRecordPage struct {
	Records    []ServiceRecord
	NextCursor string
}

type serviceRecordRow struct {
	TenantID, ID, CustomerID, OwnerID, RegionID, AuthorID uuid.UUID
	Kind, Summary                                         string
	OccurredAt, CreatedAt                                 time.Time
}

func (serviceRecordRow) TableName() string { return "service_records" }

type serviceRecordContactRow struct {
	TenantID, ServiceRecordID, CustomerID, ContactID uuid.UUID
}

func (serviceRecordContactRow) TableName() string { return "service_record_contacts" }

var serviceRecordColumns = access.Columns{Owner: "service_records.owner_id", RegionID: "service_records.region_id"}

// CreateServiceRecord records service done for an account the caller may see.
func (s *Service) CreateServiceRecord(ctx context.Context, in NewServiceRecord) (ServiceRecord, error) {
	p, err := identity.SignedIn(ctx, "record service")
	if err != nil {
		return ServiceRecord{}, err
	}
	r := ServiceRecord{ID: identity.NewID(), CustomerID: in.CustomerID, AuthorID: p.UserID, Kind: in.Kind}
	if !slices.Contains(ServiceKinds, in.Kind) {
		return r, fault.Field("body.kind", fmt.Sprintf("must be one of %v", ServiceKinds), string(in.Kind))
	}
	if r.Summary, err = text(in.Summary, "body.summary", MaxSummaryLen, true); err != nil {
		return r, err
	}
	if in.OccurredAt.IsZero() || in.OccurredAt.After(s.now().Add(maxFutureActions)) {
		return r, fault.Field("body.occurred_at", "is required, and cannot be in the future", in.OccurredAt)
	}
	if len(in.ContactIDs) > MaxAttendees {
		return r, fault.Field("body.contact_ids", fmt.Sprintf("has more than %d contacts", MaxAttendees), len(in.ContactIDs))
	}
	r.OccurredAt = in.OccurredAt.UTC().Truncate(time.Microsecond)
	r.ContactIDs = sortedIDs(in.ContactIDs)
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		acc, err := s.account(ctx, db, in.CustomerID, "body.customer_id")
		if err != nil {
			return err
		}
		if err := s.warden.Check(ctx, access.Create, acc.resource(access.KindServiceRecord, uuid.Nil, acc.OwnerID)); err != nil {
			return err
		}
		for _, c := range r.ContactIDs {
			if err := contactOfAccount(db, c, r.CustomerID, "body.contact_ids"); err != nil {
				return err
			}
		}
		r.OwnerID, r.RegionID, r.CreatedAt = acc.OwnerID, acc.RegionID, s.now()
		err = db.Create(&serviceRecordRow{ID: r.ID, CustomerID: r.CustomerID, OwnerID: r.OwnerID, RegionID: r.RegionID,
			AuthorID: r.AuthorID, Kind: string(r.Kind), Summary: r.Summary, OccurredAt: r.OccurredAt, CreatedAt: r.CreatedAt}).Error
		if err != nil {
			return err
		}
		for _, c := range r.ContactIDs {
			if err := db.Create(&serviceRecordContactRow{ServiceRecordID: r.ID, CustomerID: r.CustomerID, ContactID: c}).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return ServiceRecord{}, fmt.Errorf("record service: %w", err)
	}
	return r, nil
}

// GetServiceRecord returns one service record; one outside the caller's scope is not found.
func (s *Service) GetServiceRecord(ctx context.Context, id uuid.UUID) (ServiceRecord, error) {
	var out ServiceRecord
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		var r serviceRecordRow
		err := db.Where("id = ?", id).Take(&r).Error
		if store.IsNotFound(err) {
			return fault.NotFoundf("service record")
		}
		if err != nil {
			return err
		}
		if err := s.checkRow(ctx, db, access.Read, access.KindServiceRecord, r.ID, r.OwnerID, r.RegionID, "service record"); err != nil {
			return err
		}
		rs := []ServiceRecord{toServiceRecord(r)}
		err = loadServiceContacts(db, rs)
		out = rs[0]
		return err
	})
	if err != nil {
		return ServiceRecord{}, fmt.Errorf("get service record %s: %w", id, err)
	}
	return out, nil
}

// ListServiceRecords returns the service records the caller may list, newest first.
func (s *Service) ListServiceRecords(ctx context.Context, f ServiceRecordFilter) (ServiceRecordPage, error) {
	if f.Limit <= 0 {
		f.Limit = DefaultPageSize
	}
	f.Limit = min(f.Limit, MaxPageSize)
	after, err := parseCursor(f.Cursor)
	if err != nil {
		return ServiceRecordPage{}, err
	}
	if f.Kind != "" && !slices.Contains(ServiceKinds, f.Kind) {
		return ServiceRecordPage{}, fault.Field("query.kind", fmt.Sprintf("must be one of %v", ServiceKinds), string(f.Kind))
	}
	var page ServiceRecordPage
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		scope, err := s.warden.Scope(ctx, access.List, access.KindServiceRecord, serviceRecordColumns)
		if err != nil {
			return err
		}
		q := db.Model(&serviceRecordRow{}).Scopes(scope)
		if f.CustomerID != nil {
			q = q.Where("service_records.customer_id = ?", *f.CustomerID)
		}
		if f.Kind != "" {
			q = q.Where("service_records.kind = ?", string(f.Kind))
		}
		if !f.From.IsZero() {
			q = q.Where("service_records.occurred_at >= ?", f.From.UTC())
		}
		if !f.To.IsZero() {
			q = q.Where("service_records.occurred_at < ?", f.To.UTC())
		}
		rows, next, err := serviceRecordsPage(q, after, 0, f.Limit)
		if err != nil {
			return err
		}
		page.Records, page.NextCursor = rows, next
		return loadServiceContacts(db, page.Records)
	})
	if err != nil {
		return ServiceRecordPage{}, fmt.Errorf("list service records: %w", err)
	}
	return page, nil
}

// serviceRecordsPage reads up to limit records after the cursor, newest first, and the cursor
// of the next page ("" when there is none).
func serviceRecordsPage(q *gorm.DB, after *position, rank, limit int) ([]ServiceRecord, string, error) {
	if after != nil {
		cond, args := after.before("service_records.occurred_at", "service_records.id", rank)
		q = q.Where(cond, args...)
	}
	var rows []serviceRecordRow
	if err := q.Order("service_records.occurred_at DESC, service_records.id DESC").Limit(limit + 1).Find(&rows).Error; err != nil {
		return nil, "", err
	}
	next := ""
	if len(rows) > limit {
		rows = rows[:limit]
		last := rows[len(rows)-1]
		next = position{At: last.OccurredAt, Rank: rank, ID: last.ID}.cursor()
	}
	out := make([]ServiceRecord, len(rows))
	for i, r := range rows {
		out[i] = toServiceRecord(r)
	}
	return out, next, nil
}

func toServiceRecord(r serviceRecordRow) ServiceRecord {
	return ServiceRecord{ID: r.ID, CustomerID: r.CustomerID, OwnerID: r.OwnerID, RegionID: r.RegionID, AuthorID: r.AuthorID,
		Kind: ServiceKind(r.Kind), Summary: r.Summary, OccurredAt: r.OccurredAt.UTC(), ContactIDs: []uuid.UUID{}, CreatedAt: r.CreatedAt.UTC()}
}

func loadServiceContacts(db *gorm.DB, rs []ServiceRecord) error {
	if len(rs) == 0 {
		return nil
	}
	at := map[uuid.UUID]int{}
	ids := make([]uuid.UUID, len(rs))
	for i, r := range rs {
		ids[i], at[r.ID] = r.ID, i
	}
	var rows []serviceRecordContactRow
	if err := db.Where("service_record_id IN ?", ids).Order("service_record_id, contact_id").Find(&rows).Error; err != nil {
		return fmt.Errorf("load service contacts: %w", err)
	}
	for _, r := range rows {
		rs[at[r.ServiceRecordID]].ContactIDs = append(rs[at[r.ServiceRecordID]].ContactIDs, r.ContactID)
	}
	return nil
}

// sortedIDs is ids sorted, without repeats.
func sortedIDs(ids []uuid.UUID) []uuid.UUID {
	out := slices.Clone(ids)
	slices.SortFunc(out, func(x, y uuid.UUID) int { return slices.Compare(x[:], y[:]) })
	return slices.Compact(out)
}
