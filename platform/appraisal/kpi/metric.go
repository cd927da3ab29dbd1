// Package kpi is the appraisal's measuring stick: the library of metrics the product knows, the
// templates a tenant scores its people with (two ship with the product, FMCG and industrial),
// and the arithmetic that turns a rep's or a team's figures into a scorecard and the pace still
// needed. It is pure: the appraisal domain persists templates, fetches the figures from the
// visits, pipeline, orders and activities providers and serves the result.
package kpi

import "slices"

// Unit is what a metric's figures count; a target is given in the same unit.
type Unit string

const (
	UnitCount   Unit = "count"
	UnitRatio   Unit = "ratio" // 0..1, shown as a percentage
	UnitMinutes Unit = "minutes"
	UnitSeconds Unit = "seconds"
	UnitDays    Unit = "days"
	UnitMoney   Unit = "money" // in the tenant's currency; the providers report per currency
)

// Direction says which way is better.
type Direction string

const (
	HigherIsBetter Direction = "higher"
	LowerIsBetter  Direction = "lower"
)

// Level is whose figure a metric can be: one rep's, a team's, or a region's.
type Level string

const (
	LevelRep    Level = "rep"
	LevelTeam   Level = "team"
	LevelRegion Level = "region"
)

// Source is the domain whose metric provider reports the figure.
type Source string

const (
	FromVisits     Source = "visits"
	FromPipeline   Source = "pipeline"
	FromOrders     Source = "orders"
	FromActivities Source = "activities"
)

// Aggregation says how a team's (or region's) figure is made from its members' figures.
type Aggregation string

const (
	// Sum adds the members' figures: amounts of work or money.
	Sum Aggregation = "sum"
	// Ratio recomputes numerator over denominator from the members' parts (Actual.Num, .Den):
	// the rates and the averages. Averaging the members' rates would let a rep with 2 customers
	// due weigh as much as one with 200.
	Ratio Aggregation = "ratio"
	// MeanOfRates averages the members' figures, for the one rate whose provider gives no parts.
	MeanOfRates Aggregation = "mean_of_rates"
)

// Metric is one measurable thing a template can score.
type Metric struct {
	Key         string      `json:"key"`
	NameZh      string      `json:"name_zh"`
	NameEn      string      `json:"name_en"`
	Unit        Unit        `json:"unit"`
	Direction   Direction   `json:"direction"`
	Levels      []Level     `json:"levels"`
	Source      Source      `json:"source"`
	Aggregation Aggregation `json:"aggregation"`
	// Definition says what counts, as the providers count it; Num and Den name the parts a
	// Ratio metric carries.
	Definition string `json:"definition"`
	Num        string `json:"num,omitempty"`
	Den        string `json:"den,omitempty"`
	pace       *phrase
}

// phrase words the pace of a metric whose amount adds up day by day.
type phrase struct {
	one, many     string // English noun, for 1 and for other amounts
	verb, measure string // Chinese verb and measure word (none for money)
}

var all = []Level{LevelRep, LevelTeam, LevelRegion}

// library is the catalogue, in the order the UI lists it. Every aggregation is a choice: see the
// comment on each Ratio/MeanOfRates entry.
var library = []Metric{
	{Key: "visits", NameZh: "拜访次数", NameEn: "Visits", Unit: UnitCount, Direction: HigherIsBetter, Levels: all, Source: FromVisits, Aggregation: Sum,
		Definition: "closed visits not rejected by a manager",
		pace:       &phrase{"visit", "visits", "拜访", "次"}},
	// Per rep-day, so a team's figure is its visits over its members' working days.
	{Key: "visits_per_working_day", NameZh: "日均拜访", NameEn: "Visits per working day", Unit: UnitCount, Direction: HigherIsBetter, Levels: all, Source: FromVisits, Aggregation: Ratio,
		Definition: "visits over working days (Monday to Saturday) elapsed", Num: "visits", Den: "working days"},
	// Recomputed: a team covers the customers due to all its reps.
	{Key: "coverage_rate", NameZh: "客户覆盖率", NameEn: "Coverage rate", Unit: UnitRatio, Direction: HigherIsBetter, Levels: all, Source: FromVisits, Aggregation: Ratio,
		Definition: "customers due by their grade's cadence and visited, over customers due", Num: "customers covered", Den: "customers due"},
	{Key: "verified_check_in_rate", NameZh: "有效签到率", NameEn: "Verified check-in rate", Unit: UnitRatio, Direction: HigherIsBetter, Levels: all, Source: FromVisits, Aggregation: Ratio,
		Definition: "check-ins trusted or accepted by a manager, over check-ins", Num: "verified check-ins", Den: "check-ins"},
	// A mean per visit: total minutes over visits, so long and short days weigh by their visits.
	{Key: "average_visit_duration", NameZh: "平均拜访时长", NameEn: "Average visit duration", Unit: UnitMinutes, Direction: HigherIsBetter, Levels: all, Source: FromVisits, Aggregation: Ratio,
		Definition: "minutes from check-in to check-out, per counted visit", Num: "visit minutes", Den: "visits"},
	{Key: "new_customers", NameZh: "新增客户", NameEn: "New customers", Unit: UnitCount, Direction: HigherIsBetter, Levels: all, Source: FromVisits, Aggregation: Sum,
		Definition: "customers created in the period and owned by the rep",
		pace:       &phrase{"new customer", "new customers", "新增客户", "家"}},
	{Key: "calls", NameZh: "通话次数", NameEn: "Calls", Unit: UnitCount, Direction: HigherIsBetter, Levels: all, Source: FromActivities, Aggregation: Sum,
		Definition: "calls logged, both directions",
		pace:       &phrase{"call", "calls", "通话", "次"}},
	// A mean per answered call: ringing is not a conversation.
	{Key: "average_call_duration", NameZh: "平均通话时长", NameEn: "Average call duration", Unit: UnitSeconds, Direction: HigherIsBetter, Levels: all, Source: FromActivities, Aggregation: Ratio,
		Definition: "seconds of answered calls, per answered call", Num: "call seconds", Den: "answered calls"},
	{Key: "response_rate", NameZh: "客户响应率", NameEn: "Response rate", Unit: UnitRatio, Direction: HigherIsBetter, Levels: all, Source: FromActivities, Aggregation: Ratio,
		Definition: "outbound calls answered and messages replied, over outbound calls and messages", Num: "answered or replied", Den: "outbound calls and messages"},
	// The orders provider gives only each rep's rate, over the same SKU list for every rep, so
	// the rates are comparable and their mean is the fair team figure short of re-reading the
	// shelf checks.
	{Key: "distribution_rate", NameZh: "铺货率", NameEn: "Distribution rate", Unit: UnitRatio, Direction: HigherIsBetter, Levels: all, Source: FromOrders, Aggregation: MeanOfRates,
		Definition: "mean over the checked SKUs of the share of the rep's checked stores stocking it"},
	{Key: "orders", NameZh: "订单数", NameEn: "Orders", Unit: UnitCount, Direction: HigherIsBetter, Levels: all, Source: FromOrders, Aggregation: Sum,
		Definition: "orders approved in the period and not cancelled",
		pace:       &phrase{"order", "orders", "下单", "笔"}},
	{Key: "revenue", NameZh: "销售额", NameEn: "Revenue", Unit: UnitMoney, Direction: HigherIsBetter, Levels: all, Source: FromOrders, Aggregation: Sum,
		Definition: "total of the orders counted",
		pace:       &phrase{"in revenue", "in revenue", "完成销售额", ""}},
	// Recomputed from money: a large account collected late weighs as much as its amount.
	{Key: "payment_collection_rate", NameZh: "回款率", NameEn: "Payment collection rate", Unit: UnitRatio, Direction: HigherIsBetter, Levels: all, Source: FromOrders, Aggregation: Ratio,
		Definition: "amount received for the orders falling due in the period, over their total", Num: "collected", Den: "due"},
	// See WeightedConversion: a conversion earns full credit only with real follow-up.
	{Key: "opportunity_conversion_rate", NameZh: "商机转化率", NameEn: "Opportunity conversion rate", Unit: UnitRatio, Direction: HigherIsBetter, Levels: all, Source: FromPipeline, Aggregation: Ratio,
		Definition: "opportunities advanced or won, each credited by its contact frequency and follow-up depth, over opportunities that entered a stage",
		Num:        "follow-up-weighted conversions", Den: "stage entries"},
	{Key: "win_rate", NameZh: "赢单率", NameEn: "Win rate", Unit: UnitRatio, Direction: HigherIsBetter, Levels: all, Source: FromPipeline, Aggregation: Ratio,
		Definition: "opportunities won over those closed in the period", Num: "won", Den: "won and lost"},
	{Key: "pipeline_value", NameZh: "商机金额", NameEn: "Pipeline value", Unit: UnitMoney, Direction: HigherIsBetter, Levels: all, Source: FromPipeline, Aggregation: Sum,
		Definition: "open opportunities at the period's end, each weighted by its stage's win probability",
		pace:       &phrase{"in pipeline value", "in pipeline value", "新增商机金额", ""}},
	// A mean per won deal: total days over deals won.
	{Key: "average_sales_cycle", NameZh: "平均销售周期", NameEn: "Average sales cycle", Unit: UnitDays, Direction: LowerIsBetter, Levels: all, Source: FromPipeline, Aggregation: Ratio,
		Definition: "days from opening to winning, per opportunity won in the period", Num: "days to win", Den: "won"},
	{Key: "milestone_on_time_rate", NameZh: "里程碑按时率", NameEn: "Milestone on-time rate", Unit: UnitRatio, Direction: HigherIsBetter, Levels: all, Source: FromActivities, Aggregation: Ratio,
		Definition: "project milestones due in the period done on or before their planned day, over those due", Num: "on time", Den: "due"},
	{Key: "key_account_coverage", NameZh: "重点客户维护率", NameEn: "Key-account coverage", Unit: UnitRatio, Direction: HigherIsBetter, Levels: all, Source: FromActivities, Aggregation: Ratio,
		Definition: "key accounts of the rep touched by an activity in the period, over the rep's key accounts", Num: "key accounts touched", Den: "key accounts"},
	// Team and region only: reps rotate between accounts, so keeping an account is the team's
	// achievement; a rep's own share of it is key_account_coverage.
	{Key: "key_account_retention", NameZh: "重点客户保有率", NameEn: "Key-account retention", Unit: UnitRatio, Direction: HigherIsBetter, Levels: []Level{LevelTeam, LevelRegion}, Source: FromActivities, Aggregation: Ratio,
		Definition: "key accounts at the period's start that still ordered or were touched in it, over key accounts at the start", Num: "retained", Den: "key accounts at start"},
}

var byKey = func() map[string]Metric {
	m := make(map[string]Metric, len(library))
	for _, x := range library {
		m[x.Key] = x
	}
	return m
}()

// Library returns a copy of the catalogue, in display order.
func Library() []Metric {
	out := make([]Metric, len(library))
	for i, m := range library {
		out[i] = m.clone()
	}
	return out
}

// Lookup returns (a copy of) the metric of a key.
func Lookup(key string) (Metric, bool) {
	m, ok := byKey[key]
	return m.clone(), ok
}

// clone copies the levels, which several entries share: a caller's edit must not reach the
// catalogue.
func (m Metric) clone() Metric {
	m.Levels = slices.Clone(m.Levels)
	return m
}

// At reports whether the metric can be measured at a level.
func (m Metric) At(l Level) bool { return slices.Contains(m.Levels, l) }
