// Customers' fences and reps' positions as the map draws them: in the tiles' datum, as
// [lat, lon] pairs (Leaflet's order; GeoJSON's is [lon, lat]).
import { toGcj02, type LatLon } from './gcj02'
import type { Customer, MapSettings } from './model'

export type Datum = MapSettings['datum']
export type Pair = [number, number]

export type FenceShape =
  | { kind: 'circle'; center: Pair; radius: number }
  /** The outer ring first, then the holes. */
  | { kind: 'polygon'; rings: Pair[][] }

/** A WGS84 point where the tiles draw it. */
export function place(p: LatLon, datum: Datum): Pair {
  const q = datum === 'gcj02' ? toGcj02(p) : p
  return [q.lat, q.lon]
}

/** The customer's fence in the tiles' datum; null when it has none the map can draw. */
export function fenceShape(c: Customer, datum: Datum): FenceShape | null {
  const f = c.fence
  if (f.kind === 'circle' && f.radius_m) return { kind: 'circle', center: place(c.location, datum), radius: f.radius_m }
  const rings = f.kind === 'polygon' ? f.polygon?.coordinates : null
  if (!rings?.length) return null
  return { kind: 'polygon', rings: rings.map((ring) => (ring ?? []).map((pos) => place({ lat: pos?.[1] ?? 0, lon: pos?.[0] ?? 0 }, datum))) }
}

/** The south-west and north-east corners around every pair, or null for none. */
export function boundsOf(pairs: Iterable<Pair>): [Pair, Pair] | null {
  let south = Infinity
  let west = Infinity
  let north = -Infinity
  let east = -Infinity
  for (const [lat, lon] of pairs) {
    south = Math.min(south, lat)
    north = Math.max(north, lat)
    west = Math.min(west, lon)
    east = Math.max(east, lon)
  }
  return south <= north ? [[south, west], [north, east]] : null
}

/** The points a fence covers, for fitting the view: a circle's box, a polygon's outer ring. */
export function fenceExtent(shape: FenceShape): Pair[] {
  if (shape.kind === 'polygon') return shape.rings[0] ?? []
  const [lat, lon] = shape.center
  const dLat = shape.radius / 111_320
  const dLon = shape.radius / (111_320 * Math.cos((lat * Math.PI) / 180))
  return [
    [lat - dLat, lon - dLon],
    [lat + dLat, lon + dLon],
  ]
}
