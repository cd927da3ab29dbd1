// Package access decides who may do what to which rows, with ladon policies stored per tenant, and
// turns the same decisions into query scopes so that lists, counts, reports and exports are
// filtered exactly like single reads.
//
// A resource is named tenant:<id>:region:<path>:rep:<id>:<kind>:<id>. Policies are kept in a
// structured form (subjects, actions, kinds, scope, effect) that a tenant admin edits through the
// API and that compiles to ladon policies. The scope says which rows of a kind a policy covers:
// the whole tenant, the principal's region subtree, or the principal's own rows.
package access

import (
	"slices"
	"sort"
	"sync"

	"github.com/google/uuid"
)

// Action is what a principal does to a resource.
type Action string

const (
	Read   Action = "read"
	List   Action = "list"
	Create Action = "create"
	Update Action = "update"
	Delete Action = "delete"
	Export Action = "export"
)

// Actions lists every action, for validation and for the access matrix.
var Actions = []Action{Read, List, Create, Update, Delete, Export}

// Kind is a kind of resource: a table a domain owns.
type Kind string

// The kinds of the core; domains register theirs with RegisterKind.
const (
	KindUser   Kind = "user"
	KindRegion Kind = "region"
	KindTeam   Kind = "team"
	KindPolicy Kind = "policy"
	KindAudit  Kind = "audit"
	KindTenant Kind = "tenant"
	// KindCustomer belongs to the visits domain; it is named here because the built-in role
	// policies grant it, and every tenant admin policy must know it whatever the binary imports.
	KindCustomer Kind = "customer"
	// The visits domain's kinds, named here for the same reason: visits (check-ins and automatic
	// ones), the manager's reviews of suspicious visits, GPS tracks with their fence events, and
	// the visit cadences per customer grade.
	KindVisit        Kind = "visit"
	KindVisitReview  Kind = "visit_review"
	KindTrack        Kind = "track"
	KindVisitCadence Kind = "visit_cadence"
	// The pipeline and orders domains' kinds: pipelines with their stages, checklists and
	// workflow rules (configuration); opportunities and the tasks the workflow hands out;
	// activities (calls, meetings, messages); the product catalogue; orders, and the manager's
	// approval of one (a kind of its own, as visit reviews are, so that the rep who may change a
	// draft may not approve it); shelf checks of a store's products; a key account's contacts
	// (with their relationships), projects (with milestones) and service records (technical
	// exchanges and after-sales service on the account's timeline).
	KindPipeline      Kind = "pipeline"
	KindOpportunity   Kind = "opportunity"
	KindTask          Kind = "task"
	KindActivity      Kind = "activity"
	KindProduct       Kind = "product"
	KindOrder         Kind = "order"
	KindOrderApproval Kind = "order_approval"
	KindShelfCheck    Kind = "shelf_check"
	KindContact       Kind = "contact"
	KindProject       Kind = "project"
	KindServiceRecord Kind = "service_record"
	// The appraisal's kinds: KPI templates (configuration, versioned) and the targets each rep
	// is appraised against.
	KindAppraisalTemplate Kind = "appraisal_template"
	KindTarget            Kind = "target"
	// KindAppraisalReport is a frozen month of the whole tenant's appraisal.
	KindAppraisalReport Kind = "appraisal_report"
	// KindConnector is a connector to a CRM or ERP system, with its sync runs and the records it
	// pulled: configuration, so only tenant admins reach it.
	KindConnector Kind = "connector"
)

var (
	kindsMu sync.RWMutex
	kinds   = map[Kind]bool{KindUser: true, KindRegion: true, KindTeam: true, KindPolicy: true, KindAudit: true, KindTenant: true, KindCustomer: true,
		KindVisit: true, KindVisitReview: true, KindTrack: true, KindVisitCadence: true,
		KindPipeline: true, KindOpportunity: true, KindTask: true, KindActivity: true, KindProduct: true, KindOrder: true,
		KindOrderApproval: true, KindShelfCheck: true, KindContact: true, KindProject: true, KindServiceRecord: true,
		KindAppraisalTemplate: true, KindTarget: true, KindAppraisalReport: true, KindConnector: true}
)

// RegisterKind makes a domain's resource kind known to policy validation and the access matrix.
func RegisterKind(k Kind) {
	kindsMu.Lock()
	defer kindsMu.Unlock()
	kinds[k] = true
}

// Kinds returns every registered kind, sorted.
func Kinds() []Kind {
	kindsMu.RLock()
	defer kindsMu.RUnlock()
	out := make([]Kind, 0, len(kinds))
	for k := range kinds {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func knownKind(k Kind) bool {
	kindsMu.RLock()
	defer kindsMu.RUnlock()
	return kinds[k]
}

// Resource locates one row for a decision.
type Resource struct {
	Kind Kind
	ID   uuid.UUID // uuid.Nil for a create or a whole-kind action
	// OwnerID is the rep who owns the row (uuid.Nil when the kind has no owner).
	OwnerID uuid.UUID
	// RegionPath is the materialised path of the row's region ("" when it has none).
	RegionPath string
}

// Scope is how far a policy reaches within a kind.
type Scope string

const (
	ScopeTenant Scope = "tenant" // every row of the tenant
	ScopeRegion Scope = "region" // rows in the principal's region subtree
	ScopeOwn    Scope = "own"    // rows the principal owns
)

// Effect of a policy. A matching deny beats any allow.
type Effect string

const (
	Allow Effect = "allow"
	Deny  Effect = "deny"
)

// Policy is the stored, structured policy a tenant admin edits.
type Policy struct {
	ID          uuid.UUID `json:"id"`
	Description string    `json:"description"`
	// Subjects are "role:<role>" or "user:<uuid>".
	Subjects []string `json:"subjects"`
	Actions  []Action `json:"actions"`
	Kinds    []Kind   `json:"kinds"`
	Scope    Scope    `json:"scope"`
	Effect   Effect   `json:"effect"`
	// Builtin policies come with the tenant's roles; they can be disabled but not deleted.
	Builtin  bool `json:"builtin"`
	Disabled bool `json:"disabled"`
}

// Columns names the columns that place a kind's rows, for scopes. Empty means the kind has none.
type Columns struct {
	Owner string // the owning rep's id
	// RegionID is a column holding a region id; RegionPath a column holding the path itself
	// (the regions table). At most one is set.
	RegionID   string
	RegionPath string
}

func containsAction(as []Action, a Action) bool { return slices.Contains(as, a) }
