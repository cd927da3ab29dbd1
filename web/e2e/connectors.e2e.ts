// The tenant admin's connectors page in a real browser against fresh demo repflows. A server
// without connector binaries says so, in both languages, with the plan's connector line. A server
// with the Tryton connector and the host's test connector (both built here from this repository)
// shows the form each kind's config schema makes, places a refused field and a taken name on
// their inputs, adds, checks (Tryton's server is not there: failing), edits with the password
// kept, syncs and follows the run, pages through the pulled records, switches off and deletes.
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { freePort, repoRoot } from '../scripts/repflow-server.mjs'
import { ApiAs, newContext, screenshot, signIn, startStack, type Stack } from './harness'

const ADMIN = 'admin@demo.repflow.test'
// Words a page shows only when a catalogue lacks a key: the key itself.
const RAW_KEY = /\b(connectors|nav|admin|common|errors)\.[A-Za-z]/

interface Plan { connectors_allowed: number; connectors_used: number }
interface Connector { id: string; kind: string; name: string; config: Record<string, unknown>; secrets_set: string[]; enabled: boolean; health: { state: string } }

/** A demo server whose connectors are the binaries of dir (none when it does not exist). */
async function stackWith(dir: string): Promise<Stack> {
  const before = process.env.REPFLOW_CONNECTORS_DIR
  process.env.REPFLOW_CONNECTORS_DIR = dir // the server inherits the test's environment
  try {
    return await startStack()
  } finally {
    if (before === undefined) delete process.env.REPFLOW_CONNECTORS_DIR
    else process.env.REPFLOW_CONNECTORS_DIR = before
  }
}

async function mainText(page: Page): Promise<string> {
  return (await page.locator('main').innerText()).trim()
}

async function language(page: Page, locale: 'zh-CN' | 'en') {
  await page.locator('[data-test=language]').first().selectOption(locale)
  await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(locale)
}

describe('a server without connector binaries', () => {
  let stack: Stack
  let api: ApiAs
  let context: BrowserContext
  let page: Page
  const nowhere = mkdtempSync(join(tmpdir(), 'repflow-no-connectors-'))

  beforeAll(async () => {
    stack = await stackWith(join(nowhere, 'missing'))
    api = await ApiAs.signIn(stack.repflow.url, ADMIN)
    context = await newContext(stack, 'desk')
    page = await context.newPage()
    await signIn(page, ADMIN)
  })
  afterAll(async () => {
    await context?.close()
    await stack?.stop()
    rmSync(nowhere, { recursive: true, force: true })
  })

  it('opens from the navigation and says no connectors are installed, and how to install them, in Chinese', async () => {
    const nav = page.locator('[data-nav=admin-connectors]')
    expect(await nav.textContent()).toContain('连接器')
    await nav.click()
    await page.waitForURL('**/admin/connectors')
    const none = page.locator('[data-test=no-kinds]')
    await none.waitFor()
    expect(await none.textContent()).toContain('尚未安装任何连接器')
    expect(await none.textContent()).toContain('REPFLOW_CONNECTORS_DIR')
    expect(await page.locator('h1').first().textContent()).toBe('连接器')
    expect(await page.locator('[data-test=connectors] [data-test=empty]').textContent()).toContain('还没有连接器')
    expect(await page.locator('[data-test=connector-new]').isDisabled()).toBe(true)
    expect(await mainText(page)).not.toMatch(RAW_KEY)
    await screenshot(page, 'connectors-1-none-zh')
  })

  it('says the same in English, with no key left untranslated', async () => {
    await language(page, 'en')
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('Connectors')
    const none = page.locator('[data-test=no-kinds]')
    expect(await none.textContent()).toContain('No connectors are installed on this server')
    expect(await none.textContent()).toContain('REPFLOW_CONNECTORS_DIR')
    expect(await page.locator('[data-nav=admin-connectors]').textContent()).toContain('Connectors')
    expect(await mainText(page)).not.toMatch(RAW_KEY)
    await screenshot(page, 'connectors-2-none-en')
  })

  it('shows the plan’s connectors, used of allowed, on the plan page', async () => {
    const plan = (await api.request<Plan>('GET', '/api/v1/plan')).body
    await page.locator('[data-nav=admin-plan]').click()
    const line = page.locator('[data-test=connectors-used]')
    await line.waitFor()
    const en = plan.connectors_allowed ? `${plan.connectors_used} of ${plan.connectors_allowed}` : `${plan.connectors_used} (no limit)`
    expect(await line.textContent()).toBe(en)
    expect(await page.locator('[data-test=plan]').textContent()).toContain('Connectors')
    await language(page, 'zh-CN')
    const zh = plan.connectors_allowed ? `${plan.connectors_used} / ${plan.connectors_allowed}` : `${plan.connectors_used}（不限）`
    await expect.poll(() => line.textContent()).toBe(zh)
    expect(await page.locator('[data-test=plan]').textContent()).toContain('连接器')
    expect(await mainText(page)).not.toMatch(RAW_KEY)
  })

  it('fits a 360 px phone without sideways scrolling', async () => {
    const phone = await newContext(stack, 'phone')
    try {
      const p = await phone.newPage()
      await signIn(p, ADMIN)
      await p.goto('/admin/connectors')
      await p.locator('[data-test=no-kinds]').waitFor()
      expect(await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0)
      await screenshot(p, 'connectors-3-none-phone')
    } finally {
      await phone.close()
    }
  })
})

describe('a server with the Tryton and test connectors', () => {
  let stack: Stack
  let api: ApiAs
  let context: BrowserContext
  let page: Page
  const bin = mkdtempSync(join(tmpdir(), 'repflow-connectors-'))
  const run = promisify(execFile)

  const connectors = async () => (await api.request<{ connectors: Connector[] }>('GET', '/api/v1/connectors')).body.connectors
  const item = (name: string) => page.locator(`[data-test=connector][data-name="${name}"]`)
  const field = (name: string) => page.locator(`[data-test=connector-form] [data-field="${name}"]`)

  beforeAll(async () => {
    // Discovery takes a binary named after its kind.
    await run('go', ['build', '-o', join(bin, 'tryton'), './connectors/tryton'], { cwd: repoRoot })
    await run('go', ['build', '-o', join(bin, 'testconn'), './plugins/host/testdata/testconn'], { cwd: repoRoot })
    stack = await stackWith(bin)
    api = await ApiAs.signIn(stack.repflow.url, ADMIN)
    context = await newContext(stack, 'desk')
    page = await context.newPage()
    page.on('dialog', (d) => void d.accept()) // the delete confirmation
    await signIn(page, ADMIN)
  })
  afterAll(async () => {
    await context?.close()
    await stack?.stop()
    rmSync(bin, { recursive: true, force: true })
  })

  it('makes the Tryton form from its config schema', async () => {
    await page.goto('/admin/connectors')
    await page.locator('[data-test=connectors]').waitFor()
    expect(await page.locator('[data-test=no-kinds]').count()).toBe(0)
    await page.locator('[data-test=connector-new]').click()
    await page.locator('[data-test=connector-kind]').selectOption('tryton')
    expect(await page.locator('[data-test=kind-entities] li').allTextContents()).toHaveLength(4)
    expect(await page.locator('[data-test=kind-entities]').textContent()).toContain('customers')
    expect(await page.locator('[data-test=connector-name]').inputValue()).toBe('Tryton ERP')
    // Required first in the connector's order, then the rest.
    const order = await page.locator('[data-test=connector-form] .config-field').evaluateAll((els) => els.map((e) => e.getAttribute('data-field')))
    expect(order).toEqual(['config.url', 'config.database', 'config.username', 'config.password', 'config.company', 'config.page_size', 'config.settle_seconds'])
    expect(await field('config.url').locator('label').textContent()).toContain('Server URL')
    expect(await field('config.url').locator('.required-mark').count()).toBe(1)
    expect(await field('config.company').locator('.required-mark').count()).toBe(0)
    expect(await page.locator('[data-test=config-url]').getAttribute('type')).toBe('url')
    expect(await page.locator('[data-test=config-password]').getAttribute('type')).toBe('password')
    expect(await page.locator('[data-test=config-company]').inputValue()).toBe('1')
    expect(await page.locator('[data-test=config-page_size]').inputValue()).toBe('100')
    expect(await page.locator('[data-test=config-settle_seconds]').inputValue()).toBe('60')
    expect(await field('config.page_size').textContent()).toContain('Records read per request')
    expect(await mainText(page)).not.toMatch(RAW_KEY)
  })

  it('places its own and the connector’s refusals on their fields', async () => {
    await page.locator('[data-test=connector-save]').click()
    await expect.poll(() => field('config.database').locator('[data-test=field-error]').textContent()).toBe('必填')
    expect(await page.locator('[data-test=config-database]').getAttribute('aria-invalid')).toBe('true')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-test'))).toBe('config-url') // the first problem
    await page.locator('[data-test=config-url]').fill('ftp://erp.example')
    await page.locator('[data-test=config-database]').fill('shop')
    await page.locator('[data-test=config-username]').fill('sync')
    await page.locator('[data-test=config-password]').fill('s3cret')
    await page.locator('[data-test=connector-save]').click()
    // The connector refused it: body.config.url, on the URL input.
    await expect.poll(() => field('config.url').locator('[data-test=field-error]').textContent()).toContain('http://')
    expect(await page.locator('[data-test=config-url]').getAttribute('aria-invalid')).toBe('true')
    expect(await field('config.database').locator('[data-test=field-error]').count()).toBe(0)
    expect(await connectors()).toEqual([])
    await screenshot(page, 'connectors-4-refused')
  })

  it('adds the connector, and a check finds the Tryton server missing', async () => {
    const closed = await freePort() // nothing listens there
    await page.locator('[data-test=config-url]').fill(`http://127.0.0.1:${closed}`)
    await page.locator('[data-test=connector-save]').click()
    await item('Tryton ERP').waitFor()
    expect(await page.locator('[data-test=connector-form]').count()).toBe(0)
    expect(await item('Tryton ERP').locator('[data-test=health]').textContent()).toBe('尚未检查')
    expect(await item('Tryton ERP').locator('[data-test=last-check]').textContent()).toBe('从未')
    await item('Tryton ERP').locator('[data-test=connector-check]').click()
    await expect.poll(() => item('Tryton ERP').getAttribute('data-state')).toBe('failing')
    expect(await item('Tryton ERP').locator('[data-test=health]').textContent()).toBe('连接失败')
    expect(await item('Tryton ERP').locator('[data-test=health-message]').textContent()).not.toBe('')
    expect(await item('Tryton ERP').locator('[data-test=last-check]').textContent()).not.toBe('从未')
    const [tryton] = await connectors()
    expect(tryton).toMatchObject({ kind: 'tryton', name: 'Tryton ERP', secrets_set: ['password'], config: { url: `http://127.0.0.1:${closed}`, database: 'shop', company: 1 } })
    expect(tryton!.config).not.toHaveProperty('password')
  })

  it('edits it with the password left empty, which keeps it', async () => {
    await item('Tryton ERP').locator('[data-test=connector-edit]').click()
    const form = page.locator('[data-test=connector-form]')
    await form.waitFor()
    expect(await form.locator('[data-test=config-password]').inputValue()).toBe('')
    expect(await form.locator('[data-test=secret-set]').textContent()).toContain('留空则保持不变')
    expect(await form.locator('[data-field="config.password"] .required-mark').count()).toBe(0)
    expect(await form.locator('[data-test=config-database]').inputValue()).toBe('shop')
    await form.locator('[data-test=connector-name]').fill('Head office ERP')
    await form.locator('[data-test=config-page_size]').fill('50')
    await form.locator('[data-test=connector-save]').click()
    await item('Head office ERP').waitFor()
    const [tryton] = await connectors()
    expect(tryton).toMatchObject({ name: 'Head office ERP', secrets_set: ['password'], config: { database: 'shop', page_size: 50 } })
  })

  it('refuses a taken name on the name field, then adds the test connector', async () => {
    await page.locator('[data-test=connector-new]').click()
    await page.locator('[data-test=connector-kind]').selectOption('testconn')
    expect(await page.locator('[data-test=connector-name]').inputValue()).toBe('Test connector')
    await page.locator('[data-test=connector-name]').fill('Head office ERP')
    await page.locator('[data-test=config-records]').fill('25')
    await page.locator('[data-test=connector-save]').click()
    await expect.poll(() => field('name').locator('[data-test=field-error]').textContent()).toContain('已被占用')
    expect(await page.locator('[data-test=connector-form-error]').textContent()).toContain('同名')
    await page.locator('[data-test=connector-name]').fill('Items')
    await page.locator('[data-test=connector-save]').click()
    await item('Items').waitFor()
    expect((await connectors()).map((c) => c.name).sort()).toEqual(['Head office ERP', 'Items'])
  })

  it('syncs it now, following the run until done, and pages through what it pulled', async () => {
    const items = item('Items')
    await items.locator('[data-test=connector-sync]').click()
    await expect.poll(() => items.locator('[data-test=run]').getAttribute('data-status')).toBe('done')
    expect(await items.locator('[data-test=run]').textContent()).toContain('拉取 25 条')
    await expect.poll(() => items.locator('[data-test=last-sync]').textContent()).not.toBe('从未')

    await items.locator('[data-test=connector-records]').click()
    const tab = items.locator('[data-test=entity-tab][data-entity=items]')
    expect(await tab.getAttribute('aria-selected')).toBe('true')
    const rows = items.locator('[data-test=record]')
    await expect.poll(() => rows.count()).toBe(20)
    expect(await items.locator('.records-table th').allTextContents()).toEqual(['外部编号', 'n', 'pid', '对方修改时间'])
    await items.locator('[data-test=records-next]').click()
    await expect.poll(() => items.locator('[data-test=records-page]').textContent()).toBe('第 2 页')
    await expect.poll(() => rows.count()).toBe(5)
    expect(await items.locator('[data-test=records-next]').isDisabled()).toBe(true)
    await items.locator('[data-test=records-previous]').click()
    await expect.poll(() => rows.count()).toBe(20)
    await screenshot(page, 'connectors-5-records')
  })

  it('moves between a kind’s entities by the arrow keys', async () => {
    const tryton = item('Head office ERP')
    await tryton.locator('[data-test=connector-records]').click()
    const tabs = tryton.locator('[data-test=entity-tab]')
    expect(await tabs.allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('customers')]))
    await tabs.first().focus()
    await page.keyboard.press('ArrowRight')
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-entity'))
    expect(focused).toBe('products')
    expect(await tryton.locator('[data-test=entity-tab][data-entity=products]').getAttribute('aria-selected')).toBe('true')
    await expect.poll(() => tryton.locator('[data-test=records] [data-test=empty]').textContent()).toContain('products')
  })

  it('switches it off and deletes it, asking first', async () => {
    const items = item('Items')
    await items.locator('[data-test=connector-switch]').click()
    await expect.poll(() => items.getAttribute('data-state')).toBe('disabled')
    expect(await items.locator('[data-test=connector-switch]').getAttribute('aria-checked')).toBe('false')
    expect(await items.locator('[data-test=connector-sync]').isDisabled()).toBe(true)
    expect((await connectors()).find((c) => c.name === 'Items')?.enabled).toBe(false)
    await screenshot(page, 'connectors-6-list')
    await items.locator('[data-test=connector-delete]').click()
    await expect.poll(() => items.count()).toBe(0)
    expect((await connectors()).map((c) => c.name)).toEqual(['Head office ERP'])
    expect(await mainText(page)).not.toMatch(RAW_KEY)
  })

  it('follows, when the page opens, a sync already under way and retrying', async () => {
    // The connector's process dies after its second record, once: the run waits 30 s to try the
    // page again, long enough to open the page meanwhile.
    const marker = join(bin, 'crashed-once')
    const { body: added } = await api.request<Connector>('POST', '/api/v1/connectors', {
      kind: 'testconn',
      name: 'Crashing',
      config: { records: 5, crash_after_record: 2, crash_once_file: marker },
    })
    await api.request('POST', `/api/v1/connectors/${added.id}/sync`)
    const runs = async () => (await api.request<{ runs: { status: string; error: string }[] }>('GET', `/api/v1/connectors/${added.id}/runs`)).body.runs
    await expect.poll(async () => (await runs())[0]?.error ?? '').not.toBe('')
    await page.goto('/admin/connectors')
    const crashing = item('Crashing')
    await expect.poll(() => crashing.locator('[data-test=run]').getAttribute('data-status')).toBe('running')
    expect(await crashing.locator('[data-test=run]').textContent()).toContain((await runs())[0]!.error)
  })

  it('fits a 360 px phone with a connector and its records open', async () => {
    const phone = await newContext(stack, 'phone')
    try {
      const p = await phone.newPage()
      await signIn(p, ADMIN)
      await p.goto('/admin/connectors')
      await p.locator('[data-test=connector]').first().waitFor()
      await p.locator('[data-test=connector-records]').first().click()
      await p.locator('[data-test=entity-tab]').first().waitFor()
      expect(await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0)
      await screenshot(p, 'connectors-7-phone')
    } finally {
      await phone.close()
    }
  })
})
