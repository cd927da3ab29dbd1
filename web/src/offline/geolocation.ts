// The phone's position for a check-in or check-out. Browsers give WGS84 coordinates.
import type { Location } from '@/api/types'

export interface Fix {
  location: Location
  accuracy: number
  /** When the phone took the fix, by its own clock: the server judges staleness and skew by it. */
  deviceTime: string
}

/** Why there is no fix, as a stable code the UI words through i18n. */
export type FixFailure = 'unsupported' | 'denied' | 'unavailable' | 'timeout'

export class FixError extends Error {
  override readonly name = 'FixError'
  constructor(readonly reason: FixFailure) {
    super(`no position: ${reason}`)
  }
}

/**
 * Where the phone is now. A fresh fix first: a cached one may be from the last stop, a few
 * kilometres back, and would place the check-in there. Only when no fresh fix comes in time (deep
 * indoors) is a recent cached one used; it carries its own time, by which the server judges it.
 */
export async function currentFix(timeoutMs = 20_000): Promise<Fix> {
  try {
    return await askPosition({ enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 0 })
  } catch (err) {
    if (!(err instanceof FixError) || err.reason !== 'timeout') throw err
    return askPosition({ enableHighAccuracy: false, timeout: 1_000, maximumAge: CACHED_FIX_MAX_AGE_MS })
  }
}

/** How old a cached fix may be when no fresh one comes: about as long as a stop lasts. */
const CACHED_FIX_MAX_AGE_MS = 5 * 60_000

function askPosition(options: PositionOptions): Promise<Fix> {
  const geo = globalThis.navigator?.geolocation
  if (!geo) return Promise.reject(new FixError('unsupported'))
  return new Promise((resolve, reject) => {
    geo.getCurrentPosition(
      (pos) =>
        resolve({
          location: { lat: pos.coords.latitude, lon: pos.coords.longitude, datum: 'wgs84' },
          accuracy: Math.max(pos.coords.accuracy, 1),
          deviceTime: new Date(pos.timestamp || Date.now()).toISOString(),
        }),
      (err) => reject(new FixError(err.code === 1 ? 'denied' : err.code === 3 ? 'timeout' : 'unavailable')),
      options,
    )
  })
}
