// The months a rep looks back on, and how last month's total compares with the month shown.
import type { Scorecard } from '@/api/types'
import { monthLabel as periodMonthLabel, parsePeriod, recentPeriods, shiftPeriod } from '@/features/scorecards/periods'

/** This month (in the tenant's zone) and the five before it, newest first. */
export function monthsToPick(timeZone: string, at: Date = new Date()): string[] {
  return recentPeriods(timeZone, at)
    .filter((p) => p.kind === 'month')
    .map((p) => p.id)
}

/** The month before a YYYY-MM month, across a year end. */
export function monthBefore(id: string): string {
  const month = parsePeriod(id)
  if (!month || month.kind !== 'month') throw new Error(`not a month: ${id}`)
  return shiftPeriod(month, -1).id
}

/** "June 2026" / "2026年6月": a month named in the screen's language. */
export function monthLabel(id: string, locale: string): string {
  const month = parsePeriod(id)
  return month ? periodMonthLabel(month, locale) : id
}

/**
 * The total's change in points on the month before, or null when there is nothing to compare
 * with: no scorecard for it, or nothing in it had a target (its total of 0 is no score).
 */
export function totalChange(now: Pick<Scorecard, 'total'>, before: Pick<Scorecard, 'total' | 'scored_weight'> | null): number | null {
  if (!before || before.scored_weight <= 0) return null
  return Math.round((now.total - before.total) * 10) / 10
}
