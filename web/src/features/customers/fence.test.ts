import { describe, expect, it } from 'vitest'
import { fenceSummary } from './fence'

describe('fenceSummary', () => {
  it('gives a circle’s radius', () => {
    expect(fenceSummary({ kind: 'circle', radius_m: 79.6 })).toEqual({ kind: 'circle', radius: 80 })
  })
  it('gives a polygon’s corners and rough extent in metres', () => {
    const ring = [[117.0218, 36.6625], [117.0230, 36.6625], [117.0230, 36.6631], [117.0218, 36.6631], [117.0218, 36.6625]]
    expect(fenceSummary({ kind: 'polygon', polygon: { type: 'Polygon', coordinates: [ring] } })).toEqual({ kind: 'polygon', points: 4, width: 107, height: 67 })
  })
  it('says nothing of a fence it cannot read', () => {
    expect(fenceSummary({ kind: 'polygon', polygon: { type: 'Polygon', coordinates: [] } })).toBeNull()
  })
})
