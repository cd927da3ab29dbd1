// The first steps of a new company's admin: each step is done when its data exists, unknown
// while it cannot be told (still loading, or the server refused to say).
export type StepKey = 'team' | 'targets' | 'cadences'
export type StepState = 'done' | 'todo' | 'unknown'

export interface Facts {
  /** Active users other than the admin, and open invitations. */
  people?: number
  invitations?: number
  /** Targets set for the current month or quarter. */
  targets?: number
  /** Customer grades with a visit cadence. */
  cadenceGrades?: number
}

export interface Step {
  key: StepKey
  state: StepState
}

function when(count: number | undefined, done: (n: number) => boolean): StepState {
  return count === undefined ? 'unknown' : done(count) ? 'done' : 'todo'
}

export function checklist(facts: Facts): { steps: Step[]; done: number; complete: boolean } {
  const invited = facts.people === undefined && facts.invitations === undefined ? undefined : (facts.people ?? 0) + (facts.invitations ?? 0)
  const steps: Step[] = [
    { key: 'team', state: when(invited, (n) => n > 0) },
    { key: 'targets', state: when(facts.targets, (n) => n > 0) },
    { key: 'cadences', state: when(facts.cadenceGrades, (n) => n > 0) },
  ]
  const done = steps.filter((s) => s.state === 'done').length
  return { steps, done, complete: done === steps.length }
}
