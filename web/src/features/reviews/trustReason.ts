// A check-in's trust reason in the reader's language, with its measured numbers; the server's own
// English message stands in for a code this version of the UI does not know yet.
import type { TrustReason } from '@/api/types'

type Translate = (key: string, named?: Record<string, unknown>) => string
type Has = (key: string) => boolean

export function describeReason(reason: TrustReason, t: Translate, te: Has, locale: string): string {
  const key = `trust.reasons.${reason.code}`
  if (!te(key)) return reason.message
  const n = (v: number | undefined, digits = 0) => new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(v ?? 0)
  return t(key, {
    metres: n(reason.metres),
    speed: n(reason.speed_kmh),
    minutes: n((reason.seconds ?? 0) / 60, 1),
    seconds: n(reason.seconds),
  })
}
