// Turns any failure into words for the person in front of the screen: a message per error code
// from the catalogues, else the server's own message (written for people), else a generic line.
import { ApiError, NetworkError } from '@/api/errors'
import { FixError } from '@/offline/geolocation'
import type { StoredError } from '@/offline/model'
import { i18n } from './index'

export interface Described {
  message: string
  /** Field problems, each "where: what", for forms. */
  details: string[]
}

function byCode(code: string, fallback: string): string {
  const { t, te } = i18n.global
  const key = `errors.code.${code}`
  if (te(key)) return t(key)
  return fallback || t('errors.unknown')
}

export function describeStored(err: StoredError): Described {
  if (err.code === 'network') return { message: i18n.global.t('errors.network'), details: [] }
  return {
    message: byCode(err.code, err.message),
    details: (err.details ?? []).map((d) => (d.location ? `${d.location.replace(/^body\./, '')}: ${d.message}` : d.message)),
  }
}

export function describeError(err: unknown): Described {
  const { t } = i18n.global
  if (err instanceof NetworkError) return { message: t('errors.network'), details: [] }
  if (err instanceof FixError) return { message: t(`errors.position.${err.reason}`), details: [] }
  if (err instanceof ApiError) {
    return describeStored({ status: err.status, code: err.code, message: err.message, details: err.details })
  }
  return { message: t('errors.unknown'), details: [] }
}
