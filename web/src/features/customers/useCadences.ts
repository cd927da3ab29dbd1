// The tenant's visit cadences per customer grade, read once. When a customer is next due follows
// from its last visit, which the customers list carries, and its grade's cadence.
import { ref } from 'vue'
import { api, call } from '@/api/client'
import type { Cadences } from './nextVisit'

export function useCadences() {
  const cadences = ref<Cadences>({})
  call(api.GET('/api/v1/visit-cadences'))
    .then((c) => (cadences.value = c.every_days ?? {}))
    .catch(() => {
      // left empty: the next-visit cells stay blank rather than the list failing
    })
  return cadences
}
