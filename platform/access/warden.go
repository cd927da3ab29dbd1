package access

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
)

// IndexTTL bounds how long a replica trusts its copy of a tenant's policies. A change made on this
// replica takes effect at once; other replicas pick it up within this time.
const IndexTTL = 5 * time.Second

// Warden makes access decisions. It keeps each tenant's enabled policies indexed by subject, so a
// decision looks at the few policies of the principal's roles in its own tenant, never at every
// policy of every tenant as ladon's MemoryManager does.
type Warden struct {
	store *store.Store
	now   func() time.Time

	mu      sync.RWMutex
	tenants map[uuid.UUID]*Index
}

// NewWarden returns a warden reading policies from s.
func NewWarden(s *store.Store) *Warden {
	return &Warden{store: s, now: time.Now, tenants: map[uuid.UUID]*Index{}}
}

// Index is one tenant's compiled policies by subject: "role:<role>" and "user:<id>" subjects
// are kept apart, so a decision looks them up without building a subject string.
type Index struct {
	tenant uuid.UUID
	byRole map[string][]*compiled
	byUser map[uuid.UUID][]*compiled
	loaded time.Time
}

// NewIndex compiles tenant t's enabled policies.
func NewIndex(t uuid.UUID, policies []Policy) (*Index, error) {
	ix := &Index{tenant: t, byRole: map[string][]*compiled{}, byUser: map[uuid.UUID][]*compiled{}}
	for _, p := range policies {
		if p.Disabled {
			continue
		}
		c, err := compile(t, p.Ladon(t))
		if err != nil {
			return nil, err
		}
		for _, s := range p.Subjects {
			if role, ok := strings.CutPrefix(s, "role:"); ok {
				ix.byRole[role] = append(ix.byRole[role], c)
			} else if id, err := uuid.Parse(strings.TrimPrefix(s, "user:")); err == nil && strings.HasPrefix(s, "user:") {
				ix.byUser[id] = append(ix.byUser[id], c)
			} else {
				return nil, fmt.Errorf("policy %s: subject %q is neither role:<role> nor user:<id>", p.ID, s)
			}
		}
	}
	return ix, nil
}

// Allows decides whether p may do a to r: a matching deny wins, otherwise any matching allow.
func (ix *Index) Allows(ctx context.Context, p identity.Principal, a Action, r Resource) bool {
	d := decision{tenant: ix.tenant, p: p, a: a, r: r,
		canonical: !strings.Contains(r.RegionPath, ":") && !strings.Contains(string(r.Kind), ":")}
	allowed := false
	// One pass over the principal's subjects: the user's own policies, then each role's.
	for i := -1; i < len(p.Roles); i++ {
		var candidates []*compiled
		if i < 0 {
			candidates = ix.byUser[p.UserID]
			d.subject = subject{user: p.UserID}
		} else {
			candidates = ix.byRole[p.Roles[i]]
			d.subject = subject{role: p.Roles[i]}
		}
		for _, c := range candidates {
			if !c.matches(ctx, &d) {
				continue
			}
			if !c.policy.AllowAccess() {
				return false
			}
			allowed = true
		}
	}
	return allowed
}

func ownerString(id uuid.UUID) string {
	if id == uuid.Nil {
		return ""
	}
	return id.String()
}

// Check decides action a on r for ctx's principal: nil, or a Forbidden fault.
func (w *Warden) Check(ctx context.Context, a Action, r Resource) error {
	p, ix, err := w.principalIndex(ctx)
	if err != nil {
		return err
	}
	if !ix.Allows(ctx, p, a, r) {
		return forbidden(a, r.Kind)
	}
	return nil
}

// CheckRow is Check for an existing row. When the principal may not even read the row it answers
// NotFound, so rows outside one's scope cannot be told from missing ones.
func (w *Warden) CheckRow(ctx context.Context, a Action, r Resource, thing string) error {
	p, ix, err := w.principalIndex(ctx)
	if err != nil {
		return err
	}
	if !ix.Allows(ctx, p, Read, r) {
		return fault.NotFoundf(thing)
	}
	if a != Read && !ix.Allows(ctx, p, a, r) {
		return forbidden(a, r.Kind)
	}
	return nil
}

// refusals holds one shared, never-modified fault per action and kind: a refusal is common
// enough on list pages that formatting its message each time shows in the decision's cost.
var refusals sync.Map // [2]string{action, kind} -> *fault.Error

func forbidden(a Action, k Kind) error {
	key := [2]string{string(a), string(k)}
	if f, ok := refusals.Load(key); ok {
		return f.(*fault.Error)
	}
	f, _ := refusals.LoadOrStore(key, fault.Newf(fault.Forbidden, "forbidden", "your roles do not allow you to %s %s records; ask your tenant admin", a, k))
	return f.(*fault.Error)
}

func (w *Warden) principalIndex(ctx context.Context) (identity.Principal, *Index, error) {
	p, ok := identity.From(ctx)
	if !ok {
		return p, nil, fault.New(fault.Unauthorized, "unauthenticated", "sign in first")
	}
	ix, err := w.index(ctx, p.TenantID)
	return p, ix, err
}

// index returns tenant t's policy index, loading it when missing or older than IndexTTL.
func (w *Warden) index(ctx context.Context, t uuid.UUID) (*Index, error) {
	w.mu.RLock()
	ix := w.tenants[t]
	w.mu.RUnlock()
	if ix != nil && w.now().Sub(ix.loaded) < IndexTTL {
		return ix, nil
	}
	policies, err := w.load(ctx, t)
	if err != nil {
		return nil, fmt.Errorf("load policies: %w", err)
	}
	ix, err = NewIndex(t, policies)
	if err != nil {
		return nil, err
	}
	ix.loaded = w.now()
	w.mu.Lock()
	w.tenants[t] = ix
	w.mu.Unlock()
	return ix, nil
}

// forget drops tenant t's index, so the next decision reads the policies again.
func (w *Warden) forget(t uuid.UUID) {
	w.mu.Lock()
	delete(w.tenants, t)
	w.mu.Unlock()
}
