// Each listed customer's last visit, and so when it is next due. The customers list does not carry
// visits, so each shown customer's newest visit is asked for (one page of the list at a time, a few
// requests at once), with the tenant's cadences read once.
import { reactive, ref } from 'vue'
import { api, call } from '@/api/client'
import type { Cadences } from './nextVisit'

const AT_ONCE = 4

export function useVisitFacts() {
  /** customer id → its newest visit's start, null when never visited; absent while unknown. */
  const lastVisit = reactive(new Map<string, string | null>())
  const cadences = ref<Cadences>({})
  let cadencesAsked = false

  async function loadFor(customerIds: string[]) {
    if (!cadencesAsked) {
      cadencesAsked = true
      call(api.GET('/api/v1/visit-cadences'))
        .then((c) => (cadences.value = c.every_days ?? {}))
        .catch(() => (cadencesAsked = false))
    }
    const queue = customerIds.filter((id) => !lastVisit.has(id))
    const worker = async () => {
      for (let id = queue.shift(); id; id = queue.shift()) {
        try {
          const page = await call(api.GET('/api/v1/visits', { params: { query: { customer_id: id, limit: 1 } } }))
          lastVisit.set(id, page.visits?.[0]?.started_at ?? null)
        } catch {
          // left unknown: the cell stays blank rather than the list failing
        }
      }
    }
    await Promise.all(Array.from({ length: AT_ONCE }, worker))
  }

  return { lastVisit, cadences, loadFor }
}
