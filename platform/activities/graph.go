package activities

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
)

// RelationKind is how one contact stands to another: From reports to To, or From influences To.
type RelationKind string

const (
	ReportsTo  RelationKind = "reports_to"
	Influences RelationKind = "influences"
)

// Relationship is a directed edge between two contacts of one account. Reporting lines form a
// forest (each contact reports to at most one, and never, through others, to themselves);
// influence may run both ways.
type Relationship struct {
	ID, CustomerID, From, To uuid.UUID
	Kind                     RelationKind
	Strength                 *int // 1 (weak) to 5 (strong), when known
	CreatedBy                uuid.UUID
	CreatedAt                time.Time
}

// NewRelationship is the input of AddRelationship, from the contact in the path.
type NewRelationship struct {
	To       uuid.UUID
	Kind     RelationKind
	Strength *int
}

// Graph is an account's contacts (the nodes) and their relationships (the edges), as far as
// the caller may see them.
type Graph struct {
	AccountID     uuid.UUID
	Contacts      []Contact
	Relationships []Relationship
}

type relationshipRow struct {
	TenantID, ID, CustomerID, FromContactID, ToContactID uuid.UUID
	Kind                                                 string
	Strength                                             *int
	CreatedBy                                            uuid.UUID
	CreatedAt                                            time.Time
}

func (relationshipRow) TableName() string { return "contact_relationships" }

func toRelationship(r relationshipRow) Relationship {
	return Relationship{ID: r.ID, CustomerID: r.CustomerID, From: r.FromContactID, To: r.ToContactID, Kind: RelationKind(r.Kind),
		Strength: r.Strength, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC()}
}

// AddRelationship relates contact from to another contact of the same account. It needs the
// update right on from. A reporting line that would close a loop is refused, naming both.
func (s *Service) AddRelationship(ctx context.Context, from uuid.UUID, in NewRelationship) (Relationship, error) {
	p, err := identity.SignedIn(ctx, "relate contacts")
	if err != nil {
		return Relationship{}, err
	}
	if in.Kind != ReportsTo && in.Kind != Influences {
		return Relationship{}, fault.Field("body.kind", `must be "reports_to" or "influences"`, string(in.Kind))
	}
	if in.Strength != nil && (*in.Strength < 1 || *in.Strength > 5) {
		return Relationship{}, fault.Field("body.strength", "must be between 1 (weak) and 5 (strong)", *in.Strength)
	}
	if in.To == from {
		return Relationship{}, fault.Field("body.to_contact_id", "is the contact itself: a relationship needs two people", in.To)
	}
	var rel Relationship
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		c, err := s.loadContact(ctx, db, from, access.Update)
		if err != nil {
			return err
		}
		if err := contactOfAccount(db, in.To, c.CustomerID, "body.to_contact_id"); err != nil {
			return err
		}
		if in.Kind == ReportsTo {
			if err := s.serialize(ctx, db, graphReporting); err != nil {
				return err
			}
			if err := reportingLineAllowed(db, c, in.To); err != nil {
				return err
			}
		}
		row := relationshipRow{ID: identity.NewID(), CustomerID: c.CustomerID, FromContactID: from, ToContactID: in.To,
			Kind: string(in.Kind), Strength: in.Strength, CreatedBy: p.UserID, CreatedAt: s.now()}
		err = db.Create(&row).Error
		if store.IsUniqueViolation(err) {
			return fault.Newf(fault.Conflict, "relationship_exists", "%s already %s this contact", c.Name, strings.ReplaceAll(string(in.Kind), "_", " "))
		}
		rel = toRelationship(row)
		return err
	})
	if err != nil {
		return Relationship{}, fmt.Errorf("relate contact %s: %w", from, err)
	}
	return rel, nil
}

// reportingLineAllowed refuses a second manager for c, and a manager who already reports,
// directly or through others, to c.
func reportingLineAllowed(db *gorm.DB, c Contact, manager uuid.UUID) error {
	current, ok, err := reportsTo(db, c.ID)
	if err != nil {
		return err
	}
	if ok {
		return fault.Newf(fault.Conflict, "already_reports", "%s already reports to %s: remove that relationship first", c.Name, contactName(db, current))
	}
	chain, err := cyclePath(c.ID, manager, func(id uuid.UUID) (uuid.UUID, bool, error) { return reportsTo(db, id) })
	if err != nil || chain == nil {
		return err
	}
	names := make([]string, len(chain))
	for i, id := range chain {
		names[i] = contactName(db, id)
	}
	return fault.Newf(fault.Conflict, "reporting_cycle",
		"%s cannot report to %s: %s already reports to %s through %s, and nobody reports to themselves",
		c.Name, names[0], names[0], c.Name, strings.Join(names, " → "))
}

func reportsTo(db *gorm.DB, id uuid.UUID) (uuid.UUID, bool, error) {
	var ids []uuid.UUID
	err := db.Model(&relationshipRow{}).Where("from_contact_id = ? AND kind = ?", id, ReportsTo).Limit(1).Pluck("to_contact_id", &ids).Error
	if err != nil || len(ids) == 0 {
		return uuid.Nil, false, err
	}
	return ids[0], true, nil
}

func contactName(db *gorm.DB, id uuid.UUID) string {
	var names []string
	if db.Model(&contactRow{}).Where("id = ?", id).Limit(1).Pluck("name", &names).Error != nil || len(names) == 0 {
		return id.String()
	}
	return names[0]
}

// RemoveRelationship deletes one of contact from's relationships.
func (s *Service) RemoveRelationship(ctx context.Context, from, id uuid.UUID) error {
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if _, err := s.loadContact(ctx, db, from, access.Update); err != nil {
			return err
		}
		res := db.Where("id = ? AND from_contact_id = ?", id, from).Delete(&relationshipRow{})
		if res.Error == nil && res.RowsAffected == 0 {
			return fault.NotFoundf("relationship")
		}
		return res.Error
	})
	if err != nil {
		return fmt.Errorf("remove relationship %s: %w", id, err)
	}
	return nil
}

// Relationships returns a contact's relationships both ways, with the contacts the caller may see.
func (s *Service) Relationships(ctx context.Context, contact uuid.UUID) ([]Relationship, error) {
	var out []Relationship
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		c, err := s.loadContact(ctx, db, contact, access.Read)
		if err != nil {
			return err
		}
		g, err := s.graph(ctx, db, c.CustomerID)
		for _, r := range g.Relationships {
			if r.From == contact || r.To == contact {
				out = append(out, r)
			}
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("relationships of contact %s: %w", contact, err)
	}
	return out, nil
}

// AccountGraph returns the account's contacts and the relationships between them.
func (s *Service) AccountGraph(ctx context.Context, customer uuid.UUID) (Graph, error) {
	var g Graph
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if _, err := s.account(ctx, db, customer, ""); err != nil {
			return err
		}
		var err error
		g, err = s.graph(ctx, db, customer)
		return err
	})
	if err != nil {
		return Graph{}, fmt.Errorf("graph of account %s: %w", customer, err)
	}
	return g, nil
}

// graph keeps only edges whose two ends the caller may see.
func (s *Service) graph(ctx context.Context, db *gorm.DB, customer uuid.UUID) (Graph, error) {
	g := Graph{AccountID: customer, Contacts: []Contact{}, Relationships: []Relationship{}}
	q, err := s.visibleContacts(ctx, db)
	if err != nil {
		return g, err
	}
	var rows []contactRow
	if err := q.Where("contacts.customer_id = ?", customer).Order("contacts.id").Find(&rows).Error; err != nil {
		return g, fmt.Errorf("load contacts: %w", err)
	}
	seen := map[uuid.UUID]bool{}
	for _, r := range rows {
		g.Contacts = append(g.Contacts, toContact(r))
		seen[r.ID] = true
	}
	var rels []relationshipRow
	if err := db.Where("customer_id = ?", customer).Order("created_at, id").Find(&rels).Error; err != nil {
		return g, fmt.Errorf("load relationships: %w", err)
	}
	for _, r := range rels {
		if seen[r.FromContactID] && seen[r.ToContactID] {
			g.Relationships = append(g.Relationships, toRelationship(r))
		}
	}
	return g, nil
}

// maxDepth bounds a walk up a hierarchy: deeper than any real organisation, and it stops a walk
// that a corrupted table would make endless.
const maxDepth = 1000

// cyclePath says whether putting child under parent would make child its own ancestor. up gives
// a node's current parent. It returns the chain from parent up to child (parent first, child
// last) when it would, and nil when the link is safe.
func cyclePath(child, parent uuid.UUID, up func(uuid.UUID) (uuid.UUID, bool, error)) ([]uuid.UUID, error) {
	chain := []uuid.UUID{parent}
	for node := parent; node != child; {
		next, ok, err := up(node)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, nil
		}
		if len(chain) > maxDepth {
			return nil, fmt.Errorf("hierarchy above %s is deeper than %d levels", parent, maxDepth)
		}
		chain = append(chain, next)
		node = next
	}
	return chain, nil
}
