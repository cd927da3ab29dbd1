// Where the live map's data comes from. Lists are read whole, page after page: the map shows
// every customer's fence and every rep, and a manager's region holds hundreds, not millions.
import { api, call } from '@/api/client'
import type { Customer, MapSettings, Position, TrackDay } from './model'

/** Pages read at most: 200 customers a page, 10,000 in all, beyond any one region's. */
const MAX_PAGES = 50

export function fetchSettings(): Promise<MapSettings> {
  return call(api.GET('/api/v1/map-settings'))
}

export async function fetchPositions(): Promise<Position[]> {
  return (await call(api.GET('/api/v1/tracks/positions'))).positions ?? []
}

export async function fetchCustomers(): Promise<Customer[]> {
  const out: Customer[] = []
  let cursor: string | undefined
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await call(api.GET('/api/v1/customers', { params: { query: { limit: 200, ...(cursor ? { cursor } : {}) } } }))
    out.push(...(answer.customers ?? []))
    if (!answer.next_cursor) break
    cursor = answer.next_cursor
  }
  return out
}

/** The names of the reps the caller may see, by id. */
export async function fetchRepNames(): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  let cursor: string | undefined
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await call(api.GET('/api/v1/users', { params: { query: { role: 'rep', limit: 200, ...(cursor ? { cursor } : {}) } } }))
    for (const u of answer.users ?? []) out.set(u.id, u.name)
    if (!answer.next_cursor) break
    cursor = answer.next_cursor
  }
  return out
}

export function fetchTrackDay(repId: string, date: string): Promise<TrackDay> {
  return call(api.GET('/api/v1/tracks/day', { params: { query: { rep_id: repId, date } } }))
}
