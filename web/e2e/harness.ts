// What the browser tests stand on: a repflow server with the demo tenant (built from this
// repository, on a free loopback port, with a fresh data directory), the built UI served by
// Vite's preview server with /api forwarded to repflow (one origin, as the Go server will serve
// it), and Debian's Chromium driven by playwright-core.
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { preview, type PreviewServer } from 'vite'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { freePort, startRepflow, type RepflowServer } from '../scripts/repflow-server.mjs'

export const WEB_DIR = fileURLToPath(new URL('..', import.meta.url))
export const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url))
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const DEMO_PASSWORD = 'repflow-demo-2026'
// The built UI under test: dist/ (what the binary embeds) unless E2E_DIST names another build, so
// that two checkouts' worth of work can be tested side by side without overwriting each other.
const DIST = process.env.E2E_DIST ?? 'dist'

// The flags that work on this project's machines (see the peers README); playwright adds
// --headless and a fresh profile directory itself.
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export interface Stack {
  repflow: RepflowServer
  ui: PreviewServer
  baseUrl: string
  browser: Browser
  stop(): Promise<void>
}

/** demo: with the demo tenant (the default; a fresh server for sign-up needs none). */
export async function startStack({ demo = true }: { demo?: boolean } = {}): Promise<Stack> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: install Debian's with "apt-get install -y chromium" (or set CHROMIUM_PATH)`)
  }
  if (!existsSync(`${WEB_DIR}/${DIST}/index.html`)) throw new Error(`no ${DIST}/: run "npm run build" first (npm run e2e does)`)
  mkdirSync(SCREENSHOTS, { recursive: true })
  const repflow = await startRepflow({ demo, logLevel: 'info' })
  let ui: PreviewServer | undefined
  let browser: Browser | undefined
  try {
    const port = await freePort()
    ui = await preview({
      root: WEB_DIR,
      configFile: false,
      logLevel: 'warn',
      build: { outDir: DIST },
      preview: { host: '127.0.0.1', port, strictPort: true, proxy: { '/api': { target: repflow.url }, '/admin/api': { target: repflow.url } } },
    })
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS })
  } catch (err) {
    await ui?.close()
    await repflow.stop()
    throw err
  }
  const baseUrl = `http://127.0.0.1:${(ui.httpServer.address() as { port: number }).port}`
  const openUi = ui
  const openBrowser = browser
  return {
    repflow,
    ui: openUi,
    baseUrl,
    browser: openBrowser,
    async stop() {
      await openBrowser.close().catch(() => undefined)
      await openUi.close().catch(() => undefined)
      await repflow.stop()
    },
  }
}

/** A PC (manager) or phone (rep) browser context; service workers off so the network is the page's. */
export async function newContext(stack: Stack, kind: 'desk' | 'phone', extra: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  const size = kind === 'desk' ? { viewport: { width: 1366, height: 900 } } : { viewport: { width: 360, height: 760 }, isMobile: true, hasTouch: true }
  return stack.browser.newContext({ ...size, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', serviceWorkers: 'block', baseURL: stack.baseUrl, ...extra })
}

export async function signIn(page: Page, email: string): Promise<void> {
  await page.goto('/login')
  await page.locator('[data-test=email]').fill(email)
  await page.locator('[data-test=password]').fill(DEMO_PASSWORD)
  await page.locator('[data-test=sign-in]').click()
  await page.waitForURL((url) => !url.pathname.startsWith('/login'))
}

export async function screenshot(page: Page, name: string): Promise<void> {
  // From the top, so sticky bars sit where a person sees them in the full-page picture.
  await page.evaluate(() => window.scrollTo(0, 0))
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true })
}

/** The API as a test sees it: a bearer token of a demo user, straight to the repflow server. */
export class ApiAs {
  private constructor(
    private readonly base: string,
    private readonly token: string,
    readonly userId: string,
  ) {}

  static async signIn(base: string, email: string): Promise<ApiAs> {
    const res = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password: DEMO_PASSWORD, client: 'mobile' }),
    })
    if (!res.ok) throw new Error(`login ${email}: ${res.status} ${await res.text()}`)
    const body = (await res.json()) as { token: string; user_id: string }
    return new ApiAs(base, body.token, body.user_id)
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: { Authorization: `Bearer ${this.token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    })
    return { status: res.status, body: (await res.json()) as T }
  }
}

/**
 * The newest link of a kind (signup/verify, invitations/accept) mailed to an address, as a path
 * for the UI. With no mail server, repflow logs each mail with its text at INFO ("mail (no mail
 * server configured: logged, not sent)") into the server's log, which is read until it appears.
 */
export async function mailedLink(stack: Stack, to: string, kind: 'signup/verify' | 'invitations/accept', timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs
  const link = new RegExp(`/${kind.replace('/', '\\/')}\\?token=[A-Za-z0-9%._~-]+`)
  for (;;) {
    const lines = readFileSync(stack.repflow.logFile, 'utf8').split('\n')
    const mail = lines.filter((l) => l.includes('mail (no mail server configured') && l.includes(`to=${to}`)).reverse()
    for (const line of mail) {
      const found = link.exec(line)
      if (found) return found[0]
    }
    if (Date.now() > deadline) throw new Error(`no ${kind} link mailed to ${to} within ${timeoutMs / 1000} s`)
    await new Promise((r) => setTimeout(r, 300))
  }
}
