// The region tree as the pages show it, built from the API's flat list: nodes with their
// children (by name), the rows a person sees with some branches folded, the keys that move
// through it (the WAI-ARIA tree pattern), and the people counted per region and subtree.
import type { Region, User } from '@/api/types'

export interface RegionNode {
  region: Region
  children: RegionNode[]
  /** 0 for a top node of the list (the root for a tenant admin). */
  level: number
  parent: RegionNode | null
}

/** Nests the flat list. A region whose parent is not in the list stands at the top. */
export function buildRegionTree(regions: readonly Region[]): RegionNode[] {
  const byId = new Map<string, RegionNode>()
  for (const r of regions) byId.set(r.id, { region: r, children: [], level: 0, parent: null })
  const roots: RegionNode[] = []
  for (const node of byId.values()) {
    const parent = node.region.parent_id ? byId.get(node.region.parent_id) : undefined
    // A region listed as its own ancestor (bad data) would loop for ever: it goes to the top.
    if (parent && !isAncestor(node, parent)) {
      node.parent = parent
      parent.children.push(node)
    } else roots.push(node)
  }
  const order = (nodes: RegionNode[], level: number) => {
    nodes.sort((a, b) => a.region.name.localeCompare(b.region.name))
    for (const n of nodes) {
      n.level = level
      order(n.children, level + 1)
    }
  }
  order(roots, 0)
  return roots
}

function isAncestor(node: RegionNode, of: RegionNode): boolean {
  for (let p: RegionNode | null = of; p; p = p.parent) if (p === node) return true
  return false
}

/** The rows on screen: every top node, and the children of each expanded node, depth first. */
export function visibleRows(roots: readonly RegionNode[], expanded: ReadonlySet<string>): RegionNode[] {
  const out: RegionNode[] = []
  const walk = (nodes: readonly RegionNode[]) => {
    for (const n of nodes) {
      out.push(n)
      if (expanded.has(n.region.id)) walk(n.children)
    }
  }
  walk(roots)
  return out
}

/** Every node, depth first, for pickers that list the whole tree indented. */
export function allRows(roots: readonly RegionNode[]): RegionNode[] {
  return visibleRows(roots, new Set(flatIds(roots)))
}

function flatIds(nodes: readonly RegionNode[]): string[] {
  return nodes.flatMap((n) => [n.region.id, ...flatIds(n.children)])
}

/** The ids of a node and everything below it: where it cannot be moved to. */
export function subtreeIds(node: RegionNode): Set<string> {
  return new Set(flatIds([node]))
}

export interface TreeMove {
  focus?: string
  expand?: string
  collapse?: string
  select?: string
}

/** What a key does on the focused row: move focus, fold or unfold, or choose the region. */
export function treeKey(key: string, rows: readonly RegionNode[], focused: string, expanded: ReadonlySet<string>): TreeMove | null {
  const i = rows.findIndex((r) => r.region.id === focused)
  if (i < 0) return rows[0] ? { focus: rows[0].region.id } : null
  const node = rows[i]!
  const id = node.region.id
  const open = expanded.has(id)
  switch (key) {
    case 'ArrowDown':
      return rows[i + 1] ? { focus: rows[i + 1]!.region.id } : null
    case 'ArrowUp':
      return i > 0 ? { focus: rows[i - 1]!.region.id } : null
    case 'Home':
      return { focus: rows[0]!.region.id }
    case 'End':
      return { focus: rows[rows.length - 1]!.region.id }
    case 'ArrowRight':
      if (!node.children.length) return null
      return open ? { focus: node.children[0]!.region.id } : { expand: id }
    case 'ArrowLeft':
      if (open && node.children.length) return { collapse: id }
      return node.parent ? { focus: node.parent.region.id } : null
    case 'Enter':
    case ' ':
      return { select: id }
    default:
      return null
  }
}

export interface PeopleCount {
  /** Active people placed in the region itself. */
  here: number
  /** Active people in the region and everything below it. */
  total: number
}

/** Active people per region, by the region paths (a subtree is a path prefix). */
export function countPeople(regions: readonly Region[], users: readonly User[]): Map<string, PeopleCount> {
  const here = new Map<string, number>()
  for (const u of users) if (u.status === 'active') here.set(u.region_id, (here.get(u.region_id) ?? 0) + 1)
  const out = new Map<string, PeopleCount>()
  for (const r of regions) {
    let total = 0
    for (const other of regions) if (other.path.startsWith(r.path)) total += here.get(other.id) ?? 0
    out.set(r.id, { here: here.get(r.id) ?? 0, total })
  }
  return out
}

export interface Holdings {
  subregions: number
  /** Everyone placed here, deactivated people included: they keep a region in use too. */
  people: number
  teams: number
}

/** What keeps a region from being deleted, as far as the page knows (customers it does not). */
export function holdings(node: RegionNode, users: readonly User[], teams: readonly { region_id: string }[]): Holdings {
  const id = node.region.id
  return {
    subregions: node.children.length,
    people: users.filter((u) => u.region_id === id).length,
    teams: teams.filter((t) => t.region_id === id).length,
  }
}
