package main

import (
	"fmt"

	"github.com/repflow/repflow/plugins/sdk"
)

// entity maps one repflow entity onto a Tryton model.
type entity struct {
	name        string
	model       string
	description string
	// fields are read with search_read; dotted names read related records in the same call.
	fields []string
	// data turns one read row into the record's Data.
	data func(r row) (any, error)
}

var entities = []*entity{
	{
		name: "customers", model: "party.party",
		description: "Parties with their first address and their phone and e-mail",
		fields: []string{"code", "name", "phone", "email",
			"addresses.street", "addresses.city", "addresses.postal_code", "addresses.country.code"},
		data: customerData,
	},
	{
		name: "products", model: "product.product",
		description: "Product variants with their list price, inactive ones included",
		fields:      []string{"code", "name", "list_price", "active"},
		data:        productData,
	},
	{
		name: "opportunities", model: "sale.opportunity",
		description: "Sales leads and opportunities of the configured company",
		fields: []string{"number", "party", "description", "amount", "currency.code", "state",
			"conversion_probability", "start_date", "end_date"},
		data: opportunityData,
	},
	{
		name: "orders", model: "sale.sale",
		description: "Sale orders of the configured company with their lines",
		fields: []string{"number", "party", "state", "sale_date", "currency.code", "total_amount",
			"lines.product", "lines.quantity", "lines.unit_price"},
		data: orderData,
	},
}

func findEntity(name string) *entity {
	for _, e := range entities {
		if e.name == name {
			return e
		}
	}
	return nil
}

func describeEntities() []sdk.Entity {
	out := make([]sdk.Entity, len(entities))
	for i, e := range entities {
		out[i] = sdk.Entity{Name: e.name, Direction: sdk.Pull, Description: e.description}
	}
	return out
}

// stamps are the change dates every entity's Data carries.
type stamps struct {
	CreateDate *string `json:"create_date"`
	WriteDate  *string `json:"write_date"`
}

func readStamps(r row) (stamps, error) {
	created, err := r.datetime("create_date")
	if err != nil {
		return stamps{}, err
	}
	written, err := r.datetime("write_date")
	return stamps{CreateDate: timeText(created), WriteDate: timeText(written)}, err
}

// fieldReader collects the first error of a run of field reads, so mapping code stays flat.
type fieldReader struct {
	r   row
	err error
}

func (f *fieldReader) keep(err error) {
	if f.err == nil && err != nil {
		f.err = err
	}
}

func (f *fieldReader) text(name string) *string { v, err := f.r.text(name); f.keep(err); return v }
func (f *fieldReader) ref(name string) *int64   { v, err := f.r.ref(name); f.keep(err); return v }
func (f *fieldReader) decimal(name string) *string {
	v, err := f.r.decimal(name)
	f.keep(err)
	return v
}
func (f *fieldReader) date(name string) *string   { v, err := f.r.date(name); f.keep(err); return v }
func (f *fieldReader) float(name string) *float64 { v, err := f.r.float(name); f.keep(err); return v }
func (f *fieldReader) boolean(name string) bool   { v, err := f.r.boolean(name); f.keep(err); return v }
func (f *fieldReader) related(name string) row    { v, err := f.r.related(name); f.keep(err); return v }
func (f *fieldReader) relatedList(name string) []row {
	v, err := f.r.relatedList(name)
	f.keep(err)
	return v
}

// code reads the "code" of a many2one read as "<name>.code".
func (f *fieldReader) code(name string) *string {
	sub := f.related(name)
	if sub == nil {
		return nil
	}
	v, err := sub.text("code")
	f.keep(err)
	return v
}

type customer struct {
	ID      int64   `json:"id"`
	Code    *string `json:"code"`
	Name    *string `json:"name"`
	Street  *string `json:"street"`
	City    *string `json:"city"`
	Zip     *string `json:"zip"`
	Country *string `json:"country"` // ISO code
	Phone   *string `json:"phone"`
	Email   *string `json:"email"`
	stamps
}

func customerData(r row) (any, error) {
	f := &fieldReader{r: r}
	c := customer{Code: f.text("code"), Name: f.text("name"), Phone: f.text("phone"), Email: f.text("email")}
	if addresses := f.relatedList("addresses"); len(addresses) > 0 {
		a := &fieldReader{r: addresses[0]}
		c.Street, c.City, c.Zip, c.Country = a.text("street"), a.text("city"), a.text("postal_code"), a.code("country")
		f.keep(a.err)
	}
	return finish(r, f, &c, &c.ID, &c.stamps)
}

type product struct {
	ID        int64   `json:"id"`
	Code      *string `json:"code"`
	Name      *string `json:"name"`
	ListPrice *string `json:"list_price"`
	Active    bool    `json:"active"`
	stamps
}

func productData(r row) (any, error) {
	f := &fieldReader{r: r}
	p := product{Code: f.text("code"), Name: f.text("name"), ListPrice: f.decimal("list_price"), Active: f.boolean("active")}
	return finish(r, f, &p, &p.ID, &p.stamps)
}

type opportunity struct {
	ID                    int64    `json:"id"`
	Number                *string  `json:"number"`
	PartyID               *int64   `json:"party_id"`
	Description           *string  `json:"description"`
	Amount                *string  `json:"amount"`
	CurrencyCode          *string  `json:"currency_code"`
	State                 *string  `json:"state"`
	ConversionProbability *float64 `json:"conversion_probability"`
	StartDate             *string  `json:"start_date"`
	EndDate               *string  `json:"end_date"`
	stamps
}

func opportunityData(r row) (any, error) {
	f := &fieldReader{r: r}
	o := opportunity{
		Number: f.text("number"), PartyID: f.ref("party"), Description: f.text("description"),
		Amount: f.decimal("amount"), CurrencyCode: f.code("currency"), State: f.text("state"),
		ConversionProbability: f.float("conversion_probability"),
		StartDate:             f.date("start_date"), EndDate: f.date("end_date"),
	}
	return finish(r, f, &o, &o.ID, &o.stamps)
}

type order struct {
	ID           int64       `json:"id"`
	Number       *string     `json:"number"`
	PartyID      *int64      `json:"party_id"`
	State        *string     `json:"state"`
	SaleDate     *string     `json:"sale_date"`
	CurrencyCode *string     `json:"currency_code"`
	TotalAmount  *string     `json:"total_amount"`
	Lines        []orderLine `json:"lines"`
	stamps
}

type orderLine struct {
	ID        int64    `json:"id"`
	ProductID *int64   `json:"product_id"`
	Quantity  *float64 `json:"quantity"`
	UnitPrice *string  `json:"unit_price"`
}

func orderData(r row) (any, error) {
	f := &fieldReader{r: r}
	o := order{
		Number: f.text("number"), PartyID: f.ref("party"), State: f.text("state"), SaleDate: f.date("sale_date"),
		CurrencyCode: f.code("currency"), TotalAmount: f.decimal("total_amount"), Lines: []orderLine{},
	}
	for _, line := range f.relatedList("lines") {
		lf := &fieldReader{r: line}
		id, err := line.id()
		lf.keep(err)
		o.Lines = append(o.Lines, orderLine{ID: id, ProductID: lf.ref("product"), Quantity: lf.float("quantity"),
			UnitPrice: lf.decimal("unit_price")})
		f.keep(lf.err)
	}
	return finish(r, f, &o, &o.ID, &o.stamps)
}

// finish fills the id and change dates every entity shares and reports the first field error.
func finish(r row, f *fieldReader, data any, id *int64, s *stamps) (any, error) {
	var err error
	*id, err = r.id()
	f.keep(err)
	*s, err = readStamps(r)
	f.keep(err)
	if f.err != nil {
		return nil, fmt.Errorf("record %s: %w", r["id"], f.err)
	}
	return data, nil
}
