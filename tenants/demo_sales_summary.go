package tenants

import (
	"context"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/activities"
	"github.com/repflow/repflow/platform/orders"
	"github.com/repflow/repflow/platform/pipeline"
)

// DemoSales counts the demo's sales work as its admin sees it.
type DemoSales struct {
	Products int
	// Orders counts every order, Overdue those owing money past their due day.
	Orders, Overdue int
	ShelfChecks     int
	// Opportunities counts the store listings, Won and Lost those closed.
	Opportunities, Won, Lost int
	Activities               int
}

// demoSalesCounts counts through the services, as the API would list them. The readers have
// no job queue: reading sets no timers.
func (p *Provisioner) demoSalesCounts(admin context.Context) (DemoSales, error) {
	ord := orders.NewService(p.store, p.warden, orders.CustomerFunc(demoOrderCustomer(p.visits)), p.org, nil, nil,
		orders.Options{TimeZone: p.org.TimeZone})
	act := activities.NewService(p.store, p.warden, demoAccounts{p.visits}, activities.Options{TimeZone: p.org.TimeZone})
	var n DemoSales
	for f := (orders.ProductFilter{Limit: orders.MaxPageSize}); ; {
		page, err := ord.ListProducts(admin, f)
		if err != nil {
			return n, err
		}
		if n.Products += len(page.Products); page.Next == "" {
			break
		}
		f.After = page.Next
	}
	err := pages(func(after *uuid.UUID) (*uuid.UUID, error) {
		page, err := ord.ListOrders(admin, orders.OrderFilter{Limit: orders.MaxPageSize, After: after})
		n.Orders += len(page.Orders)
		return page.Next, err
	}, func(after *uuid.UUID) (*uuid.UUID, error) {
		page, err := ord.OverdueReceivables(admin, orders.ReceivableFilter{Limit: orders.MaxPageSize, After: after})
		n.Overdue += len(page.Receivables)
		return page.Next, err
	}, func(after *uuid.UUID) (*uuid.UUID, error) {
		page, err := ord.ListShelfChecks(admin, orders.ShelfCheckFilter{Limit: orders.MaxPageSize, After: after})
		n.ShelfChecks += len(page.Checks)
		return page.Next, err
	}, func(after *uuid.UUID) (*uuid.UUID, error) {
		page, err := p.pipeline.ListOpportunities(admin, pipeline.OpportunityFilter{Limit: pipeline.MaxPageSize, After: after})
		for _, o := range page.Opportunities {
			n.Opportunities++
			switch o.Status {
			case pipeline.Won:
				n.Won++
			case pipeline.Lost:
				n.Lost++
			}
		}
		return page.Next, err
	})
	if err != nil {
		return n, err
	}
	for f := (activities.ActivityFilter{Limit: activities.MaxPageSize}); ; {
		page, err := act.ListActivities(admin, f)
		if err != nil {
			return n, err
		}
		if n.Activities += len(page.Activities); page.NextCursor == "" {
			break
		}
		f.Cursor = page.NextCursor
	}
	return n, nil
}

// pages runs each list to its last page; a list answers a page and the cursor of the next.
func pages(lists ...func(after *uuid.UUID) (*uuid.UUID, error)) error {
	for _, list := range lists {
		var after *uuid.UUID
		for {
			next, err := list(after)
			if err != nil {
				return err
			}
			if next == nil {
				break
			}
			after = next
		}
	}
	return nil
}
