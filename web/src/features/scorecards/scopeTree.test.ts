import { describe, expect, it } from 'vitest'
import type { Region, Team, User } from '@/api/types'
import { rankingRegion, repsOf, repsToRank, subregions, teamsUnder, type ScopeTree } from './scopeTree'

const region = (id: string, path: string, parent: string | null, depth: number): Region =>
  ({ id, name: id, path, parent_id: parent, depth }) as unknown as Region
const team = (id: string, region_id: string, member_ids: string[]): Team => ({ id, name: id, region_id, member_ids }) as unknown as Team
const rep = (id: string, region_id: string): User => ({ id, name: id, region_id }) as unknown as User

// east ─┬─ shandong ─ jinan      team sd (shandong): manager + r1 + r2
//       └─ jiangsu               team js (jiangsu): r3
const tree: ScopeTree = {
  regions: [
    region('east', '/east/', null, 1),
    region('shandong', '/east/shandong/', 'east', 2),
    region('jinan', '/east/shandong/jinan/', 'shandong', 3),
    region('jiangsu', '/east/jiangsu/', 'east', 2),
  ],
  teams: [team('sd', 'shandong', ['manager', 'r1', 'r2']), team('js', 'jiangsu', ['r3'])],
  reps: [rep('r1', 'jinan'), rep('r2', 'shandong'), rep('r3', 'jiangsu')],
}

describe('scope tree', () => {
  it('counts a region’s reps with its subregions’, and a team’s members who are reps', () => {
    expect(repsOf(tree, 'region:shandong').sort()).toEqual(['r1', 'r2'])
    expect(repsOf(tree, 'region:east').sort()).toEqual(['r1', 'r2', 'r3'])
    expect(repsOf(tree, 'team:sd').sort()).toEqual(['r1', 'r2']) // not the manager
    expect(repsOf(tree, 'rep:r3')).toEqual(['r3'])
    expect(repsOf(tree, 'region:elsewhere')).toEqual([])
  })

  it('ranks the chosen region’s children and the teams under it', () => {
    const east = rankingRegion(tree, 'region:east')
    expect(subregions(tree, east).map((u) => u.scope)).toEqual(['region:shandong', 'region:jiangsu'])
    expect(teamsUnder(tree, east).map((u) => u.scope)).toEqual(['team:sd', 'team:js'])
    expect(teamsUnder(tree, rankingRegion(tree, 'region:jiangsu')).map((u) => u.scope)).toEqual(['team:js'])
  })

  it('keeps the manager’s own region’s rankings when a team or a rep is chosen', () => {
    expect(rankingRegion(tree, 'team:sd')?.id).toBe('east')
    expect(rankingRegion(tree, 'rep:r1')?.id).toBe('east')
  })

  it('ranks the reps of a team or a region, none for a rep', () => {
    expect(repsToRank(tree, 'team:js')).toEqual([{ scope: 'rep:r3', name: 'r3' }])
    expect(repsToRank(tree, 'rep:r1')).toEqual([])
  })
})
