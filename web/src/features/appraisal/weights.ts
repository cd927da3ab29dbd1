// The KPI template's weight rule and the live preview of edited weights, kept out of the
// components so that both can be checked by hand-computed tests.
import type { MetricScore } from '@/api/types'

/** Why Save is refused, as an i18n key under appraisal.weights and its values; null when fine. */
export interface WeightProblem {
  key: 'empty' | 'range' | 'sum'
  params: Record<string, number>
}

/** The running sum of the weights, counting only whole numbers (an empty box adds nothing). */
export function weightSum(weights: readonly number[]): number {
  return weights.reduce((sum, w) => sum + (Number.isInteger(w) ? w : 0), 0)
}

/**
 * The server's rule (kpi/validate.go): every weight is a whole number of percentage points from
 * 1 to 100, and together they make exactly 100. The first problem is the one Save names.
 */
export function weightProblem(weights: readonly number[]): WeightProblem | null {
  if (!weights.length) return { key: 'empty', params: {} }
  const bad = weights.findIndex((w) => !Number.isInteger(w) || w < 1 || w > 100)
  if (bad >= 0) return { key: 'range', params: { row: bad + 1 } }
  const sum = weightSum(weights)
  return sum === 100 ? null : { key: 'sum', params: { sum, gap: 100 - sum } }
}

/** The template's bands, as kpi.Band: a value takes the colour of the last band whose min it reaches. */
export interface Band {
  min: number
  colour: string
}

export function bandOf(value: number, bands: readonly Band[]): string {
  let colour = ''
  for (const b of bands) if (value >= b.min) colour = b.colour
  return colour
}

/** kpi.round: 4 decimals, so that 60 in decimal is not 59.99999999 in binary. */
const round4 = (x: number) => Math.round(x * 1e4) / 1e4

export interface PreviewLine {
  key: string
  status: string
  score: number
  /** the edited weight; null when the metric is not in the edited template */
  weight: number | null
  /** share of the total after redistributing unscored weight, in percent */
  effective: number
  contribution: number
}

export interface Preview {
  lines: PreviewLine[]
  scoredWeight: number
  total: number
  band: string
}

/**
 * How a scorecard would total with other weights, exactly as kpi.Score totals it:
 *   scoredWeight = Σ w_i over the lines with a target (status scored or no_actual)
 *   total        = Σ score_i × w_i / scoredWeight over those lines, rounded to 4 decimals
 * A line with no target (no_target) is left out and its weight shared by the others in proportion
 * (so the total stays on the 0-100 scale); a line with a target but no figures (no_actual) counts
 * at its full weight with its score of 0. Each line's score is the server's (its completion under
 * the scoring rule that made the scorecard); only the weights change. A metric dropped from the
 * edited template drops out. With nothing scored there is no total: 0 and no band, as the server.
 */
export function previewTotal(metrics: readonly Pick<MetricScore, 'key' | 'status' | 'score'>[], weights: Record<string, number>, bands: readonly Band[]): Preview {
  const weightOf = (key: string) => (Number.isInteger(weights[key]) && weights[key]! > 0 ? weights[key]! : null)
  const counted = (m: Pick<MetricScore, 'key' | 'status'>) => m.status !== 'no_target' && weightOf(m.key) !== null
  const scoredWeight = metrics.filter(counted).reduce((sum, m) => sum + weightOf(m.key)!, 0)
  let total = 0
  const lines = metrics.map((m) => {
    const weight = weightOf(m.key)
    if (!counted(m) || !scoredWeight) return { key: m.key, status: m.status, score: m.score, weight, effective: 0, contribution: 0 }
    const share = weight! / scoredWeight
    total += m.score * share
    return { key: m.key, status: m.status, score: m.score, weight, effective: round4(share * 100), contribution: round4(m.score * share) }
  })
  if (!scoredWeight) return { lines, scoredWeight, total: 0, band: '' }
  const rounded = round4(total)
  return { lines, scoredWeight, total: rounded, band: bandOf(rounded, bands) }
}
