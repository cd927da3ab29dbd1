// The orders list's filters and the page's URL query, both ways, so a filtered list is a link.
import type { LocationQuery } from 'vue-router'
import { dayEnd, dayStart, isDay } from '@/layouts/tenantDays'
import { ORDER_STATUSES, type OrderStatus } from './transitions'

export const PAGE_SIZE = 25

export interface OrderFilter {
  status: OrderStatus | ''
  customer: string
  owner: string
  /** Falling due on or after this tenant day (YYYY-MM-DD). */
  dueFrom: string
  /** Falling due on or before this tenant day. */
  dueTo: string
  cursor: string
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function one(value: LocationQuery[string] | undefined): string {
  const v = Array.isArray(value) ? value[0] : value
  return typeof v === 'string' ? v.trim() : ''
}

export function orderFilterFromQuery(query: LocationQuery): OrderFilter {
  const status = one(query.status)
  const id = (v: string) => (UUID.test(v) ? v : '')
  const day = (v: string) => (isDay(v) ? v : '')
  return {
    status: (ORDER_STATUSES as string[]).includes(status) ? (status as OrderStatus) : '',
    customer: id(one(query.customer)),
    owner: id(one(query.owner)),
    dueFrom: day(one(query.due_from)),
    dueTo: day(one(query.due_to)),
    cursor: id(one(query.cursor)),
  }
}

export function orderFilterToQuery(f: OrderFilter): Record<string, string> {
  const out: Record<string, string> = {}
  if (f.status) out.status = f.status
  if (f.customer) out.customer = f.customer
  if (f.owner) out.owner = f.owner
  if (f.dueFrom) out.due_from = f.dueFrom
  if (f.dueTo) out.due_to = f.dueTo
  if (f.cursor) out.cursor = f.cursor
  return out
}

export function orderApiQuery(f: OrderFilter, timeZone: string, limit = PAGE_SIZE) {
  return {
    limit,
    ...(f.status ? { status: f.status } : {}),
    ...(f.customer ? { customer_id: f.customer } : {}),
    ...(f.owner ? { owner_id: f.owner } : {}),
    ...(f.dueFrom ? { due_from: dayStart(f.dueFrom, timeZone) } : {}),
    ...(f.dueTo ? { due_to: dayEnd(f.dueTo, timeZone) } : {}),
    ...(f.cursor ? { cursor: f.cursor } : {}),
  }
}
