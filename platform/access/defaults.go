package access

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/identity"
)

// builtin is a default policy under a stable key: its id is derived from the tenant and the key,
// so seeding again updates it in place (and keeps a tenant admin's choice to disable it).
type builtin struct {
	key string
	Policy
}

func role(r string) []string { return []string{"role:" + r} }

var (
	readList    = []Action{Read, List}
	directory   = []Kind{KindRegion, KindTeam}
	peopleKinds = []Kind{KindUser, KindRegion, KindTeam}
	salesWork   = []Kind{KindOpportunity, KindTask, KindActivity, KindOrder, KindShelfCheck, KindContact, KindProject, KindServiceRecord}
)

// defaults are the role policies every tenant starts with.
func defaults() []builtin {
	return []builtin{
		{"rep.self", Policy{Description: "Reps see their own user record.", Subjects: role(identity.RoleRep),
			Actions: readList, Kinds: []Kind{KindUser}, Scope: ScopeOwn, Effect: Allow}},
		{"rep.directory", Policy{Description: "Reps see the region tree and the teams.", Subjects: role(identity.RoleRep),
			Actions: readList, Kinds: directory, Scope: ScopeTenant, Effect: Allow}},
		{"manager.people", Policy{Description: "Managers see the users of their region subtree.", Subjects: role(identity.RoleManager),
			Actions: readList, Kinds: []Kind{KindUser}, Scope: ScopeRegion, Effect: Allow}},
		{"manager.directory", Policy{Description: "Managers see the region tree and the teams.", Subjects: role(identity.RoleManager),
			Actions: readList, Kinds: directory, Scope: ScopeTenant, Effect: Allow}},
		{"manager.teams", Policy{Description: "Managers form and change the teams of their region subtree.", Subjects: role(identity.RoleManager),
			Actions: []Action{Create, Update}, Kinds: []Kind{KindTeam}, Scope: ScopeRegion, Effect: Allow}},
		{"hq.read", Policy{Description: "HQ reads and exports everything of the tenant.", Subjects: role(identity.RoleHQ),
			Actions: []Action{Read, List, Export}, Kinds: append(append([]Kind{}, peopleKinds...), KindTenant), Scope: ScopeTenant, Effect: Allow}},
		{"data_specialist.people", Policy{Description: "Data specialists see users, regions and teams.", Subjects: role(identity.RoleDataSpecialist),
			Actions: readList, Kinds: peopleKinds, Scope: ScopeTenant, Effect: Allow}},
		{"rep.customers", Policy{Description: "Reps see and keep their own customers.", Subjects: role(identity.RoleRep),
			Actions: []Action{Read, List, Update}, Kinds: []Kind{KindCustomer}, Scope: ScopeOwn, Effect: Allow}},
		{"rep.customers.create", Policy{Description: "Reps add customers in their region.", Subjects: role(identity.RoleRep),
			Actions: []Action{Create}, Kinds: []Kind{KindCustomer}, Scope: ScopeRegion, Effect: Allow}},
		{"manager.customers", Policy{Description: "Managers keep the customers of their region subtree.", Subjects: role(identity.RoleManager),
			Actions: []Action{Read, List, Create, Update}, Kinds: []Kind{KindCustomer}, Scope: ScopeRegion, Effect: Allow}},
		{"hq.customers", Policy{Description: "HQ reads and exports every customer.", Subjects: role(identity.RoleHQ),
			Actions: []Action{Read, List, Export}, Kinds: []Kind{KindCustomer}, Scope: ScopeTenant, Effect: Allow}},
		{"data_specialist.customers", Policy{Description: "Data specialists keep every customer.", Subjects: role(identity.RoleDataSpecialist),
			Actions: []Action{Read, List, Create, Update}, Kinds: []Kind{KindCustomer}, Scope: ScopeTenant, Effect: Allow}},
		{"rep.visits", Policy{Description: "Reps check in and out, correct and see their own visits and tracks.", Subjects: role(identity.RoleRep),
			Actions: []Action{Read, List, Create, Update}, Kinds: []Kind{KindVisit, KindTrack}, Scope: ScopeOwn, Effect: Allow}},
		{"manager.visits", Policy{Description: "Managers see and correct the visits and tracks of their region subtree.", Subjects: role(identity.RoleManager),
			Actions: []Action{Read, List, Update}, Kinds: []Kind{KindVisit, KindTrack}, Scope: ScopeRegion, Effect: Allow}},
		{"manager.reviews", Policy{Description: "Managers review the suspicious visits of their region subtree.", Subjects: role(identity.RoleManager),
			Actions: []Action{Read, List, Create}, Kinds: []Kind{KindVisitReview}, Scope: ScopeRegion, Effect: Allow}},
		{"hq.visits", Policy{Description: "HQ reads and exports every visit, review and track.", Subjects: role(identity.RoleHQ),
			Actions: []Action{Read, List, Export}, Kinds: []Kind{KindVisit, KindVisitReview, KindTrack}, Scope: ScopeTenant, Effect: Allow}},
		{"everyone.cadences", Policy{Description: "Everyone reads the visit cadences.", Subjects: []string{"role:" + identity.RoleRep, "role:" + identity.RoleManager, "role:" + identity.RoleHQ, "role:" + identity.RoleDataSpecialist},
			Actions: readList, Kinds: []Kind{KindVisitCadence}, Scope: ScopeTenant, Effect: Allow}},
		{"everyone.catalogue", Policy{Description: "Everyone reads the pipelines and the product catalogue.", Subjects: []string{"role:" + identity.RoleRep, "role:" + identity.RoleManager, "role:" + identity.RoleHQ, "role:" + identity.RoleDataSpecialist},
			Actions: readList, Kinds: []Kind{KindPipeline, KindProduct}, Scope: ScopeTenant, Effect: Allow}},
		{"rep.sales", Policy{Description: "Reps work their own opportunities, tasks, activities, orders, shelf checks, contacts, projects and service records.", Subjects: role(identity.RoleRep),
			Actions: []Action{Read, List, Create, Update}, Kinds: salesWork, Scope: ScopeOwn, Effect: Allow}},
		{"manager.sales", Policy{Description: "Managers work the opportunities, tasks, activities, orders, shelf checks, contacts, projects and service records of their region subtree.", Subjects: role(identity.RoleManager),
			Actions: []Action{Read, List, Create, Update}, Kinds: salesWork, Scope: ScopeRegion, Effect: Allow}},
		{"manager.order_approvals", Policy{Description: "Managers approve the orders of their region subtree.", Subjects: role(identity.RoleManager),
			Actions: []Action{Read, List, Create}, Kinds: []Kind{KindOrderApproval}, Scope: ScopeRegion, Effect: Allow}},
		{"hq.sales", Policy{Description: "HQ reads and exports all sales work: opportunities, tasks, activities, orders and their approvals, shelf checks, contacts, projects and service records.", Subjects: role(identity.RoleHQ),
			Actions: []Action{Read, List, Export}, Kinds: append(append([]Kind{}, salesWork...), KindOrderApproval), Scope: ScopeTenant, Effect: Allow}},
		{"everyone.appraisal_templates", Policy{Description: "Everyone reads the KPI templates they are appraised with.", Subjects: []string{"role:" + identity.RoleRep, "role:" + identity.RoleManager, "role:" + identity.RoleHQ, "role:" + identity.RoleDataSpecialist},
			Actions: readList, Kinds: []Kind{KindAppraisalTemplate}, Scope: ScopeTenant, Effect: Allow}},
		{"rep.targets", Policy{Description: "Reps see their own targets.", Subjects: role(identity.RoleRep),
			Actions: readList, Kinds: []Kind{KindTarget}, Scope: ScopeOwn, Effect: Allow}},
		{"manager.targets", Policy{Description: "Managers set and see the targets of the reps of their region subtree.", Subjects: role(identity.RoleManager),
			Actions: []Action{Read, List, Create, Update}, Kinds: []Kind{KindTarget}, Scope: ScopeRegion, Effect: Allow}},
		{"hq.targets", Policy{Description: "HQ reads and exports every target.", Subjects: role(identity.RoleHQ),
			Actions: []Action{Read, List, Export}, Kinds: []Kind{KindTarget}, Scope: ScopeTenant, Effect: Allow}},
		{"hq.appraisal_reports", Policy{Description: "HQ makes, reads and exports the monthly appraisal reports.", Subjects: role(identity.RoleHQ),
			Actions: []Action{Read, List, Create, Export}, Kinds: []Kind{KindAppraisalReport}, Scope: ScopeTenant, Effect: Allow}},
		{"tenant_admin.all", Policy{Description: "Tenant admins configure everything.", Subjects: role(identity.RoleTenantAdmin),
			Actions: Actions, Kinds: Kinds(), Scope: ScopeTenant, Effect: Allow}},
	}
}

// SeedDefaults writes the built-in role policies of ctx's tenant. It is idempotent.
func (w *Warden) SeedDefaults(ctx context.Context) error {
	t := identity.TenantID(ctx)
	var rows []policyRow
	for _, b := range defaults() {
		b.ID = uuid.NewSHA1(t, []byte("builtin:"+b.key))
		b.Builtin = true
		rows = append(rows, toRow(b.Policy))
	}
	err := w.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error { return upsertPolicies(db, rows) })
	w.forget(t)
	return err
}

// DefaultsDigest identifies the current set of built-in policies: when a release changes them,
// the digest changes, and every existing tenant is seeded again (see tenants.RefreshDefaults).
func DefaultsDigest() string {
	h := sha256.New()
	for _, b := range defaults() {
		p := b.Policy
		fmt.Fprintf(h, "%s\x00%s\x00%v\x00%v\x00%v\x00%s\x00%s\n", b.key, p.Description, p.Subjects, p.Actions, p.Kinds, p.Scope, p.Effect)
	}
	return hex.EncodeToString(h.Sum(nil))
}
