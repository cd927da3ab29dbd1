// A new company's way in, in a real browser against a fresh repflow (no demo tenant needed): sign
// up choosing an industry template, confirm the address from the mailed link, sign in to the
// first steps, invite a rep from the administration page, and the rep accepts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { SCREENSHOTS, mailedLink, newContext, screenshot, startStack, type Stack } from './harness'

const ADMIN_EMAIL = 'owner@lotus-valves.test'
const ADMIN_PASSWORD = 'lotus-valves-2026!'
const REP_EMAIL = 'li.lei@lotus-valves.test'
const REP_PASSWORD = 'li-lei-2026-field'
const MANAGER_EMAIL = 'wang.fang@lotus-valves.test'

let stack: Stack

beforeAll(async () => {
  stack = await startStack({ demo: false })
})

afterAll(async () => {
  await stack?.stop()
})

describe('a new company signs up', () => {
  let context: BrowserContext
  let page: Page

  beforeAll(async () => {
    context = await newContext(stack, 'desk')
    page = await context.newPage()
  })
  afterAll(async () => {
    await context?.close()
  })

  async function invite(name: string, email: string, role: 'rep' | 'manager', manager?: string) {
    await page.locator('[data-test=invite-name]').fill(name)
    await page.locator('[data-test=invite-email]').fill(email)
    for (const r of ['rep', 'manager']) await page.locator(`[data-test=invite-role-${r}]`).setChecked(r === role)
    if (manager) await page.locator('[data-test=invite-manager]').selectOption({ label: manager })
    await page.locator('[data-test=invite-submit]').click()
    const answer = page.locator('[data-test=invite-sent], [data-test=invite-error]')
    await expect.poll(async () => (await answer.allTextContents()).join(' '), { timeout: 15_000 }).toContain(email)
    expect(await page.locator('[data-test=invite-error]').count()).toBe(0)
  }

  it('reaches sign-up from the login page and previews what each industry sets up', async () => {
    await page.goto('/login')
    await page.locator('[data-test=signup-link]').click()
    await page.waitForURL('**/signup')
    const preview = page.locator('[data-test=industry-preview]')
    expect(await preview.getAttribute('data-industry')).toBe('fmcg')
    await page.locator('label:has([data-test=industry-industrial])').click()
    await expect.poll(() => preview.getAttribute('data-industry')).toBe('industrial')
    expect(await preview.textContent()).toContain('技术交流') // the industrial pipeline's stage
    expect(await page.locator('[data-test=time-zone]').inputValue()).toBe('Asia/Shanghai') // the browser's
    await screenshot(page, '10-signup-preview')
  })

  it('shows each problem by its field, its own and the server’s', async () => {
    await page.locator('[data-test=company]').fill('Lotus Valves')
    await page.locator('[data-test=signup-submit]').click()
    const nameProblem = page.locator('[data-field=admin_name] [data-test=field-error]')
    await nameProblem.waitFor()
    expect(await nameProblem.textContent()).toContain('请填写此项')
    expect(await page.locator('[data-field=company] [data-test=field-error]').count()).toBe(0)

    await page.locator('[data-test=admin-name]').fill('Zhou Lan')
    await page.locator('[data-test=admin-email]').fill('zhou.lan-at-lotus')
    await page.locator('[data-test=admin-password]').fill(ADMIN_PASSWORD)
    await page.locator('[data-test=signup-submit]').click()
    const emailProblem = page.locator('[data-field=admin_email] [data-test=field-error]')
    await expect.poll(() => emailProblem.textContent()).toContain('请输入邮箱地址') // the server's "RFC 5322" in words
    expect(await page.locator('[data-field=admin_name] [data-test=field-error]').count()).toBe(0)
    await screenshot(page, '11-signup-errors')
  })

  it('signs up, confirms the mailed link, signs in and sees the first steps', async () => {
    await page.locator('[data-test=admin-email]').fill(ADMIN_EMAIL)
    await page.locator('[data-test=signup-submit]').click()
    await page.waitForURL('**/signup/sent**')
    expect(await page.locator('[data-test=signup-sent]').textContent()).toContain(ADMIN_EMAIL)

    const link = await mailedLink(stack, ADMIN_EMAIL, 'signup/verify')
    await page.goto(link)
    const verify = page.locator('[data-test=verify]:not([data-state=working])')
    await verify.waitFor()
    expect(`${await verify.getAttribute('data-state')}: ${await verify.textContent()} (${link})`).toMatch(/^done:/)
    await page.locator('[data-test=verify-sign-in]').click()
    await page.waitForURL('**/login?next=**')
    await page.locator('[data-test=email]').fill(ADMIN_EMAIL)
    await page.locator('[data-test=password]').fill(ADMIN_PASSWORD)
    await page.locator('[data-test=sign-in]').click()
    await page.waitForURL('**/first-steps')

    const steps = page.locator('[data-test=step]')
    await steps.first().waitFor()
    expect(await steps.count()).toBe(3)
    expect(await page.locator('[data-step=team]').getAttribute('data-state')).toBe('todo')
    expect(await page.locator('[data-step=cadences]').getAttribute('data-state')).toBe('done') // the template set them
    await screenshot(page, '12-first-steps')
  })

  it('invites a rep from the administration page and sees the invitation listed', async () => {
    await page.locator('[data-test=step-link-team]').click()
    await page.waitForURL('**/admin/users')
    await page.locator('[data-test=user-row]').first().waitFor()
    // A rep needs a manager: invite the manager first (the account exists at once), then the rep.
    await invite('Wang Fang', MANAGER_EMAIL, 'manager')
    await page.locator('[data-test=invite-manager] option', { hasText: 'Wang Fang' }).waitFor({ state: 'attached' })
    await invite('Li Lei', REP_EMAIL, 'rep', 'Wang Fang')
    await page.locator(`[data-test=invitation][data-email="${REP_EMAIL}"]`).waitFor()
    await screenshot(page, '13-admin-users')

    // A file is all or nothing, and a refused one names each problem's line and column.
    const csv = 'email,name,roles,region\nzhao.min@lotus-valves.test,Zhao Min,rep,Atlantis\n'
    await page.locator('[data-test=csv-file]').setInputFiles({ name: 'team.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
    await page.locator('[data-test=csv-send]').click()
    const refused = page.locator('[data-test=import-error]')
    await refused.waitFor()
    expect(await refused.textContent()).toContain('第 2 行')
    await refused.scrollIntoViewIfNeeded()
    await page.screenshot({ path: `${SCREENSHOTS}13b-admin-import-errors.png` })

    await page.locator('[data-nav=first-steps]').click()
    await expect.poll(() => page.locator('[data-step=team]').getAttribute('data-state')).toBe('done')
  })

  it('lets the invited rep choose a password and sign in', async () => {
    const repContext = await newContext(stack, 'phone')
    try {
      const rep = await repContext.newPage()
      await rep.goto(await mailedLink(stack, REP_EMAIL, 'invitations/accept'))
      await rep.locator('[data-test=accept-password]').fill(REP_PASSWORD)
      await rep.locator('[data-test=accept-again]').fill(REP_PASSWORD)
      const overflow = await rep.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
      expect(overflow).toBeLessThanOrEqual(0)
      await rep.locator('[data-test=accept-submit]').click()
      await rep.waitForURL('**/login?email=**')
      expect(await rep.locator('[data-test=email]').inputValue()).toBe(REP_EMAIL)
      await rep.locator('[data-test=password]').fill(REP_PASSWORD)
      await rep.locator('[data-test=sign-in]').click()
      await rep.waitForURL('**/today')
    } finally {
      await repContext.close()
    }
  })

  it('shows the organisation, audit log, plan and support pages; billing off says so', async () => {
    await page.locator('[data-nav=admin-regions]').click()
    await page.locator('[data-test=region]').first().waitFor()
    await screenshot(page, '14-admin-regions')

    await page.locator('[data-nav=admin-audit]').click()
    await page.locator('[data-test=audit-row]').first().waitFor()
    await screenshot(page, '15-admin-audit')

    await page.locator('[data-nav=admin-plan]').click()
    await page.locator('[data-test=plan]').waitFor()
    await page.locator('[data-test=manage-billing]').click()
    expect(await page.locator('[data-test=billing-error]').textContent()).toContain('本服务器未开通计费')
    await screenshot(page, '16-admin-plan')

    await page.locator('[data-nav=admin-support]').click()
    await page.locator('[data-test=empty], [data-test=grants]').first().waitFor()
    await screenshot(page, '17-admin-support')
  })

  it('keeps the sign-up page within a 360 px phone', async () => {
    const phone = await newContext(stack, 'phone')
    try {
      const p = await phone.newPage()
      await p.goto('/signup')
      await p.locator('[data-test=industry-preview]').waitFor()
      const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
      const widest = await p.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('main *')].filter((e) => e.getBoundingClientRect().right > 361).map((e) => e.tagName + '.' + e.className).slice(0, 5).join(' '),
      )
      expect(overflow, widest).toBeLessThanOrEqual(0)
      await screenshot(p, '18-signup-phone')
    } finally {
      await phone.close()
    }
  })
})
