// The company's people and regions, for the admin pages' pickers and names: read once per page.
import { computed, ref } from 'vue'
import { api, call } from '@/api/client'
import type { Region, User } from '@/api/types'

export function useDirectory() {
  const users = ref<User[]>([])
  const regions = ref<Region[]>([])
  const error = ref<unknown>(null)
  const loading = ref(false)

  async function load() {
    loading.value = true
    error.value = null
    try {
      const [r, u] = await Promise.all([call(api.GET('/api/v1/regions')), allUsers()])
      regions.value = r.regions ?? []
      users.value = u
    } catch (err) {
      error.value = err
    } finally {
      loading.value = false
    }
  }

  const userName = computed(() => new Map(users.value.map((u) => [u.id, u.name])))
  const regionName = computed(() => new Map(regions.value.map((r) => [r.id, r.name])))
  return { users, regions, error, loading, load, userName, regionName }
}

/** Every user, page by page (a company has hundreds at most). */
async function allUsers(): Promise<User[]> {
  const out: User[] = []
  let cursor: string | undefined
  for (let i = 0; i < 20; i++) {
    const page = await call(api.GET('/api/v1/users', { params: { query: { limit: 200, ...(cursor ? { cursor } : {}) } } }))
    out.push(...(page.users ?? []))
    if (!page.next_cursor) break
    cursor = page.next_cursor
  }
  return out
}

export const ROLES = ['rep', 'manager', 'hq', 'tenant_admin', 'data_specialist'] as const
