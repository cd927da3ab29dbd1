// A connector's configuration form, made from the JSON Schema its kind describes: which input each
// property gets, what it starts with (its default, or the connector's current value), the checks
// made before asking the server, and the config object sent back.
//
// Secrets (writeOnly properties) never come back from the server: an edit leaves their inputs
// empty, and an empty secret is left out of the body so that the server keeps the one it has.

export type InputKind = 'text' | 'url' | 'email' | 'password' | 'number' | 'checkbox' | 'select' | 'json'

export interface ConfigField {
  /** The property's name, as the config object and the server's error locations spell it. */
  name: string
  input: InputKind
  /** The schema's title, else the property's name. */
  label: string
  /** The schema's description. */
  hint: string
  required: boolean
  secret: boolean
  /** integer: whole numbers only. */
  integer: boolean
  /** The schema's default, as the input holds it. */
  initial: FieldValue
  options: string[]
  min?: number
  max?: number
  maxLength?: number
}

/** What an input holds: text (numbers too, as typed) or a checkbox's state. */
export type FieldValue = string | boolean
export type FormValues = Record<string, FieldValue>

type Property = {
  type?: unknown
  title?: unknown
  description?: unknown
  default?: unknown
  format?: unknown
  writeOnly?: unknown
  enum?: unknown
  minimum?: unknown
  maximum?: unknown
  maxLength?: unknown
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v)
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)

/** The schema's type, the first one but "null" when it names several. */
function typeOf(p: Property): string {
  if (typeof p.type === 'string') return p.type
  if (Array.isArray(p.type)) return (p.type.find((t) => t !== 'null') as string | undefined) ?? ''
  return ''
}

function inputOf(p: Property, type: string, secret: boolean): InputKind {
  if (type === 'boolean') return 'checkbox'
  if (type === 'integer' || type === 'number') return 'number'
  if (type === 'string' || type === '') {
    if (Array.isArray(p.enum) && p.enum.length && p.enum.every((o) => typeof o === 'string')) return 'select'
    if (secret) return 'password'
    if (p.format === 'uri' || p.format === 'url') return 'url'
    if (p.format === 'email') return 'email'
    if (type === 'string') return 'text'
  }
  return 'json' // objects, arrays: edited as JSON text
}

/** An input's value for a config value (or a default). */
export function valueOf(field: Pick<ConfigField, 'input'>, v: unknown): FieldValue {
  if (field.input === 'checkbox') return v === true
  if (v === undefined || v === null) return ''
  if (field.input === 'json') return JSON.stringify(v, null, 2)
  return String(v)
}

/**
 * The fields of a config schema, in the order a person fills them in: the required ones as the
 * schema's required list names them, then the others as the schema lists them (a server that
 * re-encodes the schema may have sorted its properties by name, but never its required list).
 */
export function fieldsOf(schema: unknown): ConfigField[] {
  if (!isObject(schema) || !isObject(schema.properties)) return []
  const props = schema.properties
  const required = Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string' && r in props) : []
  const order = [...new Set([...required, ...Object.keys(props)])]
  return order.flatMap((name) => {
    const p = props[name]
    if (!isObject(p)) return []
    const prop = p as Property
    const type = typeOf(prop)
    const secret = prop.writeOnly === true || prop.format === 'password'
    const input = inputOf(prop, type, secret)
    const field: ConfigField = {
      name,
      input,
      label: typeof prop.title === 'string' && prop.title.trim() ? prop.title : name,
      hint: typeof prop.description === 'string' ? prop.description : '',
      required: required.includes(name),
      secret,
      integer: type === 'integer',
      initial: '',
      options: input === 'select' ? (prop.enum as string[]) : [],
    }
    field.initial = secret ? '' : valueOf(field, prop.default)
    const min = num(prop.minimum)
    const max = num(prop.maximum)
    const maxLength = num(prop.maxLength)
    if (min !== undefined) field.min = min
    if (max !== undefined) field.max = max
    if (maxLength !== undefined) field.maxLength = maxLength
    return [field]
  })
}

/** The inputs' first values: a new connector's defaults, or an existing one's config (no secrets). */
export function initialValues(fields: readonly ConfigField[], config?: Record<string, unknown>): FormValues {
  const values: FormValues = {}
  for (const f of fields) {
    const current = config && !f.secret && f.name in config ? valueOf(f, config[f.name]) : undefined
    values[f.name] = current ?? f.initial
  }
  return values
}

/** A problem found before asking the server, located as the server would (body.config.<name>). */
export interface Problem {
  location: string
  message: string
}

/**
 * The form's config object and the problems that keep it from being sent. secretsSet: the secret
 * fields the server holds already (an edit), which may stay empty. kept: the config's properties
 * the schema does not describe, carried over unchanged (the new config replaces the old one).
 */
export function configOf(
  fields: readonly ConfigField[],
  values: FormValues,
  secretsSet: readonly string[] = [],
  kept: Record<string, unknown> = {},
): { config: Record<string, unknown>; problems: Problem[] } {
  const known = new Set(fields.map((f) => f.name))
  const config: Record<string, unknown> = Object.fromEntries(Object.entries(kept).filter(([k]) => !known.has(k)))
  const problems: Problem[] = []
  const refuse = (f: ConfigField, message: string) => problems.push({ location: `body.config.${f.name}`, message })
  for (const f of fields) {
    const v = values[f.name] ?? f.initial
    if (f.input === 'checkbox') {
      config[f.name] = v === true
      continue
    }
    const text = typeof v === 'string' ? v : ''
    if (!text.trim()) {
      // An empty optional field is left out, so the connector's default applies; a secret the
      // server holds is left out, so it keeps it.
      if (f.required && !(f.secret && secretsSet.includes(f.name))) refuse(f, 'is required')
      continue
    }
    if (f.input === 'number') {
      const n = Number(text.trim())
      if (!Number.isFinite(n)) refuse(f, 'must be a number')
      else if (f.integer && !Number.isInteger(n)) refuse(f, 'must be a whole number')
      else if (f.min !== undefined && n < f.min) refuse(f, `must be at least ${f.min}`)
      else if (f.max !== undefined && n > f.max) refuse(f, `must be at most ${f.max}`)
      else config[f.name] = n
    } else if (f.input === 'json') {
      try {
        config[f.name] = JSON.parse(text)
      } catch {
        refuse(f, 'must be JSON')
      }
    } else {
      config[f.name] = text.trim() === text || f.secret ? text : text.trim()
    }
  }
  return { config, problems }
}
