// The live map's data and the pure rules over it: when a rep counts as stale, how a live fix
// joins a day's track, which position is the newer, how fence events are listed.
import type { components } from '@/api/schema'

type S = components['schemas']
export type MapSettings = S['MapSettingsDTO']
export type Position = S['LivePosition']
export type TrackDay = S['TrackDayDTO']
export type Customer = S['CustomerDTO']
export type Fence = S['FenceDTO']

/** One point of a rep's track, in WGS84. */
export interface TrackPoint {
  at: string
  lat: number
  lon: number
}

/** What GET /api/v1/live sends as a "position" event (platform/visits/live.go LiveUpdate). */
export interface LiveUpdate {
  rep_id: string
  position?: Position
  events: { kind: 'enter' | 'exit' | 'dwell'; customer_id: string; at: string }[]
  more_events?: number
}

/** A fence event as the side list shows it. */
export interface FenceEvent {
  repId: string
  customerId: string
  kind: 'enter' | 'exit' | 'dwell'
  at: string
}

/** The server drops positions older than this from the live stream; the map calls them stale. */
export const STALE_AFTER_MS = 15 * 60_000

/** A rep whose last fix is older than STALE_AFTER_MS (or who has none) is not live. */
export function isStale(position: Position | undefined, now: number): boolean {
  return !position || now - Date.parse(position.at) > STALE_AFTER_MS
}

/** The newer of two positions: a snapshot read after a reconnect may be older than a live fix. */
export function newer(current: Position | undefined, incoming: Position): Position {
  return current && Date.parse(current.at) >= Date.parse(incoming.at) ? current : incoming
}

/**
 * The track with the fix in its place by time: usually at the end; a late batch from a phone
 * that was offline goes in between. A fix already there (same time) is not added twice.
 */
export function mergeFix(track: readonly TrackPoint[], fix: TrackPoint): TrackPoint[] {
  const t = Date.parse(fix.at)
  let i = track.length
  while (i > 0 && Date.parse(track[i - 1]!.at) > t) i--
  if (i > 0 && Date.parse(track[i - 1]!.at) === t) return track as TrackPoint[]
  return [...track.slice(0, i), fix, ...track.slice(i)]
}

function eventKey(e: FenceEvent): string {
  return `${e.repId}|${e.customerId}|${e.kind}|${Date.parse(e.at)}`
}

/** The events with the new ones, each once, newest first, at most max of them. */
export function mergeEvents(list: readonly FenceEvent[], incoming: readonly FenceEvent[], max = 200): FenceEvent[] {
  const seen = new Map<string, FenceEvent>()
  for (const e of [...list, ...incoming]) seen.set(eventKey(e), e)
  return [...seen.values()].sort((a, b) => Date.parse(b.at) - Date.parse(a.at)).slice(0, max)
}

/** The fence events of a live update, in the side list's shape. */
export function liveEvents(u: LiveUpdate): FenceEvent[] {
  return (u.events ?? []).map((e) => ({ repId: u.rep_id, customerId: e.customer_id, kind: e.kind, at: e.at }))
}

/** The day (YYYY-MM-DD) an instant falls on in a time zone: the tenant's "today". */
export function dayIn(instant: Date | string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(instant))
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
  return `${get('year')}-${get('month')}-${get('day')}`
}
