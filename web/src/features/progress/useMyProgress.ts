// The signed-in rep's scorecard of a month, with last month's for the change in the total. Each is
// kept on the phone (offline/snapshot), so with no coverage the rep still sees the last figures
// known, and since when. Not useScorecard: that one keeps no copy and swallows the error the copy
// needs to see.
import { computed, ref, shallowRef } from 'vue'
import { api, call } from '@/api/client'
import { ApiError } from '@/api/errors'
import type { Scorecard } from '@/api/types'
import { withSnapshot } from '@/offline/snapshot'
import { useSessionStore } from '@/stores/session'
import { monthBefore, totalChange } from './months'

export function useMyProgress() {
  const session = useSessionStore()
  const card = shallowRef<Scorecard | null>(null)
  const lastMonth = shallowRef<Scorecard | null>(null)
  const stale = ref<string | null>(null)
  const loading = ref(false)
  const error = ref<unknown>(null)
  let asked = 0

  function fetchCard(rep: string, period: string) {
    return withSnapshot(`repflow.scorecard.${rep}.${period}`, () =>
      call(api.GET('/api/v1/appraisal/scorecard', { params: { query: { rep_id: rep, period } } })),
    )
  }

  async function load(period: string) {
    const ticket = ++asked // a slower answer for an earlier month must not overwrite this one
    const rep = session.me!.user.id
    loading.value = true
    error.value = null
    try {
      // Last month's total is a comparison only: without it the month's own figures still show.
      const [now, before] = await Promise.all([fetchCard(rep, period), fetchCard(rep, monthBefore(period)).catch(() => null)])
      if (ticket !== asked) return
      card.value = now.data
      lastMonth.value = before?.data ?? null
      stale.value = now.stale
    } catch (err) {
      if (ticket !== asked) return
      error.value = err
      card.value = null
      lastMonth.value = null
      stale.value = null
    } finally {
      if (ticket === asked) loading.value = false
    }
  }

  const change = computed(() => (card.value ? totalChange(card.value, lastMonth.value) : null))
  /** No KPI template applies to reps yet: nothing to show, and nothing the rep did wrong. */
  const notSetUp = computed(() => error.value instanceof ApiError && error.value.code === 'no_template')

  return { card, lastMonth, change, stale, loading, error, notSetUp, load }
}
