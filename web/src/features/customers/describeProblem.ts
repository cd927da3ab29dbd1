// A refusal from the server in words: this feature's own codes first (the order steps' and the
// payments' refusals), else the app's shared wording, which falls back to the server's message.
import { ApiError } from '@/api/errors'
import { describeError } from '@/i18n/describeError'
import { i18n } from '@/i18n'

export function describeProblem(err: unknown): string {
  const { t, te } = i18n.global
  if (err instanceof ApiError && te(`orders.errors.${err.code}`)) return t(`orders.errors.${err.code}`)
  const { message, details } = describeError(err)
  return details.length ? `${message} (${details.join('; ')})` : message
}

/** The record is not there for this person: missing, or outside what they may see. */
export function isNotThere(err: unknown): boolean {
  return err instanceof ApiError && (err.status === 404 || err.status === 403)
}
