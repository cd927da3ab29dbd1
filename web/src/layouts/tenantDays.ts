// Date filters are picked as the tenant's calendar days (a Shanghai manager's "1 November" starts
// at midnight in Shanghai, wherever the browser is); the API takes instants.

const DAY = /^\d{4}-\d{2}-\d{2}$/

export function isDay(value: string): boolean {
  return DAY.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`))
}

/** The instant the tenant's day begins, in RFC 3339 (UTC). */
export function dayStart(day: string, timeZone: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  const wall = Date.UTC(y, m - 1, d)
  // The zone's offset at that wall time; asked twice so a day that starts just after a DST change
  // still lands on its own midnight.
  let at = wall - offset(wall, timeZone)
  at = wall - offset(at, timeZone)
  return new Date(at).toISOString()
}

/** The instant the tenant's day after `day` begins: the exclusive end of an inclusive range. */
export function dayEnd(day: string, timeZone: string): string {
  const next = new Date(`${day}T00:00:00Z`)
  next.setUTCDate(next.getUTCDate() + 1)
  return dayStart(next.toISOString().slice(0, 10), timeZone)
}

function offset(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(at))
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'))
  return asUtc - Math.floor(at / 1000) * 1000
}
