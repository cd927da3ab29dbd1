package tenants

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/shopspring/decimal"

	"github.com/repflow/repflow/platform/identity"
)

// checkShelf records a shelf check on the visit, a few minutes after the check-in: each line
// the shop stocks is on the shelf, at about its usual price, unless it has just sold out. A
// check lists what it looked for; a line it does not list counts as absent, as the
// distribution report reads it, so listing only the shop's range says the same as listing all.
func (g *loadGen) checkShelf(rng *rand.Rand, b *loadBatch, s loadStop) {
	c := s.shop
	chk := loadCheck{id: identity.NewID(), customer: c, visit: s.id, at: s.in.Add(minutes(rng, 2, 8))}
	looked := c.carries
	if len(looked) == 0 {
		looked = []int{0} // a shop that stocks nothing yet: the rep looks for the leading line
	}
	soldOut := 0
	for _, j := range looked {
		p := g.catalogue[j]
		it := loadItem{check: chk.id, product: p.id}
		if len(c.carries) > 0 && rng.Float64() >= 0.06 {
			// Shops price within a few percent of the usual price, to the ten fen.
			price := decimal.NewFromFloat(math.Round(p.shelf*(0.94+0.12*rng.Float64())*10) / 10)
			it.price, it.stock = &price, 2+rng.IntN(35)
		} else {
			soldOut++
		}
		b.items = append(b.items, it)
	}
	chk.note = "The whole range is on the shelf."
	if soldOut > 0 {
		chk.note = fmt.Sprintf("%d of the %d lines we look for are not on the shelf.", soldOut, len(looked))
	}
	b.checks = append(b.checks, chk)
}
