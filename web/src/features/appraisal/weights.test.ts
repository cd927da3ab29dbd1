import { describe, expect, it } from 'vitest'
import { bandOf, previewTotal, weightProblem, weightSum } from './weights'

const BANDS = [
  { min: 0, colour: 'red' },
  { min: 60, colour: 'amber' },
  { min: 90, colour: 'green' },
]

describe('the weight rule', () => {
  it('accepts whole weights from 1 to 100 that make exactly 100', () => {
    // 40 + 30 + 20 + 10 = 100
    expect(weightSum([40, 30, 20, 10])).toBe(100)
    expect(weightProblem([40, 30, 20, 10])).toBeNull()
    expect(weightProblem([100])).toBeNull()
    // 33 + 33 + 34 = 100: what an admin types is what is stored
    expect(weightProblem([33, 33, 34])).toBeNull()
  })

  it('refuses a sum other than 100 and says by how much', () => {
    // 40 + 30 + 20 + 20 = 110: 10 too many
    expect(weightProblem([40, 30, 20, 20])).toEqual({ key: 'sum', params: { sum: 110, gap: -10 } })
    // 40 + 30 + 20 + 5 = 95: 5 short
    expect(weightProblem([40, 30, 20, 5])).toEqual({ key: 'sum', params: { sum: 95, gap: 5 } })
  })

  it('refuses a weight that is not a whole number from 1 to 100, naming its row', () => {
    expect(weightProblem([50, 0, 50])).toEqual({ key: 'range', params: { row: 2 } })
    expect(weightProblem([50, 49.5, 0.5])).toEqual({ key: 'range', params: { row: 2 } })
    expect(weightProblem([NaN, 100])).toEqual({ key: 'range', params: { row: 1 } }) // an empty box
    expect(weightProblem([101, -1])).toEqual({ key: 'range', params: { row: 1 } })
    expect(weightProblem([])).toEqual({ key: 'empty', params: {} })
    // the running sum skips what is not a whole number: 50 + 0 (empty) + 30 = 80
    expect(weightSum([50, NaN, 30])).toBe(80)
  })
})

describe('the preview of edited weights', () => {
  const card = [
    { key: 'visits', status: 'scored', score: 80 },
    { key: 'orders', status: 'scored', score: 100 },
    { key: 'revenue', status: 'scored', score: 50 },
  ]

  it('totals Σ score × w / Σ w over scored lines', () => {
    // 80×50 + 100×30 + 50×20 = 4000 + 3000 + 1000 = 8000; / 100 = 80 → amber (60 ≤ 80 < 90)
    const p = previewTotal(card, { visits: 50, orders: 30, revenue: 20 }, BANDS)
    expect(p.scoredWeight).toBe(100)
    expect(p.total).toBe(80)
    expect(p.band).toBe('amber')
    expect(p.lines.map((l) => l.contribution)).toEqual([40, 30, 10])
    // moving weight to orders: 80×20 + 100×70 + 50×10 = 1600 + 7000 + 500 = 9100; / 100 = 91 → green
    expect(previewTotal(card, { visits: 20, orders: 70, revenue: 10 }, BANDS)).toMatchObject({ total: 91, band: 'green' })
  })

  it('shares the weight of a metric with no target among the others', () => {
    const lines = [...card.slice(0, 2), { key: 'revenue', status: 'no_target', score: 0 }]
    // revenue (20) drops out: scored weight 50 + 30 = 80
    // total = (80×50 + 100×30) / 80 = (4000 + 3000) / 80 = 87.5 → amber
    // effective weights 50/80 = 62.5 %, 30/80 = 37.5 %; contributions 80×0.625 = 50, 100×0.375 = 37.5
    const p = previewTotal(lines, { visits: 50, orders: 30, revenue: 20 }, BANDS)
    expect(p).toMatchObject({ scoredWeight: 80, total: 87.5, band: 'amber' })
    expect(p.lines.map((l) => [l.effective, l.contribution])).toEqual([
      [62.5, 50],
      [37.5, 37.5],
      [0, 0],
    ])
  })

  it('counts a metric with a target but no figures at its full weight, scoring 0', () => {
    const lines = [...card.slice(0, 2), { key: 'revenue', status: 'no_actual', score: 0 }]
    // (80×50 + 100×30 + 0×20) / 100 = 7000 / 100 = 70 → amber
    expect(previewTotal(lines, { visits: 50, orders: 30, revenue: 20 }, BANDS)).toMatchObject({ scoredWeight: 100, total: 70, band: 'amber' })
  })

  it('rounds to 4 decimals as the server does', () => {
    // 3 equal weights of 33, 33, 34 over scores 70, 80, 91:
    // (70×33 + 80×33 + 91×34) / 100 = (2310 + 2640 + 3094) / 100 = 80.44
    expect(previewTotal(
      [
        { key: 'a', status: 'scored', score: 70 },
        { key: 'b', status: 'scored', score: 80 },
        { key: 'c', status: 'scored', score: 91 },
      ],
      { a: 33, b: 33, c: 34 },
      BANDS,
    ).total).toBe(80.44)
    // 100 × 1/3 + 0 × 2/3 = 33.3333… → 33.3333
    expect(previewTotal(
      [
        { key: 'a', status: 'scored', score: 100 },
        { key: 'b', status: 'scored', score: 0 },
      ],
      { a: 1, b: 2 },
      BANDS,
    ).total).toBe(33.3333)
  })

  it('has no total when nothing has a target, and drops metrics the edit removed', () => {
    const none = card.map((m) => ({ ...m, status: 'no_target' }))
    expect(previewTotal(none, { visits: 50, orders: 30, revenue: 20 }, BANDS)).toMatchObject({ scoredWeight: 0, total: 0, band: '' })
    // revenue removed from the edited template: (80×50 + 100×50) / 100 = 90 → green
    expect(previewTotal(card, { visits: 50, orders: 50 }, BANDS)).toMatchObject({ scoredWeight: 100, total: 90, band: 'green' })
  })

  it('reproduces the server’s total when the weights are unchanged (the demo region, 2026-11)', () => {
    const lines = [
      { key: 'coverage_rate', status: 'scored', score: 108.3333 },
      { key: 'distribution_rate', status: 'scored', score: 0 },
      { key: 'visits', status: 'scored', score: 14.6296 },
      { key: 'orders', status: 'scored', score: 32.2917 },
      { key: 'revenue', status: 'scored', score: 31.8816 },
      { key: 'verified_check_in_rate', status: 'scored', score: 100 },
    ]
    const weights = { coverage_rate: 25, distribution_rate: 20, visits: 20, orders: 15, revenue: 10, verified_check_in_rate: 10 }
    // 108.3333×0.25 + 0×0.2 + 14.6296×0.2 + 32.2917×0.15 + 31.8816×0.1 + 100×0.1
    // = 27.083325 + 0 + 2.92592 + 4.843755 + 3.18816 + 10 = 48.04116 → 48.0412, red (< 60);
    // the server answered total 48.0412, band red
    expect(previewTotal(lines, weights, BANDS)).toMatchObject({ total: 48.0412, band: 'red' })
  })

  it('colours by the last band reached', () => {
    expect(bandOf(59.9999, BANDS)).toBe('red')
    expect(bandOf(60, BANDS)).toBe('amber')
    expect(bandOf(90, BANDS)).toBe('green')
  })
})
