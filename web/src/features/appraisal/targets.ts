// The targets grid as pure arithmetic: what a cell shows and reads, which cells changed, the PUT
// bodies made of them, where the server's refusals go back, and the placeholder an unset cell
// shows, made the way the server makes the target it will score with (platform/appraisal:
// period.go quarterTargets, unit.go unitTargets).

/** One metric of the KPI template: a column of the grid. */
export interface Column {
  key: string
  nameZh: string
  nameEn: string
  /** count | ratio | minutes | seconds | days | money; a ratio is a fraction on the wire, a % on screen */
  unit: string
  /** Work and money add up over months and members; rates and averages are averaged. */
  sums: boolean
  /** The template's default target, in the metric's unit. */
  fallback?: number
}

/** A rep (id) or a unit (team:<id> / region:<id>): a line of the grid. */
export interface Row {
  id: string
  name: string
  depth?: number
  /** A unit's reps, whose targets make the unit's when it has none of its own. */
  members?: string[]
}

/** Targets as set, by row and metric, in the metric's unit. */
export type Targets = Record<string, Record<string, number>>

export interface Change {
  row: string
  metric: string
  value: number
}

export type CellProblem = 'notNumber' | 'cleared'

export const cellKey = (row: string, metric: string) => `${row}|${metric}`

// Twelve significant digits hide binary noise (0.07 × 100 = 7.000000000000001) and keep any
// target a person types.
const tidy = (v: number) => Number(v.toPrecision(12))

/** A target as typed in its cell: a ratio as its percentage. */
export function shown(value: number, unit: string): string {
  return String(tidy(unit === 'ratio' ? value * 100 : value))
}

const WIDE = /[０-９．－]/g // a Chinese input method's full-width digits, point and minus

/** A cell's text read as a target in the metric's unit; null when empty. */
export function readCell(text: string, unit: string): number | null | 'notNumber' {
  let s = text.replace(WIDE, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\s/g, '')
  if (unit === 'ratio') s = s.replace(/%$/, '')
  if (s === '') return null
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) return 'notNumber'
  const n = Number(s)
  return unit === 'ratio' ? tidy(n / 100) : n
}

/**
 * The cells whose typed text differs from what is saved, in the grid's order, and the cells that
 * cannot be sent. Negative numbers are sent: the server owns that rule and says so on the cell.
 * A saved target cannot be unset (the API only sets), so emptying its cell is a problem.
 */
export function pendingChanges(rows: Row[], cols: Column[], saved: Targets, drafts: Record<string, string>) {
  const changes: Change[] = []
  const problems: Record<string, CellProblem> = {}
  for (const row of rows) {
    for (const col of cols) {
      const key = cellKey(row.id, col.key)
      if (!(key in drafts)) continue
      const value = readCell(drafts[key]!, col.unit)
      const before = saved[row.id]?.[col.key]
      if (value === 'notNumber') problems[key] = 'notNumber'
      else if (value === null) {
        if (before !== undefined) problems[key] = 'cleared'
      } else if (before === undefined || Math.abs(value - before) > 1e-12) {
        changes.push({ row: row.id, metric: col.key, value })
      }
    }
  }
  return { changes, problems }
}

/** PUT /api/v1/appraisal/targets: the reps' changed targets, all or none. */
export function repTargetsBody(period: string, changes: Change[]) {
  return { period, targets: changes.map((c) => ({ rep_id: c.row, metric: c.metric, value: c.value })) }
}

/** PUT /api/v1/appraisal/unit-targets, one per unit: the server takes one unit at a time. */
export function unitTargetsBodies(period: string, changes: Change[]) {
  const byUnit = new Map<string, Change[]>()
  for (const c of changes) byUnit.set(c.row, [...(byUnit.get(c.row) ?? []), c])
  return [...byUnit].map(([unit, cs]) => ({
    sent: cs,
    body: { unit, period, targets: cs.map((c) => ({ metric: c.metric, value: c.value })) },
  }))
}

/**
 * A refusal's details placed back: body.targets[N].value is the N-th sent target's cell; the rest
 * (body.unit, body.period, no location) is the whole request's.
 */
export function placeProblems(details: { location?: string; message: string }[], sent: Change[]) {
  const cells: Record<string, string> = {}
  const general: string[] = []
  for (const d of details) {
    const at = /^body\.targets\[(\d+)\]/.exec(d.location ?? '')
    const change = at ? sent[Number(at[1])] : undefined
    if (change) cells[cellKey(change.row, change.metric)] = d.message
    else general.push(d.message)
  }
  return { cells, general }
}

/** The server's rule words, known by heart, so that they can be said in the screen's language. */
const RULES: [RegExp, string][] = [
  [/0 or more/, 'negative'],
  [/^is not a number/, 'notNumber'],
  [/^expected number/, 'notNumber'],
  [/not a metric of the KPI library/, 'metric'],
  [/^is not scored at/, 'level'],
  [/^is set twice/, 'twice'],
  [/no such rep/, 'noRep'],
  [/^is not a rep's id/, 'repId'],
  [/whose targets you may set|whose every rep's targets/, 'notYours'],
  [/^has \d+ columns/, 'columns'],
  [/must name the columns/, 'header'],
  [/^is not CSV/, 'csv'],
  [/^is empty/, 'empty'],
  [/holds no target/, 'empty'],
]

/** The catalogue key under targets.rules for a server message, or null to show it as sent. */
export function ruleOf(message: string): string | null {
  return RULES.find(([re]) => re.test(message))?.[1] ?? null
}

/**
 * A quarter's target when none is set for the quarter itself, as the server makes it: each
 * month's own target or else the template's default, added up for work and money, averaged for
 * rates; none when a month has neither (two months' worth is not a quarter's).
 */
export function fromMonths(col: Column, months: (number | undefined)[]): number | undefined {
  return combine(col, months.map((m) => m ?? col.fallback))
}

/**
 * A unit's target when it has none of its own: its reps' (their own or their fallback) added up
 * or averaged; none when a rep has none, or the unit has no rep.
 */
export function fromMembers(col: Column, members: (number | undefined)[]): number | undefined {
  return combine(col, members)
}

function combine(col: Column, parts: (number | undefined)[]): number | undefined {
  if (!parts.length || parts.some((p) => p === undefined)) return undefined
  const sum = (parts as number[]).reduce((a, b) => a + b, 0)
  return tidy(col.sums ? sum : sum / parts.length)
}

/** What an unset cell will be scored with, and how that is made (for the cell's explanation). */
export interface Fallback {
  value: number
  from: 'template' | 'months' | 'members'
  parts?: number[]
}

/** A rep's fallback for a metric: the template's default for a month, its months' for a quarter. */
export function repFallback(col: Column, rep: string, months?: Targets[]): Fallback | undefined {
  if (!months) return col.fallback === undefined ? undefined : { value: col.fallback, from: 'template' }
  const parts = months.map((m) => m[rep]?.[col.key] ?? col.fallback)
  const value = fromMonths(col, parts)
  return value === undefined ? undefined : { value, from: 'months', parts: parts as number[] }
}

/** A unit's fallback: its members' targets as they will be scored (own, else their fallback). */
export function unitFallback(col: Column, members: string[], reps: Targets, months?: Targets[]): Fallback | undefined {
  const parts = members.map((rep) => reps[rep]?.[col.key] ?? repFallback(col, rep, months)?.value)
  const value = fromMembers(col, parts)
  return value === undefined ? undefined : { value, from: 'members', parts: parts as number[] }
}
