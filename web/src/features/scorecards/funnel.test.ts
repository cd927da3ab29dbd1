import { describe, expect, it } from 'vitest'
import { aggregateFunnel, openStages, type Pipeline, type RepPipelineMetrics } from './funnel'

const stage = (key: string, name: string, outcome = 'open') => ({ id: key, key, name, outcome, probability: 0, sla_days: 0, checklist: [] })
const pipelines = [
  { id: 'p1', name: 'Store listing', revision: 1, rules: [], updated_at: '', stages: [stage('lead', 'Lead'), stage('proposal', 'Proposal'), stage('won', 'Listed', 'won'), stage('lost', 'Lost', 'lost')] },
  { id: 'p2', name: 'Projects', revision: 1, rules: [], updated_at: '', stages: [stage('lead', 'Lead (projects)'), stage('tender', 'Tender')] },
] as unknown as Pipeline[]

function rep(id: string, conversion: [string, number, number][], extra: Partial<RepPipelineMetrics> = {}): RepPipelineMetrics {
  return {
    rep_id: id, new_opportunities: 1, won: 1, lost: 0, win_rate: 1, won_value: '0', open_value: '0', weighted_value: '0', avg_sales_cycle_days: 0,
    conversion: conversion.map(([s, entered, advanced]) => ({ stage: s, entered, advanced, rate: entered ? advanced / entered : 1 })),
    ...extra,
  }
}

describe('funnel', () => {
  it('takes the open stages of every pipeline in order, a shared key once, under its first name', () => {
    expect(openStages(pipelines)).toEqual([
      { key: 'lead', name: 'Lead' },
      { key: 'proposal', name: 'Proposal' },
      { key: 'tender', name: 'Tender' },
    ])
  })

  it('adds up the reps in scope only and recomputes each rate from the sums', () => {
    const reps = [
      rep('a', [['lead', 3, 2], ['proposal', 2, 1]], { new_opportunities: 3, won: 1, lost: 1 }),
      rep('b', [['lead', 1, 0]], { new_opportunities: 2, won: 0, lost: 2 }),
      rep('outsider', [['lead', 50, 50]]),
    ]
    const f = aggregateFunnel(reps, openStages(pipelines), new Set(['a', 'b']))
    expect(f.stages.map((s) => [s.key, s.entered, s.advanced, s.rate])).toEqual([
      ['lead', 4, 2, 0.5], // 2/4, not the mean of 2/3 and 0/1
      ['proposal', 2, 1, 0.5],
      ['tender', 0, 0, null], // nothing entered: no rate, not the API's 1
    ])
    expect([f.reps, f.newOpportunities, f.won, f.lost]).toEqual([2, 5, 1, 3])
  })

  it('keeps a stage no longer in any pipeline, after the others, named by its key', () => {
    const f = aggregateFunnel([rep('a', [['retired', 2, 1], ['lead', 1, 1]])], openStages(pipelines), new Set(['a']))
    expect(f.stages.map((s) => s.key)).toEqual(['lead', 'proposal', 'tender', 'retired'])
    expect(f.stages[3]).toMatchObject({ name: 'retired', entered: 2, advanced: 1, rate: 0.5 })
  })

  it('is all zeros for a scope without reps', () => {
    const f = aggregateFunnel([rep('a', [['lead', 1, 1]])], openStages(pipelines), new Set())
    expect(f.reps).toBe(0)
    expect(f.stages.every((s) => s.entered === 0 && s.rate === null)).toBe(true)
  })
})
