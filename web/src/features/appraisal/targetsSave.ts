// Sending the grid's changes: the reps' in one request (all or none, as the server takes them),
// a unit's in one request per unit (the API sets one unit at a time). What was refused comes back
// placed on its cells; what was taken comes back to be kept as saved.
import { api, call } from '@/api/client'
import { ApiError } from '@/api/errors'
import { placeProblems, repTargetsBody, unitTargetsBodies, type Change } from './targets'

export interface SaveOutcome {
  saved: Change[]
  /** The server's words by cell key */
  cells: Record<string, string>
  /** Refusals of a whole request (a unit out of reach, no connection), as errors to describe */
  errors: unknown[]
}

function refused(err: unknown, sent: Change[], out: SaveOutcome) {
  const placed = err instanceof ApiError ? placeProblems(err.details, sent) : { cells: {}, general: [] }
  Object.assign(out.cells, placed.cells)
  // A refusal with nothing on a cell (a network failure, a unit out of reach) is said as a whole.
  if (!Object.keys(placed.cells).length) out.errors.push(err)
}

export async function saveTargets(unitTab: boolean, period: string, changes: Change[]): Promise<SaveOutcome> {
  const out: SaveOutcome = { saved: [], cells: {}, errors: [] }
  if (!changes.length) return out
  if (!unitTab) {
    try {
      await call(api.PUT('/api/v1/appraisal/targets', { body: repTargetsBody(period, changes) }))
      out.saved = changes
    } catch (err) {
      refused(err, changes, out)
    }
    return out
  }
  for (const { sent, body } of unitTargetsBodies(period, changes)) {
    try {
      await call(api.PUT('/api/v1/appraisal/unit-targets', { body }))
      out.saved.push(...sent)
    } catch (err) {
      refused(err, sent, out)
    }
  }
  return out
}
