// A scorecard for the chosen scope and period: a rep's from /appraisal/scorecard, a team's or
// region's from /appraisal/unit-scorecard. Both carry the same metrics; the rep's also has the
// suggested next steps.
import { ref, shallowRef } from 'vue'
import { fetchCard, type AnyScorecard } from './cards'

export type { AnyScorecard } from './cards'

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
      // Fresh: whoever opens or switches the view wants today's figures; the trend and the
      // rankings then reuse this answer.
      const answer = await fetchCard(scope, period, true)
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
