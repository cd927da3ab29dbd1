import { describe, expect, it } from 'vitest'
import type { MetricScore } from '@/api/types'
import type { AnyScorecard } from './cards'
import { trendSeries } from './trend'

const metric = (key: string, weight: number, actual: number, extra: Partial<MetricScore> = {}): MetricScore =>
  ({ key, name_zh: key, name_en: key, unit: 'count', status: 'scored', actual, target: 1, weight, effective_weight: weight, completion: 0, score: 0, contribution: 0, ...extra }) as MetricScore

const card = (total: number, metrics: MetricScore[], scored_weight = 100): AnyScorecard =>
  ({ kind: 'unit', total, scored_weight, metrics, band: 'green' }) as unknown as AnyScorecard

describe('trendSeries', () => {
  it('gives the total in points, its change on the period before and a year before', () => {
    const cards = [card(50, []), null, card(60.04, []), card(71.26, [])]
    const [total] = trendSeries(cards, card(80, []))
    expect(total!.values).toEqual([50, null, 60, 71.3])
    expect(total!.before).toBe(11.2)
    expect(total!.yearBefore).toBe(-8.7)
  })

  it('has no total where nothing was scored, and no change against it', () => {
    const [total] = trendSeries([card(0, [], 0), card(40, [])], card(0, [], 0))
    expect(total!.values).toEqual([null, 40])
    expect([total!.before, total!.yearBefore]).toEqual([null, null])
  })

  it('follows the three weightiest KPIs of the chosen period, with the server’s changes', () => {
    const now = [
      metric('a', 10, 1),
      metric('b', 30, 5, { before: { actual: 4, change_pct: 25 }, year_before: { actual: 0 } }),
      metric('c', 20, 7),
      metric('d', 20, 9, { status: 'no_actual' }),
    ]
    const series = trendSeries([card(1, [metric('b', 30, 4), metric('c', 20, 6)]), card(2, now)], null)
    expect(series.map((s) => s.key)).toEqual(['total', 'b', 'c', 'd'])
    expect(series[1]).toMatchObject({ values: [4, 5], before: 25, yearBefore: null })
    expect(series[2]!.values).toEqual([6, 7])
    expect(series[3]!.values).toEqual([null, null]) // no figures is not a 0
  })

  it('is empty without the chosen period’s card', () => {
    expect(trendSeries([card(1, []), null], null)).toEqual([])
  })
})
