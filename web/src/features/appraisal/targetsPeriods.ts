// The periods targets are set for: mostly ahead (targets are set before the month begins), the
// current one first, on the tenant's calendar; and a few just gone, to correct.
import { currentMonth, parsePeriod, type Period } from '@/features/scorecards/periods'

function month(total: number): Period {
  const year = Math.floor(total / 12)
  const index = (total % 12) + 1
  return { id: `${year}-${String(index).padStart(2, '0')}`, kind: 'month', year, index }
}

function quarter(total: number): Period {
  const year = Math.floor(total / 4)
  const index = (total % 4) + 1
  return { id: `${year}-Q${index}`, kind: 'quarter', year, index }
}

export interface PeriodChoices {
  months: Period[]
  quarters: Period[]
  earlier: Period[]
}

/** This month and the next five, this quarter and the next three, then last month and quarter. */
export function targetPeriods(timeZone: string, at: Date = new Date()): PeriodChoices {
  const now = parsePeriod(currentMonth(timeZone, at))!
  const m = now.year * 12 + now.index - 1
  const q = now.year * 4 + Math.floor((now.index - 1) / 3)
  return {
    months: [0, 1, 2, 3, 4, 5].map((i) => month(m + i)),
    quarters: [0, 1, 2, 3].map((i) => quarter(q + i)),
    earlier: [month(m - 1), quarter(q - 1)],
  }
}

/** The months a quarter is made of, as the API names them. */
export function monthsOf(p: Period): string[] {
  if (p.kind !== 'quarter') return []
  const first = p.year * 12 + (p.index - 1) * 3
  return [0, 1, 2].map((i) => month(first + i).id)
}
