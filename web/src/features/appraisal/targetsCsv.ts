// The targets CSV: the template a person fills in (one line per rep and metric, as
// PUT /api/v1/appraisal/targets/import reads it), and the server's refusal of a file as lines.
import { ruleOf, type Column, type Row } from './targets'

/** The columns the server reads; the others are for the person filling the file in. */
export const CSV_HEADER = ['rep_id', 'rep_name', 'metric', 'metric_name', 'unit', 'default', 'value']

// A spreadsheet runs a cell starting with = + - @ as a formula: a rep's name must not.
const inert = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s)

function field(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

const number = (v: number | undefined) => (v === undefined ? '' : String(Number(v.toPrecision(12))))

/**
 * The grid as a CSV file: its current values (and each metric's default, for reference) in the
 * metric's unit as the server reads it, ratios as fractions (0.9 is 90 %). A line left without
 * a value is refused on import: fill it in or delete it. With a BOM, so that Excel reads Chinese.
 */
export function targetsCsv(
  rows: Row[],
  cols: Column[],
  value: (row: string, metric: string) => number | undefined,
  name: (col: Column) => string,
): string {
  const lines = [CSV_HEADER.join(',')]
  for (const row of rows) {
    for (const col of cols) {
      const cells = [row.id, inert(row.name), col.key, inert(name(col)), col.unit, number(col.fallback), number(value(row.id, col.key))]
      lines.push(cells.map(field).join(','))
    }
  }
  return '\uFEFF' + lines.join('\r\n') + '\r\n'
}

/** One problem of a refused file: its line (the header is line 1) and column, when named. */
export interface LineProblem {
  line?: number
  column?: string
  rule: string | null
  message: string
}

/** The server's details (body.lines[3].value …) as problems by line, in the file's order. */
export function lineProblems(details: { location?: string; message: string }[]): LineProblem[] {
  return details
    .map((d) => {
      const at = /^body\.lines\[(\d+)\](?:\.(\w+))?/.exec(d.location ?? '')
      return { line: at ? Number(at[1]) : undefined, column: at?.[2], rule: ruleOf(d.message), message: d.message }
    })
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0))
}
