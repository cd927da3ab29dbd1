import { describe, expect, it } from 'vitest'
import { customerApiQuery, filterFromQuery, filterToQuery } from './customerQuery'
import { dayEnd, dayStart } from '@/layouts/tenantDays'

const REGION = '01a21c04-680f-753b-9e43-b259d8d13610'

describe('customers query <-> filter', () => {
  it('round-trips a shared link', () => {
    const query = { q: 'market', grade: 'B', region: REGION, from: '2026-10-01', to: '2026-10-31' }
    const filter = filterFromQuery(query)
    expect(filter).toEqual({ q: 'market', grade: 'B', region: REGION, owner: '', from: '2026-10-01', to: '2026-10-31', cursor: '' })
    expect(filterToQuery(filter)).toEqual(query)
  })

  it('drops what is malformed instead of sending it to fail', () => {
    const filter = filterFromQuery({ grade: 'Z', region: 'nope', from: '2026-13-40', to: ['2026-01-02', '2026-01-03'], q: '  x  ' })
    expect(filter).toMatchObject({ grade: '', region: '', from: '', to: '2026-01-02', q: 'x' })
    expect(filterFromQuery({ grade: 'a' }).grade).toBe('A')
  })

  it('asks the API for the tenant’s whole days, both ends included', () => {
    const api = customerApiQuery(filterFromQuery({ from: '2026-10-01', to: '2026-10-31', owner: REGION }), 'Asia/Shanghai')
    expect(api).toEqual({ limit: 25, owner_id: REGION, created_from: '2026-09-30T16:00:00.000Z', created_to: '2026-10-31T16:00:00.000Z' })
  })
})

describe('tenant days', () => {
  it('starts the day at the zone’s midnight, across a DST change', () => {
    expect(dayStart('2026-03-08', 'America/New_York')).toBe('2026-03-08T05:00:00.000Z')
    expect(dayStart('2026-03-09', 'America/New_York')).toBe('2026-03-09T04:00:00.000Z')
    expect(dayEnd('2026-12-31', 'UTC')).toBe('2027-01-01T00:00:00.000Z')
  })
})
