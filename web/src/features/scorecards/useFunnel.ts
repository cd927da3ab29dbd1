// The funnel of a scope and period: one /pipeline-metrics call (per rep for a rep; for a team or
// region, every rep the caller may see, of whom the scope's are added up) and the pipelines'
// stages for their names and order.
import { ref, shallowRef } from 'vue'
import { api, call } from '@/api/client'
import { aggregateFunnel, openStages, type Funnel, type Pipeline } from './funnel'
import { periodSpan, type Period } from './periods'
import { repsOf, type ScopeTree } from './scopeTree'

export function useFunnel() {
  const funnel = shallowRef<Funnel | null>(null)
  const loading = ref(false)
  const error = ref<unknown>(null)
  let pipelines: Promise<Pipeline[]> | null = null
  let asked = 0

  async function load(scope: string, period: Period, timeZone: string, tree: ScopeTree) {
    const ticket = ++asked
    loading.value = true
    error.value = null
    try {
      pipelines ??= call(api.GET('/api/v1/pipelines')).then((p) => p.pipelines ?? [])
      const span = periodSpan(period, timeZone)
      const rep = scope.startsWith('rep:') ? scope.slice(4) : undefined
      const [stages, metrics] = await Promise.all([
        pipelines,
        call(api.GET('/api/v1/pipeline-metrics', { params: { query: { ...span, ...(rep ? { rep_id: rep } : {}) } } })),
      ])
      if (ticket === asked) funnel.value = aggregateFunnel(metrics.reps ?? [], openStages(stages), new Set(repsOf(tree, scope)))
    } catch (err) {
      pipelines = null
      if (ticket === asked) {
        error.value = err
        funnel.value = null
      }
    } finally {
      if (ticket === asked) loading.value = false
    }
  }

  return { funnel, loading, error, load }
}
