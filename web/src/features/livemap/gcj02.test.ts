import { describe, expect, it } from 'vitest'
import { toGcj02, type LatLon } from './gcj02'

// The reference pairs of the server's test (platform/visits/geo/gcj02_test.go), with its
// tolerances: full-precision pairs from googollee/eviltransform and wandergis/coordtransform pin
// the formula; hujiulong/gcoord's city centres (7 decimals, about 0.7 m off the formula) agree
// to 1e-5 degrees.
const reference: { name: string; wgs: LatLon; gcj: LatLon; tol: number }[] = [
  { name: 'eviltransform shanghai', wgs: { lat: 31.1774276, lon: 121.5272106 }, gcj: { lat: 31.17530398364597, lon: 121.531541859215 }, tol: 1e-12 },
  { name: 'eviltransform shenzhen', wgs: { lat: 22.543847, lon: 113.912316 }, gcj: { lat: 22.540796131694766, lon: 113.9171764808363 }, tol: 1e-12 },
  { name: 'eviltransform beijing', wgs: { lat: 39.911954, lon: 116.377817 }, gcj: { lat: 39.91334545536069, lon: 116.38404722455657 }, tol: 1e-12 },
  { name: 'coordtransform beijing', wgs: { lat: 39.915, lon: 116.404 }, gcj: { lat: 39.91640428150164, lon: 116.41024449916938 }, tol: 1e-12 },
  { name: "gcoord tai'an", wgs: { lat: 36.2000071, lon: 117.0815563 }, gcj: { lat: 36.2002574, lon: 117.0876215 }, tol: 1e-5 },
  { name: 'gcoord laiwu', wgs: { lat: 36.2138283, lon: 117.6708588 }, gcj: { lat: 36.2138184, lon: 117.6767323 }, tol: 1e-5 },
  { name: 'gcoord shenyang', wgs: { lat: 41.8032629, lon: 123.4253306 }, gcj: { lat: 41.8057023, lon: 123.4314787 }, tol: 1e-5 },
  { name: 'gcoord nagqu', wgs: { lat: 31.4784436, lon: 92.0499619 }, gcj: { lat: 31.4762063, lon: 92.0512438 }, tol: 1e-5 },
  { name: 'gcoord shanwei', wgs: { lat: 22.7888255, lon: 115.3702248 }, gcj: { lat: 22.7861903, lon: 115.3751647 }, tol: 1e-5 },
  { name: 'gcoord jiuquan', wgs: { lat: 39.7319946, lon: 98.4937175 }, gcj: { lat: 39.7328234, lon: 98.4943595 }, tol: 1e-5 },
  { name: 'gcoord xilinhot', wgs: { lat: 43.9312805, lon: 116.0414035 }, gcj: { lat: 43.9334573, lon: 116.0482308 }, tol: 1e-5 },
]

/** Metres between two points (haversine): enough to tell a datum shift from none. */
function metres(a: LatLon, b: LatLon): number {
  const rad = Math.PI / 180
  const h = Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lon - a.lon) * rad) / 2) ** 2
  return 2 * 6371008.8 * Math.asin(Math.sqrt(h))
}

describe('WGS84 to GCJ-02', () => {
  it.each(reference)('matches $name', ({ wgs, gcj, tol }) => {
    const got = toGcj02(wgs)
    expect(Math.abs(got.lat - gcj.lat)).toBeLessThanOrEqual(tol)
    expect(Math.abs(got.lon - gcj.lon)).toBeLessThanOrEqual(tol)
  })

  it('leaves points outside mainland China as they are', () => {
    for (const p of [
      { lat: 48.8584, lon: 2.2945 }, // Paris
      { lat: 40.6892, lon: -74.0445 }, // New York
      { lat: -33.8568, lon: 151.2153 }, // Sydney
      { lat: 56, lon: 110 }, // north of the box
      { lat: 0.5, lon: 110 }, // south of the box
      { lat: 35, lon: 72 }, // west of the box
      { lat: 35, lon: 138 }, // east of the box
    ]) {
      expect(toGcj02(p)).toEqual(p)
    }
  })

  it('shifts Jinan by some hundreds of metres', () => {
    const jinan = { lat: 36.65, lon: 117 }
    const d = metres(jinan, toGcj02(jinan))
    expect(d).toBeGreaterThan(100)
    expect(d).toBeLessThan(1000)
  })
})
