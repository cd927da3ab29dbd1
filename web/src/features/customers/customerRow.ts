// What one line of the customers list shows, worked out once for the table and the cards alike.
import type { Customer } from '@/api/types'
import { nextVisit, type Cadences } from './nextVisit'

export interface CustomerRow {
  id: string
  name: string
  grade: string
  owner: string
  region: string
  /** The newest visit's start; null: never visited; undefined: not known (yet). */
  lastVisit: string | null | undefined
  /** When next due; null when the grade has no cadence or the last visit is not known. */
  next: ReturnType<typeof nextVisit>
}

export function customerRow(
  c: Customer,
  names: { rep: Map<string, string>; region: Map<string, string> },
  lastVisit: string | null | undefined,
  cadences: Cadences,
): CustomerRow {
  return {
    id: c.id,
    name: c.name,
    grade: c.grade,
    owner: names.rep.get(c.owner_id) ?? '',
    region: names.region.get(c.region_id) ?? '',
    lastVisit,
    next: lastVisit === undefined ? null : nextVisit(lastVisit, c.grade, cadences),
  }
}
