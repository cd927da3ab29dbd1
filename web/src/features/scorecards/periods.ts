// Appraisal periods as the API names them: a month YYYY-MM or a quarter YYYY-Qn, counted in the
// tenant's time zone (a Shanghai tenant's month starts at midnight Shanghai time, not UTC).
import { dayStart } from '@/layouts/tenantDays'

export type PeriodKind = 'month' | 'quarter'

export interface Period {
  id: string
  kind: PeriodKind
  year: number
  /** 1-12 for a month, 1-4 for a quarter */
  index: number
}

export function parsePeriod(id: string): Period | null {
  const month = /^(\d{4})-(\d{2})$/.exec(id)
  if (month) {
    const index = Number(month[2])
    return index >= 1 && index <= 12 ? { id, kind: 'month', year: Number(month[1]), index } : null
  }
  const quarter = /^(\d{4})-Q([1-4])$/.exec(id)
  return quarter ? { id, kind: 'quarter', year: Number(quarter[1]), index: Number(quarter[2]) } : null
}

/** The tenant's calendar day at the instant, as YYYY-MM-DD. */
export function tenantDay(timeZone: string, at: Date = new Date()): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at)
}

export function currentMonth(timeZone: string, at: Date = new Date()): string {
  return tenantDay(timeZone, at).slice(0, 7)
}

function monthId(year: number, month: number): string {
  return `${year}-${String(month).padStart(2, '0')}`
}

/** The periods offered in the picker: this month and the five before, this quarter and three before. */
export function recentPeriods(timeZone: string, at: Date = new Date()): Period[] {
  const now = parsePeriod(currentMonth(timeZone, at))!
  const out: Period[] = []
  for (let i = 0; i < 6; i++) {
    const total = now.year * 12 + (now.index - 1) - i
    const year = Math.floor(total / 12)
    const month = (total % 12) + 1
    out.push({ id: monthId(year, month), kind: 'month', year, index: month })
  }
  const q = Math.floor((now.index - 1) / 3)
  for (let i = 0; i < 4; i++) {
    const total = now.year * 4 + q - i
    const year = Math.floor(total / 4)
    const index = (total % 4) + 1
    out.push({ id: `${year}-Q${index}`, kind: 'quarter', year, index })
  }
  return out
}

/** "June 2026" / "2026年6月": a month named in the screen's language. */
export function monthLabel(p: Period, locale: string): string {
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(p.year, p.index - 1, 15)))
}

/** The period of the same kind `steps` periods later (earlier when negative). */
export function shiftPeriod(p: Period, steps: number): Period {
  const perYear = p.kind === 'month' ? 12 : 4
  const total = p.year * perYear + (p.index - 1) + steps
  const year = Math.floor(total / perYear)
  const index = (total % perYear) + 1
  return { id: p.kind === 'month' ? monthId(year, index) : `${year}-Q${index}`, kind: p.kind, year, index }
}

/** The same period a year earlier, as the scorecard's year_before compares with. */
export function yearBefore(p: Period): Period {
  return shiftPeriod(p, p.kind === 'month' ? -12 : -4)
}

/** The trend's periods, oldest first, ending with p: six months, or four quarters. */
export function trailingPeriods(p: Period): Period[] {
  const count = p.kind === 'month' ? 6 : 4
  return Array.from({ length: count }, (_, i) => shiftPeriod(p, i - count + 1))
}

/** [from, to) of the period as instants: local midnights in the tenant's zone, as the server counts. */
export function periodSpan(p: Period, timeZone: string): { from: string; to: string } {
  const firstMonth = p.kind === 'month' ? p.index : p.index * 3 - 2
  const months = p.kind === 'month' ? 1 : 3
  const day = (year: number, month: number) => `${year + Math.floor((month - 1) / 12)}-${String(((month - 1) % 12) + 1).padStart(2, '0')}-01`
  return { from: dayStart(day(p.year, firstMonth), timeZone), to: dayStart(day(p.year, firstMonth + months), timeZone) }
}
