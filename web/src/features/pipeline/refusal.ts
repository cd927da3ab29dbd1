// The workflow's refusal of a move, in words: which rule said no and what to do about it, from
// the server's answer (409 required_tasks_open with each open task in details, 409
// opportunity_closed / same_stage, 422 at body.reason when closing without a reason). Anything
// else is described as any other failure.
import { ApiError } from '@/api/errors'
import { describeError } from '@/i18n/describeError'

type Translate = (key: string, named?: Record<string, unknown>) => string

export interface Refusal {
  /** The rule that refused, in a sentence. */
  rule: string
  /** What to do about it. */
  todo: string
  /** The things in the way (open tasks' titles). */
  items: string[]
}

const TASK_PREFIX = 'required task still open: '

export function explainRefusal(err: unknown, t: Translate): Refusal {
  if (err instanceof ApiError) {
    if (err.code === 'required_tasks_open') {
      const items = err.details.map((d) => (d.message.startsWith(TASK_PREFIX) ? d.message.slice(TASK_PREFIX.length) : d.message))
      return { rule: t('pipeline.refusal.tasksOpen', { n: items.length }), todo: t('pipeline.refusal.tasksOpenTodo'), items }
    }
    if (err.code === 'opportunity_closed') return { rule: t('pipeline.refusal.closed'), todo: t('pipeline.refusal.closedTodo'), items: [] }
    if (err.code === 'same_stage') return { rule: t('pipeline.refusal.sameStage'), todo: t('pipeline.refusal.sameStageTodo'), items: [] }
    if (err.details.some((d) => d.location === 'body.reason')) {
      return { rule: t('pipeline.refusal.reason'), todo: t('pipeline.refusal.reasonTodo'), items: [] }
    }
  }
  const d = describeError(err)
  return { rule: d.message, todo: '', items: d.details }
}
