// What a manager can look at: their region and the regions under it, the teams in those regions,
// and the reps the server lets them see. The API lists every region and team of the tenant, so
// the subtree is cut here by the region's path.
import { ref } from 'vue'
import { api, call } from '@/api/client'
import type { Region, Team, User } from '@/api/types'
import { useSessionStore } from '@/stores/session'

export type ScopeKind = 'region' | 'team' | 'rep'

export interface ScopeOption {
  /** As the dashboard's URL and the API's unit name it: region:<id>, team:<id>, rep:<id> */
  value: string
  kind: ScopeKind
  name: string
  depth: number
}

export function useScopes() {
  const session = useSessionStore()
  const options = ref<ScopeOption[]>([])
  const loading = ref(false)
  const error = ref<unknown>(null)

  async function load() {
    loading.value = true
    error.value = null
    try {
      const [regions, teams, reps] = await Promise.all([
        call(api.GET('/api/v1/regions')),
        call(api.GET('/api/v1/teams')),
        call(api.GET('/api/v1/users', { params: { query: { role: 'rep', status: 'active', limit: 200 } } })),
      ])
      const home = session.me?.user.region.path ?? '/'
      const mine = (regions.regions ?? []).filter((r: Region) => r.path.startsWith(home))
      const base = Math.min(...mine.map((r) => r.depth))
      const ids = new Set(mine.map((r) => r.id))
      options.value = [
        ...mine.map((r) => ({ value: `region:${r.id}`, kind: 'region' as const, name: r.name, depth: r.depth - base })),
        ...(teams.teams ?? [])
          .filter((tm: Team) => ids.has(tm.region_id))
          .map((tm) => ({ value: `team:${tm.id}`, kind: 'team' as const, name: tm.name, depth: 0 })),
        ...(reps.users ?? []).map((u: User) => ({ value: `rep:${u.id}`, kind: 'rep' as const, name: u.name, depth: 0 })),
      ]
    } catch (err) {
      error.value = err
    } finally {
      loading.value = false
    }
  }

  return { options, loading, error, load }
}
