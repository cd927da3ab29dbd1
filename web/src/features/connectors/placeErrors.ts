// Where a refusal's problems go on the connector form. The server names each place
// (details[].location): body.name, body.kind, or body.config.<field> when the connector itself
// refused a field of its configuration (body.config.auth.token for a nested one goes to "auth").
import { ApiError, type ErrorDetail } from '@/api/errors'
import type { Problem } from './schemaForm'

/** A form control: 'name', 'kind', 'enabled', or 'config.<property>'. */
export type Control = string

export interface Placed {
  /** Problems per control, in the order the server gave them. */
  byControl: Record<Control, string[]>
  /** Problems with no control of the form to stand by, each "where: what" when there is a where. */
  other: string[]
}

/** The control a location belongs to among controls, or null. */
export function controlOf(location: string | undefined, controls: readonly Control[]): Control | null {
  if (!location) return null
  const path = location.replace(/^body\.?/, '').replace(/\[\d+\]/g, '')
  if (!path) return null
  const [head, second] = path.split('.')
  const control = head === 'config' && second ? `config.${second}` : head!
  return controls.includes(control) ? control : null
}

/** An issue the catalogue words itself (connectors.issues.<key>), from a server's or the form's English. */
export interface Issue {
  key: string
  params?: Record<string, string>
}

const ISSUES: [RegExp, string][] = [
  [/^is required$/, 'required'],
  [/^must not be empty$/, 'required'],
  [/^is taken$/, 'taken'],
  [/^must be a number$/, 'number'],
  [/^must be a whole number$/, 'integer'],
  [/^must be at least (?<n>-?[\d.]+)$/, 'min'],
  [/^must be at most (?<n>-?[\d.]+)$/, 'max'],
  [/^must not be negative$/, 'negative'],
  [/^must be JSON$/, 'json'],
]

export function issueOf(message: string): Issue | null {
  const m = message.trim()
  for (const [re, key] of ISSUES) {
    const found = re.exec(m)
    if (found) return found.groups ? { key, params: { ...found.groups } } : { key }
  }
  return null
}

/**
 * Sorts an error's details (an ApiError from the server, or the form's own problems) onto the
 * form's controls. word turns a message into the reader's words; where names an unplaced
 * location for the "other" list.
 */
export function placeErrors(
  err: unknown,
  controls: readonly Control[],
  word: (message: string) => string = (m) => m,
  where: (location: string) => string = (l) => l.replace(/^body\.?/, ''),
): Placed {
  const out: Placed = { byControl: {}, other: [] }
  const details: (ErrorDetail | Problem)[] = err instanceof ApiError ? err.details : Array.isArray(err) ? (err as Problem[]) : []
  for (const d of details) {
    const message = word(d.message)
    const control = controlOf(d.location, controls)
    if (control) (out.byControl[control] ??= []).push(message)
    else out.other.push(d.location && where(d.location) ? `${where(d.location)}: ${message}` : message)
  }
  return out
}
