// The console's failures in words. Operators meet codes tenant users never do (a wrong
// authenticator code, a tenant in the wrong status for the step, someone else's support grant),
// and some shared codes mean something else here, so the console's own words come first; the
// server's message (written for people) and then a generic line follow.
import { ApiError, NetworkError } from '@/api/errors'
import { i18n } from '@/i18n'
import { retryAfter } from './client'

/** What a field of the request is called in the console's words, for the server's field notes. */
const FIELDS: Record<string, string> = {
  'body.reason': 'operator.errors.fields.reason',
  'body.minutes': 'operator.errors.fields.minutes',
  'body.code': 'operator.errors.fields.code',
  'body.email': 'operator.errors.fields.email',
  'body.password': 'operator.errors.fields.password',
}

export function describeOperatorError(err: unknown): string {
  const { t, te } = i18n.global
  if (err instanceof NetworkError) return t('operator.errors.network')
  if (!(err instanceof ApiError)) return t('operator.errors.unknown')
  if (err.code === 'too_many_attempts') {
    const seconds = retryAfter(err)
    return seconds ? t('operator.errors.lockedFor', { minutes: Math.ceil(seconds / 60) }) : t('operator.errors.code.too_many_attempts')
  }
  if (err.code === 'invalid_input' || err.code === 'invalid_request') {
    const fields = [...new Set(err.details.map((d) => d.location ?? '').filter((l) => FIELDS[l]))]
    if (fields.length) return fields.map((l) => t(FIELDS[l]!)).join(' ')
  }
  const key = `operator.errors.code.${err.code}`
  if (te(key)) return t(key)
  return err.message || t('operator.errors.unknown')
}
