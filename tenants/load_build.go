package tenants

import (
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/orders"
	"github.com/repflow/repflow/platform/visits/trust"
)

// What a rep does on an average working day (Monday to Saturday); on Sundays a tenth of it.
// At these rates 2,000 reps over 30 days (25 or 26 working days) make the benchmark's tenant:
// over 2 million visits, 5 million calls and, at 5.5 lines an order, half a million order lines.
// Each rep works at their own pace, 0.8 to 1.2 times these, so that scores spread.
const (
	loadVisitsPerDay   = 40.0
	loadCallsPerDay    = 100.0
	loadMessagesPerDay = 10.0
	loadMeetingsPerDay = 0.3
	loadOrdersPerDay   = 2.0 // taken on visits
	loadChecksPerDay   = 1.0 // shelf checks on visits to shops
	loadSunday         = 0.1
)

// loadSeed makes every load tenant of a size the same kind of tenant.
const loadSeed = 20261

// loadGen generates the load tenant's work.
type loadGen struct {
	from, to  time.Time // local midnights: the data is [from, to)
	days      []time.Time
	catalogue []loadProduct
	brands    []string
	streets   []string
	names     []string
	admin     uuid.UUID // the back office: ships, delivers and records payments
	policy    trust.Policy
	clean     string // the stored verdict of a check-in nothing is wrong with
}

// buildLoad fills the new load tenant as its admin, in the provisioning transaction in ctx:
// the organisation, the catalogue and the customers. It returns the generator of the field work
// and the reps, placed in their patches.
func (p *Provisioner) buildLoad(ctx context.Context, size LoadSize, sum *LoadSummary) (*loadGen, []*loadRep, error) {
	admin, _ := identity.From(ctx)
	reps, err := p.buildLoadOrg(ctx, size.Reps, size.domain(), &sum.Counts)
	if err != nil {
		return nil, nil, err
	}
	ord := orders.NewService(p.store, p.warden, orders.CustomerFunc(demoOrderCustomer(p.visits)), p.org, nil, nil,
		orders.Options{TimeZone: p.org.TimeZone})
	g := &loadGen{from: sum.From, to: sum.To, names: loadNames(), admin: admin.UserID, policy: trust.DefaultPolicy()}
	if g.catalogue, err = p.stockLoadCatalogue(ctx, ord); err != nil {
		return nil, nil, err
	}
	sum.Counts.Products = int64(len(g.catalogue))
	g.brands, g.streets = loadBrandsAndStreets()
	for d := g.from; d.Before(g.to); d = d.AddDate(0, 0, 1) {
		g.days = append(g.days, d)
	}
	clean, err := json.Marshal(trust.Verdict{Trusted: true, Reasons: []trust.Reason{}})
	if err != nil {
		return nil, nil, err
	}
	g.clean = string(clean)
	var customers []*loadCustomer
	for _, r := range reps {
		r.tally = LoadRep{ID: r.id, Email: r.email}
		g.placeRep(rand.New(rand.NewPCG(loadSeed, uint64(r.index))), r)
		customers = append(customers, r.shops...)
	}
	sum.Counts.Customers = int64(len(customers))
	w := &loadWriter{ctx: ctx, store: p.store, tenant: identity.TenantID(ctx)}
	if err := put(w, customersTable, customers, func(c **loadCustomer, dst []any) []any { return (*c).values(dst) }); err != nil {
		return nil, nil, err
	}
	// The generation the fence index of every replica is built at: one that has never loaded
	// the tenant loads all its customers.
	err = put(w, fenceGenerationsTable, []int64{1}, func(g *int64, dst []any) []any { return append(dst, *g) })
	return g, reps, err
}

// draw is a count with the given mean: within 15 % of it, rounded up or down at random so that
// the mean holds.
func draw(rng *rand.Rand, mean float64) int {
	x := mean * (0.85 + 0.3*rng.Float64())
	n := math.Floor(x)
	if rng.Float64() < x-n {
		n++
	}
	return int(n)
}

// sample is k distinct indexes below n (all of them when k >= n), in random order.
func sample(rng *rand.Rand, n, k int) []int {
	if k <= 0 || n == 0 {
		return nil
	}
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	k = min(k, n)
	for i := range k {
		j := i + rng.IntN(n-i)
		all[i], all[j] = all[j], all[i]
	}
	return all[:k]
}
