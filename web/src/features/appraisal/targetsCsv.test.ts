import { describe, expect, it } from 'vitest'
import { lineProblems, targetsCsv } from './targetsCsv'
import type { Column } from './targets'

const cols: Column[] = [
  { key: 'coverage_rate', nameZh: '客户覆盖率', nameEn: 'Coverage rate', unit: 'ratio', sums: false, fallback: 0.9 },
  { key: 'visits', nameZh: '拜访次数', nameEn: 'Visits', unit: 'count', sums: true },
]

describe('targetsCsv', () => {
  it('writes a line per rep and KPI, in the server’s units, with the values of the grid', () => {
    const rows = [{ id: 'r1', name: 'Wang, "Lei"' }, { id: 'r2', name: '=HYPERLINK("x")' }]
    const values: Record<string, number> = { 'r1|visits': 45, 'r2|coverage_rate': 0.85 }
    const csv = targetsCsv(rows, cols, (r, m) => values[`${r}|${m}`], (c) => c.nameZh)
    expect(csv.startsWith('\uFEFF')).toBe(true)
    expect(csv.slice(1).split('\r\n')).toEqual([
      'rep_id,rep_name,metric,metric_name,unit,default,value',
      'r1,"Wang, ""Lei""",coverage_rate,客户覆盖率,ratio,0.9,',
      'r1,"Wang, ""Lei""",visits,拜访次数,count,,45',
      // A name a spreadsheet would run as a formula is made inert.
      `r2,"'=HYPERLINK(""x"")",coverage_rate,客户覆盖率,ratio,0.9,0.85`,
      `r2,"'=HYPERLINK(""x"")",visits,拜访次数,count,,`,
      '',
    ])
  })
})

describe('lineProblems', () => {
  it('reads the line and column of each refusal, in the file’s order', () => {
    expect(
      lineProblems([
        { location: 'body.lines[4].value', message: 'is not a number (write 0.9 for 90 %)' },
        { location: 'body.lines[2].rep_id', message: "is not a rep's id" },
        { location: 'body', message: 'is not CSV: bare " in non-quoted field' },
      ]),
    ).toEqual([
      { line: undefined, column: undefined, rule: 'csv', message: 'is not CSV: bare " in non-quoted field' },
      { line: 2, column: 'rep_id', rule: 'repId', message: "is not a rep's id" },
      { line: 4, column: 'value', rule: 'notNumber', message: 'is not a number (write 0.9 for 90 %)' },
    ])
  })
})
