import { describe, expect, it } from 'vitest'
import { toGcj02 } from './gcj02'
import type { Customer } from './model'
import { boundsOf, fenceExtent, fenceShape, place } from './shapes'

const jinan = { lat: 36.6512, lon: 117.1201 }

function customer(fence: Customer['fence']): Customer {
  return { id: 'c1', name: 'Lixia Pharmacy', location: { ...jinan, datum: 'wgs84' }, fence } as Customer
}

// A square shop lot with a square courtyard cut out of it, as GeoJSON [lon, lat].
const square = (d: number) => [
  [jinan.lon - d, jinan.lat - d],
  [jinan.lon + d, jinan.lat - d],
  [jinan.lon + d, jinan.lat + d],
  [jinan.lon - d, jinan.lat + d],
  [jinan.lon - d, jinan.lat - d],
]

describe('fences as drawn', () => {
  it('are circles around the location, in metres', () => {
    expect(fenceShape(customer({ kind: 'circle', radius_m: 120 }), 'wgs84')).toEqual({ kind: 'circle', center: [jinan.lat, jinan.lon], radius: 120 })
  })

  it('are polygons with their holes, turned to [lat, lon]', () => {
    const shape = fenceShape(customer({ kind: 'polygon', polygon: { type: 'Polygon', coordinates: [square(0.002), square(0.0005)] } }), 'wgs84')
    expect(shape?.kind).toBe('polygon')
    if (shape?.kind !== 'polygon') return
    expect(shape.rings).toHaveLength(2)
    expect(shape.rings[0]![0]).toEqual([jinan.lat - 0.002, jinan.lon - 0.002])
    expect(shape.rings[1]![2]).toEqual([jinan.lat + 0.0005, jinan.lon + 0.0005])
  })

  it('move into GCJ-02 with every point when the tiles are drawn in it', () => {
    const circle = fenceShape(customer({ kind: 'circle', radius_m: 120 }), 'gcj02')
    const shifted = toGcj02(jinan)
    expect(circle).toEqual({ kind: 'circle', center: [shifted.lat, shifted.lon], radius: 120 })
    const poly = fenceShape(customer({ kind: 'polygon', polygon: { type: 'Polygon', coordinates: [square(0.002), square(0.0005)] } }), 'gcj02')
    if (poly?.kind !== 'polygon') throw new Error('not a polygon')
    const corner = toGcj02({ lat: jinan.lat + 0.0005, lon: jinan.lon + 0.0005 })
    expect(poly.rings[1]![2]).toEqual([corner.lat, corner.lon])
    expect(place(jinan, 'gcj02')).not.toEqual(place(jinan, 'wgs84'))
  })

  it('are left out when there is nothing to draw', () => {
    expect(fenceShape(customer({ kind: 'polygon' }), 'wgs84')).toBeNull()
    expect(fenceShape(customer({ kind: 'circle' }), 'wgs84')).toBeNull()
  })
})

describe('the view', () => {
  it('holds every point, and a circle whole', () => {
    expect(boundsOf([[36.6, 117.1], [36.7, 116.9], [36.65, 117.3]])).toEqual([[36.6, 116.9], [36.7, 117.3]])
    expect(boundsOf([])).toBeNull()
    const [sw, ne] = boundsOf(fenceExtent({ kind: 'circle', center: [jinan.lat, jinan.lon], radius: 1113.2 }))!
    expect(ne[0] - sw[0]).toBeCloseTo(0.02, 6)
    expect(ne[1] - sw[1]).toBeGreaterThan(0.02) // a degree of longitude is shorter at 36.65° N
  })
})
