// A customer's visit area in a few words' worth of numbers: a circle's radius, or a polygon's
// corners and rough extent (enough to tell a shop front from a warehouse; no map needed).
import type { Customer } from '@/api/types'

export type FenceSummary = { kind: 'circle'; radius: number } | { kind: 'polygon'; points: number; width: number; height: number }

const METRES_PER_DEGREE = 111_320

export function fenceSummary(fence: Customer['fence']): FenceSummary | null {
  if (fence.kind === 'circle' && fence.radius_m) return { kind: 'circle', radius: Math.round(fence.radius_m) }
  const ring = fence.polygon?.coordinates?.[0] ?? []
  if (fence.kind !== 'polygon' || ring.length < 4) return null
  const lons = ring.map((p) => p?.[0] ?? 0)
  const lats = ring.map((p) => p?.[1] ?? 0)
  const midLat = ((Math.min(...lats) + Math.max(...lats)) / 2) * (Math.PI / 180)
  return {
    kind: 'polygon',
    points: ring.length - 1, // the ring repeats its first corner to close
    width: Math.round((Math.max(...lons) - Math.min(...lons)) * METRES_PER_DEGREE * Math.cos(midLat)),
    height: Math.round((Math.max(...lats) - Math.min(...lats)) * METRES_PER_DEGREE),
  }
}
