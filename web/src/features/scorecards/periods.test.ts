import { describe, expect, it } from 'vitest'
import { currentMonth, parsePeriod, recentPeriods } from './periods'

describe('periods', () => {
  it('counts the month in the tenant’s zone, not UTC', () => {
    // 16:30 UTC on 31 October is already 1 November in Shanghai.
    const at = new Date('2026-10-31T16:30:00Z')
    expect(currentMonth('Asia/Shanghai', at)).toBe('2026-11')
    expect(currentMonth('UTC', at)).toBe('2026-10')
  })

  it('offers six months and four quarters back across a year end', () => {
    const ids = recentPeriods('Asia/Shanghai', new Date('2026-02-10T00:00:00Z')).map((p) => p.id)
    expect(ids).toEqual(['2026-02', '2026-01', '2025-12', '2025-11', '2025-10', '2025-09', '2026-Q1', '2025-Q4', '2025-Q3', '2025-Q2'])
  })

  it('parses only the forms the API takes', () => {
    expect(parsePeriod('2026-Q3')).toMatchObject({ kind: 'quarter', year: 2026, index: 3 })
    expect(parsePeriod('2026-13')).toBeNull()
    expect(parsePeriod('2026-Q5')).toBeNull()
  })
})
