// The trend of a scope: its total score and its weightiest KPIs over the last periods, with the
// change on the period before and on a year before. A KPI's changes are the server's (percent,
// from the scorecard's before/year_before); the total's are points, worked out from the totals of
// those periods' scorecards, since the scorecard carries no earlier total.
import type { MetricScore } from '@/api/types'
import { scoredTotal, type AnyScorecard } from './cards'
import { formatFigure } from './format'

export interface TrendSeries {
  /** 'total', or the metric's key */
  key: string
  /** the metric as the chosen period's scorecard has it; none for the total */
  metric?: MetricScore
  /** one a period, oldest first; null where there is no figure */
  values: (number | null)[]
  /** the change on the period before and on a year before: points for the total, percent for a KPI */
  before: number | null
  yearBefore: number | null
}

const round1 = (v: number) => Math.round(v * 10) / 10

/** cards: one a period, oldest first, the chosen period last; yearAgo: the chosen period a year before. */
export function trendSeries(cards: readonly (AnyScorecard | null)[], yearAgo: AnyScorecard | null, keyMetrics = 3): TrendSeries[] {
  const latest = cards[cards.length - 1]
  if (!latest) return []
  const totals = cards.map(scoredTotal)
  const now = totals[totals.length - 1] ?? null
  const previous = totals.length > 1 ? totals[totals.length - 2]! : null
  const yearAgoTotal = scoredTotal(yearAgo)
  const total: TrendSeries = {
    key: 'total',
    values: totals.map((v) => (v === null ? null : round1(v))),
    before: now !== null && previous !== null ? round1(now - previous) : null,
    yearBefore: now !== null && yearAgoTotal !== null ? round1(now - yearAgoTotal) : null,
  }
  // The weightiest KPIs say most about the total; equal weights keep the template's order.
  const chosen = [...(latest.metrics ?? [])].sort((a, b) => b.weight - a.weight).slice(0, keyMetrics)
  const metrics = chosen.map((m) => ({
    key: m.key,
    metric: m,
    values: cards.map((c) => {
      const found = c?.metrics?.find((x) => x.key === m.key)
      return found && found.status !== 'no_actual' ? found.actual : null
    }),
    before: m.before?.change_pct ?? null,
    yearBefore: m.year_before?.change_pct ?? null,
  }))
  return [total, ...metrics]
}

/** A figure of the series as people read it: points for the total, the KPI's unit for a KPI. */
export function seriesFigure(s: TrendSeries, value: number, locale: string, currency: string, t: Parameters<typeof formatFigure>[4]): string {
  return s.metric ? formatFigure(value, s.metric.unit, locale, currency, t) : new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value)
}
