import { describe, expect, it } from 'vitest'
import { currentMonth, parsePeriod, periodSpan, recentPeriods, shiftPeriod, trailingPeriods, yearBefore } from './periods'

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

describe('trend periods', () => {
  it('lists six months ending with the chosen one, across a year end, oldest first', () => {
    expect(trailingPeriods(parsePeriod('2026-02')!).map((p) => p.id)).toEqual(['2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02'])
  })

  it('lists four quarters ending with the chosen one', () => {
    expect(trailingPeriods(parsePeriod('2026-Q1')!).map((p) => p.id)).toEqual(['2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1'])
  })

  it('finds the period before and a year before, as the scorecard compares', () => {
    expect(shiftPeriod(parsePeriod('2026-01')!, -1).id).toBe('2025-12')
    expect(shiftPeriod(parsePeriod('2026-Q1')!, -1).id).toBe('2025-Q4')
    expect(yearBefore(parsePeriod('2026-03')!).id).toBe('2025-03')
    expect(yearBefore(parsePeriod('2026-Q2')!).id).toBe('2025-Q2')
  })

  it('spans a period from local midnight to local midnight in the tenant’s zone', () => {
    expect(periodSpan(parsePeriod('2026-12')!, 'Asia/Shanghai')).toEqual({ from: '2026-11-30T16:00:00.000Z', to: '2026-12-31T16:00:00.000Z' })
    expect(periodSpan(parsePeriod('2026-Q4')!, 'UTC')).toEqual({ from: '2026-10-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' })
    // Berlin moves its clocks in March: the month starts at UTC+1 and ends at UTC+2.
    expect(periodSpan(parsePeriod('2026-03')!, 'Europe/Berlin')).toEqual({ from: '2026-02-28T23:00:00.000Z', to: '2026-03-31T22:00:00.000Z' })
  })
})
