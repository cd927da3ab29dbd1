// The server names each problem's place (details[].location: body.admin_email,
// body.lines[3].region, body.people[0].email); forms show each one next to its field, in the
// reader's words where the server's wording is a common one, and any others above the button.
import { ApiError, type ErrorDetail } from '@/api/errors'

export interface Place {
  /** The field's name as the API spells it ('admin_email', 'region'); '' for the whole body. */
  field: string
  /** The CSV file's line (body.lines[n]) or the list's position, counted from 1 (body.people[i]). */
  line?: number
}

/** Reads a detail's location. Unknown shapes give the last path part as the field. */
export function placeOf(location?: string): Place {
  if (!location) return { field: '' }
  const rest = location.replace(/^body\.?/, '')
  const indexed = /^(lines|people)\[(\d+)\]\.?(.*)$/.exec(rest)
  if (indexed) {
    const n = Number(indexed[2])
    return { field: indexed[3] ?? '', line: indexed[1] === 'lines' ? n : n + 1 }
  }
  return { field: rest.split('.').pop() ?? '' }
}

/** The server's common field messages, as keys under onboarding.issues, when there is one. */
export function issueKey(message: string): string | null {
  const m = message.trim().toLowerCase()
  if (m === 'is required') return 'required'
  if (m === 'is taken' || m.includes('already exists')) return 'taken'
  if (m.startsWith('must be an iana') || m.startsWith('is not an iana')) return 'timeZone'
  if (m.startsWith('must be an iso 4217')) return 'currency'
  if (m.startsWith('must be 2 to')) return 'slug'
  if (m.includes('rfc 5322') || m.includes('not an e-mail')) return 'email'
  return null
}

export interface FieldErrors {
  /** Problems per field of the form, in the order the server gave them. */
  byField: Record<string, string[]>
  /** Problems with no field of the form to stand by (shown above the button). */
  other: { place: Place; message: string }[]
}

/**
 * Sorts an error's details onto a form's fields. word(detail) turns a server message into the
 * reader's words (issueKey through i18n, else the message itself). single: the form is the
 * first (only) person of a list (body.people[0].email belongs to its email field).
 */
export function fieldErrors(err: unknown, fields: readonly string[], word: (message: string) => string = (m) => m, single = false): FieldErrors {
  const out: FieldErrors = { byField: {}, other: [] }
  const details: ErrorDetail[] = err instanceof ApiError ? err.details : []
  for (const d of details) {
    const place = placeOf(d.location)
    const message = word(d.message)
    const onForm = place.line === undefined || (single && place.line === 1 && !d.location?.includes('lines['))
    if (onForm && fields.includes(place.field)) (out.byField[place.field] ??= []).push(message)
    else out.other.push({ place, message })
  }
  return out
}

/** The problems a form can see before asking the server: its required fields left empty. */
export function missing(values: Record<string, string>, required: readonly string[]): ApiError | null {
  const details = required.filter((f) => !values[f]?.trim()).map((f) => ({ location: `body.${f}`, message: 'is required' }))
  return details.length ? new ApiError(400, 'invalid_input', 'missing fields', details) : null
}
