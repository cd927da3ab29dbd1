// The scorecards of the trend's periods (six months or four quarters, ending with the chosen one)
// and of the chosen period a year before, asked for together; the cache keeps them per scope and
// period, so going back to a view costs nothing.
import { computed, ref, shallowRef } from 'vue'
import { fetchCard, type AnyScorecard } from './cards'
import { trailingPeriods, yearBefore, type Period } from './periods'
import { trendSeries } from './trend'

export function useTrend() {
  const periods = shallowRef<Period[]>([])
  const cards = shallowRef<(AnyScorecard | null)[]>([])
  const yearAgo = shallowRef<AnyScorecard | null>(null)
  const loading = ref(false)
  const error = ref<unknown>(null)
  let asked = 0

  async function load(scope: string, period: Period) {
    const ticket = ++asked
    const wanted = trailingPeriods(period)
    loading.value = true
    error.value = null
    const answers = await Promise.allSettled([...wanted, yearBefore(period)].map((p) => fetchCard(scope, p.id)))
    if (ticket !== asked) return
    const got = answers.map((a) => (a.status === 'fulfilled' ? a.value : null))
    const chosen = answers[wanted.length - 1]!
    // Without the chosen period's card there is nothing to draw; an earlier period's failure is
    // only a gap in the line.
    error.value = chosen.status === 'rejected' ? chosen.reason : null
    periods.value = wanted
    cards.value = got.slice(0, wanted.length)
    yearAgo.value = got[wanted.length] ?? null
    loading.value = false
  }

  const series = computed(() => (error.value ? [] : trendSeries(cards.value, yearAgo.value)))
  return { periods, cards, series, loading, error, load }
}
