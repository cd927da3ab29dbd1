import { describe, expect, it } from 'vitest'
import { monthsOf, targetPeriods } from './targetsPeriods'

describe('targetPeriods', () => {
  it('starts at the current month and quarter of the tenant’s calendar, not the browser’s', () => {
    // 31 Dec 2025 20:00 UTC is already 1 Jan 2026 in Shanghai.
    const p = targetPeriods('Asia/Shanghai', new Date('2025-12-31T20:00:00Z'))
    expect(p.months.map((m) => m.id)).toEqual(['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06'])
    expect(p.quarters.map((q) => q.id)).toEqual(['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'])
    expect(p.earlier.map((x) => x.id)).toEqual(['2025-12', '2025-Q4'])
  })

  it('names a quarter’s months', () => {
    expect(monthsOf({ id: '2026-Q4', kind: 'quarter', year: 2026, index: 4 })).toEqual(['2026-10', '2026-11', '2026-12'])
    expect(monthsOf({ id: '2026-04', kind: 'month', year: 2026, index: 4 })).toEqual([])
  })
})
