// The administration's refusals in words: a message of our own per error code the organisation
// and access APIs answer (orgAdmin.errors.<code>, with the names the page knows), else the
// general wording of describeError. A seat limit is told with the plan's own numbers.
import { api, call } from '@/api/client'
import { ApiError } from '@/api/errors'
import { describeError } from '@/i18n/describeError'
import { i18n } from '@/i18n'

export function describeAdmin(err: unknown, names: Record<string, string | number> = {}): string {
  const { t, te } = i18n.global
  if (err instanceof ApiError && err.code === 'seat_limit' && 'allowed' in names) return t('orgAdmin.errors.seatLimit', names)
  if (err instanceof ApiError && te(`orgAdmin.errors.${err.code}`)) return t(`orgAdmin.errors.${err.code}`, names)
  return describeError(err).message
}

/** The numbers a seat-limit refusal needs ({allowed, active}), read from the plan; {} if unreadable. */
export async function seatNumbers(err: unknown): Promise<Record<string, number>> {
  if (!(err instanceof ApiError) || err.code !== 'seat_limit') return {}
  try {
    const plan = await call(api.GET('/api/v1/plan'))
    return plan.seats_allowed ? { allowed: plan.seats_allowed, active: plan.active_seats } : {}
  } catch {
    return {}
  }
}
