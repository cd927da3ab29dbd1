// Scorecards by scope and period, shared by the cards, the trend and the rankings, so that one
// view never asks twice for the same card. An answer is kept a few minutes: the figures move as
// reps work, and a manager who stays on the page should see that on the next look.
//
// At most a few are asked for at once, whoever asks: each is a heavy read, and on the embedded
// database the server runs them one after the other, so a burst of forty makes the last wait so
// long that it fails (SQLITE_BUSY). The card the manager just chose goes ahead of the queue.
import { api, call } from '@/api/client'
import { ApiError } from '@/api/errors'
import type { Scorecard, UnitScorecard } from '@/api/types'

export type AnyScorecard = (Scorecard & { kind: 'rep' }) | (UnitScorecard & { kind: 'unit' })

const KEEP_MS = 5 * 60_000
const kept = new Map<string, { at: number; card: Promise<AnyScorecard> }>()

const IN_FLIGHT = 4
let running = 0
const waiting: (() => void)[] = []

async function inTurn<T>(work: () => Promise<T>, urgent: boolean): Promise<T> {
  if (running < IN_FLIGHT) running++
  else await new Promise<void>((go) => (urgent ? waiting.unshift(go) : waiting.push(go)))
  try {
    return await work()
  } finally {
    // The slot passes straight to the next in line, so that no newcomer slips in between.
    const next = waiting.shift()
    if (next) next()
    else running--
  }
}

/** fresh: asked anew, ahead of the queue (the card the manager just chose). */
export function fetchCard(scope: string, period: string, fresh = false): Promise<AnyScorecard> {
  const key = `${scope}|${period}`
  const hit = kept.get(key)
  if (hit && !fresh && Date.now() - hit.at < KEEP_MS) return hit.card
  const card = inTurn(() => ask(scope, period), fresh)
  kept.set(key, { at: Date.now(), card })
  card.catch(() => kept.get(key)?.card === card && kept.delete(key)) // a failure is not kept
  return card
}

async function ask(scope: string, period: string): Promise<AnyScorecard> {
  const [kind, id] = scope.split(':') as [string, string]
  if (kind === 'rep') {
    return { kind: 'rep', ...(await call(api.GET('/api/v1/appraisal/scorecard', { params: { query: { rep_id: id, period } } }))) }
  }
  return { kind: 'unit', ...(await call(api.GET('/api/v1/appraisal/unit-scorecard', { params: { query: { unit: scope, period } } }))) }
}

/** The server keeps a manager to their subtree by refusing the rest: such a unit is left out, not an error. */
export function isRefusal(err: unknown): boolean {
  return err instanceof ApiError && (err.status === 403 || err.status === 404)
}

/** The total, or null when no KPI had a target (the 0 the API then answers says nothing). */
export function scoredTotal(card: AnyScorecard | null | undefined): number | null {
  return card && card.scored_weight > 0 ? card.total : null
}

export interface CardJob {
  scope: string
  period: string
}

/**
 * Fetches many cards, a few at a time (a tenant may have fifty teams), reporting each answer as
 * it comes. Stops taking new jobs once `wanted` says the view has moved on.
 */
export async function fetchCards(
  jobs: readonly CardJob[],
  onAnswer: (job: CardJob, card: AnyScorecard | null, err: unknown) => void,
  wanted: () => boolean,
  concurrency = 4,
): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < jobs.length && wanted()) {
      const job = jobs[next++]!
      try {
        const card = await fetchCard(job.scope, job.period)
        if (wanted()) onAnswer(job, card, null)
      } catch (err) {
        if (wanted()) onAnswer(job, null, err)
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker))
}
