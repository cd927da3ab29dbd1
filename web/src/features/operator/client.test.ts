// @vitest-environment happy-dom
// @vitest-environment-options {"url":"http://127.0.0.1/"}
// The console's token handling: kept in sessionStorage only (a closed tab ends the session),
// sent as a bearer token, forgotten on the server's 401 with the console told to sign in again,
// and a refused sign-in said in words.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '@/api/errors'
import { i18n } from '@/i18n'
import {
  onOperatorSignedOut,
  operatorApi,
  operatorCall,
  operatorLogin,
  operatorLogout,
  operatorSession,
  retryAfter,
  setOperatorSession,
  type OperatorSession,
} from './client'
import { describeOperatorError } from './describe'
import { nextPath } from './nextPath'

const KEY = 'repflow.operator.session'
const OPERATOR = { id: '01a21caf-ec71-7208-abb2-f7e74fd60fce', email: 'ops@repflow.test', name: 'Ops' }
const later = () => new Date(Date.now() + 3_600_000).toISOString()

function answer(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } })
}

function signedIn(token = 'rfo_one'): OperatorSession {
  const session = { token, expiresAt: later(), operator: OPERATOR }
  setOperatorSession(session)
  return session
}

describe('the operator client', () => {
  beforeEach(() => {
    i18n.global.locale.value = 'en'
  })
  afterEach(() => {
    vi.unstubAllGlobals()
    setOperatorSession(null)
    localStorage.clear()
    sessionStorage.clear()
  })

  it('keeps the session from a sign-in in sessionStorage, never in localStorage', async () => {
    const sent: Request[] = []
    vi.stubGlobal('fetch', async (req: Request) => {
      sent.push(req)
      return answer(200, { token: 'rfo_fresh', expires_at: later(), operator: OPERATOR })
    })
    await operatorLogin('ops@repflow.test', 'a long operator passphrase', '123456')
    expect(await sent[0]!.json()).toEqual({ email: 'ops@repflow.test', password: 'a long operator passphrase', code: '123456' })
    expect(JSON.parse(sessionStorage.getItem(KEY)!).token).toBe('rfo_fresh')
    expect(operatorSession()?.operator.email).toBe('ops@repflow.test')
    expect(Object.keys(localStorage)).toEqual([])
    expect(JSON.stringify({ ...localStorage })).not.toContain('rfo_fresh')
  })

  it('reads a session kept by an earlier load of the page (a reload keeps it)', async () => {
    sessionStorage.setItem(KEY, JSON.stringify({ token: 'rfo_kept', expiresAt: later(), operator: OPERATOR }))
    vi.resetModules()
    const fresh = await import('./client')
    expect(fresh.operatorSession()?.token).toBe('rfo_kept')
  })

  it('forgets a session past its expiry', () => {
    setOperatorSession({ token: 'rfo_old', expiresAt: new Date(Date.now() - 1000).toISOString(), operator: OPERATOR })
    expect(operatorSession()).toBeNull()
    expect(sessionStorage.getItem(KEY)).toBeNull()
  })

  it('sends the token as a bearer token, and no cookies', async () => {
    const seen: [string | null, RequestCredentials][] = []
    vi.stubGlobal('fetch', async (req: Request) => {
      seen.push([req.headers.get('Authorization'), req.credentials])
      return answer(200, { tenants: [], total: 0, next_cursor: null })
    })
    await operatorCall(operatorApi.GET('/admin/api/v1/tenants'))
    signedIn('rfo_abc')
    await operatorCall(operatorApi.GET('/admin/api/v1/tenants'))
    expect(seen.map(([auth]) => auth)).toEqual([null, 'Bearer rfo_abc'])
    expect(seen[1]![1]).toBe('omit')
  })

  it('forgets the token on a 401 and tells the console to sign in again', async () => {
    vi.stubGlobal('fetch', async () => answer(401, { error: { code: 'session_ended', message: 'sign in again' } }))
    signedIn()
    const ended = vi.fn()
    const stop = onOperatorSignedOut(ended)
    await expect(operatorCall(operatorApi.GET('/admin/api/v1/tenants'))).rejects.toMatchObject({ status: 401, code: 'session_ended' })
    expect(ended).toHaveBeenCalledOnce()
    expect(operatorSession()).toBeNull()
    expect(sessionStorage.getItem(KEY)).toBeNull()
    stop()
  })

  it('only says a refused sign-in, in words, without ending anything', async () => {
    vi.stubGlobal('fetch', async () => answer(401, { error: { code: 'invalid_credentials', message: 'the e-mail address, password or authenticator code is wrong' } }))
    const ended = vi.fn()
    const stop = onOperatorSignedOut(ended)
    const err = await operatorLogin('ops@repflow.test', 'x', '000000').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(ended).not.toHaveBeenCalled()
    expect(operatorSession()).toBeNull()
    expect(describeOperatorError(err)).toMatch(/authenticator code is not right/)
    stop()
  })

  it('says how long the throttle locks the sign-in, from Retry-After', async () => {
    vi.stubGlobal('fetch', async () =>
      answer(429, { error: { code: 'too_many_attempts', message: 'too many failed sign-ins' } }, { 'Retry-After': '610' }),
    )
    const err = await operatorLogin('ops@repflow.test', 'x', '000000').catch((e: unknown) => e)
    expect(retryAfter(err)).toBe(610)
    expect(describeOperatorError(err)).toBe('Too many failed sign-ins: signing in is locked for now. Wait 11 minutes and try again.')
    i18n.global.locale.value = 'zh-CN'
    expect(describeOperatorError(err)).toContain('11 分钟')
  })

  it('names the field the server refused in the console’s words', async () => {
    vi.stubGlobal('fetch', async () =>
      answer(422, { error: { code: 'invalid_input', message: 'reason must have 10 to 500 characters', details: [{ location: 'body.reason', message: 'must have 10 to 500 characters' }] } }),
    )
    signedIn()
    const err = await operatorCall(
      operatorApi.POST('/admin/api/v1/tenants/{id}/suspend', { params: { path: { id: OPERATOR.id } }, body: { reason: 'short' } }),
    ).catch((e: unknown) => e)
    expect(describeOperatorError(err)).toBe('The reason needs 10 to 500 characters: say why, for the audit.')
    expect(operatorSession()).not.toBeNull() // a refusal is no reason to sign out
  })

  it('signs out at the server and forgets the token even when the server cannot be reached', async () => {
    const seen: string[] = []
    vi.stubGlobal('fetch', async (req: Request) => {
      seen.push(`${req.method} ${new URL(req.url).pathname} ${req.headers.get('Authorization')}`)
      throw new TypeError('Failed to fetch')
    })
    signedIn('rfo_bye')
    await operatorLogout()
    expect(seen).toEqual(['POST /admin/api/v1/logout Bearer rfo_bye'])
    expect(operatorSession()).toBeNull()
    expect(sessionStorage.getItem(KEY)).toBeNull()
  })

  it('goes back only to pages of the console after signing in', () => {
    expect(nextPath('/operator/tenants/abc')).toBe('/operator/tenants/abc')
    expect(nextPath('/operator?q=demo')).toBe('/operator?q=demo')
    expect(nextPath('/admin/users')).toBe('/operator')
    expect(nextPath('https://evil.example/operator')).toBe('/operator')
    expect(nextPath('/operator/login')).toBe('/operator')
    expect(nextPath(undefined)).toBe('/operator')
  })
})
