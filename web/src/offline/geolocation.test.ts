import { afterEach, describe, expect, it, vi } from 'vitest'
import { currentFix, FixError } from './geolocation'

type Answer = { fix: [number, number, number] } | { error: 1 | 2 | 3 }

/** A phone's geolocation that answers each request in turn, and remembers what was asked. */
function phone(...answers: Answer[]) {
  const asked: PositionOptions[] = []
  const getCurrentPosition = (ok: PositionCallback, fail: PositionErrorCallback, options: PositionOptions) => {
    asked.push(options)
    const answer = answers.shift()!
    if ('error' in answer) fail({ code: answer.error } as GeolocationPositionError)
    else {
      const [latitude, longitude, timestamp] = answer.fix
      ok({ coords: { latitude, longitude, accuracy: 0.4 }, timestamp } as GeolocationPosition)
    }
  }
  vi.stubGlobal('navigator', { geolocation: { getCurrentPosition } })
  return asked
}

describe('currentFix', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('asks for a fresh fix, never one cached at the previous stop', async () => {
    const asked = phone({ fix: [36.65, 117.0, Date.UTC(2026, 10, 27, 8)] })
    const fix = await currentFix()
    expect(asked).toHaveLength(1)
    expect(asked[0]!.maximumAge).toBe(0)
    expect(fix.location).toEqual({ lat: 36.65, lon: 117.0, datum: 'wgs84' })
    expect(fix.accuracy).toBe(1) // under a metre is reported as one
    expect(fix.deviceTime).toBe('2026-11-27T08:00:00.000Z')
  })

  it('falls back to a recent cached fix, with its own time, when no fresh one comes', async () => {
    const asked = phone({ error: 3 }, { fix: [36.6, 117.1, Date.UTC(2026, 10, 27, 7, 58)] })
    const fix = await currentFix()
    expect(asked.map((o) => o.maximumAge)).toEqual([0, 5 * 60_000])
    expect(fix.deviceTime).toBe('2026-11-27T07:58:00.000Z')
  })

  it('does not fall back when the rep refused the position', async () => {
    const asked = phone({ error: 1 })
    await expect(currentFix()).rejects.toEqual(new FixError('denied'))
    expect(asked).toHaveLength(1)
  })
})
