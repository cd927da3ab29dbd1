// The records panel's table: besides the external id and the change time, a few of the records'
// own fields, the same columns for the whole page, chosen from what the records hold.
import type { PulledRecord } from './types'

// Fields that name a record read best first; others follow in the order the records have them.
const NAMING = ['name', 'rec_name', 'title', 'code', 'number', 'reference', 'email', 'state', 'status']

const scalar = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'

/** Up to max data fields with plain values in the page's records, naming fields first. */
export function dataColumns(records: readonly PulledRecord[], max = 3): string[] {
  const seen: string[] = []
  for (const r of records) {
    for (const [k, v] of Object.entries(r.data ?? {})) if (scalar(v) && !seen.includes(k)) seen.push(k)
  }
  const rank = (k: string) => (NAMING.includes(k) ? NAMING.indexOf(k) : NAMING.length)
  return seen
    .map((k, i) => ({ k, i }))
    .sort((a, b) => rank(a.k) - rank(b.k) || a.i - b.i)
    .slice(0, max)
    .map(({ k }) => k)
}

/** A data value as a table cell: plain values as they are, anything else as short JSON. */
export function cell(v: unknown, maxLength = 80): string {
  if (v === undefined || v === null) return ''
  const text = scalar(v) ? String(v) : JSON.stringify(v)
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text
}
