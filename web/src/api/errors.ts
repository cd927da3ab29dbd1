// The two ways a call to the API can fail, kept apart because the UI and the offline queue treat
// them differently: the server answered with its error shape (ApiError: show it, or hold a queued
// action for the rep), or no answer came at all (NetworkError: keep the action and try later).

export interface ErrorDetail {
  location?: string
  message: string
  value?: unknown
}

/** The server's answer {"error":{"code","message","details"}} with its HTTP status. */
export class ApiError extends Error {
  override readonly name = 'ApiError'
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message)
  }
}

/** No usable answer: offline, connection dropped, DNS, or a gateway in between gave up. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError'
  constructor(message = 'network unavailable', override readonly cause?: unknown) {
    super(message)
  }
}

/**
 * Reads an error response. Anything not in the server's shape (a proxy's HTML page, an empty
 * body) still becomes an ApiError, named after its status, so callers see one kind of thing.
 */
export async function toApiError(response: Response, body?: unknown): Promise<ApiError> {
  let parsed = body
  if (parsed === undefined) {
    try {
      parsed = await response.clone().json()
    } catch {
      parsed = undefined
    }
  }
  const payload = (parsed as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error
  if (payload && typeof payload.code === 'string') {
    const details = Array.isArray(payload.details)
      ? payload.details.filter((d): d is ErrorDetail => !!d && typeof (d as ErrorDetail).message === 'string')
      : []
    return new ApiError(response.status, payload.code, typeof payload.message === 'string' ? payload.message : '', details)
  }
  return new ApiError(response.status, `http_${response.status}`, response.statusText || `HTTP ${response.status}`)
}

/**
 * Whether trying the same request again later may succeed: no answer, the server busy or down, or
 * a gateway timing out. A 4xx other than 408/429 is the server's considered answer and is not.
 */
export function isTransient(err: unknown): boolean {
  if (err instanceof NetworkError) return true
  if (err instanceof ApiError) return err.status === 408 || err.status === 429 || err.status >= 500
  return false
}
