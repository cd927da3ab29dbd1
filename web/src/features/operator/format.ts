// Numbers, sizes and times in the reader's language. Times are shown in the browser's own time
// zone: operators serve tenants in many zones, and their own clock is the one they compare with.
import { currentLocale } from '@/i18n'

export function number(n: number): string {
  return new Intl.NumberFormat(currentLocale()).format(n)
}

export function bytes(n: number): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const
  let value = n
  let i = 0
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024
    i++
  }
  return new Intl.NumberFormat(currentLocale(), { style: 'unit', unit: units[i], unitDisplay: 'short', maximumFractionDigits: i ? 1 : 0 }).format(value)
}

export function dateTime(iso: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(d)
}

/** Reasons are counted as the server counts them: characters, not UTF-16 units, after trimming. */
export function reasonLength(reason: string): number {
  return [...reason.trim()].length
}

export const REASON_MIN = 10
export const REASON_MAX = 500
