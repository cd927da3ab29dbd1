// A scorecard for the chosen scope and period: a rep's from /appraisal/scorecard, a team's or
// region's from /appraisal/unit-scorecard. Both carry the same metrics; the rep's also has the
// suggested next steps.
import { ref, shallowRef } from 'vue'
import { api, call } from '@/api/client'
import type { Scorecard, UnitScorecard } from '@/api/types'

export type AnyScorecard = (Scorecard & { kind: 'rep' }) | (UnitScorecard & { kind: 'unit' })

export function useScorecard() {
  const card = shallowRef<AnyScorecard | null>(null)
  const loading = ref(false)
  const error = ref<unknown>(null)
  let asked = 0

  async function load(scope: string, period: string) {
    const ticket = ++asked // a slower earlier answer must not overwrite a newer one
    loading.value = true
    error.value = null
    try {
      const [kind, id] = scope.split(':') as [string, string]
      const answer: AnyScorecard =
        kind === 'rep'
          ? { kind: 'rep', ...(await call(api.GET('/api/v1/appraisal/scorecard', { params: { query: { rep_id: id, period } } }))) }
          : { kind: 'unit', ...(await call(api.GET('/api/v1/appraisal/unit-scorecard', { params: { query: { unit: scope, period } } }))) }
      if (ticket === asked) card.value = answer
    } catch (err) {
      if (ticket === asked) {
        error.value = err
        card.value = null
      }
    } finally {
      if (ticket === asked) loading.value = false
    }
  }

  return { card, loading, error, load }
}
