import { describe, expect, it } from 'vitest'
import { needsComment, offeredTransitions } from './transitions'

const REP = { id: 'rep-1', roles: ['rep'] }
const MANAGER = { id: 'mgr-1', roles: ['manager'] }
const HQ = { id: 'hq-1', roles: ['hq'] }
const ADMIN = { id: 'adm-1', roles: ['hq', 'tenant_admin'] }

const submitted = { status: 'submitted' as const, next_statuses: ['approved', 'draft', 'cancelled'], owner_id: 'rep-1', created_by: 'rep-1' }

describe('offeredTransitions', () => {
  it('lets a manager approve, send back or cancel a submitted order, forward first', () => {
    expect(offeredTransitions(submitted, MANAGER)).toEqual(['approved', 'draft', 'cancelled'])
    expect(offeredTransitions(submitted, ADMIN)).toEqual(['approved', 'draft', 'cancelled'])
  })

  it('never offers a rep, nor whoever owns or created the order, to approve it', () => {
    expect(offeredTransitions(submitted, REP)).toEqual(['draft', 'cancelled'])
    expect(offeredTransitions({ ...submitted, created_by: 'mgr-1' }, MANAGER)).toEqual(['draft', 'cancelled'])
  })

  it('offers HQ, who only reads, nothing', () => {
    expect(offeredTransitions(submitted, HQ)).toEqual([])
  })

  it('never offers "paid": payments reach it', () => {
    expect(offeredTransitions({ ...submitted, status: 'delivered', next_statuses: ['paid'] }, MANAGER)).toEqual([])
  })

  it('offers only what the server’s state machine has, and nothing from a final status', () => {
    expect(offeredTransitions({ ...submitted, status: 'approved', next_statuses: ['shipped', 'cancelled'] }, REP)).toEqual(['shipped', 'cancelled'])
    expect(offeredTransitions({ ...submitted, status: 'paid', next_statuses: [] }, ADMIN)).toEqual([])
    expect(offeredTransitions({ ...submitted, status: 'shipped', next_statuses: ['delivered', 'bogus'] }, REP)).toEqual(['delivered'])
  })
})

describe('needsComment', () => {
  it('asks why only when cancelling', () => {
    expect(needsComment('cancelled')).toBe(true)
    expect(needsComment('shipped')).toBe(false)
  })
})
