// The one way the UI talks to the server. It adds the CSRF header to unsafe requests, turns every
// failure into ApiError or NetworkError, and tells whoever listens (the router) when the session
// has ended, so that any 401 anywhere leads to the login page.
import createClient, { type Middleware } from 'openapi-fetch'
import type { paths } from './schema'
import { type ApiError, NetworkError, toApiError } from './errors'
import { csrfToken } from './credentials'

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS'])

type SessionEndedListener = (err: ApiError) => void
const sessionEndedListeners = new Set<SessionEndedListener>()

/** Called with the error whenever the server says the caller is not (or no longer) signed in. */
export function onSessionEnded(listener: SessionEndedListener): () => void {
  sessionEndedListeners.add(listener)
  return () => sessionEndedListeners.delete(listener)
}

const csrf: Middleware = {
  onRequest({ request }) {
    const token = csrfToken()
    if (!SAFE.has(request.method) && token) request.headers.set('X-CSRF-Token', token)
    return request
  },
}

export const api = createClient<paths>({
  baseUrl: '',
  credentials: 'same-origin',
  // A request must never hang for ever on a phone with one bar: the offline queue relies on a
  // failure to know it should keep the action for later.
  fetch: (request) => fetchWithTimeout(request, 20_000),
})
api.use(csrf)

/** fetch, given up after ms: every client of the UI uses it, so no request hangs for ever. */
export async function fetchWithTimeout(request: Request, ms: number): Promise<Response> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), ms)
  try {
    return await fetch(new Request(request, { signal: controller.signal }))
  } finally {
    clearTimeout(timer)
  }
}

export interface FetchResult<T> {
  data?: T
  error?: unknown
  response: Response
}

/**
 * Awaits an openapi-fetch call and answers its data, or throws ApiError / NetworkError. refused
 * sees each ApiError with its response before it is thrown: what a client does about an ended
 * session is its own.
 */
export async function answerOf<T>(pending: Promise<FetchResult<T>>, refused: (err: ApiError, response: Response) => void): Promise<T> {
  let result: FetchResult<T>
  try {
    result = await pending
  } catch (err) {
    // fetch rejects only when no response arrived (offline, reset, aborted by our timeout).
    throw new NetworkError(err instanceof Error ? err.message : String(err), err)
  }
  const { response } = result
  if (response.ok) return result.data as T
  // Gateways answer 502/504 with their own pages when repflow itself is unreachable.
  if (response.status === 502 || response.status === 504) {
    throw new NetworkError(`gateway answered ${response.status}`)
  }
  const err = await toApiError(response, result.error)
  refused(err, response)
  throw err
}

/**
 * Awaits a call of the tenant API and answers its data, or throws ApiError / NetworkError.
 * Usage: const me = await call(api.GET('/api/v1/me'))
 */
export function call<T>(pending: Promise<FetchResult<T>>): Promise<T> {
  return answerOf(pending, (err, response) => {
    if (response.status === 401) sessionEndedListeners.forEach((l) => l(err))
    // A lost CSRF token (cleared storage) cannot be recovered without signing in again.
    if (response.status === 403 && err.code === 'csrf_failed') sessionEndedListeners.forEach((l) => l(err))
  })
}
