// The tenant admin sets next month's targets on a PC against a fresh demo repflow: two reps' by
// keyboard, saved and read back exactly; a negative and a text refused on their cells and not
// saved; a team's own target; a CSV file with one bad line refused whole, its line named, then
// taken once put right; a quarter's placeholder made of its months; a manager's own region only.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { ApiAs, newContext, screenshot, signIn, startStack, type Stack } from './harness'

const ADMIN = 'admin@demo.repflow.test'
const MANAGER = 'manager.shandong@demo.repflow.test'

interface Target {
  rep_id: string
  metric: string
  value: number
}

let stack: Stack
let admin: ApiAs
let period: string

beforeAll(async () => {
  stack = await startStack()
  admin = await ApiAs.signIn(stack.repflow.url, ADMIN)
  const me = await admin.request<{ tenant: { time_zone: string } }>('GET', '/api/v1/me')
  // Next month on the tenant's calendar, as the page names it.
  const [y, m] = new Intl.DateTimeFormat('en-CA', { timeZone: me.body.tenant.time_zone, year: 'numeric', month: '2-digit' })
    .format(new Date())
    .split('-')
    .map(Number) as [number, number]
  period = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`
})

afterAll(async () => {
  await stack?.stop()
})

const targetsOf = async () => {
  const res = await admin.request<{ targets: Target[] }>('GET', `/api/v1/appraisal/targets?period=${period}`)
  expect(res.status).toBe(200)
  return res.body.targets.map((t) => ({ rep_id: t.rep_id, metric: t.metric, value: t.value }))
}

describe('tenant admin on a PC', () => {
  let context: BrowserContext
  let page: Page
  let reps: string[]
  const cell = (rep: string, metric = 'visits') => page.locator(`[data-test="row-${rep}"] [data-test=cell-${metric}]`)
  const problemOf = (rep: string) => page.locator(`[data-test="row-${rep}"] [data-test=cell-problem]`)

  beforeAll(async () => {
    context = await newContext(stack, 'desk', { acceptDownloads: true })
    page = await context.newPage()
    await signIn(page, ADMIN)
  })
  afterAll(async () => {
    await context?.close()
  })

  it('saves two reps’ targets typed by keyboard, and only those', async () => {
    expect(await targetsOf()).toEqual([])
    await page.locator('[data-nav=targets]').click()
    await page.locator('[data-test=period]').selectOption(period)
    await page.locator('[data-test=targets-grid]').waitFor()
    reps = await page.locator('[data-test^="row-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-test')!.slice(4)))
    expect(reps.length).toBeGreaterThanOrEqual(4)
    // An unset rate shows the template's default as its placeholder.
    expect(await cell(reps[0]!, 'coverage_rate').getAttribute('placeholder')).toBe('90%')

    await cell(reps[0]!).click()
    await page.keyboard.type('50')
    await page.keyboard.press('Enter') // down the column, to the next rep
    await page.keyboard.type('60')
    expect(await cell(reps[1]!).inputValue()).toBe('60')
    await expect.poll(() => page.locator('[data-test=change-count]').textContent()).toContain('2')
    expect(await page.locator('td.targets-changed').count()).toBe(2)

    await page.locator('[data-test=save-targets]').click()
    await page.locator('[data-test=targets-saved]').waitFor()
    const saved = await targetsOf()
    expect(saved.sort((a, b) => a.value - b.value)).toEqual([
      { rep_id: reps[0], metric: 'visits', value: 50 },
      { rep_id: reps[1], metric: 'visits', value: 60 },
    ])
    expect(await page.locator('td.targets-changed').count()).toBe(0)
    await screenshot(page, 'targets')
  })

  it('refuses text and a negative number on their cells, in words, and saves nothing', async () => {
    await cell(reps[2]!).fill('lots')
    await expect.poll(() => problemOf(reps[2]!).textContent()).toContain('不是数字')
    expect(await page.locator('[data-test=save-targets]').isDisabled()).toBe(true)
    await cell(reps[2]!).press('Escape') // back as saved
    expect(await problemOf(reps[2]!).count()).toBe(0)

    // The server owns the 0-or-more rule: its refusal comes back onto the cell.
    await cell(reps[3]!).fill('-5')
    await page.locator('[data-test=save-targets]').click()
    await expect.poll(() => problemOf(reps[3]!).textContent()).toContain('须为 0 或以上的数')
    expect(await cell(reps[3]!).getAttribute('aria-invalid')).toBe('true')
    expect(await targetsOf()).toHaveLength(2)

    // Leaving with the change unsaved asks first; staying keeps it.
    page.once('dialog', (d) => void d.dismiss())
    await page.locator('[data-nav=kpi-templates]').click()
    expect(new URL(page.url()).pathname).toBe('/appraisal/targets')
    expect(await cell(reps[3]!).inputValue()).toBe('-5')
    await page.locator('[data-test=discard-targets]').click()
  })

  it('sets a team’s own target on the teams tab', async () => {
    await page.locator('[data-test=tab-teams]').check()
    await page.locator('[data-test=targets-grid]').waitFor()
    const team = (await page.locator('[data-test^="row-team:"]').first().getAttribute('data-test'))!.slice(4)
    await page.locator(`[data-test="row-${team}"] [data-test=cell-visits]`).fill('150')
    await page.locator('[data-test=save-targets]').click()
    await page.locator('[data-test=targets-saved]').waitFor()
    const res = await admin.request<{ targets: { metric: string; value: number }[] }>(
      'GET',
      `/api/v1/appraisal/unit-targets?unit=${encodeURIComponent(team)}&period=${period}`,
    )
    expect(res.body.targets.map((t) => [t.metric, t.value])).toEqual([['visits', 150]])
  })

  it('downloads the grid as a CSV template and refuses a file with a bad line whole', async () => {
    await page.locator('[data-test=tab-reps]').check()
    await page.locator('[data-test=targets-grid]').waitFor()
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=csv-template]').click()])
    const template = readFileSync((await download.path())!, 'utf8')
    expect(template).toContain('rep_id,rep_name,metric,metric_name,unit,default,value')
    expect(template).toMatch(new RegExp(`${reps[0]},[^\\r\\n]*,visits,[^\\r\\n]*,50\\r\\n`))

    const file = `rep_id,metric,value\n${reps[2]},visits,70\n${reps[3]},orders,many\n`
    await page.locator('[data-test=csv-file]').setInputFiles({ name: 'targets.csv', mimeType: 'text/csv', buffer: Buffer.from(file) })
    await page.locator('[data-test=csv-send]').click()
    await expect.poll(() => page.locator('[data-test=import-problem]').textContent()).toContain('第 3 行')
    expect(await page.locator('[data-test=import-problem]').textContent()).toContain('不是数字')
    expect(await targetsOf()).toHaveLength(2) // the good line 2 was not imported either

    // The same file put right goes in whole, and the grid shows it.
    const fixed = `rep_id,metric,value\n${reps[2]},visits,70\n${reps[3]},coverage_rate,0.85\n`
    await page.locator('[data-test=csv-file]').setInputFiles({ name: 'targets.csv', mimeType: 'text/csv', buffer: Buffer.from(fixed) })
    await page.locator('[data-test=csv-send]').click()
    await expect.poll(() => page.locator('[data-test=import-done]').textContent()).toContain('2')
    expect(await targetsOf()).toEqual(
      expect.arrayContaining([
        { rep_id: reps[2], metric: 'visits', value: 70 },
        { rep_id: reps[3], metric: 'coverage_rate', value: 0.85 },
      ]),
    )
    expect(await targetsOf()).toHaveLength(4)
    expect(await cell(reps[3]!, 'coverage_rate').inputValue()).toBe('85')
  })

  it('explains an unset quarter target by its months', async () => {
    // The quarter after next month's: its months are untouched but for these.
    const [y, m] = period.split('-').map(Number) as [number, number]
    const q = Math.floor((m - 1) / 3) + 1
    const quarter = q === 4 ? `${y + 1}-Q1` : `${y}-Q${q + 1}`
    const first = q === 4 ? [y + 1, 1] : [y, 3 * q + 1]
    const months = [0, 1, 2].map((i) => `${first[0]}-${String(first[1]! + i).padStart(2, '0')}`)
    for (const [i, month] of months.entries()) {
      const res = await admin.request('PUT', '/api/v1/appraisal/targets', { period: month, targets: [{ rep_id: reps[0], metric: 'visits', value: 10 * (i + 1) }] })
      expect(res.status).toBe(200)
    }
    await page.locator('[data-test=period]').selectOption(quarter)
    await page.locator('[data-test=quarter-rule]').waitFor()
    expect(await cell(reps[0]!).getAttribute('placeholder')).toBe('60')
    expect(await cell(reps[0]!).getAttribute('title')).toContain('10 + 20 + 30')
    // A month without a target or default leaves the quarter without one.
    expect(await cell(reps[1]!).getAttribute('placeholder')).toBe('无目标')
    await screenshot(page, 'targets-quarter')
  })

  it('stays within a 360 px wide screen', async () => {
    await page.setViewportSize({ width: 360, height: 760 })
    await page.waitForTimeout(400) // the layout settles on the phone's
    await page.locator('[data-test=targets-grid]').waitFor()
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
  })
})

describe('a regional manager on a PC', () => {
  it('sets the targets of their own region’s reps and teams only', async () => {
    const context = await newContext(stack, 'desk')
    const page = await context.newPage()
    try {
      await signIn(page, MANAGER)
      await page.locator('[data-nav=targets]').click()
      await page.locator('[data-test=targets-grid]').waitFor()
      const names = await page.locator('[data-test^="row-"] th').allTextContents()
      // Shandong's reps (Jinan, Qingdao) and nobody from the other provinces.
      expect(names.map((n) => n.trim())).toEqual(expect.arrayContaining(['Wang Lei', 'Zhao Hui']))
      expect(names.map((n) => n.trim())).not.toContain('Guo Ping')
      expect(await page.locator('[data-test=save-targets]').count()).toBe(1)
      await page.locator('[data-test=tab-teams]').check()
      await page.locator('[data-test=targets-grid]').waitFor()
      expect(await page.locator('[data-test^="row-team:"]').count()).toBe(1)
      expect(await page.locator('[data-test=row-locked]').count()).toBe(0)
    } finally {
      await context.close()
    }
  })
})
