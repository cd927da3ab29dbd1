// The customers list's filters and the page's URL query, both ways: a manager's filtered list is a
// link to share, and opening the link restores the same filters and page.
import type { LocationQuery } from 'vue-router'
import { dayEnd, dayStart, isDay } from '@/layouts/tenantDays'

export const GRADES = ['A', 'B', 'C', 'D'] as const
export type Grade = (typeof GRADES)[number]
export const PAGE_SIZE = 25

export interface CustomerFilter {
  q: string
  grade: Grade | ''
  region: string
  owner: string
  /** Created on or after this tenant day (YYYY-MM-DD). */
  from: string
  /** Created on or before this tenant day (YYYY-MM-DD). */
  to: string
  /** The page: the cursor the previous page handed out. */
  cursor: string
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function one(value: LocationQuery[string] | undefined): string {
  const v = Array.isArray(value) ? value[0] : value
  return typeof v === 'string' ? v.trim() : ''
}

/** What the URL asks for; anything malformed is dropped rather than sent on to fail. */
export function filterFromQuery(query: LocationQuery): CustomerFilter {
  const grade = one(query.grade).toUpperCase()
  const id = (v: string) => (UUID.test(v) ? v : '')
  const day = (v: string) => (isDay(v) ? v : '')
  return {
    q: one(query.q).slice(0, 100),
    grade: (GRADES as readonly string[]).includes(grade) ? (grade as Grade) : '',
    region: id(one(query.region)),
    owner: id(one(query.owner)),
    from: day(one(query.from)),
    to: day(one(query.to)),
    cursor: id(one(query.cursor)),
  }
}

/** The URL query for the filters, without the empty ones so links stay short. */
export function filterToQuery(f: CustomerFilter): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(f)) if (value) out[key] = value
  return out
}

/** The API's query for the filters; days are the tenant's, both ends included. */
export function customerApiQuery(f: CustomerFilter, timeZone: string) {
  return {
    limit: PAGE_SIZE,
    ...(f.q ? { q: f.q } : {}),
    ...(f.grade ? { grade: f.grade } : {}),
    ...(f.region ? { region_id: f.region } : {}),
    ...(f.owner ? { owner_id: f.owner } : {}),
    ...(f.from ? { created_from: dayStart(f.from, timeZone) } : {}),
    ...(f.to ? { created_to: dayEnd(f.to, timeZone) } : {}),
    ...(f.cursor ? { cursor: f.cursor } : {}),
  }
}
