import { describe, expect, it } from 'vitest'
import { dayIn, isStale, liveEvents, mergeEvents, mergeFix, newer, STALE_AFTER_MS, type FenceEvent, type TrackPoint } from './model'

const at = (minute: number) => new Date(Date.UTC(2026, 10, 27, 2, minute)).toISOString()
const point = (minute: number, lat = 36.65): TrackPoint => ({ at: at(minute), lat, lon: 117 })
const position = (minute: number) => ({ rep_id: 'r1', lat: 36.65, lon: 117, accuracy: 10, at: at(minute) })

describe('staleness', () => {
  it('holds a rep stale once the last fix is older than the live horizon, or missing', () => {
    const now = Date.parse(at(30))
    expect(isStale(position(30), now)).toBe(false)
    expect(isStale({ ...position(0), at: new Date(now - STALE_AFTER_MS).toISOString() }, now)).toBe(false)
    expect(isStale({ ...position(0), at: new Date(now - STALE_AFTER_MS - 1000).toISOString() }, now)).toBe(true)
    expect(isStale(undefined, now)).toBe(true)
  })
})

describe('positions', () => {
  it('keep the newer of two, whichever arrives last', () => {
    expect(newer(position(5), position(3)).at).toBe(at(5))
    expect(newer(position(3), position(5)).at).toBe(at(5))
    expect(newer(undefined, position(3)).at).toBe(at(3))
  })
})

describe('a live fix joining the day’s track', () => {
  const track = [point(1), point(2), point(4)]

  it('goes at the end when it is the latest', () => {
    expect(mergeFix(track, point(6)).map((p) => p.at)).toEqual([at(1), at(2), at(4), at(6)])
  })

  it('goes in its place when a late batch brings an earlier one', () => {
    expect(mergeFix(track, point(3)).map((p) => p.at)).toEqual([at(1), at(2), at(3), at(4)])
    expect(mergeFix(track, point(0)).map((p) => p.at)).toEqual([at(0), at(1), at(2), at(4)])
  })

  it('is not added twice, and the track given is left as it was', () => {
    expect(mergeFix(track, point(2, 99))).toEqual(track)
    expect(track).toHaveLength(3)
    expect(mergeFix([], point(1))).toEqual([point(1)])
  })
})

describe('fence events', () => {
  const e = (minute: number, kind: FenceEvent['kind'] = 'enter', customerId = 'c1'): FenceEvent => ({ repId: 'r1', customerId, kind, at: at(minute) })

  it('are listed newest first, each once, up to a maximum', () => {
    const merged = mergeEvents([e(1), e(3, 'dwell')], [e(3, 'dwell'), e(5, 'exit'), e(2, 'enter', 'c2')])
    expect(merged.map((x) => `${x.kind}@${x.at}`)).toEqual([`exit@${at(5)}`, `dwell@${at(3)}`, `enter@${at(2)}`, `enter@${at(1)}`])
    expect(mergeEvents([], [e(1), e(2), e(3)], 2).map((x) => x.at)).toEqual([at(3), at(2)])
  })

  it('come from a live update with its rep', () => {
    const got = liveEvents({ rep_id: 'r9', events: [{ kind: 'enter', customer_id: 'c7', at: at(4) }] })
    expect(got).toEqual([{ repId: 'r9', customerId: 'c7', kind: 'enter', at: at(4) }])
  })
})

describe('the tenant’s day', () => {
  it('is the date on the tenant’s clock, not UTC’s', () => {
    // 17:30 UTC on the 26th is 01:30 on the 27th in Shanghai, still the 26th in New York.
    const instant = '2026-11-26T17:30:00Z'
    expect(dayIn(instant, 'Asia/Shanghai')).toBe('2026-11-27')
    expect(dayIn(instant, 'America/New_York')).toBe('2026-11-26')
  })
})
