// The rep's own KPI progress on a 360 px phone, against a real repflow with the demo tenant: one
// card per metric of the scorecard the server gives the rep, with the same figures; the tab bar
// still usable with the page's tab in it; and, with no coverage, the last known figures with the
// time they were saved.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { ApiAs, newContext, screenshot, signIn, startStack, type Stack } from './harness'
import { currentMonth } from '../src/features/scorecards/periods'

const REP = 'rep.jinan.1@demo.repflow.test'

interface Metric {
  key: string
  unit: string
  actual: number
}
interface Scorecard {
  total: number
  band?: string
  metrics: Metric[] | null
}

let stack: Stack

beforeAll(async () => {
  stack = await startStack()
})

afterAll(async () => {
  await stack?.stop()
})

/** The number in a figure as shown ("¥12,345", "87.5%", "3.2"), in the API's terms (a ratio 0..1). */
function shownValue(text: string, unit: string): number {
  const value = Number(text.replace(/[^\d.-]/g, ''))
  return unit === 'ratio' ? value / 100 : value
}

/** How close a shown figure must be: the card rounds money of 1000 or more to whole units. */
function tolerance(metric: Metric): number {
  if (metric.unit === 'ratio') return 0.0006
  if (metric.unit === 'money' && Math.abs(metric.actual) >= 1000) return 0.51
  return 0.051
}

describe('rep’s KPI progress on a phone', () => {
  let api: ApiAs
  let context: BrowserContext
  let page: Page
  let month: string
  let expected: Scorecard

  beforeAll(async () => {
    api = await ApiAs.signIn(stack.repflow.url, REP)
    month = currentMonth('Asia/Shanghai')
    const answer = await api.request<Scorecard>('GET', `/api/v1/appraisal/scorecard?rep_id=${api.userId}&period=${month}`)
    expect(answer.status).toBe(200)
    expected = answer.body
    expect(expected.metrics?.length).toBeGreaterThan(0)
    context = await newContext(stack, 'phone')
    page = await context.newPage()
    await signIn(page, REP)
  })
  afterAll(async () => {
    await context?.close()
  })

  /** The page's figures as the rep sees them: the total, and each card's value by metric key. */
  async function shown() {
    await page.locator('[data-test=progress-summary]').waitFor()
    const total = Number((await page.locator('[data-test=progress-total]').textContent())!.replace(/[^\d.-]/g, ''))
    const cards = await page
      .locator('[data-test=progress-kpis] [data-test=kpi-card]')
      .evaluateAll((els) => els.map((el) => ({ key: el.getAttribute('data-metric') ?? '', actual: el.querySelector('[data-test=kpi-actual]')?.textContent ?? '' })))
    return { total, cards }
  }

  function expectFiguresOf(seen: Awaited<ReturnType<typeof shown>>) {
    expect(seen.total).toBeCloseTo(expected.total, 1)
    expect(seen.cards.map((c) => c.key)).toEqual(expected.metrics!.map((m) => m.key))
    for (const metric of expected.metrics!) {
      const card = seen.cards.find((c) => c.key === metric.key)!
      expect(Math.abs(shownValue(card.actual, metric.unit) - metric.actual), `${metric.key}: ${card.actual}`).toBeLessThanOrEqual(tolerance(metric))
    }
  }

  it('opens from the tab bar and shows one card per metric with the server’s figures, in 360 px', async () => {
    await page.locator('[data-nav=my-progress]').click()
    await page.waitForURL('**/progress')
    expectFiguresOf(await shown())
    expect(await page.locator('[data-test=progress-summary]').getAttribute('data-band')).toBe(expected.band || 'none')
    expect(await page.locator('[data-test=progress-month]').inputValue()).toBe(month)
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0)
    await screenshot(page, 'progress-phone')
  })

  it('keeps every tab of the phone’s tab bar at least 64 px wide with its label whole, in both languages', async () => {
    for (const language of ['zh-CN', 'en']) {
      await page.locator('[data-test=language]').selectOption(language)
      const tabs = await page.locator('.phone-tab').evaluateAll((els) =>
        els.map((el) => {
          const label = el.querySelector('.nav-icon + span') as HTMLElement
          return { name: el.getAttribute('data-nav'), width: el.getBoundingClientRect().width, clipped: label.scrollWidth > label.clientWidth }
        }),
      )
      expect(tabs.map((t) => t.name)).toContain('my-progress')
      for (const tab of tabs) {
        expect(tab.width, `${language} ${tab.name}`).toBeGreaterThanOrEqual(64)
        expect(tab.clipped, `${language} ${tab.name}`).toBe(false)
      }
      // The page's last line clears the tab bar however tall its labels make it.
      const { bar, room } = await page.evaluate(() => ({
        bar: document.querySelector('.phone-tabs')!.getBoundingClientRect().height,
        room: parseFloat(getComputedStyle(document.querySelector('.phone-main')!).paddingBottom),
      }))
      expect(bar).toBeLessThanOrEqual(room)
      if (language === 'en') await screenshot(page, 'progress-phone-en')
    }
    await page.locator('[data-test=language]').selectOption('zh-CN')
  })

  it('shows the last known figures with their time when the network is gone', async () => {
    const savedAt = await page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? '{}').savedAt as string, `repflow.scorecard.${api.userId}.${month}`)
    expect(savedAt).toBeTruthy()
    const time = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(savedAt))
    await expect.poll(() => page.locator('[data-test=progress-stale]').count()).toBe(0)

    // Away from the page and back, with no network at all.
    await context.setOffline(true)
    await page.locator('[data-nav=today]').click()
    await page.waitForURL('**/today')
    await page.locator('[data-nav=my-progress]').click()
    await page.locator('[data-test=progress-stale]').waitFor()
    expect(await page.locator('[data-test=progress-stale]').textContent()).toContain(time)
    expectFiguresOf(await shown())
    await context.setOffline(false)

    // The SPA reloaded with the server out of reach (the service worker, blocked in these tests,
    // serves the page itself on a phone): the profile and the figures come from the phone.
    await page.route('**/api/**', (route) => route.abort('internetdisconnected'))
    await page.reload()
    await page.locator('[data-test=progress-stale]').waitFor()
    expect(await page.locator('[data-test=progress-stale]').textContent()).toContain(time)
    expectFiguresOf(await shown())
    await screenshot(page, 'progress-phone-offline')
    await page.unroute('**/api/**')
  })
})
