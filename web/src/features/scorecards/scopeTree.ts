// Who is in a scope, and what a scope's rankings compare: worked out from the region tree, the
// teams and the reps the manager may see (as the scope picker loads them), the way the server's
// unit scorecard counts them: a region with its subregions' reps, a team with its members who are
// reps.
import type { Region, Team, User } from '@/api/types'

export interface ScopeTree {
  /** the manager's subtree, in the API's tree order */
  regions: Region[]
  /** the teams in that subtree */
  teams: Team[]
  reps: User[]
}

export interface Unit {
  scope: string
  name: string
}

function regionOf(tree: ScopeTree, id: string): Region | undefined {
  return tree.regions.find((r) => r.id === id)
}

/** The rep ids a scope's figures are made of. */
export function repsOf(tree: ScopeTree, scope: string): string[] {
  const [kind, id] = scope.split(':') as [string, string]
  if (kind === 'rep') return [id]
  if (kind === 'team') {
    const members = new Set(tree.teams.find((t) => t.id === id)?.member_ids ?? [])
    return tree.reps.filter((u) => members.has(u.id)).map((u) => u.id)
  }
  const region = regionOf(tree, id)
  if (!region) return []
  const inside = new Set(tree.regions.filter((r) => r.path.startsWith(region.path)).map((r) => r.id))
  return tree.reps.filter((u) => inside.has(u.region_id)).map((u) => u.id)
}

/**
 * The region whose subregions and teams are ranked: the chosen region, else (a team or a rep is
 * chosen) the manager's own, so that its peers stay in view.
 */
export function rankingRegion(tree: ScopeTree, scope: string): Region | undefined {
  const [kind, id] = scope.split(':') as [string, string]
  const chosen = kind === 'region' ? regionOf(tree, id) : undefined
  return chosen ?? tree.regions.reduce<Region | undefined>((top, r) => (!top || r.depth < top.depth ? r : top), undefined)
}

/** The regions one level below `region`: like is ranked with like, never a city with a province. */
export function subregions(tree: ScopeTree, region: Region | undefined): Unit[] {
  if (!region) return []
  return tree.regions.filter((r) => r.parent_id === region.id).map((r) => ({ scope: `region:${r.id}`, name: r.name }))
}

/** The teams anywhere in `region`'s subtree. */
export function teamsUnder(tree: ScopeTree, region: Region | undefined): Unit[] {
  if (!region) return []
  const inside = new Set(tree.regions.filter((r) => r.path.startsWith(region.path)).map((r) => r.id))
  return tree.teams.filter((t) => inside.has(t.region_id)).map((t) => ({ scope: `team:${t.id}`, name: t.name }))
}

/** The reps of a team or region, to rank; none for a rep. */
export function repsToRank(tree: ScopeTree, scope: string): Unit[] {
  if (scope.startsWith('rep:')) return []
  const ids = new Set(repsOf(tree, scope))
  return tree.reps.filter((u) => ids.has(u.id)).map((u) => ({ scope: `rep:${u.id}`, name: u.name }))
}
