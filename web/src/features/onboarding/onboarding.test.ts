import { describe, expect, it } from 'vitest'
import { ApiError } from '@/api/errors'
import { fieldErrors, issueKey, missing, placeOf } from './fieldErrors'
import { checklist } from './checklist'

describe('field errors', () => {
  it('reads the places the server names', () => {
    expect(placeOf('body.admin_email')).toEqual({ field: 'admin_email' })
    expect(placeOf('body.lines[3].region')).toEqual({ field: 'region', line: 3 })
    expect(placeOf('body.people[0].email')).toEqual({ field: 'email', line: 1 })
    expect(placeOf('body.lines[1]')).toEqual({ field: '', line: 1 })
    expect(placeOf('body')).toEqual({ field: '' })
    expect(placeOf(undefined)).toEqual({ field: '' })
  })

  it('puts each problem by its field and keeps the rest apart', () => {
    const err = new ApiError(400, 'invalid_signup', 'see details', [
      { location: 'body.admin_email', message: 'is not an e-mail address' },
      { location: 'body.company', message: 'is required' },
      { location: 'body.admin_email', message: 'is required' },
      { location: 'body.nonsense', message: 'odd' },
    ])
    const out = fieldErrors(err, ['company', 'admin_email'], (m) => (issueKey(m) === 'required' ? 'REQUIRED' : m))
    expect(out.byField).toEqual({ admin_email: ['is not an e-mail address', 'REQUIRED'], company: ['REQUIRED'] })
    expect(out.other).toEqual([{ place: { field: 'nonsense' }, message: 'odd' }])
  })

  it('keeps line problems of a file apart even when the column is a form field', () => {
    const err = new ApiError(400, 'invalid_input', 'x', [{ location: 'body.lines[4].email', message: 'is taken' }])
    expect(fieldErrors(err, ['email']).other).toEqual([{ place: { field: 'email', line: 4 }, message: 'is taken' }])
  })

  it('puts the first person of a list on the form when the form is for one person', () => {
    const err = new ApiError(400, 'invalid_input', 'x', [{ location: 'body.people[0].email', message: 'is taken' }])
    expect(fieldErrors(err, ['email'], undefined, true).byField).toEqual({ email: ['is taken'] })
  })

  it('answers nothing for failures that are not the server’s', () => {
    expect(fieldErrors(new Error('x'), ['company'])).toEqual({ byField: {}, other: [] })
  })

  it('knows the common wordings', () => {
    expect(issueKey('is required')).toBe('required')
    expect(issueKey('an account with this e-mail already exists')).toBe('taken')
    expect(issueKey('must be an ISO 4217 code of three letters such as CNY or EUR')).toBe('currency')
    expect(issueKey('expected string to be RFC 5322 email: mail: no address')).toBe('email')
    expect(issueKey('something else')).toBeNull()
  })
})

describe('missing fields', () => {
  it('names each required field left empty, as the server would', () => {
    const err = missing({ company: ' ', admin_email: 'a@b.test', admin_name: '' }, ['company', 'admin_email', 'admin_name'])
    expect(fieldErrors(err, ['company', 'admin_name']).byField).toEqual({ company: ['is required'], admin_name: ['is required'] })
    expect(missing({ company: 'x' }, ['company'])).toBeNull()
  })
})

describe('first-steps checklist', () => {
  it('is unknown until the facts are in', () => {
    const out = checklist({})
    expect(out.steps.map((s) => s.state)).toEqual(['unknown', 'unknown', 'unknown'])
    expect(out.complete).toBe(false)
  })

  it('marks a step done when its data exists', () => {
    const out = checklist({ people: 0, invitations: 2, targets: 0, cadenceGrades: 4 })
    expect(out.steps).toEqual([
      { key: 'team', state: 'done' },
      { key: 'targets', state: 'todo' },
      { key: 'cadences', state: 'done' },
    ])
    expect(out.done).toBe(2)
    expect(checklist({ people: 3, targets: 12, cadenceGrades: 4 }).complete).toBe(true)
  })
})
