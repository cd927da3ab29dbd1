import { describe, expect, it } from 'vitest'
import type { Region, User } from '@/api/types'
import { allRows, buildRegionTree, countPeople, holdings, subtreeIds, treeKey, visibleRows } from './regionTree'
import { blankDraft, bodyOf, builtinByRole, draftOf, fieldOfLocation, knownKinds, serverIssues, validatePolicy, type Policy } from './policyForm'

// A tree given out of order, as ids: root > East (Shandong > Jinan, Qingdao), South.
const at = '2026-01-01T00:00:00Z'
function region(id: string, name: string, parent: string | null, path: string): Region {
  // The schema types parent_id as a string; the root's is null on the wire.
  return { id, name, parent_id: parent, path, depth: path.split('/').length - 3, created_at: at, updated_at: at } as unknown as Region
}
const REGIONS = [
  region('jn', 'Jinan', 'sd', '/r/e/sd/jn/'),
  region('r', 'HQ', null, '/r/'),
  region('s', 'South', 'r', '/r/s/'),
  region('qd', 'Qingdao', 'sd', '/r/e/sd/qd/'),
  region('e', 'East', 'r', '/r/e/'),
  region('sd', 'Shandong', 'e', '/r/e/sd/'),
]
function user(id: string, regionId: string, status: 'active' | 'disabled' = 'active'): User {
  return { id, email: `${id}@x.test`, name: id, phone: '', roles: ['rep'], region_id: regionId, manager_id: null, status, created_at: at, updated_at: at } as unknown as User
}
const names = (rows: { region: Region }[]) => rows.map((r) => r.region.name)

describe('the region tree', () => {
  it('nests the flat list, children by name, with their levels', () => {
    const roots = buildRegionTree(REGIONS)
    expect(names(roots)).toEqual(['HQ'])
    const rows = allRows(roots)
    expect(names(rows)).toEqual(['HQ', 'East', 'Shandong', 'Jinan', 'Qingdao', 'South'])
    expect(rows.map((r) => r.level)).toEqual([0, 1, 2, 3, 3, 1])
    expect(rows.find((r) => r.region.id === 'jn')?.parent?.region.name).toBe('Shandong')
  })

  it('puts a region whose parent is not listed, or that loops, at the top', () => {
    const roots = buildRegionTree([region('a', 'A', 'b', '/b/a/'), region('b', 'B', 'a', '/a/b/'), region('c', 'C', 'gone', '/gone/c/')])
    expect(names(allRows(roots)).sort()).toEqual(['A', 'B', 'C'])
    expect(roots.length).toBeGreaterThanOrEqual(2)
  })

  it('shows only the children of unfolded regions', () => {
    const roots = buildRegionTree(REGIONS)
    expect(names(visibleRows(roots, new Set()))).toEqual(['HQ'])
    expect(names(visibleRows(roots, new Set(['r', 'sd'])))).toEqual(['HQ', 'East', 'South'])
    expect(names(visibleRows(roots, new Set(['r', 'e'])))).toEqual(['HQ', 'East', 'Shandong', 'South'])
  })

  it('knows a subtree, where a region cannot move to', () => {
    const east = allRows(buildRegionTree(REGIONS)).find((r) => r.region.id === 'e')!
    expect([...subtreeIds(east)].sort()).toEqual(['e', 'jn', 'qd', 'sd'])
  })

  it('moves through the rows by keys as a tree does', () => {
    const roots = buildRegionTree(REGIONS)
    const open = new Set(['r', 'e'])
    const rows = visibleRows(roots, open) // HQ, East, Shandong, South
    expect(treeKey('ArrowDown', rows, 'e', open)).toEqual({ focus: 'sd' })
    expect(treeKey('ArrowUp', rows, 'e', open)).toEqual({ focus: 'r' })
    expect(treeKey('ArrowUp', rows, 'r', open)).toBeNull()
    expect(treeKey('ArrowRight', rows, 'sd', open)).toEqual({ expand: 'sd' })
    expect(treeKey('ArrowRight', rows, 'e', open)).toEqual({ focus: 'sd' })
    expect(treeKey('ArrowRight', rows, 's', open)).toBeNull() // no children
    expect(treeKey('ArrowLeft', rows, 'e', open)).toEqual({ collapse: 'e' })
    expect(treeKey('ArrowLeft', rows, 'sd', open)).toEqual({ focus: 'e' })
    expect(treeKey('End', rows, 'r', open)).toEqual({ focus: 's' })
    expect(treeKey('Home', rows, 's', open)).toEqual({ focus: 'r' })
    expect(treeKey('Enter', rows, 'sd', open)).toEqual({ select: 'sd' })
    expect(treeKey('x', rows, 'sd', open)).toBeNull()
    expect(treeKey('ArrowDown', rows, 'gone', open)).toEqual({ focus: 'r' })
  })

  it('counts active people per region and subtree, and what holds a region', () => {
    const users = [user('a', 'jn'), user('b', 'jn'), user('c', 'qd'), user('d', 'jn', 'disabled'), user('e', 'r')]
    const counts = countPeople(REGIONS, users)
    expect(counts.get('jn')).toEqual({ here: 2, total: 2 })
    expect(counts.get('sd')).toEqual({ here: 0, total: 3 })
    expect(counts.get('r')).toEqual({ here: 1, total: 4 })
    expect(counts.get('s')).toEqual({ here: 0, total: 0 })
    const rows = allRows(buildRegionTree(REGIONS))
    expect(holdings(rows.find((r) => r.region.id === 'jn')!, users, [{ region_id: 'jn' }])).toEqual({ subregions: 0, people: 3, teams: 1 })
    expect(holdings(rows.find((r) => r.region.id === 'sd')!, users, [])).toEqual({ subregions: 2, people: 0, teams: 0 })
  })
})

const ROLES = ['rep', 'manager', 'hq', 'tenant_admin', 'data_specialist']
const KINDS = ['customer', 'order', 'user']
const USER_ID = '0192f3a4-5b6c-7d8e-9f01-23456789abcd'

describe('the policy form', () => {
  it('asks for subjects, actions, kinds and a scope before sending', () => {
    expect(validatePolicy(blankDraft(), ROLES, KINDS)).toEqual({ subjects: 'subjectsNone', actions: 'actionsNone', kinds: 'kindsNone', scope: 'scopeNone' })
  })

  it('passes a complete draft and refuses unknown roles, people, kinds and long descriptions', () => {
    const good = { ...blankDraft(), roles: ['data_specialist'], users: [USER_ID], actions: ['export' as const], kinds: ['customer'], scope: 'tenant' as const }
    expect(validatePolicy(good, ROLES, KINDS)).toEqual({})
    expect(validatePolicy({ ...good, roles: ['boss'] }, ROLES, KINDS)).toEqual({ subjects: 'subjectUnknown' })
    expect(validatePolicy({ ...good, users: ['not-an-id'] }, ROLES, KINDS)).toEqual({ subjects: 'subjectUnknown' })
    expect(validatePolicy({ ...good, kinds: ['spaceship'] }, ROLES, KINDS)).toEqual({ kinds: 'kindUnknown' })
    expect(validatePolicy({ ...good, description: 'x'.repeat(501) }, ROLES, KINDS)).toEqual({ description: 'descriptionLong' })
    expect(validatePolicy({ ...good, description: `  ${'x'.repeat(500)}  ` }, ROLES, KINDS)).toEqual({})
  })

  it('makes the body the API takes, and reads a policy back', () => {
    const draft = { ...blankDraft(), description: ' Export ', roles: ['hq'], users: [USER_ID], actions: ['export' as const, 'read' as const], kinds: ['order'], scope: 'region' as const, effect: 'deny' as const }
    const body = bodyOf(draft)
    expect(body).toEqual({ description: 'Export', subjects: ['role:hq', `user:${USER_ID}`], actions: ['read', 'export'], kinds: ['order'], scope: 'region', effect: 'deny', disabled: false })
    const back = draftOf({ ...body, id: 'p', builtin: false, disabled: true } as Policy)
    expect(back).toMatchObject({ roles: ['hq'], users: [USER_ID], actions: ['read', 'export'], kinds: ['order'], scope: 'region', effect: 'deny', disabled: true })
  })

  it('places the server’s field problems on the form’s fields', () => {
    expect(fieldOfLocation('body.subjects[1]')).toBe('subjects')
    expect(fieldOfLocation('body.scope')).toBe('scope')
    expect(fieldOfLocation('body.nonsense')).toBeNull()
    expect(fieldOfLocation(undefined)).toBeNull()
    const placed = serverIssues([{ location: 'body.kinds[0]' }, { location: 'body.effect' }, { location: 'path.id' }, {}])
    expect(placed).toEqual({ byField: { kinds: 'kindUnknown', effect: 'effectNone' }, others: 2 })
  })

  it('reads the kinds the server knows and each role’s built-in rules from the policies', () => {
    const p = (id: string, subjects: string[], kinds: string[], builtin = true) =>
      ({ id, description: '', subjects, actions: ['read'], kinds, scope: 'tenant', effect: 'allow', builtin, disabled: false }) as Policy
    const policies = [p('1', ['role:rep'], ['customer']), p('2', ['role:tenant_admin'], ['user', 'customer', 'order']), p('3', ['role:rep'], ['spaceship'], false)]
    expect(knownKinds(policies)).toEqual(['customer', 'order', 'user'])
    const byRole = builtinByRole(policies, ['rep', 'hq'])
    expect(byRole.map((r) => [r.role, r.rules.map((x) => x.id)])).toEqual([
      ['rep', ['1']],
      ['hq', []],
    ])
  })
})
