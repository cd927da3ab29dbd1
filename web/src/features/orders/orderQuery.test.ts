import { describe, expect, it } from 'vitest'
import { orderApiQuery, orderFilterFromQuery, orderFilterToQuery } from './orderQuery'
import { daysOverdue } from './overdue'

const CUSTOMER = '01a21c04-69f2-7c55-a486-c44280a1fda9'

describe('orders query <-> filter', () => {
  it('round-trips a shared link', () => {
    const query = { status: 'approved', customer: CUSTOMER, due_from: '2026-12-01', due_to: '2026-12-31' }
    const filter = orderFilterFromQuery(query)
    expect(filter).toEqual({ status: 'approved', customer: CUSTOMER, owner: '', dueFrom: '2026-12-01', dueTo: '2026-12-31', cursor: '' })
    expect(orderFilterToQuery(filter)).toEqual(query)
  })

  it('drops an unknown status and a malformed id', () => {
    expect(orderFilterFromQuery({ status: 'lost', customer: '42' })).toMatchObject({ status: '', customer: '' })
  })

  it('asks the API for whole tenant days of due dates', () => {
    const api = orderApiQuery(orderFilterFromQuery({ due_from: '2026-12-01', due_to: '2026-12-01' }), 'Asia/Shanghai')
    expect(api).toEqual({ limit: 25, due_from: '2026-11-30T16:00:00.000Z', due_to: '2026-12-01T16:00:00.000Z' })
  })
})

describe('daysOverdue', () => {
  const order = { status: 'delivered', due_on: '2026-11-20', balance: '100.00' }
  it('counts the days past the due day while money is owed', () => {
    expect(daysOverdue(order, '2026-11-27')).toBe(7)
    expect(daysOverdue(order, '2026-11-20')).toBe(0)
  })
  it('is never overdue when paid up, cancelled or not yet approved', () => {
    expect(daysOverdue({ ...order, balance: '0.00' }, '2026-11-27')).toBe(0)
    expect(daysOverdue({ ...order, status: 'cancelled' }, '2026-11-27')).toBe(0)
    expect(daysOverdue({ ...order, due_on: null }, '2026-11-27')).toBe(0)
  })
})
