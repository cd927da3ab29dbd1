// The reps and regions the signed-in person may see, for the filters' pickers and for naming a
// customer's rep and region. A rep sees only themselves among users; the lists are what the
// server allows, and a failure leaves the names blank rather than the page broken.
import { computed, ref } from 'vue'
import { api, call } from '@/api/client'
import type { Region, User } from '@/api/types'

export function usePeople() {
  const reps = ref<User[]>([])
  const regions = ref<Region[]>([])

  async function load() {
    const [r, u] = await Promise.allSettled([call(api.GET('/api/v1/regions')), allReps()])
    if (r.status === 'fulfilled') regions.value = r.value.regions ?? []
    if (u.status === 'fulfilled') reps.value = u.value
  }

  const repName = computed(() => new Map(reps.value.map((u) => [u.id, u.name])))
  const regionName = computed(() => new Map(regions.value.map((r) => [r.id, r.name])))
  return { reps, regions, repName, regionName, load }
}

async function allReps(): Promise<User[]> {
  const out: User[] = []
  let cursor: string | undefined
  for (let i = 0; i < 10; i++) {
    const query = { role: 'rep' as const, limit: 200, ...(cursor ? { cursor } : {}) }
    const page = await call(api.GET('/api/v1/users', { params: { query } }))
    out.push(...(page.users ?? []))
    if (!page.next_cursor) break
    cursor = page.next_cursor
  }
  return out.sort((a, b) => a.name.localeCompare(b.name))
}
