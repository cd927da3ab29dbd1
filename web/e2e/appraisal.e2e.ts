// The tenant admin's appraisal pages in a real browser against a fresh demo repflow: the KPI
// template editor's weight rule (on a clone, so the demo's own template and every scorecard stay
// as they were), the commission simulation, and the one-click report with its Excel download.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { newContext, screenshot, signIn, startStack, type Stack } from './harness'

const ADMIN = 'admin@demo.repflow.test'

let stack: Stack

beforeAll(async () => {
  stack = await startStack()
})

afterAll(async () => {
  await stack?.stop()
})

describe('tenant admin on a PC', () => {
  let context: BrowserContext
  let page: Page

  beforeAll(async () => {
    context = await newContext(stack, 'desk', { acceptDownloads: true })
    page = await context.newPage()
    await signIn(page, ADMIN)
  })
  afterAll(async () => {
    await context?.close()
  })

  const weights = async () => (await page.locator('[data-test=weight-input]').evaluateAll((els) => els.map((e) => Number((e as HTMLInputElement).value))))

  it('refuses to save weights that do not add up to 100, and saves a clone once they do', async () => {
    await page.locator('[data-nav=kpi-templates]').click()
    await page.locator('[data-test=template-item] a').first().click()
    await page.locator('[data-test=clone]').click()
    await page.waitForURL((url) => url.searchParams.get('clone') === '1')
    await page.locator('[data-test=weight-row]').first().waitFor()
    const nameBox = page.locator('[data-test=template-name]')
    await expect.poll(() => nameBox.inputValue()).toContain('副本') // the clone is named as a copy
    const name = `E2E ${Date.now()}`
    await nameBox.fill(name)

    const before = await weights()
    expect(before.reduce((a, b) => a + b, 0)).toBe(100)
    const save = page.locator('[data-test=save-template]')
    expect(await save.isEnabled()).toBe(true)

    // Typing 5 more into the first box: 105 %, and Save says why it is refused.
    await page.locator('[data-test=weight-input]').first().fill(String(before[0]! + 5))
    await expect.poll(() => page.locator('[data-test=weight-sum]').textContent()).toContain('105')
    expect(await save.isDisabled()).toBe(true)
    expect(await page.locator('[data-test=save-reason]').textContent()).toContain('105')
    // The preview follows the edit before anything is saved.
    await page.locator('[data-test=preview-total]').waitFor()

    // The slider, by keyboard: 5 steps down restores 100 %.
    await page.locator('[data-test=weight-slider]').first().focus()
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowLeft')
    await expect.poll(() => save.isEnabled()).toBe(true)
    expect(await page.locator('[data-test=save-reason]').count()).toBe(0)

    // A different split that still makes 100: first −1, second +1.
    await page.locator('[data-test=weight-input]').nth(0).fill(String(before[0]! - 1))
    expect(await save.isDisabled()).toBe(true)
    await page.locator('[data-test=weight-input]').nth(1).fill(String(before[1]! + 1))
    await expect.poll(() => save.isEnabled()).toBe(true)
    await save.click()
    await page.locator('[data-test=saved]').waitFor()
    expect(new URL(page.url()).searchParams.get('clone')).toBeNull()
    expect(await weights()).toEqual([before[0]! - 1, before[1]! + 1, ...before.slice(2)])
    await page.waitForTimeout(300)
    await screenshot(page, 'appraisal-1-template-editor')

    // The new template is listed beside the demo's own, which kept its weights.
    await page.locator('[data-nav=kpi-templates]').click()
    await page.locator('[data-test=template-item]', { hasText: name }).waitFor()
    expect(await page.locator('[data-test=template-item]').count()).toBe(2)
  })

  it('simulates a commission step by step', async () => {
    await page.locator('[data-nav=commission]').click()
    await page.locator('[data-test=bracket-row]').first().waitFor()
    await page.locator('[data-test=simulate-base]').fill('50000')
    await page.locator('[data-test=simulate]').click()
    const final = page.locator('[data-test=simulation-final]')
    await final.waitFor()
    // 50 000 at the starting plan's flat 3 %: 1 500
    expect(await final.textContent()).toMatch(/1,500\.00/)
    await screenshot(page, 'appraisal-2-commission')

    // The server's own refusal lands at the field it names (body.brackets[0].rate).
    const rate = page.locator('[data-test=bracket-rate]').first()
    await rate.fill('1.5')
    await page.locator('[data-test=save-plan]').click()
    await page.locator('[data-test=plan-error]').waitFor()
    expect(await page.locator('[data-test=bracket-row]').first().locator('.form-error').textContent()).toContain('rate 1.5')
    await rate.fill('0.03')

    // The demo has no plan yet: saving the one on screen puts version 1 in force.
    await page.locator('[data-test=save-plan]').click()
    await page.locator('[data-test=plan-saved]').waitFor()
    expect(await page.locator('[data-test=plan-version]').textContent()).toContain('1')
  })

  it('makes this period’s report in one click and downloads it as an Excel workbook', async () => {
    await page.locator('[data-nav=reports]').click()
    await page.locator('[data-test=report-version]').first().waitFor() // the demo's own version 1
    // Hold the answer back a moment, as a big tenant's would be: the button waits, disabled, with a spinner.
    await page.route('**/api/v1/appraisal/reports', async (route) => {
      if (route.request().method() === 'POST') await new Promise((r) => setTimeout(r, 1500))
      await route.continue()
    })
    const make = page.locator('[data-test=make-report]')
    await make.click()
    await expect.poll(() => make.isDisabled()).toBe(true)
    expect(await make.locator('.spinner').count()).toBe(1)
    await page.waitForURL(/\/appraisal\/reports\/[0-9a-f-]{36}$/, { timeout: 30_000 })
    const rows = page.locator('[data-test=ranking-row]')
    await rows.first().waitFor()
    expect(await rows.count()).toBeGreaterThan(0)
    expect(await page.locator('[data-test=ranking-totals]').textContent()).toMatch(/\d/)
    // Paid by the plan saved above: every rep has a commission.
    expect(await rows.first().locator('td').last().textContent()).toMatch(/\d/)

    // A rep's lines, and the records behind one of them.
    await rows.first().locator('th button').click()
    await page.locator('[data-test=rep-metrics]').waitFor()
    await page.locator('[data-test=drill]').first().click()
    await page.locator('[data-test=records-drill] table, [data-test=records-drill] [data-test=empty]').first().waitFor()
    await screenshot(page, 'appraisal-3-report')

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=excel]').click()])
    const file = readFileSync((await download.path())!)
    expect(file.subarray(0, 2).toString('latin1')).toBe('PK') // an .xlsx is a ZIP
    expect(file.length).toBeGreaterThan(4000)
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/)

    const print = page.locator('[data-test=print]')
    expect(await print.getAttribute('target')).toBe('_blank')
    expect(await print.getAttribute('href')).toMatch(/\/html\?lang=zh$/)
  })

  it('keeps the report and the editor readable at 360 px, without sideways scrolling', async () => {
    await page.setViewportSize({ width: 360, height: 760 })
    await page.reload()
    await page.locator('[data-test=ranking-row]').first().waitFor()
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(await overflow()).toBeLessThanOrEqual(0)
    await screenshot(page, 'appraisal-4-report-phone')
    await page.goto('/appraisal/templates')
    await page.locator('[data-test=template-item] a').first().click()
    await page.locator('[data-test=weight-row]').first().waitFor()
    expect(await overflow()).toBeLessThanOrEqual(0)
    await screenshot(page, 'appraisal-5-template-editor-phone')
    await page.setViewportSize({ width: 1366, height: 900 })
  })
})
