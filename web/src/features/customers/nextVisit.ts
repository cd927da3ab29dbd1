// When a customer is next due for a visit: its last visit plus its grade's cadence (the tenant's
// visit-cadences, days between visits per grade). Never visited: due now.

export type Cadences = Record<string, number>

export interface NextVisit {
  /** The day it falls due, YYYY-MM-DD (UTC calendar of the instant), or null when due now. */
  due: Date | null
  overdue: boolean
}

export function nextVisit(lastVisit: string | null, grade: string, cadences: Cadences, now: Date = new Date()): NextVisit | null {
  const every = cadences[grade]
  if (!every) return null // a grade without a cadence is never due
  if (!lastVisit) return { due: null, overdue: true }
  const due = new Date(Date.parse(lastVisit) + every * 86_400_000)
  return { due, overdue: due.getTime() < now.getTime() }
}
