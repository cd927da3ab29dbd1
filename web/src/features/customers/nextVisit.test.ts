import { describe, expect, it } from 'vitest'
import { nextVisit } from './nextVisit'

const CADENCES = { A: 7, B: 14, C: 30 }
const NOW = new Date('2026-11-27T08:00:00Z')

describe('nextVisit', () => {
  it('is the last visit plus the grade’s cadence', () => {
    expect(nextVisit('2026-11-24T01:00:00Z', 'A', CADENCES, NOW)).toEqual({ due: new Date('2026-12-01T01:00:00Z'), overdue: false })
    expect(nextVisit('2026-11-01T01:00:00Z', 'B', CADENCES, NOW)?.overdue).toBe(true)
  })
  it('is due now when never visited, and unknown for a grade without a cadence', () => {
    expect(nextVisit(null, 'C', CADENCES, NOW)).toEqual({ due: null, overdue: true })
    expect(nextVisit('2026-11-24T01:00:00Z', 'D', CADENCES, NOW)).toBeNull()
  })
})
