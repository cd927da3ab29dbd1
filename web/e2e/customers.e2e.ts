// Customers and orders in a real browser against the demo tenant: a tenant admin finds a customer
// and reads its visit history (as the API has it, flagged reasons included); a rep on a 360 px
// phone sees exactly their own customers and a colleague's is "not found" in words; an order is
// moved on a step from its page and the server has it so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { ApiAs, newContext, screenshot, signIn, startStack, type Stack } from './harness'

const ADMIN = 'admin@demo.repflow.test'
const REP = 'rep.jinan.1@demo.repflow.test'
const COLLEAGUE = 'rep.jinan.2@demo.repflow.test'

interface Customer {
  id: string
  name: string
}
interface Visit {
  id: string
  customer_id: string
  trusted: boolean
  reasons: { code: string; severity: string }[] | null
}
interface Order {
  id: string
  status: string
  next_statuses: string[]
}
type Page_<K extends string, T> = Record<K, T[] | null> & { next_cursor: string | null }

let stack: Stack

/** Every item of a cursor-paged list, as the caller sees it. */
async function all<K extends string, T>(api: ApiAs, path: string, key: K): Promise<T[]> {
  const out: T[] = []
  let cursor = ''
  for (let i = 0; i < 20; i++) {
    const sep = path.includes('?') ? '&' : '?'
    const { status, body } = await api.request<Page_<K, T>>('GET', `${path}${sep}limit=200${cursor ? `&cursor=${cursor}` : ''}`)
    expect(status).toBe(200)
    out.push(...(body[key] ?? []))
    if (!body.next_cursor) break
    cursor = body.next_cursor
  }
  return out
}

/** Page errors (uncaught exceptions) seen while the test ran: a crash, not a message in words. */
function watchCrashes(page: Page): string[] {
  const crashes: string[] = []
  page.on('pageerror', (err) => crashes.push(err.message))
  return crashes
}

beforeAll(async () => {
  stack = await startStack()
})

afterAll(async () => {
  await stack?.stop()
})

describe('tenant admin on a PC', () => {
  let context: BrowserContext
  let page: Page
  let crashes: string[]
  let admin: ApiAs

  beforeAll(async () => {
    admin = await ApiAs.signIn(stack.repflow.url, ADMIN)
    context = await newContext(stack, 'desk')
    page = await context.newPage()
    crashes = watchCrashes(page)
    await signIn(page, ADMIN)
  })
  afterAll(async () => {
    await context?.close()
  })

  it('searches customers and opens one: its visits are the API’s, a flagged one with its reason', async () => {
    // A customer with a flagged visit, if the demo has one; else any visited customer.
    const visits = await all<'visits', Visit>(admin, '/api/v1/visits', 'visits')
    const flagged = visits.find((v) => !v.trusted && v.reasons?.length)
    const customerId = (flagged ?? visits[0]!).customer_id
    const { body: customer } = await admin.request<Customer>('GET', `/api/v1/customers/${customerId}`)
    const words = customer.name.split(' (')[0]!

    await page.locator('[data-nav=customers]').click()
    await page.locator('[data-test=customer-row]').first().waitFor()
    await page.locator('[data-test=customer-search]').fill(words)
    await page.locator('[data-test=customer-search-go]').click()
    await page.waitForURL((url) => url.searchParams.get('q') === words)
    const matching = await all<'customers', Customer>(admin, `/api/v1/customers?q=${encodeURIComponent(words)}`, 'customers')
    await expect.poll(() => page.locator('[data-test=customer-row]').count()).toBe(Math.min(matching.length, 25))
    await screenshot(page, 'customers-01-search-pc')

    // The search is in the link: opened afresh, the list comes back filtered the same way.
    await page.reload()
    await expect.poll(() => page.locator('[data-test=customer-search]').inputValue()).toBe(words)
    await expect.poll(() => page.locator('[data-test=customer-row]').count()).toBe(Math.min(matching.length, 25))

    await page.locator(`[data-test=customer-row][data-customer="${customerId}"] a`).click()
    await page.waitForURL(`**/customers/${customerId}`)
    await expect.poll(() => page.locator('[data-test=customer-name]').textContent()).toContain(customer.name)

    const history = await all<'visits', Visit>(admin, `/api/v1/visits?customer_id=${customerId}`, 'visits')
    expect(history.length).toBeGreaterThan(0)
    await expect.poll(() => page.locator('[data-test=visit]').count()).toBe(Math.min(history.length, 50))
    for (const v of history.slice(0, 50)) {
      const trust = page.locator(`[data-test=visit][data-visit="${v.id}"] [data-test=visit-trust]`)
      expect(await trust.textContent()).toBe(v.trusted ? '可信' : '存疑')
    }
    if (flagged) {
      const reason = page.locator(`[data-visit="${flagged.id}"] [data-test=trust-reasons] li[data-code="${flagged.reasons![0]!.code}"]`)
      await reason.waitFor()
      // In words (the catalogue's sentence with its numbers), not the bare code.
      expect((await reason.textContent())!.trim().length).toBeGreaterThan(flagged.reasons![0]!.code.length)
      await reason.scrollIntoViewIfNeeded()
    }
    await screenshot(page, 'customers-02-detail-pc')
    expect(crashes).toEqual([])
  })

  it('moves an order to its next status from the order page, and the server agrees', async () => {
    const orders = await all<'orders', Order>(admin, '/api/v1/orders?status=approved', 'orders')
    const order = orders.find((o) => o.next_statuses.includes('shipped'))
    expect(order, 'the demo has an approved order').toBeTruthy()

    // The status chip filters the list to what the API lists with that status.
    await page.goto('/orders')
    await page.locator('[data-test=status-chips] [data-status=approved]').click()
    await page.waitForURL((url) => url.searchParams.get('status') === 'approved')
    await expect.poll(() => page.locator('[data-test=order-row][data-status=approved]').count()).toBe(Math.min(orders.length, 25))
    expect(await page.locator('[data-test=order-row]:not([data-status=approved])').count()).toBe(0)

    await page.locator(`[data-test=order-row][data-order="${order!.id}"] a`).click()
    await page.waitForURL(`**/orders/${order!.id}`)
    // Only the state machine's steps from "approved" that a person may take by hand.
    await page.locator('[data-test=transition-shipped]').waitFor()
    const offered = await page.locator('[data-test=order-actions] button[data-test^=transition-]').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-test')))
    expect(offered.sort()).toEqual(order!.next_statuses.filter((s) => s !== 'paid').map((s) => `transition-${s}`).sort())

    await page.locator('[data-test=transition-shipped]').click()
    await page.locator('[data-test=transition-comment]').fill('e2e: loaded on the truck')
    await screenshot(page, 'customers-03-order-confirm-pc')
    await page.locator('[data-test=transition-yes]').click()
    await page.locator('[data-test=order-status][data-status=shipped]').waitFor()

    const { body: stored } = await admin.request<Order>('GET', `/api/v1/orders/${order!.id}`)
    expect(stored.status).toBe('shipped')
    const { body: history } = await admin.request<{ transitions: { to: string; comment: string }[] }>('GET', `/api/v1/orders/${order!.id}/transitions`)
    expect(history.transitions.at(-1)).toMatchObject({ to: 'shipped', comment: 'e2e: loaded on the truck' })
    await expect.poll(() => page.locator('[data-test=transition]').count()).toBe(history.transitions.length)
    // Shipped: the next step is a delivery, offered as a form and as the one button.
    await page.locator('[data-test=transition-delivered]').waitFor()
    await screenshot(page, 'customers-04-order-shipped-pc')
    expect(crashes).toEqual([])
  })
})

describe('rep on a phone', () => {
  let context: BrowserContext
  let page: Page
  let crashes: string[]

  beforeAll(async () => {
    context = await newContext(stack, 'phone')
    page = await context.newPage()
    crashes = watchCrashes(page)
    await signIn(page, REP)
  })
  afterAll(async () => {
    await context?.close()
  })

  it('sees exactly their own customers, on a 360 px screen', async () => {
    const rep = await ApiAs.signIn(stack.repflow.url, REP)
    const own = await all<'customers', Customer>(rep, '/api/v1/customers', 'customers')
    expect(own.length).toBeGreaterThan(0)

    await page.locator('[data-nav=customers]').click()
    await page.locator('[data-test=customer-row]').first().waitFor()
    const shown = await page.locator('[data-test=customer-row]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-customer')))
    expect(shown.sort()).toEqual(own.map((c) => c.id).slice(0, 25).sort())
    // Each card carries a last visit (or "never"), as the list answers it.
    await expect.poll(() => page.locator('[data-test=last-visit]:not(:empty)').count()).toBe(shown.length)
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0)
    // The tab bar keeps to thumb-sized tabs (at most five at 360 px), customers among them.
    const tabs = page.locator('.phone-tabs [data-nav]')
    expect(await tabs.count()).toBeLessThanOrEqual(5)
    expect(await page.locator('.phone-tabs [data-nav=customers]').count()).toBe(1)
    for (const box of await tabs.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width))) expect(box).toBeGreaterThanOrEqual(64)
    await screenshot(page, 'customers-05-list-phone')

    await page.locator(`[data-test=customer-row][data-customer="${own[0]!.id}"] a`).click()
    await page.locator('[data-test=visit-history]').waitFor()
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0)
    await screenshot(page, 'customers-06-detail-phone')
  })

  it('finds a colleague’s customer "not found", in words', async () => {
    const rep = await ApiAs.signIn(stack.repflow.url, REP)
    const colleague = await ApiAs.signIn(stack.repflow.url, COLLEAGUE)
    const theirs = (await all<'customers', Customer>(colleague, '/api/v1/customers', 'customers'))[0]!
    const { status } = await rep.request('GET', `/api/v1/customers/${theirs.id}`)
    expect([403, 404]).toContain(status)

    await page.goto(`/customers/${theirs.id}`)
    const notFound = page.locator('[data-test=customer-not-found]')
    await notFound.waitFor()
    expect(await notFound.textContent()).toContain('找不到这个客户')
    expect(await page.locator('body').textContent()).not.toContain(theirs.name)
    await screenshot(page, 'customers-07-not-yours-phone')
    expect(crashes).toEqual([])
  })
})
