import { describe, expect, it } from 'vitest'
import { ApiError, NetworkError } from '@/api/errors'
import { explainRefusal } from './refusal'

const t = (key: string, named?: Record<string, unknown>) => (named ? `${key}(${JSON.stringify(named)})` : key)

describe('explainRefusal', () => {
  it('names the open required tasks that hold the opportunity and says to do them first', () => {
    const err = new ApiError(409, 'required_tasks_open', 'stage "lead" cannot be left…', [
      { location: 'task:1', message: 'required task still open: Qualify the store', value: '1' },
      { location: 'task:2', message: 'required task still open: Meet the buyer', value: '2' },
    ])
    const r = explainRefusal(err, t)
    expect(r.rule).toBe('pipeline.refusal.tasksOpen({"n":2})')
    expect(r.todo).toBe('pipeline.refusal.tasksOpenTodo')
    expect(r.items).toEqual(['Qualify the store', 'Meet the buyer'])
  })

  it('explains a closing move without a reason, and a closed opportunity', () => {
    const reason = new ApiError(422, 'invalid_input', 'reason must say why', [{ location: 'body.reason', message: 'must say why the opportunity was won' }])
    expect(explainRefusal(reason, t).rule).toBe('pipeline.refusal.reason')
    expect(explainRefusal(new ApiError(409, 'opportunity_closed', 'closed'), t).rule).toBe('pipeline.refusal.closed')
  })

  it('falls back to the general description for anything else', () => {
    const r = explainRefusal(new NetworkError(), t)
    expect(r.rule).toBeTruthy()
    expect(r.todo).toBe('')
  })
})
