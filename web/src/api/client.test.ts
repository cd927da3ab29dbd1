// @vitest-environment happy-dom
// @vitest-environment-options {"url":"http://127.0.0.1/"}
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError, NetworkError, isTransient, toApiError } from './errors'
import { api, call, onSessionEnded } from './client'
import { setCsrfToken } from './credentials'

function answer(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

describe('the API client', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    setCsrfToken(null)
  })

  it('reads the server’s error shape into an ApiError with code, message and details', async () => {
    const err = await toApiError(
      answer(400, { error: { code: 'invalid_input', message: 'accuracy must be positive', details: [{ location: 'body.accuracy', message: 'must be positive' }] } }),
    )
    expect(err).toBeInstanceOf(ApiError)
    expect([err.status, err.code, err.message]).toEqual([400, 'invalid_input', 'accuracy must be positive'])
    expect(err.details).toEqual([{ location: 'body.accuracy', message: 'must be positive' }])
  })

  it('names an answer that is not in the error shape by its status', async () => {
    const err = await toApiError(new Response('<html>bad gateway</html>', { status: 500, statusText: 'Internal Server Error' }))
    expect(err.code).toBe('http_500')
  })

  it('tells transient failures from the server’s considered refusals', () => {
    expect(isTransient(new NetworkError())).toBe(true)
    expect(isTransient(new ApiError(503, 'unavailable', ''))).toBe(true)
    expect(isTransient(new ApiError(429, 'too_many_requests', ''))).toBe(true)
    expect(isTransient(new ApiError(409, 'visit_closed', ''))).toBe(false)
    expect(isTransient(new ApiError(400, 'invalid_input', ''))).toBe(false)
  })

  it('sends the CSRF token on unsafe requests only', async () => {
    const seen: [string, string | null][] = []
    vi.stubGlobal('fetch', async (req: Request) => {
      seen.push([req.method, req.headers.get('X-CSRF-Token')])
      return answer(200, {})
    })
    setCsrfToken('tok')
    await call(api.GET('/api/v1/me'))
    await call(api.POST('/api/v1/auth/logout'))
    expect(seen).toEqual([
      ['GET', null],
      ['POST', 'tok'],
    ])
  })

  it('turns a fetch that never got an answer into a NetworkError', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch')
    })
    await expect(call(api.GET('/api/v1/me'))).rejects.toBeInstanceOf(NetworkError)
  })

  it('treats a gateway’s 502/504 as the network, not as the server’s answer', async () => {
    vi.stubGlobal('fetch', async () => new Response('upstream down', { status: 502 }))
    await expect(call(api.GET('/api/v1/me'))).rejects.toBeInstanceOf(NetworkError)
  })

  it('tells the session listeners about a 401 and throws it as an ApiError', async () => {
    vi.stubGlobal('fetch', async () => answer(401, { error: { code: 'session_ended', message: 'sign in again' } }))
    const ended = vi.fn()
    const stop = onSessionEnded(ended)
    await expect(call(api.GET('/api/v1/me'))).rejects.toMatchObject({ status: 401, code: 'session_ended' })
    expect(ended).toHaveBeenCalledOnce()
    stop()
  })
})
