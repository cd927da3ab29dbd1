// The board's filters. Owner and region are a manager's (a rep's board is theirs alone): the
// opportunities API filters by owner but not by region, so a region keeps the owners whose home
// region lies in its subtree (the users API answers that), and the board filters on those.
import { computed, reactive, ref, watch } from 'vue'
import { api, call } from '@/api/client'
import type { Region, User } from '@/api/types'
import { useSessionStore } from '@/stores/session'
import type { BoardFilter } from './board'

export function useBoardFilters() {
  const session = useSessionStore()
  const managing = computed(() => session.isManaging)
  const owners = ref<User[]>([])
  const regions = ref<Region[]>([])
  const state = reactive({ owner: '', region: '', search: '' })
  const regionOwners = ref<Set<string> | null>(null)
  const regionError = ref<unknown>(null)

  async function load() {
    if (!managing.value) return
    // Either list may be out of the caller's reach; the filter it feeds is then left out.
    const [u, r] = await Promise.allSettled([
      call(api.GET('/api/v1/users', { params: { query: { role: 'rep', limit: 200 } } })),
      call(api.GET('/api/v1/regions')),
    ])
    if (u.status === 'fulfilled') owners.value = (u.value.users ?? []).slice().sort((a, b) => a.name.localeCompare(b.name))
    if (r.status === 'fulfilled') regions.value = r.value.regions ?? []
  }

  watch(
    () => state.region,
    async (region) => {
      regionOwners.value = null
      regionError.value = null
      if (!region) return
      try {
        const page = await call(api.GET('/api/v1/users', { params: { query: { region_id: region, limit: 200 } } }))
        if (state.region === region) regionOwners.value = new Set((page.users ?? []).map((u) => u.id))
      } catch (err) {
        regionError.value = err
      }
    },
  )

  const filter = computed<BoardFilter>(() => {
    let keep: Set<string> | null = state.owner ? new Set([state.owner]) : null
    if (state.region) {
      const inRegion = regionOwners.value ?? new Set<string>()
      keep = keep ? new Set([...keep].filter((id) => inRegion.has(id))) : inRegion
    }
    return { owners: keep, search: state.search }
  })
  const active = computed(() => !!(state.owner || state.region || state.search.trim()))

  function clear() {
    Object.assign(state, { owner: '', region: '', search: '' })
  }

  return { managing, owners, regions, state, filter, active, regionError, load, clear }
}
