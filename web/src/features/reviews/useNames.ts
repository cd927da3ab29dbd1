// Names for the ids a visit carries. The review queue's visits name their customer and rep by id
// only, so the names are fetched once each and kept for the page's life.
import { reactive } from 'vue'
import { api, call } from '@/api/client'

export function useNames() {
  const customers = reactive(new Map<string, string>())
  const users = reactive(new Map<string, string>())
  const asked = new Set<string>()

  function want(kind: 'customer' | 'user', id: string) {
    const key = `${kind}:${id}`
    if (!id || asked.has(key)) return
    asked.add(key)
    const request =
      kind === 'customer'
        ? call(api.GET('/api/v1/customers/{id}', { params: { path: { id } } })).then((c) => customers.set(id, c.name))
        : call(api.GET('/api/v1/users/{id}', { params: { path: { id } } })).then((u) => users.set(id, u.name))
    request.catch(() => asked.delete(key)) // asked again next time rather than never
  }

  return {
    customer: (id: string) => (want('customer', id), customers.get(id)),
    user: (id: string) => (want('user', id), users.get(id)),
  }
}
