// What a manager can look at: their region and the regions under it, the teams in those regions,
// and the reps the server lets them see. The API lists every region and team of the tenant, so
// the subtree is cut here by the region's path. The lists themselves are kept too (`tree`): the
// funnel and the rankings work out from them who is in a scope.
import { ref, shallowRef } from 'vue'
import { api, call } from '@/api/client'
import type { Region, Team, User } from '@/api/types'
import { useSessionStore } from '@/stores/session'
import type { ScopeTree } from './scopeTree'

export type ScopeKind = 'region' | 'team' | 'rep'

export interface ScopeOption {
  /** As the dashboard's URL and the API's unit name it: region:<id>, team:<id>, rep:<id> */
  value: string
  kind: ScopeKind
  name: string
  depth: number
}

// Every active rep, page by page: a big tenant has more than one page of them.
async function activeReps(): Promise<User[]> {
  const out: User[] = []
  let cursor: string | undefined
  for (let i = 0; i < 20; i++) {
    const page = await call(api.GET('/api/v1/users', { params: { query: { role: 'rep', status: 'active', limit: 200, ...(cursor ? { cursor } : {}) } } }))
    out.push(...(page.users ?? []))
    if (!page.next_cursor) break
    cursor = page.next_cursor
  }
  return out
}

export function useScopes() {
  const session = useSessionStore()
  const options = ref<ScopeOption[]>([])
  const tree = shallowRef<ScopeTree | null>(null)
  const loading = ref(false)
  const error = ref<unknown>(null)

  async function load() {
    loading.value = true
    error.value = null
    try {
      const [regions, teams, reps] = await Promise.all([call(api.GET('/api/v1/regions')), call(api.GET('/api/v1/teams')), activeReps()])
      const home = session.me?.user.region.path ?? '/'
      const mine = (regions.regions ?? []).filter((r: Region) => r.path.startsWith(home))
      const base = Math.min(...mine.map((r) => r.depth))
      const ids = new Set(mine.map((r) => r.id))
      const myTeams = (teams.teams ?? []).filter((tm: Team) => ids.has(tm.region_id))
      tree.value = { regions: mine, teams: myTeams, reps }
      options.value = [
        ...mine.map((r) => ({ value: `region:${r.id}`, kind: 'region' as const, name: r.name, depth: r.depth - base })),
        ...myTeams.map((tm) => ({ value: `team:${tm.id}`, kind: 'team' as const, name: tm.name, depth: 0 })),
        ...reps.map((u: User) => ({ value: `rep:${u.id}`, kind: 'rep' as const, name: u.name, depth: 0 })),
      ]
    } catch (err) {
      error.value = err
    } finally {
      loading.value = false
    }
  }

  return { options, tree, loading, error, load }
}

