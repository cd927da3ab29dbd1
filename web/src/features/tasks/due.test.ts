import { describe, expect, it } from 'vitest'
import type { Task } from '@/features/pipeline/model'
import { dayOf, groupByDue } from './due'

const task = (id: string, due_at: string, status: Task['status'] = 'open'): Task =>
  ({ id, due_at, status, opportunity_id: 'o', stage: 'lead', title: id, owner_id: 'u', required: true, overdue: false, created_at: due_at, done_at: null, done_by: null }) as Task

describe('groupByDue', () => {
  // 10:00 in Shanghai on 3 March (02:00 UTC).
  const now = new Date('2026-03-03T02:00:00Z')
  const zone = 'Asia/Shanghai'

  it('splits open tasks into overdue, later today and upcoming on the tenant’s clock', () => {
    const g = groupByDue(
      [
        task('tomorrow-early', '2026-03-03T16:30:00Z'), // 00:30 on the 4th in Shanghai, though still the 3rd in UTC
        task('late-today', '2026-03-03T15:30:00Z'), // 23:30 on the 3rd in Shanghai
        task('an-hour-ago', '2026-03-03T01:00:00Z'),
        task('last-week', '2026-02-24T01:00:00Z'),
        task('done', '2026-02-20T01:00:00Z', 'done'),
      ],
      now,
      zone,
    )
    expect(g.overdue.map((t) => t.id)).toEqual(['last-week', 'an-hour-ago'])
    expect(g.today.map((t) => t.id)).toEqual(['late-today'])
    expect(g.upcoming.map((t) => t.id)).toEqual(['tomorrow-early'])
  })

  it('orders by the instant, whatever offset the time is written with', () => {
    const g = groupByDue([task('b', '2026-03-05T08:00:00+08:00'), task('a', '2026-03-05T00:30:00Z')], now, zone)
    expect(g.upcoming.map((t) => t.id)).toEqual(['b', 'a'])
  })

  it('reads the day in the named zone', () => {
    expect(dayOf(new Date('2026-03-03T16:30:00Z'), 'Asia/Shanghai')).toBe('2026-03-04')
    expect(dayOf(new Date('2026-03-03T16:30:00Z'), 'UTC')).toBe('2026-03-03')
  })
})
