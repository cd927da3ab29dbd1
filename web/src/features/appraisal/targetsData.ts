// What the targets page stands on: the reps' KPI template as columns, the reps, teams and regions
// the caller may set targets for as rows, and a period's targets as set, with the months' when
// the period is a quarter (its unset targets are made of them).
import { computed, ref, shallowRef } from 'vue'
import { api, call } from '@/api/client'
import type { Region, User } from '@/api/types'
import { useSessionStore } from '@/stores/session'
import type { Period } from '@/features/scorecards/periods'
import { monthsOf } from './targetsPeriods'
import { repFallback, unitFallback, type Change, type Column, type Fallback, type Row, type Targets } from './targets'

export type Tab = 'reps' | 'teams' | 'regions'

type Level = Column & { levels: string[] }

async function allReps(): Promise<User[]> {
  const out: User[] = []
  for (let cursor: string | undefined; ; ) {
    const page = await call(api.GET('/api/v1/users', { params: { query: { role: 'rep', status: 'active', limit: 200, cursor } } }))
    out.push(...(page.users ?? []))
    if (!page.next_cursor) return out
    cursor = page.next_cursor
  }
}

async function repTargets(period: string): Promise<Targets> {
  const out: Targets = {}
  for (const t of (await call(api.GET('/api/v1/appraisal/targets', { params: { query: { period } } }))).targets ?? []) {
    ;(out[t.rep_id] ??= {})[t.metric] = t.value
  }
  return out
}

export function useTargetsData() {
  const session = useSessionStore()
  const columns = shallowRef<Level[]>([])
  const rows = shallowRef<Record<Tab, Row[]>>({ reps: [], teams: [], regions: [] })
  const loading = ref(false)
  const error = ref<unknown>(null)
  const repSaved = ref<Targets>({})
  const unitSaved = ref<Targets>({})
  /** Units whose targets the server would not show (out of reach, or with no rep). */
  const refused = ref<Record<string, unknown>>({})
  const months = shallowRef<Targets[] | undefined>()

  async function loadSetup() {
    const [metrics, templates, reps, teams, regions] = await Promise.all([
      call(api.GET('/api/v1/appraisal/metrics')),
      call(api.GET('/api/v1/appraisal/templates')),
      allReps(),
      call(api.GET('/api/v1/teams')),
      call(api.GET('/api/v1/regions')),
    ])
    // The oldest template for reps is the one they are scored with (the server's repTemplate).
    const template = (templates.templates ?? []).find((t) => t.template.applies_to.roles?.includes('rep'))
    columns.value = (template?.template.metrics ?? []).flatMap((it) => {
      const m = (metrics.metrics ?? []).find((x) => x.key === it.key)
      if (!m) return []
      return [{ key: m.key, nameZh: m.name_zh, nameEn: m.name_en, unit: m.unit, sums: m.aggregation === 'sum', fallback: it.target, levels: m.levels ?? [] }]
    })
    // A manager sets the targets of their region subtree; the lists hold the whole tenant's.
    const home = session.me?.user.region.path ?? '/'
    const mine = (regions.regions ?? []).filter((r: Region) => r.path.startsWith(home))
    const base = Math.min(...mine.map((r) => r.depth))
    const pathOf = new Map(mine.map((r) => [r.id, r.path]))
    const repIds = new Set(reps.map((u) => u.id))
    const byName = (a: Row, b: Row) => a.name.localeCompare(b.name, 'zh-CN')
    rows.value = {
      reps: reps.map((u) => ({ id: u.id, name: u.name })).sort(byName),
      teams: (teams.teams ?? [])
        .filter((tm) => pathOf.has(tm.region_id))
        .map((tm) => ({ id: `team:${tm.id}`, name: tm.name, members: (tm.member_ids ?? []).filter((id) => repIds.has(id)) }))
        .sort(byName),
      regions: mine.map((r) => ({
        id: `region:${r.id}`,
        name: r.name,
        depth: r.depth - base,
        members: reps.filter((u) => pathOf.get(u.region_id)?.startsWith(r.path)).map((u) => u.id),
      })),
    }
  }

  // A load overtaken by a later one (the period changed while it ran) must not land last.
  let ticket = 0

  async function loadUnits(period: string, units: Row[], mine: number) {
    const saved: Targets = {}
    const out: Record<string, unknown> = {}
    await Promise.all(
      units.map(async (u) => {
        try {
          const list = await call(api.GET('/api/v1/appraisal/unit-targets', { params: { query: { unit: u.id, period } } }))
          saved[u.id] = Object.fromEntries((list.targets ?? []).map((t) => [t.metric, t.value]))
        } catch (err) {
          out[u.id] = err
        }
      }),
    )
    if (mine !== ticket) return
    unitSaved.value = saved
    refused.value = out
  }

  /** The period's targets (and its months', for a quarter); the units' own too, for a unit tab. */
  async function load(period: Period, tab: Tab) {
    const mine = ++ticket
    loading.value = true
    error.value = null
    try {
      if (!columns.value.length) await loadSetup()
      const [own, ...ofMonths] = await Promise.all([period.id, ...monthsOf(period)].map(repTargets))
      if (mine !== ticket) return
      repSaved.value = own ?? {}
      months.value = ofMonths.length ? ofMonths : undefined
      if (tab !== 'reps') await loadUnits(period.id, rows.value[tab], mine)
    } catch (err) {
      if (mine === ticket) error.value = err
    } finally {
      if (mine === ticket) loading.value = false
    }
  }

  const level = (tab: Tab) => (tab === 'reps' ? 'rep' : tab === 'teams' ? 'team' : 'region')
  const columnsOf = (tab: Tab) => columns.value.filter((c) => c.levels.includes(level(tab)))
  const savedOf = (tab: Tab) => (tab === 'reps' ? repSaved.value : unitSaved.value)

  function fallback(tab: Tab, row: Row, col: Column): Fallback | undefined {
    if (tab === 'reps') return repFallback(col, row.id, months.value)
    return unitFallback(col, row.members ?? [], repSaved.value, months.value)
  }

  /** Saved changes, kept as saved without asking the server again. */
  function remember(tab: Tab, changes: Change[]) {
    const target = tab === 'reps' ? repSaved : unitSaved
    const next = { ...target.value }
    for (const c of changes) next[c.row] = { ...next[c.row], [c.metric]: c.value }
    target.value = next
  }

  const hasSetup = computed(() => columns.value.length > 0)
  return { columns, rows, loading, error, refused, months, hasSetup, load, columnsOf, savedOf, fallback, remember }
}
