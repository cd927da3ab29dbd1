// What one line of the customers list shows, worked out once for the table and the cards alike.
import type { ListedCustomer } from '@/api/types'
import { nextVisit, type Cadences } from './nextVisit'

export interface CustomerRow {
  id: string
  name: string
  grade: string
  owner: string
  region: string
  /** The newest visit's start (rejected ones left out); null: never visited. */
  lastVisit: string | null
  /** When next due; null when the grade has no cadence. */
  next: ReturnType<typeof nextVisit>
}

export function customerRow(c: ListedCustomer, names: { rep: Map<string, string>; region: Map<string, string> }, cadences: Cadences): CustomerRow {
  const lastVisit = c.last_visit_at ?? null
  return {
    id: c.id,
    name: c.name,
    grade: c.grade,
    owner: names.rep.get(c.owner_id) ?? '',
    region: names.region.get(c.region_id) ?? '',
    lastVisit,
    next: nextVisit(lastVisit, c.grade, cadences),
  }
}
