import { describe, expect, it } from 'vitest'
import { monthBefore, monthLabel, monthsToPick, totalChange } from './months'

describe('the rep’s months', () => {
  it('offers this month in the tenant’s zone and the five before, across a year end', () => {
    // 17:00 UTC on 31 January is already 1 February in Shanghai.
    expect(monthsToPick('Asia/Shanghai', new Date('2026-01-31T17:00:00Z'))).toEqual(['2026-02', '2026-01', '2025-12', '2025-11', '2025-10', '2025-09'])
    expect(monthsToPick('UTC', new Date('2026-01-31T17:00:00Z'))[0]).toBe('2026-01')
  })

  it('finds the month before, across a year end', () => {
    expect(monthBefore('2026-01')).toBe('2025-12')
    expect(monthBefore('2026-12')).toBe('2026-11')
    expect(monthBefore('2026-10')).toBe('2026-09')
    expect(() => monthBefore('2026-Q1')).toThrow()
  })

  it('names a month in either language', () => {
    expect(monthLabel('2026-06', 'en')).toBe('June 2026')
    expect(monthLabel('2026-06', 'zh-CN')).toBe('2026年6月')
  })

  it('compares totals in points, to a tenth', () => {
    expect(totalChange({ total: 82.46 }, { total: 75.2, scored_weight: 100 })).toBe(7.3)
    expect(totalChange({ total: 60 }, { total: 75.3, scored_weight: 80 })).toBe(-15.3)
  })

  it('does not compare with a month that had no scorecard or nothing with a target', () => {
    expect(totalChange({ total: 82 }, null)).toBeNull()
    expect(totalChange({ total: 82 }, { total: 0, scored_weight: 0 })).toBeNull()
  })
})
