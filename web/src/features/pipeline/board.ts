// The board's pure rules: what the workflow would say to a move (the server's rules, read from
// platform/pipeline/moves.go: a closed opportunity does not move, a stage's open required tasks
// keep it there, and closing as won or lost needs a reason), column totals and filtering.
import type { Opportunity, Stage, Task } from './model'

/**
 * here: the card's own column. closed: won or lost, it moves no more. tasks_open: the stage it
 * would leave has required tasks open. needs_reason: allowed with a reason (won or lost).
 */
export type Verdict = 'allowed' | 'here' | 'closed' | 'tasks_open' | 'needs_reason'

/** What the workflow would answer to moving opp to stage `to`, given its open required tasks. */
export function moveVerdict(opp: Pick<Opportunity, 'status' | 'stage'>, to: Pick<Stage, 'key' | 'outcome'>, openRequired: number): Verdict {
  if (opp.stage.key === to.key) return 'here'
  if (opp.status !== 'open') return 'closed'
  if (openRequired > 0) return 'tasks_open'
  return to.outcome === 'open' ? 'allowed' : 'needs_reason'
}

/** Whether a move is worth sending: refusals we foresee are still sent (our view may be stale). */
export function canAttempt(v: Verdict): boolean {
  return v !== 'here' && v !== 'closed'
}

/** Open required tasks per opportunity, counting only those of the stage it is in now. */
export function openRequiredByOpportunity(tasks: readonly Task[], opps: readonly Opportunity[]): Map<string, Task[]> {
  const stageOf = new Map(opps.map((o) => [o.id, o.stage.key]))
  const out = new Map<string, Task[]>()
  for (const t of tasks) {
    if (t.status !== 'open' || !t.required || stageOf.get(t.opportunity_id) !== t.stage) continue
    const list = out.get(t.opportunity_id) ?? []
    list.push(t)
    out.set(t.opportunity_id, list)
  }
  return out
}

const SCALE = 10_000n // amounts have at most 4 decimal places (the server's rule)

function toUnits(amount: string): bigint {
  const [whole = '0', frac = ''] = amount.trim().replace(/^\+/, '').split('.')
  const negative = whole.startsWith('-')
  const units = BigInt(whole.replace('-', '') || '0') * SCALE + BigInt((frac + '0000').slice(0, 4))
  return negative ? -units : units
}

function fromUnits(units: bigint): string {
  const sign = units < 0n ? '-' : ''
  const abs = units < 0n ? -units : units
  return `${sign}${abs / SCALE}.${(abs % SCALE).toString().padStart(4, '0')}`
}

/** Adds decimal amounts exactly (money is never summed in floating point). */
export function sumAmounts(amounts: readonly string[]): string {
  return fromUnits(amounts.reduce((sum, a) => sum + toUnits(a), 0n))
}

export interface ColumnTotal {
  count: number
  /** Sum per currency, the tenant's currency first. */
  sums: { currency: string; amount: string }[]
}

/** Count and amount of each stage's cards, keyed by stage. */
export function columnTotals(stages: readonly Pick<Stage, 'key'>[], opps: readonly Opportunity[], tenantCurrency: string): Map<string, ColumnTotal> {
  const out = new Map<string, ColumnTotal>()
  for (const s of stages) {
    const here = opps.filter((o) => o.stage.key === s.key)
    const currencies = [...new Set(here.map((o) => o.currency))].sort((a, b) => Number(b === tenantCurrency) - Number(a === tenantCurrency) || a.localeCompare(b))
    out.set(s.key, {
      count: here.length,
      sums: currencies.map((currency) => ({ currency, amount: sumAmounts(here.filter((o) => o.currency === currency).map((o) => o.amount)) })),
    })
  }
  return out
}

/** Whole days in the stage, as the card shows them. */
export function daysInStage(opp: Pick<Opportunity, 'time_in_stage_seconds'>): number {
  return Math.floor(opp.time_in_stage_seconds / 86_400)
}

export interface BoardFilter {
  /** Owners to keep; null keeps all. */
  owners: ReadonlySet<string> | null
  search: string
}

/** Whether the card passes the filter; search looks at its name and its customer's name. */
export function passes(opp: Opportunity, f: BoardFilter, customerName?: string): boolean {
  if (f.owners && !f.owners.has(opp.owner_id)) return false
  const q = f.search.trim().toLocaleLowerCase()
  if (!q) return true
  return [opp.name, customerName ?? ''].some((s) => s.toLocaleLowerCase().includes(q))
}
