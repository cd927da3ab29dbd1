// The connectors' refusals in words: a message of our own per error code the connectors' API
// answers (connectors.errors.<code>), else describeError's. A plan's connector limit is told with
// the plan's own numbers, read from the plan as the refusal's message is in English only.
import { api, call } from '@/api/client'
import { ApiError } from '@/api/errors'
import { describeError } from '@/i18n/describeError'
import { i18n } from '@/i18n'

export function describeConnector(err: unknown, names: Record<string, string | number> = {}): string {
  const { t, te } = i18n.global
  if (err instanceof ApiError && err.code === 'connector_limit') {
    return 'allowed' in names ? t('connectors.errors.limitOf', names) : t('connectors.errors.connector_limit')
  }
  if (err instanceof ApiError && te(`connectors.errors.${err.code}`)) return t(`connectors.errors.${err.code}`, names)
  return describeError(err).message
}

/** The numbers a connector-limit refusal needs ({allowed, used}), read from the plan; {} if unreadable. */
export async function limitNumbers(err: unknown): Promise<Record<string, number>> {
  if (!(err instanceof ApiError) || err.code !== 'connector_limit') return {}
  try {
    const plan = await call(api.GET('/api/v1/plan'))
    return plan.connectors_allowed ? { allowed: plan.connectors_allowed, used: plan.connectors_used } : {}
  } catch {
    return {}
  }
}

/** The server's own account of a failure worth showing an administrator beside our words. */
export function serverReason(err: unknown): string {
  return err instanceof ApiError && err.code === 'connector_unavailable' ? err.message : ''
}
