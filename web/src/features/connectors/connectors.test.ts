import { describe, expect, it } from 'vitest'
import { ApiError } from '@/api/errors'
import { configOf, fieldsOf, initialValues } from './schemaForm'
import { controlOf, issueOf, placeErrors } from './placeErrors'
import { cell, dataColumns } from './records'
import { pulledEntities, type ConnectorKind, type PulledRecord } from './types'

// The Tryton connector's schema as the server relays it: re-encoded by Go, so its properties come
// sorted by name, while its required list keeps the connector's order.
const TRYTON = {
  type: 'object',
  required: ['url', 'database', 'username', 'password'],
  additionalProperties: false,
  properties: {
    company: { type: 'integer', minimum: 1, default: 1, title: 'Company id', description: 'Id of the Tryton company whose sales and opportunities are synced' },
    database: { type: 'string', minLength: 1, title: 'Database' },
    page_size: { type: 'integer', minimum: 1, maximum: 500, default: 100, title: 'Page size', description: 'Records read per request' },
    password: { type: 'string', minLength: 1, title: 'Password', writeOnly: true, format: 'password' },
    url: { type: 'string', format: 'uri', pattern: '^https?://', title: 'Server URL', description: 'Base URL of the Tryton server' },
    username: { type: 'string', minLength: 1, title: 'User name' },
  },
}

describe('the form made from a config schema', () => {
  it('puts the required fields first in their order, then the others', () => {
    expect(fieldsOf(TRYTON).map((f) => f.name)).toEqual(['url', 'database', 'username', 'password', 'company', 'page_size'])
  })

  it('gives each property its input, label, hint, default, bounds and required mark', () => {
    const byName = Object.fromEntries(fieldsOf(TRYTON).map((f) => [f.name, f]))
    expect(byName.url).toMatchObject({ input: 'url', label: 'Server URL', hint: 'Base URL of the Tryton server', required: true, secret: false, initial: '' })
    expect(byName.password).toMatchObject({ input: 'password', label: 'Password', required: true, secret: true })
    expect(byName.database).toMatchObject({ input: 'text', required: true })
    expect(byName.company).toMatchObject({ input: 'number', integer: true, required: false, initial: '1', min: 1 })
    expect(byName.page_size).toMatchObject({ input: 'number', initial: '100', min: 1, max: 500, hint: 'Records read per request' })
  })

  it('maps booleans to checkboxes, enums to choices, untitled properties to their names, anything else to JSON', () => {
    const fields = fieldsOf({
      properties: {
        archived: { type: 'boolean', default: true },
        mode: { type: 'string', enum: ['full', 'delta'], default: 'delta' },
        token: { type: 'string', writeOnly: true },
        ratio: { type: ['number', 'null'] },
        mapping: { type: 'object', default: { a: 1 } },
        mail: { type: 'string', format: 'email' },
        broken: 'not a schema',
      },
    })
    const byName = Object.fromEntries(fields.map((f) => [f.name, f]))
    expect(byName.archived).toMatchObject({ input: 'checkbox', initial: true, label: 'archived' })
    expect(byName.mode).toMatchObject({ input: 'select', options: ['full', 'delta'], initial: 'delta' })
    expect(byName.token).toMatchObject({ input: 'password', secret: true })
    expect(byName.ratio).toMatchObject({ input: 'number', integer: false })
    expect(byName.mapping).toMatchObject({ input: 'json' })
    expect(JSON.parse(byName.mapping!.initial as string)).toEqual({ a: 1 })
    expect(byName.mail).toMatchObject({ input: 'email' })
    expect(byName.broken).toBeUndefined()
  })

  it('has no fields for a schema without properties', () => {
    expect(fieldsOf(undefined)).toEqual([])
    expect(fieldsOf({ type: 'object' })).toEqual([])
  })

  it('starts a new connector at the defaults and an edit at its config, never a secret', () => {
    const fields = fieldsOf({ properties: { ...TRYTON.properties, password: { ...TRYTON.properties.password, default: 'leak' } }, required: TRYTON.required })
    expect(initialValues(fields)).toEqual({ url: '', database: '', username: '', password: '', company: '1', page_size: '100' })
    const config = { url: 'http://erp:8000', database: 'shop', username: 'sync', company: 3 }
    expect(initialValues(fields, config)).toEqual({ url: 'http://erp:8000', database: 'shop', username: 'sync', password: '', company: '3', page_size: '100' })
  })

  it('sends numbers as numbers, leaves out empty optional fields, refuses empty required ones', () => {
    const fields = fieldsOf(TRYTON)
    const values = { url: 'http://erp:8000', database: 'shop', username: 'sync', password: 's3cret', company: '2', page_size: '' }
    expect(configOf(fields, values)).toEqual({ config: { url: 'http://erp:8000', database: 'shop', username: 'sync', password: 's3cret', company: 2 }, problems: [] })
    const { problems } = configOf(fields, { ...values, database: '  ', password: '' })
    expect(problems).toEqual([
      { location: 'body.config.database', message: 'is required' },
      { location: 'body.config.password', message: 'is required' },
    ])
  })

  it('keeps a secret the server holds by leaving it out when left empty, and sends a new one', () => {
    const fields = fieldsOf(TRYTON)
    const values = { url: 'http://erp:8000', database: 'shop', username: 'sync', password: '', company: '1', page_size: '100' }
    const kept = configOf(fields, values, ['password'])
    expect(kept.problems).toEqual([])
    expect(kept.config).not.toHaveProperty('password')
    expect(configOf(fields, { ...values, password: ' new ' }, ['password']).config.password).toBe(' new ')
  })

  it('checks numbers against the schema before sending', () => {
    const fields = fieldsOf(TRYTON)
    const base = { url: 'u', database: 'd', username: 'n', password: 'p' }
    const problem = (v: Record<string, string>) => configOf(fields, { ...base, ...v }).problems.map((p) => `${p.location} ${p.message}`)
    expect(problem({ company: 'two' })).toEqual(['body.config.company must be a number'])
    expect(problem({ company: '1.5' })).toEqual(['body.config.company must be a whole number'])
    expect(problem({ company: '0' })).toEqual(['body.config.company must be at least 1'])
    expect(problem({ page_size: '501' })).toEqual(['body.config.page_size must be at most 500'])
  })

  it('sends checkboxes as booleans, JSON as values, and carries over properties the schema does not describe', () => {
    const fields = fieldsOf({ properties: { archived: { type: 'boolean' }, mapping: { type: 'object' } } })
    expect(configOf(fields, { archived: false, mapping: '{"a": [1]}' }, [], { legacy: 'x', archived: true }).config).toEqual({ legacy: 'x', archived: false, mapping: { a: [1] } })
    expect(configOf(fields, { archived: true, mapping: '{nope' }).problems).toEqual([{ location: 'body.config.mapping', message: 'must be JSON' }])
  })
})

describe('the refusals placed on the form', () => {
  const controls = ['kind', 'name', 'enabled', 'config.url', 'config.password', 'config.auth']

  it('finds the control a location names', () => {
    expect(controlOf('body.config.url', controls)).toBe('config.url')
    expect(controlOf('body.config.auth.token', controls)).toBe('config.auth')
    expect(controlOf('body.name', controls)).toBe('name')
    expect(controlOf('body.kind', controls)).toBe('kind')
    expect(controlOf('body.config', controls)).toBeNull()
    expect(controlOf('body.config.unknown', controls)).toBeNull()
    expect(controlOf('path.id', controls)).toBeNull()
    expect(controlOf(undefined, controls)).toBeNull()
  })

  it('puts the connector’s field refusals on their inputs and the rest above the button', () => {
    const err = new ApiError(400, 'invalid_input', 'the tryton connector refused its configuration: url must be an http or https URL', [
      { location: 'body.config.url', message: 'must be an http or https URL' },
      { location: 'body.config.url', message: 'is required' },
      { location: 'body.config.page_size', message: 'must be at most 500' },
      { location: 'body.config', message: 'the configuration must be a JSON object' },
    ])
    const words: Record<string, string> = { 'is required': 'Required' }
    const placed = placeErrors(err, controls, (m) => words[m] ?? m, (l) => (l === 'body.config.page_size' ? 'Page size' : l.replace(/^body\./, '')))
    expect(placed.byControl).toEqual({ 'config.url': ['must be an http or https URL', 'Required'] })
    expect(placed.other).toEqual(['Page size: must be at most 500', 'config: the configuration must be a JSON object'])
  })

  it('puts a taken name on the name field', () => {
    const err = new ApiError(409, 'name_taken', 'a connector named "ERP" exists already', [{ location: 'body.name', message: 'is taken', value: 'ERP' }])
    expect(placeErrors(err, controls).byControl).toEqual({ name: ['is taken'] })
  })

  it('places the form’s own problems the same way, and nothing for an error without details', () => {
    expect(placeErrors([{ location: 'body.config.password', message: 'is required' }], controls).byControl).toEqual({ 'config.password': ['is required'] })
    expect(placeErrors(new ApiError(409, 'connector_limit', 'your plan allows 1 connector'), controls)).toEqual({ byControl: {}, other: [] })
    expect(placeErrors(new Error('boom'), controls)).toEqual({ byControl: {}, other: [] })
  })

  it('words the common messages of servers and connectors', () => {
    expect(issueOf('is required')).toEqual({ key: 'required' })
    expect(issueOf('must not be empty')).toEqual({ key: 'required' })
    expect(issueOf('is taken')).toEqual({ key: 'taken' })
    expect(issueOf('must be at least 1')).toEqual({ key: 'min', params: { n: '1' } })
    expect(issueOf('must be at most 500')).toEqual({ key: 'max', params: { n: '500' } })
    expect(issueOf('must not be negative')).toEqual({ key: 'negative' })
    expect(issueOf('must be an http or https URL')).toBeNull()
  })
})

describe('the records panel', () => {
  const record = (id: string, data: Record<string, unknown>): PulledRecord =>
    ({ entity: 'parties', external_id: id, data, deleted: false, changed_at: null, pulled_at: '2026-01-01T00:00:00Z' }) as unknown as PulledRecord

  it('shows a few plain fields, naming ones first, the same for the whole page', () => {
    const page = [record('1', { id: 1, addresses: [{ city: 'Jinan' }], code: 'C1' }), record('2', { id: 2, name: 'Acme', active: true })]
    expect(dataColumns(page)).toEqual(['name', 'code', 'id'])
    expect(dataColumns(page, 5)).toEqual(['name', 'code', 'id', 'active'])
    expect(dataColumns([])).toEqual([])
  })

  it('writes values as cells, long ones cut short', () => {
    expect(cell('Acme')).toBe('Acme')
    expect(cell(0)).toBe('0')
    expect(cell(false)).toBe('false')
    expect(cell(null)).toBe('')
    expect(cell({ a: 1 })).toBe('{"a":1}')
    expect(cell('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`)
  })

  it('has tabs for the entities a kind pulls, not those it only pushes', () => {
    const kind = {
      kind: 'k',
      display_name: 'K',
      version: '1',
      config_schema: {},
      entities: [
        { name: 'parties', direction: 'pull', description: '' },
        { name: 'orders', direction: 'push', description: '' },
        { name: 'products', direction: 'both', description: '' },
      ],
    } as ConnectorKind
    expect(pulledEntities(kind).map((e) => e.name)).toEqual(['parties', 'products'])
    expect(pulledEntities(undefined)).toEqual([])
  })
})
