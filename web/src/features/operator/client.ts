// The operator console's own client for the operator API (/admin/api/v1, its own OpenAPI
// document): operators are not tenant users, so nothing here shares the tenant client's cookie,
// CSRF token or session listeners. A 401 from the operator API must not sign a tenant user out
// of the same browser, nor the other way round.
import createClient, { type Middleware } from 'openapi-fetch'
import type { components, paths } from '@/api/operator-schema'
import type { ApiError } from '@/api/errors'
import { answerOf, fetchWithTimeout, type FetchResult } from '@/api/client'

type S = components['schemas']
export type OperatorProfile = S['OperatorDTO']
export type TenantSummary = S['TenantDTO']
export type TenantDetail = S['TenantDetailDTO']
export type Usage = S['UsageDTO']
export type Grant = S['GrantDTO']
export type ConnectorHealth = S['ConnectorHealthDTO']

export interface OperatorSession {
  token: string
  expiresAt: string
  operator: OperatorProfile
}

// sessionStorage only, never localStorage: the token opens every tenant's records, so it must
// not outlive the tab. Closing the tab (or the browser) ends the console session; a reload keeps
// it. It is never shared with other tabs either: each signs in for itself.
const KEY = 'repflow.operator.session'

function storage(): Storage | undefined {
  try {
    return globalThis.sessionStorage
  } catch {
    return undefined // storage disabled: the session lives as long as the page
  }
}

let current: OperatorSession | null = read()

function read(): OperatorSession | null {
  try {
    const raw = storage()?.getItem(KEY)
    const parsed = raw ? (JSON.parse(raw) as OperatorSession) : null
    return parsed && typeof parsed.token === 'string' ? parsed : null
  } catch {
    return null
  }
}

/** The signed-in operator's session, or null; one past its expiry is forgotten. */
export function operatorSession(now = Date.now()): OperatorSession | null {
  if (current && Date.parse(current.expiresAt) <= now) setOperatorSession(null)
  return current
}

export function setOperatorSession(session: OperatorSession | null): void {
  current = session
  try {
    if (session) storage()?.setItem(KEY, JSON.stringify(session))
    else storage()?.removeItem(KEY)
  } catch {
    // private mode with no storage: kept in memory for this page
  }
}

type SignedOutListener = () => void
const signedOutListeners = new Set<SignedOutListener>()

/**
 * Called when the server refuses the operator's token (expired, signed out elsewhere, operator
 * disabled): the console layout listens and goes to the operator login.
 */
export function onOperatorSignedOut(listener: SignedOutListener): () => void {
  signedOutListeners.add(listener)
  return () => signedOutListeners.delete(listener)
}

const bearer: Middleware = {
  onRequest({ request }) {
    const session = operatorSession()
    if (session) request.headers.set('Authorization', `Bearer ${session.token}`)
    return request
  },
}

export const operatorApi = createClient<paths>({
  baseUrl: '',
  // No cookies: the operator API authenticates by the bearer token alone.
  credentials: 'omit',
  fetch: (request) => fetchWithTimeout(request, 20_000),
})
operatorApi.use(bearer)

const retryAfters = new WeakMap<ApiError, number>()

/** The seconds the server asked to wait before trying again (the sign-in throttle), if it did. */
export function retryAfter(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null ? retryAfters.get(err as ApiError) : undefined
}

/**
 * Awaits an operatorApi call and answers its data, or throws ApiError / NetworkError. A 401 to a
 * request that carried a token ends the console session: the token is forgotten and the
 * listeners told. A 401 without one (a refused sign-in) is only an error to show.
 */
export function operatorCall<T>(pending: Promise<FetchResult<T>>): Promise<T> {
  return answerOf(pending, (err, response) => {
    const wait = Number(response.headers.get('Retry-After'))
    if (wait > 0) retryAfters.set(err, wait)
    if (response.status === 401 && current) {
      setOperatorSession(null)
      signedOutListeners.forEach((l) => l())
    }
  })
}

/** Signs in; the session is kept only once the server has handed out a token. */
export async function operatorLogin(email: string, password: string, code: string): Promise<OperatorSession> {
  const answer = await operatorCall(operatorApi.POST('/admin/api/v1/login', { body: { email, password, code } }))
  const session = { token: answer.token, expiresAt: answer.expires_at, operator: answer.operator }
  setOperatorSession(session)
  return session
}

/** Ends the session at the server (best effort) and forgets it here in any case. */
export async function operatorLogout(): Promise<void> {
  try {
    if (current) await operatorCall(operatorApi.POST('/admin/api/v1/logout'))
  } catch {
    // forgotten here all the same; the server's session ends at its expiry
  } finally {
    setOperatorSession(null)
  }
}
