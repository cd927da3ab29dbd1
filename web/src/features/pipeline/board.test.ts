import { describe, expect, it } from 'vitest'
import type { Opportunity, Task } from './model'
import { canAttempt, columnTotals, daysInStage, moveVerdict, openRequiredByOpportunity, passes, sumAmounts } from './board'

const opp = (id: string, stage: string, amount = '0.00', extra: Partial<Opportunity> = {}): Opportunity =>
  ({ id, name: `Deal ${id}`, status: 'open', stage: { key: stage, name: stage, probability: 10, outcome: 'open' }, amount, currency: 'CNY', owner_id: 'rep1', time_in_stage_seconds: 0, ...extra }) as Opportunity
const task = (opportunity_id: string, stage: string, extra: Partial<Task> = {}): Task =>
  ({ id: `${opportunity_id}-${stage}-${Math.random()}`, opportunity_id, stage, required: true, status: 'open', ...extra }) as Task

const lead = { key: 'lead', outcome: 'open' as const }
const proposal = { key: 'listing_proposal', outcome: 'open' as const }
const won = { key: 'won', outcome: 'won' as const }

describe('moveVerdict', () => {
  it('allows an open opportunity with no open required task to go to any other open stage, skipping or going back', () => {
    expect(moveVerdict(opp('1', 'lead'), proposal, 0)).toBe('allowed')
    expect(moveVerdict(opp('1', 'listing_proposal'), lead, 0)).toBe('allowed')
  })
  it('asks for a reason to close as won or lost', () => {
    expect(moveVerdict(opp('1', 'lead'), won, 0)).toBe('needs_reason')
  })
  it('foresees the refusal while the stage it leaves has required tasks open, closing included', () => {
    expect(moveVerdict(opp('1', 'lead'), proposal, 1)).toBe('tasks_open')
    expect(moveVerdict(opp('1', 'lead'), won, 2)).toBe('tasks_open')
  })
  it('does not move a closed opportunity, nor to where it is', () => {
    const closed = opp('1', 'won', '1', { status: 'won', stage: { key: 'won', name: 'Won', probability: 100, outcome: 'won' } })
    expect(moveVerdict(closed, lead, 0)).toBe('closed')
    expect(moveVerdict(opp('1', 'lead'), lead, 3)).toBe('here')
    expect(canAttempt('here')).toBe(false)
    expect(canAttempt('closed')).toBe(false)
    expect(canAttempt('tasks_open')).toBe(true) // the server decides: our copy of the tasks may be stale
  })
})

describe('openRequiredByOpportunity', () => {
  it('counts only open required tasks of the stage each opportunity is in now', () => {
    const tasks = [
      task('a', 'lead'),
      task('a', 'lead', { required: false }),
      task('a', 'lead', { status: 'done' }),
      task('b', 'lead'), // b has moved on: its old stage's task does not hold it
      task('b', 'listing_proposal'),
      task('b', 'listing_proposal'),
    ]
    const m = openRequiredByOpportunity(tasks, [opp('a', 'lead'), opp('b', 'listing_proposal'), opp('c', 'lead')])
    expect(m.get('a')?.length).toBe(1)
    expect(m.get('b')?.length).toBe(2)
    expect(m.get('c')).toBeUndefined()
  })
})

describe('column totals', () => {
  it('adds decimal amounts exactly', () => {
    expect(sumAmounts(['0.10', '0.20'])).toBe('0.3000')
    expect(sumAmounts(['12500.00', '1.0001', '3'])).toBe('12504.0001')
    expect(sumAmounts([])).toBe('0.0000')
  })
  it('counts and sums each stage per currency, the tenant’s first, with empty stages at zero', () => {
    const t = columnTotals(
      [{ key: 'lead' }, { key: 'listing_proposal' }, { key: 'won' }],
      [opp('1', 'lead', '100.50'), opp('2', 'lead', '200.25'), opp('3', 'lead', '10.00', { currency: 'USD' }), opp('4', 'listing_proposal', '7.00')],
      'CNY',
    )
    expect(t.get('lead')).toEqual({ count: 3, sums: [{ currency: 'CNY', amount: '300.7500' }, { currency: 'USD', amount: '10.0000' }] })
    expect(t.get('listing_proposal')).toEqual({ count: 1, sums: [{ currency: 'CNY', amount: '7.0000' }] })
    expect(t.get('won')).toEqual({ count: 0, sums: [] })
  })
})

describe('cards', () => {
  it('shows whole days in the stage', () => {
    expect(daysInStage(opp('1', 'lead', '0', { time_in_stage_seconds: 86_399 }))).toBe(0)
    expect(daysInStage(opp('1', 'lead', '0', { time_in_stage_seconds: 3 * 86_400 + 5 }))).toBe(3)
  })
  it('filters by owner and by the name or the customer’s name', () => {
    const o = opp('1', 'lead', '0', { name: 'Green tea at Jinan Mart' })
    expect(passes(o, { owners: null, search: '' })).toBe(true)
    expect(passes(o, { owners: new Set(['rep2']), search: '' })).toBe(false)
    expect(passes(o, { owners: new Set(['rep1']), search: 'green TEA' })).toBe(true)
    expect(passes(o, { owners: null, search: 'lotus' }, 'Lotus Supermarket')).toBe(true)
    expect(passes(o, { owners: null, search: 'lotus' })).toBe(false)
  })
})
