// The SaaS operator's console in a real browser against a fresh demo repflow: an operator
// enrolled with `repflow operator add` on the server's own data directory signs in with codes
// computed here (RFC 6238: SHA-1, 30 s, 6 digits); a wrong code and the throttle's lock are
// refused in words; the demo tenant is found by search, its usage matches the API; suspending it
// turns its admin's sign-in away until it is resumed; support access is granted, opened (the
// token shown once, with its warning) and revoked; connector health; an ended session leads back
// to the login; both languages with no missing key; the tenants list at 360 px.
import { execFile } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { DEMO_PASSWORD, newContext, screenshot, startStack, type Stack } from './harness'
import zh from '../src/i18n/locales/operator.zh-CN'
import en from '../src/i18n/locales/operator.en'

const run = promisify(execFile)
const EMAIL = 'ops@repflow.test'
const PASSWORD = 'a long operator passphrase for the browser test'
const DEMO_ADMIN = 'admin@demo.repflow.test'
const SESSION_KEY = 'repflow.operator.session'

interface Tenant { id: string; slug: string; name: string; status: string }
interface Usage {
  active_users: number; customers: number; visits: number; orders: number; activities: number
  storage_bytes: number; last_activity: string | null; seats: Record<string, number>; connectors: Record<string, number>
}

let stack: Stack
let secret = ''

// ---- TOTP (RFC 6238 over RFC 4226), as an authenticator app computes it ----

function base32(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let bits = 0
  let value = 0
  const out: number[] = []
  for (const c of text.replace(/=+$/, '').toUpperCase()) {
    const i = alphabet.indexOf(c)
    if (i < 0) throw new Error(`not base32: ${c}`)
    value = (value << 5) | i
    bits += 5
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff)
      bits -= 8
    }
  }
  return Buffer.from(out)
}

function totp(step: number): string {
  const counter = Buffer.alloc(8)
  counter.writeBigUInt64BE(BigInt(step))
  const mac = createHmac('sha1', base32(secret)).update(counter).digest()
  const at = mac[mac.length - 1]! & 0x0f
  return String((mac.readUInt32BE(at) & 0x7fffffff) % 1_000_000).padStart(6, '0')
}

const stepNow = () => Math.floor(Date.now() / 30_000)
let lastStep = 0

/** A code the server has not seen: each works once, so a second sign-in waits for the next step. */
async function freshCode(): Promise<string> {
  while (stepNow() <= lastStep) await new Promise((r) => setTimeout(r, 30_000 - (Date.now() % 30_000) + 200))
  lastStep = stepNow()
  return totp(lastStep)
}

/** Six digits that are no code of the steps the server accepts now. */
function wrongCode(): string {
  const near = [-1, 0, 1, 2].map((d) => totp(stepNow() + d))
  for (let n = 123456; ; n = (n + 111111) % 1_000_000) {
    const c = String(n).padStart(6, '0')
    if (!near.includes(c)) return c
  }
}

// ---- the server, as the test sees it ----

async function operatorApi<T>(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${stack.repflow.url}/admin/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  return { status: res.status, body: (res.status === 204 ? undefined : await res.json()) as T }
}

async function demoAdminLogin(): Promise<{ status: number; code?: string }> {
  const res = await fetch(`${stack.repflow.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: DEMO_ADMIN, password: DEMO_PASSWORD, client: 'mobile' }),
  })
  const body = (await res.json()) as { error?: { code: string } }
  return { status: res.status, code: body.error?.code }
}

beforeAll(async () => {
  stack = await startStack()
  // Enrolled while the server runs, on its data directory (the embedded database allows it).
  const { stdout } = await run(stack.repflow.bin, ['operator', 'add', EMAIL, 'Olga Operator', '--data-dir', stack.repflow.dataDir], {
    env: { ...process.env, REPFLOW_OPERATOR_PASSWORD: PASSWORD, REPFLOW_LOG_LEVEL: 'warn' },
  })
  const url = /otpauth:\/\/\S+/.exec(stdout)?.[0]
  secret = url ? (new URL(url).searchParams.get('secret') ?? '') : ''
  expect(secret, stdout).toMatch(/^[A-Z2-7]+=*$/)
})

afterAll(async () => {
  await stack?.stop()
})

describe('the operator console', () => {
  let context: BrowserContext
  let page: Page
  let demo: Tenant

  const token = () => page.evaluate((key) => JSON.parse(sessionStorage.getItem(key) ?? 'null')?.token as string | undefined, SESSION_KEY)
  const text = (sel: string) => page.locator(sel).innerText()

  /** No catalogue key shows instead of words (vue-i18n shows the key of a missing message). */
  async function noMissingKeys() {
    const body = await page.locator('body').innerText()
    expect(body.match(/\b(operator|shell|common|languages|errors)\.[A-Za-z_]+(\.[A-Za-z_]+)*/g) ?? []).toEqual([])
  }

  async function signIn(code: string) {
    await page.locator('[data-test=operator-email]').fill(EMAIL)
    await page.locator('[data-test=operator-password]').fill(PASSWORD)
    await page.locator('[data-test=operator-code]').fill(code)
    await page.locator('[data-test=operator-sign-in]').click()
  }

  beforeAll(async () => {
    context = await newContext(stack, 'desk')
    page = await context.newPage()
    page.on('dialog', (d) => void d.accept()) // suspend, open session and revoke confirmations
  })
  afterAll(async () => {
    await context?.close()
  })

  it('sends a visitor of the console to its own login, apart from the tenants’', async () => {
    await page.goto('/operator/connectors')
    await page.waitForURL(/\/operator\/login\?next=/)
    expect(await text('h1')).toBe(zh.login.title)
    await noMissingKeys()
  })

  it('refuses a wrong authenticator code, in words', async () => {
    await signIn(wrongCode())
    const error = page.locator('[data-test=operator-login-error]')
    await error.waitFor()
    expect(await error.innerText()).toBe(zh.errors.code.invalid_credentials)
    expect(new URL(page.url()).pathname).toBe('/operator/login')
    expect(await token()).toBeUndefined()
    // The used code is cleared: the next try needs a fresh one.
    expect(await page.locator('[data-test=operator-code]').inputValue()).toBe('')
    await screenshot(page, 'operator-1-login-refused')
  })

  it('says so when the throttle locks an address out', async () => {
    const other = 'nobody@repflow.test'
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${stack.repflow.url}/admin/api/v1/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: other, password: 'guess', code: '000000' }),
      })
      expect(res.status).toBe(401)
    }
    await page.locator('[data-test=operator-email]').fill(other)
    await page.locator('[data-test=operator-password]').fill('guess')
    await page.locator('[data-test=operator-code]').fill('000000')
    await page.locator('[data-test=operator-sign-in]').click()
    const error = page.locator('[data-test=operator-login-error]')
    await expect.poll(() => error.innerText()).toMatch(/登录失败次数过多.*请等待 1\d 分钟后再试/)
  })

  it('signs in with the current code and keeps the token in this tab only', async () => {
    await signIn(await freshCode())
    await page.waitForURL((u) => u.pathname === '/operator/connectors')
    expect(await text('[data-test=operator-who]')).toContain(EMAIL)
    expect(await token()).toMatch(/^rfo_/)
    const local = await page.evaluate(() => JSON.stringify({ ...localStorage }))
    expect(local).not.toContain('rfo_')
  })

  it('shows connector health: the counts by state and the list, or its empty state', async () => {
    const health = (await operatorApi<{ by_state: Record<string, number>; connectors: { id: string }[] }>((await token())!, 'GET', '/connectors')).body
    await page.locator('[data-test=connector-counts]').waitFor()
    for (const state of ['crashed', 'failing', 'unknown', 'healthy', 'disabled']) {
      expect(await page.locator(`[data-test=connector-count][data-state=${state}]`).getAttribute('data-value')).toBe(String(health.by_state[state] ?? 0))
    }
    if (health.connectors.length) {
      await expect.poll(() => page.locator('[data-test=connector-row]').count()).toBe(health.connectors.length)
      expect(await page.locator('[data-test=connector-row] [data-test=connector-tenant]').first().getAttribute('href')).toMatch(/^\/operator\/tenants\//)
    } else {
      await page.locator('[data-test=empty]').waitFor()
      expect(await text('[data-test=empty] .state-title')).toBe(zh.connectors.empty)
    }
    await noMissingKeys()
    await screenshot(page, 'operator-2-connectors')
  })

  it('finds the demo tenant by search, with the total the API counts', async () => {
    await page.locator('[data-nav=operator-tenants]').click()
    await page.locator('[data-test=tenant-filters]').waitFor()
    await page.locator('[data-test=tenant-q]').fill('demo')
    await page.keyboard.press('Enter')
    await page.waitForURL((u) => u.searchParams.get('q') === 'demo')
    const found = (await operatorApi<{ tenants: Tenant[]; total: number }>((await token())!, 'GET', '/tenants?q=demo')).body
    demo = found.tenants.find((x) => x.slug === 'demo')!
    expect(demo).toBeTruthy()
    const row = page.locator('[data-test=tenant-row][data-slug=demo]')
    await row.waitFor()
    expect(await page.locator('[data-test=tenant-total]').getAttribute('data-total')).toBe(String(found.total))
    expect(await page.locator('[data-test=tenant-row]').count()).toBe(found.tenants.length)
    expect(await row.innerText()).toContain(demo.name)
    // A search that matches nothing says so.
    await page.locator('[data-test=tenant-q]').fill('no-such-tenant-anywhere')
    await page.locator('[data-test=tenant-search]').click()
    await page.locator('[data-test=empty]').waitFor()
    expect(await text('[data-test=empty] .state-title')).toBe(zh.tenants.noMatch)
    await page.goBack()
    await row.waitFor()
    await noMissingKeys()
    await screenshot(page, 'operator-3-tenants')
  })

  it('opens the demo tenant: its usage numbers are the API’s', async () => {
    await page.locator('[data-test=tenant-row][data-slug=demo] [data-test=tenant-link]').click()
    await page.waitForURL((u) => u.pathname === `/operator/tenants/${demo.id}`)
    await page.locator('[data-test=usage]').waitFor()
    const usage = (await operatorApi<{ usage: Usage }>((await token())!, 'GET', `/tenants/${demo.id}`)).body.usage
    expect(await text('[data-test=tenant-name]')).toBe(demo.name)
    for (const key of ['active_users', 'customers', 'visits', 'orders', 'activities', 'storage_bytes'] as const) {
      const fact = page.locator(`[data-usage=${key}]`)
      expect(await fact.getAttribute('data-value'), key).toBe(String(usage[key]))
      if (key !== 'storage_bytes') expect((await fact.locator('dd').innerText()).replace(/\D/g, ''), key).toBe(String(usage[key]))
    }
    expect(usage.active_users).toBeGreaterThan(0)
    for (const [role, n] of Object.entries(usage.seats)) {
      expect(await page.locator(`[data-test=usage-seats] [data-role=${role}]`).getAttribute('data-value'), role).toBe(String(n))
    }
    const states = Object.entries(usage.connectors).filter(([, n]) => n)
    if (states.length) expect(await page.locator('[data-test=usage-connectors] li').count()).toBe(states.length)
    else await page.locator('[data-test=usage-no-connectors]').waitFor()
    expect(await page.locator('[data-test=tenant-status]').getAttribute('data-status')).toBe('active')
    await noMissingKeys()
    await screenshot(page, 'operator-4-tenant')
  })

  it('suspends the tenant only with a reason; its admin’s sign-in is then refused, until it is resumed', async () => {
    expect((await demoAdminLogin()).status).toBe(200)
    // No reason: said by the field, and nothing is sent.
    await page.locator('[data-test=suspend]').click()
    const hint = page.locator('[data-test=status-reason-hint]')
    await expect.poll(() => hint.getAttribute('class')).toContain('form-error')
    expect(await page.locator('[data-test=status-reason]').getAttribute('aria-invalid')).toBe('true')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('op-status-reason')

    await page.locator('[data-test=status-reason]').fill('Unpaid invoices for three months (browser test)')
    await page.locator('[data-test=suspend]').click()
    await page.locator('[data-test=status-done]').waitFor()
    await expect.poll(() => page.locator('[data-test=tenant-status]').getAttribute('data-status')).toBe('suspended')
    expect(await text('[data-test=tenant-status]')).toBe(zh.statuses.suspended)
    expect(await demoAdminLogin()).toEqual({ status: 403, code: 'tenant_suspended' })

    // The server's refusal of the wrong step is said too: resuming needs a reason as well.
    await page.locator('[data-test=status-reason]').fill('Paid in full, back in service (browser test)')
    await page.locator('[data-test=resume]').click()
    await expect.poll(() => page.locator('[data-test=tenant-status]').getAttribute('data-status')).toBe('active')
    expect((await demoAdminLogin()).status).toBe(200)
    await page.locator('[data-test=suspend]').waitFor()
  })

  it('grants support access, opens a session showing the token once with its warning, and revokes it', async () => {
    await page.locator('[data-test=grant-reason]').fill('Customer reports missing visits on the dashboard (browser test)')
    await page.locator('[data-test=grant-minutes]').selectOption('15')
    await page.locator('[data-test=grant]').click()
    const grant = page.locator('[data-test=grant-row][data-state=active]').first()
    await grant.waitFor()
    await grant.locator('[data-test=grant-open]').click()
    const session = page.locator('[data-test=support-session]')
    await session.waitFor()
    expect(await session.locator('[data-test=support-session-warning]').innerText()).toBe(zh.support.sessionWarning)
    const supportToken = await page.locator('[data-test=support-token]').inputValue()
    expect(supportToken).toMatch(/^rfs_/)
    // The token reads the tenant's API, and it is kept nowhere in the browser.
    const read = await fetch(`${stack.repflow.url}/api/v1/customers?limit=1`, { headers: { Authorization: `Bearer ${supportToken}` } })
    expect(read.status).toBe(200)
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }))
    expect(stored).not.toContain(supportToken)
    await screenshot(page, 'operator-5-support-session')

    await grant.locator('[data-test=grant-revoke]').click()
    await expect.poll(() => page.locator('[data-test=grant-row]').first().getAttribute('data-state')).toBe('revoked')
    await expect.poll(() => page.locator('[data-test=support-session]').count()).toBe(0)
    const after = await fetch(`${stack.repflow.url}/api/v1/customers?limit=1`, { headers: { Authorization: `Bearer ${supportToken}` } })
    expect(after.status).toBe(401)
  })

  it('reads in English too, with no missing words', async () => {
    await page.locator('[data-test=language]').selectOption('en')
    await expect.poll(() => text('[data-test=usage] h2')).toBe(en.usage.title)
    expect(await text('[data-test=tenant-status]')).toBe(en.statuses.active)
    await noMissingKeys()
    await page.locator('[data-nav=operator-connectors]').click()
    await expect.poll(() => text('h1')).toBe(en.connectors.title)
    await noMissingKeys()
    await page.locator('[data-nav=operator-tenants]').click()
    await expect.poll(() => text('h1')).toBe(en.tenants.title)
    await page.locator('[data-test=tenant-row]').first().waitFor()
    await noMissingKeys()
    expect(await page.title()).toBe(`${en.nav.tenants} · repflow`)
  })

  it('lays the tenants list out at 360 px without sideways scrolling', async () => {
    await page.setViewportSize({ width: 360, height: 760 })
    const row = page.locator('[data-test=tenant-row][data-slug=demo]')
    await row.waitFor()
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
    for (const sel of ['[data-test=tenant-row]', '[data-test=tenant-filters]', '.op-header']) {
      const box = (await page.locator(sel).first().boundingBox())!
      expect(box.x, sel).toBeGreaterThanOrEqual(0)
      expect(box.x + box.width, sel).toBeLessThanOrEqual(360)
    }
    // Every control of the list is reachable and big enough for a thumb.
    const link = (await row.locator('[data-test=tenant-link]').boundingBox())!
    expect(link.height).toBeGreaterThanOrEqual(44)
    await screenshot(page, 'operator-6-tenants-360')
    await page.setViewportSize({ width: 1366, height: 900 })
  })

  it('goes to the login when the server ends the session, and signs out', { timeout: 90_000 }, async () => {
    // Signed out elsewhere: the next request is refused, the token forgotten, the login shown.
    expect((await operatorApi((await token())!, 'POST', '/logout')).status).toBe(204)
    await page.locator('[data-nav=operator-connectors]').click()
    await page.waitForURL(/\/operator\/login/)
    await page.locator('[data-test=operator-session-ended]').waitFor()
    expect(await text('[data-test=operator-session-ended]')).toBe(en.login.ended)
    expect(await token()).toBeUndefined()
    await noMissingKeys()

    await signIn(await freshCode())
    await page.waitForURL((u) => u.pathname === '/operator/connectors')
    const last = (await token())!
    await page.locator('[data-test=operator-sign-out]').click()
    await page.waitForURL((u) => u.pathname === '/operator/login')
    expect(await token()).toBeUndefined()
    expect((await operatorApi(last, 'GET', '/tenants')).status).toBe(401)
    await page.goto('/operator')
    await page.waitForURL(/\/operator\/login/)
  })
})
