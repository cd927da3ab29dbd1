import { describe, expect, it } from 'vitest'
import {
  cellKey,
  fromMonths,
  pendingChanges,
  placeProblems,
  readCell,
  repFallback,
  repTargetsBody,
  ruleOf,
  shown,
  unitFallback,
  unitTargetsBodies,
  type Column,
  type Targets,
} from './targets'

const visits: Column = { key: 'visits', nameZh: '拜访次数', nameEn: 'Visits', unit: 'count', sums: true }
const coverage: Column = { key: 'coverage_rate', nameZh: '客户覆盖率', nameEn: 'Coverage rate', unit: 'ratio', sums: false, fallback: 0.9 }
const revenue: Column = { key: 'revenue', nameZh: '销售额', nameEn: 'Revenue', unit: 'money', sums: true, fallback: 20000 }
const cols = [visits, coverage, revenue]
const rows = [{ id: 'a', name: 'A' }, { id: 'b', name: 'B' }]

describe('cells', () => {
  it('shows a ratio as its percentage and reads it back as a fraction', () => {
    expect(shown(0.07, 'ratio')).toBe('7')
    expect(shown(0.925, 'ratio')).toBe('92.5')
    expect(readCell('7', 'ratio')).toBe(0.07)
    expect(readCell('92.5%', 'ratio')).toBe(0.925)
    expect(readCell('45', 'count')).toBe(45)
  })

  it('reads full-width digits, refuses text, and takes an empty cell as none', () => {
    expect(readCell('４５．５', 'count')).toBe(45.5)
    expect(readCell('  ', 'count')).toBeNull()
    expect(readCell('abc', 'count')).toBe('notNumber')
    expect(readCell('1,000', 'money')).toBe('notNumber')
    // A negative number is the server's to refuse, on its cell.
    expect(readCell('-5', 'count')).toBe(-5)
  })
})

describe('pendingChanges', () => {
  const saved = { a: { visits: 45, coverage_rate: 0.9 } }

  it('sends only the cells whose value differs from the saved one, in the grid order', () => {
    const drafts = {
      [cellKey('b', 'revenue')]: '30000',
      [cellKey('a', 'visits')]: '50',
      [cellKey('a', 'coverage_rate')]: '90', // typed again as it was: no change
      [cellKey('b', 'visits')]: '', // touched and left empty, nothing saved: no change
    }
    const { changes, problems } = pendingChanges(rows, cols, saved, drafts)
    expect(changes).toEqual([
      { row: 'a', metric: 'visits', value: 50 },
      { row: 'b', metric: 'revenue', value: 30000 },
    ])
    expect(problems).toEqual({})
    expect(repTargetsBody('2026-05', changes)).toEqual({
      period: '2026-05',
      targets: [
        { rep_id: 'a', metric: 'visits', value: 50 },
        { rep_id: 'b', metric: 'revenue', value: 30000 },
      ],
    })
  })

  it('holds back text and an emptied saved target as problems of their cells', () => {
    const drafts = { [cellKey('a', 'visits')]: '', [cellKey('b', 'visits')]: 'lots' }
    const { changes, problems } = pendingChanges(rows, cols, saved, drafts)
    expect(changes).toEqual([])
    expect(problems).toEqual({ [cellKey('a', 'visits')]: 'cleared', [cellKey('b', 'visits')]: 'notNumber' })
  })

  it('makes one unit-targets body per unit', () => {
    const bodies = unitTargetsBodies('2026-Q2', [
      { row: 'team:1', metric: 'visits', value: 100 },
      { row: 'team:2', metric: 'visits', value: 80 },
      { row: 'team:1', metric: 'revenue', value: 5 },
    ])
    expect(bodies.map((b) => b.body)).toEqual([
      { unit: 'team:1', period: '2026-Q2', targets: [{ metric: 'visits', value: 100 }, { metric: 'revenue', value: 5 }] },
      { unit: 'team:2', period: '2026-Q2', targets: [{ metric: 'visits', value: 80 }] },
    ])
  })
})

describe('placeProblems', () => {
  it('puts body.targets[N] on the N-th sent cell and says the rest as a whole', () => {
    const sent = [
      { row: 'a', metric: 'visits', value: 1 },
      { row: 'b', metric: 'visits', value: -1 },
    ]
    const placed = placeProblems(
      [
        { location: 'body.targets[1].value', message: 'must be a number of 0 or more' },
        { location: 'body.unit', message: 'is not a team whose every rep’s targets you may set' },
      ],
      sent,
    )
    expect(placed.cells).toEqual({ [cellKey('b', 'visits')]: 'must be a number of 0 or more' })
    expect(placed.general).toHaveLength(1)
    expect(ruleOf('must be a number of 0 or more')).toBe('negative')
    expect(ruleOf('something new')).toBeNull()
  })
})

describe('placeholders', () => {
  it('makes an unset quarter of its months: added up for work and money, averaged for rates', () => {
    expect(fromMonths(visits, [40, 45, 50])).toBe(135)
    expect(fromMonths(coverage, [0.9, undefined, 0.8])).toBeCloseTo(0.866667, 6)
    expect(fromMonths(revenue, [undefined, undefined, 30000])).toBe(70000)
    // A month with neither a target nor a default leaves the quarter without one.
    expect(fromMonths(visits, [40, undefined, 50])).toBeUndefined()
  })

  it('gives a rep the template default for a month and the months for a quarter', () => {
    expect(repFallback(revenue, 'a')).toEqual({ value: 20000, from: 'template' })
    expect(repFallback(visits, 'a')).toBeUndefined()
    const months: Targets[] = [{ a: { visits: 10 } }, { a: { visits: 20 } }, { a: { visits: 30 }, b: { visits: 5 } }]
    expect(repFallback(visits, 'a', months)).toEqual({ value: 60, from: 'months', parts: [10, 20, 30] })
    expect(repFallback(visits, 'b', months)).toBeUndefined()
  })

  it('gives a unit its reps’ targets put together, none when a rep has none', () => {
    const reps = { a: { visits: 45 }, b: { visits: 40 } }
    expect(unitFallback(visits, ['a', 'b'], reps)?.value).toBe(85)
    expect(unitFallback(coverage, ['a', 'b'], { a: { coverage_rate: 0.8 } })?.value).toBe(0.85)
    expect(unitFallback(visits, ['a', 'c'], reps)).toBeUndefined()
    expect(unitFallback(visits, [], reps)).toBeUndefined()
  })
})
