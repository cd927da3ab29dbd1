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

export function currentFix(timeoutMs = 20_000): Promise<Fix> {
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
      // A fix a minute old is good enough and comes at once; a fresh one may take long indoors.
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 60_000 },
    )
  })
}
