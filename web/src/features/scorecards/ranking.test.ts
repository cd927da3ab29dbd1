import { describe, expect, it } from 'vitest'
import { rankRows, type RankEntry } from './ranking'

const entry = (name: string, total: number | null, before: number | null = null): RankEntry => ({ scope: `team:${name}`, name, total, band: null, before })

describe('rankRows', () => {
  it('ranks by total, highest first', () => {
    const rows = rankRows([entry('B', 60), entry('A', 80.25), entry('C', 95)], 'en')
    expect(rows.map((r) => [r.name, r.rank])).toEqual([['C', 1], ['A', 2], ['B', 3]])
  })

  it('gives equal totals (as shown, to one decimal) the same rank, by name, and skips the next', () => {
    const rows = rankRows([entry('Zeta', 70.01), entry('Alpha', 70.04), entry('Mid', 90), entry('Low', 10)], 'en')
    expect(rows.map((r) => [r.name, r.rank])).toEqual([['Mid', 1], ['Alpha', 2], ['Zeta', 2], ['Low', 4]])
  })

  it('puts rows without a total last, unranked, by name', () => {
    const rows = rankRows([entry('Waiting', null), entry('Scored', 0), entry('Also waiting', null)], 'en')
    expect(rows.map((r) => [r.name, r.rank])).toEqual([['Scored', 1], ['Also waiting', null], ['Waiting', null]])
  })

  it('gives the change on the period before in points, when both totals are known', () => {
    const rows = rankRows([entry('A', 80, 72.55), entry('B', 50, null), entry('C', null, 40)], 'en')
    expect(rows.map((r) => r.change)).toEqual([7.5, null, null])
  })

  it('keeps what the caller added to each row', () => {
    const rows = rankRows([{ ...entry('A', 1), state: 'done' as const }])
    expect(rows[0]!.state).toBe('done')
  })
})
