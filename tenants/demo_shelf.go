package tenants

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/repflow/repflow/platform/orders"
)

// recordVisitShelfChecks has the reps audit the shelf on about a third of their visits to
// shops (restaurants have no shelf to audit), a few minutes after checking in.
func (s *demoSales) recordVisitShelfChecks() error {
	rng := rand.New(rand.NewPCG(demoSeed, 5))
	for _, v := range s.hist.visits {
		if demoShopKind(v.stop.site.Name) == "restaurant" || rng.Float64() >= 0.35 {
			continue
		}
		at := v.stop.checkIn.Add(minutes(rng, 2, 8))
		if err := s.recordShelfCheck(rng, v.rep, v.stop.site, &v.visit.ID, at); err != nil {
			return err
		}
	}
	return nil
}

// recordShelfCheck records a full audit of the catalogue on the shop's shelf at t: what the shop
// carries is there, at about the usual shelf price, unless it has just sold out.
func (s *demoSales) recordShelfCheck(rng *rand.Rand, rep *demoRep, site *demoSite, visit *uuid.UUID, t time.Time) error {
	if !s.at(t) {
		return nil
	}
	in := orders.NewShelfCheck{CustomerID: site.ID, VisitID: visit, CheckedAt: t}
	var missing []string
	for _, p := range demoCatalogue {
		it := orders.ShelfItem{SKU: p.sku, Present: s.shelves.carries(site, p, t) && rng.Float64() >= 0.06}
		if it.Present {
			// Shops price within a few percent of the usual price, to the ten fen.
			base, _ := decimal.RequireFromString(p.shelf).Float64()
			price := decimal.NewFromFloat(math.Round(base*(0.94+0.12*rng.Float64())*10) / 10)
			stock := 2 + rng.IntN(35)
			it.ShelfPrice, it.PriceCurrency, it.StockCount = &price, "CNY", &stock
		} else {
			missing = append(missing, p.name)
		}
		in.Items = append(in.Items, it)
	}
	switch {
	case len(missing) == 0:
		in.Note = "The whole range is on the shelf."
	case len(missing) <= 3:
		in.Note = "Not on the shelf: " + strings.Join(missing, ", ") + "."
	default:
		in.Note = fmt.Sprintf("%d of our %d products are not on the shelf.", len(missing), len(demoCatalogue))
	}
	if _, _, err := s.orders.RecordShelfCheck(rep.ctx, in); err != nil {
		return fmt.Errorf("shelf check of %s at %s: %w", rep.user.Email, site.Name, err)
	}
	return nil
}
