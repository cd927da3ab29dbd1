// Units and reps ranked by their total score for a period. A row whose score has not arrived, or
// that scored nothing (no KPI had a target, so its 0 says nothing), has no rank and sits last.

export interface RankEntry {
  /** as the dashboard's URL names it: region:<id>, team:<id>, rep:<id> */
  scope: string
  name: string
  /** the total score; null while loading or when nothing was scored */
  total: number | null
  band: string | null
  /** the total of the period before; null when unknown or not scored */
  before: number | null
}

export interface Ranked {
  /** 1 for the best; equal totals share a rank (1, 1, 3); null without a total */
  rank: number | null
  /** total − before, in points */
  change: number | null
}

/** A total as the page shows it, so that two rows shown equal also rank equal. */
const shown = (v: number) => Math.round(v * 10) / 10

export type RankedRow<T extends RankEntry = RankEntry> = T & Ranked

export function rankRows<T extends RankEntry>(entries: readonly T[], locale = 'zh-CN'): RankedRow<T>[] {
  const byName = (a: RankEntry, b: RankEntry) => a.name.localeCompare(b.name, locale)
  const scored = entries.filter((e) => e.total !== null).sort((a, b) => shown(b.total!) - shown(a.total!) || byName(a, b))
  const rest = entries.filter((e) => e.total === null).sort(byName)
  const change = (e: RankEntry) => (e.total !== null && e.before !== null ? shown(e.total - e.before) : null)
  let rank = 0
  const ranked = scored.map((e, i) => {
    if (i === 0 || shown(e.total!) !== shown(scored[i - 1]!.total!)) rank = i + 1
    return { ...e, rank, change: change(e) }
  })
  return [...ranked, ...rest.map((e) => ({ ...e, rank: null, change: null }))]
}
