// The opportunity funnel of a scope and period, from the per-rep figures of /pipeline-metrics.
// The API counts, per rep and open stage, the entries into the stage in the period and how many
// of those moved on to a later stage (or were won) by the period's end; a team or region is its
// reps' counts added up, and its rates recomputed from the sums (never averaged).
import type { components } from '@/api/schema'

export type RepPipelineMetrics = components['schemas']['RepPipelineMetricsDTO']
export type Pipeline = components['schemas']['PipelineDTO']

export interface StageRef {
  key: string
  name: string
}

export interface FunnelStage extends StageRef {
  /** entries into the stage in the period (an opportunity that came back counts again) */
  entered: number
  /** of those entries, followed by a move to a later stage or a win by the period's end */
  advanced: number
  /** advanced / entered; null when none entered (nothing to judge) */
  rate: number | null
}

export interface Funnel {
  stages: FunnelStage[]
  /** the reps whose figures were added up */
  reps: number
  newOpportunities: number
  won: number
  lost: number
}

/**
 * The open stages of every pipeline, in pipeline order, each key once: the API's conversion is by
 * stage key across pipelines, so two pipelines sharing a key share a step of the funnel.
 */
export function openStages(pipelines: readonly Pipeline[]): StageRef[] {
  const out: StageRef[] = []
  const seen = new Set<string>()
  for (const p of pipelines) {
    for (const st of p.stages ?? []) {
      if (st.outcome !== 'open' || seen.has(st.key)) continue
      seen.add(st.key)
      out.push({ key: st.key, name: st.name })
    }
  }
  return out
}

/** Adds up the figures of the reps in scope, stage by stage, in the pipelines' order. */
export function aggregateFunnel(reps: readonly RepPipelineMetrics[], order: readonly StageRef[], inScope: ReadonlySet<string>): Funnel {
  const byKey = new Map<string, FunnelStage>(order.map((s) => [s.key, { ...s, entered: 0, advanced: 0, rate: null }]))
  const funnel: Funnel = { stages: [], reps: 0, newOpportunities: 0, won: 0, lost: 0 }
  for (const rep of reps) {
    if (!inScope.has(rep.rep_id)) continue
    funnel.reps++
    funnel.newOpportunities += rep.new_opportunities
    funnel.won += rep.won
    funnel.lost += rep.lost
    for (const c of rep.conversion ?? []) {
      // A stage since removed from its pipeline still has its history: kept, after the others.
      if (!byKey.has(c.stage)) byKey.set(c.stage, { key: c.stage, name: c.stage, entered: 0, advanced: 0, rate: null })
      const stage = byKey.get(c.stage)!
      stage.entered += c.entered
      stage.advanced += c.advanced
    }
  }
  funnel.stages = [...byKey.values()].map((s) => ({ ...s, rate: s.entered ? s.advanced / s.entered : null }))
  return funnel
}
