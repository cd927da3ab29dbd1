// The UI in a real browser against a real repflow with its demo tenant: a manager's dashboard and
// review queue on a PC, a rep's day on a 360 px phone, online and offline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { ApiAs, newContext, screenshot, signIn, startStack, type Stack } from './harness'

const ADMIN = 'admin@demo.repflow.test'
const REP = 'rep.jinan.1@demo.repflow.test'

interface Customer {
  id: string
  name: string
  location: { lat: number; lon: number }
  fence: { kind: string; radius_m?: number }
}
interface Order {
  id: string
  status: string
  visit_id?: string | null
  lines: { product_id: string; quantity: string }[]
}
interface ShelfCheck {
  id: string
  visit_id: string | null
  items: { sku: string; present: boolean; stock_count?: number }[]
}
interface Visit {
  id: string
  photos?: { sha256: string; content_type: string; size: number }[]
  customer_id: string
  trusted: boolean
  distance_m: number | null
  reasons?: { code: string }[]
}

let stack: Stack
let startedAt: string

beforeAll(async () => {
  startedAt = new Date().toISOString()
  stack = await startStack()
})

afterAll(async () => {
  await stack?.stop()
})

describe('manager on a PC', () => {
  let context: BrowserContext
  let page: Page

  beforeAll(async () => {
    context = await newContext(stack, 'desk')
    page = await context.newPage()
  })
  afterAll(async () => {
    await context?.close()
  })

  it('signs in and sees the dashboard: KPI cards with figures and a drawn chart', async () => {
    await page.goto('/')
    await page.locator('[data-test=email]').waitFor()
    await screenshot(page, '01-login')
    await signIn(page, ADMIN)
    expect(new URL(page.url()).pathname).toBe('/dashboard')

    const cards = page.locator('[data-test=kpi-card]')
    await cards.first().waitFor()
    expect(await cards.count()).toBeGreaterThan(0)
    for (const figure of await page.locator('[data-test=kpi-actual]').allTextContents()) {
      expect(figure).toMatch(/\d/)
    }
    expect(await page.locator('[data-test=total-score]').textContent()).toMatch(/\d/)

    // ECharts draws into a canvas inside each chart container once it has data and a size.
    const canvas = page.locator('[data-test=chart] canvas').first()
    await canvas.waitFor()
    const box = await canvas.boundingBox()
    expect(box?.width).toBeGreaterThan(100)
    expect(box?.height).toBeGreaterThan(100)
    await page.waitForTimeout(600) // let the bars' entry animation finish for the screenshot
    await screenshot(page, '02-dashboard-zh')

    await page.locator('[data-test=language]').first().selectOption('en')
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('Dashboard')
    await page.waitForTimeout(800) // the charts redraw with the new labels
    await screenshot(page, '03-dashboard-en')
    await page.locator('[data-test=language]').first().selectOption('zh-CN')
  })

  it('reaches every page from the side navigation by keyboard alone', async () => {
    await page.locator('[data-nav=dashboard]').focus()
    await page.keyboard.press('ArrowDown')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-nav'))).toBe('reviews')
    await page.keyboard.press('Enter')
    await page.waitForURL('**/reviews')
  })

  it('shows suspicious check-ins with their trust reasons, and takes a decision', async () => {
    const cards = page.locator('[data-test=review-card]')
    await cards.first().waitFor()
    const before = await cards.count()
    expect(before).toBeGreaterThan(0)
    expect(await cards.first().locator('[data-test=trust-reasons] li').count()).toBeGreaterThan(0)
    await screenshot(page, '04-reviews')

    await cards.first().locator('[data-test=accept]').click()
    await expect.poll(() => cards.count()).toBe(before - 1)
  })

  it('goes to the login page when the session ends, and back to the page after signing in', async () => {
    await context.clearCookies() // as if the session expired or was revoked elsewhere
    await page.locator('[data-nav=dashboard]').click()
    await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('next') === '/dashboard')
    await page.locator('[data-test=email]').fill(ADMIN)
    await page.locator('[data-test=password]').fill('repflow-demo-2026')
    await page.locator('[data-test=sign-in]').click()
    await page.waitForURL('**/dashboard')
    await page.locator('[data-test=kpi-card]').first().waitFor()
  })
})

describe('rep on a phone', () => {
  let api: ApiAs
  /** The phone's orders so far, by client id. */
  const ourOrders: string[] = []
  let customers: Customer[]
  let context: BrowserContext
  let page: Page

  beforeAll(async () => {
    api = await ApiAs.signIn(stack.repflow.url, REP)
    const page1 = await api.request<{ customers: Customer[] }>('GET', `/api/v1/customers?owner_id=${api.userId}&limit=200`)
    customers = page1.body.customers
    expect(customers.length).toBeGreaterThanOrEqual(3)
    context = await newContext(stack, 'phone', { permissions: ['geolocation'] })
    page = await context.newPage()
    await signIn(page, REP)
    expect(new URL(page.url()).pathname).toBe('/today')
  })
  afterAll(async () => {
    await context?.close()
  })

  /** The stop of a customer on the today page, opening "other customers" if it is there. */
  async function stopOf(customer: Customer) {
    const stop = page.locator(`[data-test=stop][data-customer="${customer.id}"]`)
    // The page is drawn once a stop is there, planned or among the others: the plan may be empty
    // when the demo's history and this run's visits leave nobody due today.
    await page.locator('[data-test=stop]').first().waitFor({ state: 'attached' })
    if (!(await stop.isVisible())) await page.locator('[data-test=other-customers] summary').click()
    await stop.waitFor()
    return stop
  }

  /** Stand at the customer: its own location is the middle of its fence. */
  async function standAt(customer: Customer) {
    await context.setGeolocation({ latitude: customer.location.lat, longitude: customer.location.lon, accuracy: 8 })
  }

  async function visitsAt(customer: Customer): Promise<Visit[]> {
    const query = `rep_id=${api.userId}&customer_id=${customer.id}&from=${encodeURIComponent(startedAt)}&limit=50`
    return (await api.request<{ visits: Visit[] }>('GET', `/api/v1/visits?${query}`)).body.visits ?? []
  }

  /** The orders taken at the customer during this test run. */
  async function ordersAt(customer: Customer): Promise<(Order & { created_at: string })[]> {
    const { body } = await api.request<{ orders: (Order & { created_at: string })[] }>('GET', `/api/v1/orders?customer_id=${customer.id}&limit=200`)
    return (body.orders ?? []).filter((o) => o.created_at >= startedAt)
  }

  /** The shelf checks of the customer made during this test run. */
  async function checksAt(customer: Customer): Promise<ShelfCheck[]> {
    const query = `customer_id=${customer.id}&from=${encodeURIComponent(startedAt)}&limit=50`
    return (await api.request<{ checks: ShelfCheck[] }>('GET', `/api/v1/shelf-checks?${query}`)).body.checks ?? []
  }

  /** One order as the server has it now, lines included. */
  async function orderById(id: string): Promise<Order> {
    return (await api.request<Order>('GET', `/api/v1/orders/${id}`)).body
  }

  /** Takes an order of three of the first product at the stop, and answers its id on the phone. */
  async function takeOrder(customer: Customer): Promise<string> {
    const stop = await stopOf(customer)
    await stop.locator('[data-test=take-order]').click()
    const form = stop.locator('[data-test=order-form]')
    await form.locator('select').first().selectOption({ index: 1 })
    await form.locator('input[type=number]').first().fill('3')
    // Long product names in the picker must not widen the page past the phone's 360 px.
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0)
    await form.locator('[data-test=place-order]').click()
    await page.locator('[data-nav=outbox]').click()
    const orders = page.locator('[data-test=outbox-item][data-kind=order]')
    const known = new Set(ourOrders)
    let made: string | undefined
    await expect
      .poll(async () => {
        const ids = await orders.evaluateAll((items) => items.map((li) => li.getAttribute('data-client-id') ?? ''))
        made = ids.find((id) => !known.has(id))
        return made
      })
      .toBeDefined()
    ourOrders.push(made!)
    return made!
  }

  it('fits its day into 360 px without sideways scrolling', async () => {
    await page.locator('[data-test=stop]').first().waitFor()
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    await screenshot(page, '05-today-phone')
  })

  it('checks in inside the customer’s fence and sees the verdict', async () => {
    const customer = customers[0]!
    await standAt(customer)
    const stop = await stopOf(customer)
    await stop.locator('[data-test=check-in]').click()
    const verdict = stop.locator('[data-test=verdict][data-state=done]')
    await verdict.waitFor({ timeout: 15_000 })
    expect(await verdict.textContent()).toContain('签到成功')
    await stop.locator('[data-test=check-out]').waitFor() // the visit is open now
    await screenshot(page, '06-checkin-verdict')

    const visits = await visitsAt(customer)
    expect(visits).toHaveLength(1)
    expect(visits[0]!.trusted).toBe(true)
    expect(visits[0]!.distance_m).toBeLessThanOrEqual(0)
  })

  it('checks in two kilometres from the customer, and sees the check-in flagged with its reason', async () => {
    const customer = customers[2]!
    await context.setGeolocation({ latitude: customer.location.lat + 0.018, longitude: customer.location.lon, accuracy: 8 })
    const stop = await stopOf(customer)
    await stop.locator('[data-test=check-in]').click()
    const verdict = stop.locator('[data-test=verdict][data-state=done]')
    await verdict.waitFor({ timeout: 15_000 })
    const text = (await verdict.textContent()) ?? ''
    expect(text).toContain('签到已记录，但存在疑点')
    expect(text).toContain('不在客户围栏内')
    await screenshot(page, '06b-checkin-flagged')

    const visits = (await visitsAt(customer)).filter((v) => !v.trusted)
    expect(visits).toHaveLength(1)
    expect(visits[0]!.reasons?.map((r) => r.code)).toContain('outside_fence')
    // 0.018 degrees of latitude is 2.0 km: the distance is measured from where the phone is now,
    // not from a fix cached at the previous stop.
    expect(visits[0]!.distance_m).toBeGreaterThan(1500)
    expect(visits[0]!.distance_m).toBeLessThan(2500)
  })

  it('queues a check-in made offline, shows it pending, and sends it exactly once when back online', async () => {
    const customer = customers[1]!
    await standAt(customer)
    const stop = await stopOf(customer)

    await context.setOffline(true)
    await stop.locator('[data-test=check-in]').click()
    const pending = stop.locator('[data-test=verdict][data-state=pending]')
    await pending.waitFor()
    const clientId = await pending.getAttribute('data-client-id')
    expect(clientId).toMatch(/^[0-9a-f-]{36}$/)
    await page.locator('[data-test=connection]').getByText('离线').waitFor()
    await screenshot(page, '07-offline-pending')

    await page.locator('[data-nav=outbox]').click()
    const queued = page.locator(`[data-test=outbox-item][data-client-id="${clientId}"]`)
    expect(await queued.getAttribute('data-state')).toBe('pending')
    await screenshot(page, '08-outbox-pending')
    expect(await visitsAt(customer)).toHaveLength(0) // nothing reached the server while offline

    await context.setOffline(false)
    await expect.poll(() => queued.getAttribute('data-state'), { timeout: 20_000 }).toBe('done')
    await screenshot(page, '09-outbox-sent')

    // Exactly one visit: the listing shows one, and the check-in's own id resolves to it (a
    // repeat of a known id answers 200 with the first visit instead of creating another).
    const visits = await visitsAt(customer)
    expect(visits).toHaveLength(1)
    const repeat = await api.request<Visit>('POST', '/api/v1/visits/checkin', {
      id: clientId,
      customer_id: customer.id,
      location: { lat: customer.location.lat, lon: customer.location.lon, datum: 'wgs84' },
      accuracy: 8,
      device_time: new Date().toISOString(),
    })
    expect(repeat.status).toBe(200)
    expect(repeat.body.id).toBe(visits[0]!.id)
    expect(await visitsAt(customer)).toHaveLength(1)
  })

  it('queues an order taken offline, shows it pending, and sends it exactly once when back online', async () => {
    const customer = customers[1]! // its visit is open since the offline check-in above
    await page.locator('[data-nav=today]').click()
    await context.setOffline(true)
    const clientId = await takeOrder(customer)
    const queued = page.locator(`[data-test=outbox-item][data-client-id="${clientId}"]`)
    expect(await queued.getAttribute('data-state')).toBe('pending')
    await screenshot(page, '10-order-offline-pending')
    expect(await ordersAt(customer)).toHaveLength(0)

    await context.setOffline(false)
    await expect.poll(() => queued.getAttribute('data-state'), { timeout: 20_000 }).toBe('done')
    const orders = await ordersAt(customer)
    expect(orders.map((o) => o.id)).toEqual([clientId])
    const order = await orderById(clientId)
    expect(order.status).toBe('submitted') // created, then submitted for approval
    expect(order.visit_id).toBe((await visitsAt(customer))[0]!.id)
    expect(order.lines.map((l) => Number(l.quantity))).toEqual([3])
  })

  it('holds an order HQ cancelled while its answer was lost, and places it again at the rep’s word', async () => {
    const customer = customers[1]!
    await page.locator('[data-nav=today]').click()
    // The phone's order reaches the server, but every answer about orders is lost until HQ acts.
    let made = false
    await page.route('**/api/v1/orders**', async (route) => {
      if (!made && route.request().method() === 'POST') {
        made = (await route.fetch()).ok()
      }
      await route.abort('connectionreset')
    })
    const clientId = await takeOrder(customer)
    await expect.poll(() => made, { timeout: 20_000 }).toBe(true)
    const admin = await ApiAs.signIn(stack.repflow.url, ADMIN)
    const cancelled = await admin.request<Order>('POST', `/api/v1/orders/${clientId}/transitions`, { to: 'cancelled', comment: 'customer phoned HQ: wrong product' })
    expect(cancelled.status).toBe(200)
    await page.unroute('**/api/v1/orders**')

    await page.locator('[data-test=send-now]').click()
    const held = page.locator(`[data-test=outbox-item][data-client-id="${clientId}"]`)
    await expect.poll(() => held.getAttribute('data-state'), { timeout: 20_000 }).toBe('conflict')
    expect(await held.textContent()).toContain('总部取消')
    await screenshot(page, '11-order-conflict')
    expect((await ordersAt(customer)).filter((o) => o.id === clientId).map((o) => o.status)).toEqual(['cancelled'])

    await held.locator('[data-test=place-again]').click()
    await expect.poll(async () => (await ordersAt(customer)).length, { timeout: 20_000 }).toBe(3)
    const again = (await ordersAt(customer)).find((o) => !ourOrders.includes(o.id))!
    // Made as a draft first, then submitted: the phone says done once both have happened.
    await expect.poll(() => page.locator(`[data-test=outbox-item][data-client-id="${again.id}"]`).getAttribute('data-state')).toBe('done')
    const placed = await orderById(again.id)
    expect(placed.status).toBe('submitted')
    expect(placed.lines.map((l) => Number(l.quantity))).toEqual([3])
    expect(await held.count()).toBe(0) // the held one is resolved, not left behind
  })

  it('queues a shelf check made offline, and records it exactly once when back online', async () => {
    const customer = customers[1]! // its visit is still open
    await page.locator('[data-nav=today]').click()
    const stop = await stopOf(customer)
    await context.setOffline(true)
    await stop.locator('[data-test=shelf-check]').click()
    const form = stop.locator('[data-test=shelf-form]')
    const row = form.locator('[data-test=shelf-row]').first()
    const sku = await row.getAttribute('data-sku')
    await row.locator('[data-test=shelf-present]').check()
    await row.locator('[data-test=shelf-stock]').fill('12')
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0)
    await screenshot(page, '12-shelf-check')
    await form.locator('[data-test=record-shelf]').click()

    await page.locator('[data-nav=outbox]').click()
    const queued = page.locator('[data-test=outbox-item][data-kind=shelf]')
    await queued.waitFor()
    expect(await queued.getAttribute('data-state')).toBe('pending')
    const clientId = await queued.getAttribute('data-client-id')
    expect(await checksAt(customer)).toHaveLength(0)

    await context.setOffline(false)
    await expect.poll(() => queued.getAttribute('data-state'), { timeout: 20_000 }).toBe('done')
    const checks = await checksAt(customer)
    expect(checks.map((c) => c.id)).toEqual([clientId])
    expect(checks[0]!.visit_id).toBe((await visitsAt(customer))[0]!.id)
    // A full audit: the ticked SKU with its count, every other SKU of the catalogue missing.
    expect(checks[0]!.items.filter((i) => i.present)).toEqual([{ sku, present: true, stock_count: 12 }])
    expect(checks[0]!.items.length).toBeGreaterThan(1)
  })

  it('takes a photo offline at the open visit, made smaller on the phone, and sends it once', async () => {
    const customer = customers[1]!
    await page.locator('[data-nav=today]').click()
    const stop = await stopOf(customer)
    // A camera-sized picture (2,400 x 1,800), drawn in the page so it is a real PNG.
    const png = await page.evaluate(async () => {
      const canvas = document.createElement('canvas')
      canvas.width = 2400
      canvas.height = 1800
      const g = canvas.getContext('2d')!
      const gradient = g.createLinearGradient(0, 0, 2400, 1800)
      gradient.addColorStop(0, '#c33')
      gradient.addColorStop(1, '#33c')
      g.fillStyle = gradient
      g.fillRect(0, 0, 2400, 1800)
      for (let i = 0; i < 400; i++) {
        g.fillStyle = `hsl(${(i * 37) % 360} 70% 50%)`
        g.fillRect((i * 97) % 2400, (i * 53) % 1800, 60, 40)
      }
      return canvas.toDataURL('image/png').split(',')[1]!
    })
    const original = Buffer.from(png, 'base64')
    await context.setOffline(true)
    await stop.locator('[data-test=photo-input]').setInputFiles({ name: 'shelf.png', mimeType: 'image/png', buffer: original })
    await stop.locator('[data-test=photos-waiting]').waitFor()
    expect(await stop.locator('[data-test=take-photo]').textContent()).toContain('已拍 1 张')

    await context.setOffline(false)
    await stop.locator('[data-test=photos-waiting]').waitFor({ state: 'detached', timeout: 20_000 })
    const [visit] = await visitsAt(customer)
    const { body } = await api.request<Visit>('GET', `/api/v1/visits/${visit!.id}`)
    expect(body.photos).toHaveLength(1)
    expect(body.photos![0]!.content_type).toBe('image/jpeg')
    expect(body.photos![0]!.size).toBeLessThan(original.length)
  })
})
