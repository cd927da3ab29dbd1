// The rankings' scores: each unit's (and rep's) scorecard of the period, then of the period
// before for the change, four requests at a time, each row filled in as its answer comes. What
// the server refuses (another manager's team, a team without reps) is left out without a word.
import { ref, shallowRef, triggerRef } from 'vue'
import { fetchCards, isRefusal, scoredTotal } from './cards'
import { shiftPeriod, type Period } from './periods'
import type { RankEntry } from './ranking'
import type { Unit } from './scopeTree'

export type RankGroup = 'region' | 'team' | 'rep'

export interface RankingEntry extends RankEntry {
  group: RankGroup
  state: 'loading' | 'done' | 'failed'
  /** whether the period before's total is still being fetched */
  beforeLoading: boolean
}

export function useRankings() {
  const entries = shallowRef(new Map<string, RankingEntry>())
  const failed = ref(false)
  let generation = 0

  async function load(groups: Record<RankGroup, Unit[]>, period: Period) {
    const mine = ++generation
    const wanted = () => mine === generation
    failed.value = false
    const all = (Object.entries(groups) as [RankGroup, Unit[]][]).flatMap(([group, units]) => units.map((u) => ({ ...u, group })))
    entries.value = new Map(all.map((u) => [u.scope, { ...u, total: null, band: null, before: null, state: 'loading' as const, beforeLoading: true }]))
    const before = shiftPeriod(period, -1).id
    // Every row's own score first, so the ranking settles early; the changes follow.
    const jobs = [...all.map((u) => ({ scope: u.scope, period: period.id })), ...all.map((u) => ({ scope: u.scope, period: before }))]
    await fetchCards(
      jobs,
      (job, card, err) => {
        const row = entries.value.get(job.scope)
        if (!row) return // refused already
        const now = job.period === period.id
        if (err && now && isRefusal(err)) entries.value.delete(job.scope)
        else if (err && now) Object.assign(row, { state: 'failed' })
        else if (now) Object.assign(row, { state: 'done', total: scoredTotal(card), band: card?.band ?? null })
        else Object.assign(row, { before: scoredTotal(card), beforeLoading: false }) // refused or failed: no change shown
        if (err && !isRefusal(err)) failed.value = true
        triggerRef(entries)
      },
      wanted,
    )
  }

  return { entries, failed, load }
}
