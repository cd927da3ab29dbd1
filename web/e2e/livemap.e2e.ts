// The managers' live map in a real browser against a demo repflow, with every map tile refused:
// the fences and reps the API gives the manager are all drawn as vectors, and a fix a rep sends
// moves the rep's marker and lists the fence event it caused, live, without a reload.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { ApiAs, newContext, screenshot, signIn, startStack, type Stack } from './harness'

const MANAGER = 'manager.shandong@demo.repflow.test'
const REP = 'rep.jinan.1@demo.repflow.test'
// The default tile template's host (REPFLOW_MAP_TILE_URL is left as it comes).
const TILE_HOST = 'tile.openstreetmap.org'

interface Customer {
  id: string
  name: string
  owner_id: string
  location: { lat: number; lon: number }
  fence: { kind: 'circle' | 'polygon'; radius_m?: number }
}
interface Position {
  rep_id: string
  lat: number
  lon: number
  at: string
}
interface TrackResult {
  stored: number
  events: { kind: string; customer_id: string }[]
}

async function allCustomers(api: ApiAs): Promise<Customer[]> {
  const out: Customer[] = []
  for (let cursor = ''; ; ) {
    const page = await api.request<{ customers: Customer[]; next_cursor: string | null }>('GET', `/api/v1/customers?limit=200${cursor ? `&cursor=${cursor}` : ''}`)
    out.push(...page.body.customers)
    if (!page.body.next_cursor) return out
    cursor = page.body.next_cursor
  }
}

/** A point metres north of p. */
const north = (p: { lat: number; lon: number }, metres: number) => ({ lat: p.lat + metres / 111_320, lon: p.lon })

let stack: Stack

beforeAll(async () => {
  stack = await startStack()
})

afterAll(async () => {
  await stack?.stop()
})

describe('live map with no tiles reachable', () => {
  let context: BrowserContext
  let page: Page
  let manager: ApiAs
  let customers: Customer[]
  const tilesRefused: string[] = []
  const pageErrors: string[] = []

  beforeAll(async () => {
    manager = await ApiAs.signIn(stack.repflow.url, MANAGER)
    customers = await allCustomers(manager)
    context = await newContext(stack, 'desk')
    await context.route(
      (url) => url.hostname.endsWith(TILE_HOST),
      (route) => {
        tilesRefused.push(route.request().url())
        return route.abort()
      },
    )
    page = await context.newPage()
    page.on('pageerror', (err) => pageErrors.push(err.message))
    await signIn(page, MANAGER)
  })
  afterAll(async () => {
    await context?.close()
  })

  it('draws every fence and every rep the manager may see, as vectors', async () => {
    const positions = (await manager.request<{ positions: Position[] }>('GET', '/api/v1/tracks/positions')).body.positions
    expect(customers.length).toBeGreaterThan(0)
    expect(positions.length).toBeGreaterThan(0)

    await page.locator('[data-nav=live-map]').click()
    await page.waitForURL((url) => url.pathname === '/map')
    await page.locator('[data-test=live-map]').waitFor({ timeout: 15_000 }).catch(async (err) => {
      await screenshot(page, 'live-map-failed')
      throw new Error(`no map: ${pageErrors.join('; ')}`, { cause: err })
    })
    const fences = page.locator('[data-test=live-map] svg path[data-test=fence]')
    await expect.poll(() => fences.count(), { timeout: 15_000 }).toBe(customers.length)
    const drawn = await fences.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-customer')}:${e.getAttribute('data-kind')}`).sort())
    expect(drawn).toEqual(customers.map((c) => `${c.id}:${c.fence.kind}`).sort())
    // The view is fitted to the data: every fence and rep is drawn inside the map (Leaflet leaves
    // a path outside the view empty, "M0 0"). A 100 m polygon seen across two cities may be a dot.
    const box = (await page.locator('[data-test=live-map]').boundingBox())!
    const inView = (loc: typeof fences) =>
      loc.evaluateAll((els, b) => els.filter((e) => {
        const r = e.getBoundingClientRect()
        const x = r.x + r.width / 2
        const y = r.y + r.height / 2
        return e.getAttribute('d') !== 'M0 0' && x >= b.x && x <= b.x + b.width && y >= b.y && y <= b.y + b.height
      }).length, box)
    expect(await inView(fences)).toBe(customers.length)
    // And each customer has a dot that shows where the fence is when it is too small to see.
    expect(await page.locator('[data-test=live-map] path[data-test=customer-dot]').count()).toBe(customers.length)

    const markers = page.locator('[data-test=live-map] svg path[data-test=rep-marker]')
    await expect.poll(() => markers.count()).toBe(positions.length)
    const reps = await markers.evaluateAll((els) => els.map((e) => e.getAttribute('data-rep')).sort())
    expect(reps).toEqual(positions.map((p) => p.rep_id).sort())
    expect(await inView(markers)).toBe(positions.length)

    // The tiles were asked for and refused; the map drew without them.
    expect(tilesRefused.length).toBeGreaterThan(0)
    const tiles = page.locator('[data-test=live-map] img.leaflet-tile')
    expect(await tiles.count()).toBeGreaterThan(0)
    expect(await tiles.evaluateAll((els) => els.filter((e) => (e as HTMLImageElement).naturalWidth > 0).length)).toBe(0)
    await expect.poll(() => page.locator('[data-test=stream-state]').getAttribute('data-state'), { timeout: 15_000 }).toBe('live')
    expect(pageErrors).toEqual([])
    await screenshot(page, 'live-map')
  })

  it('moves the rep and lists the fence event when the rep sends a fix inside a fence', async () => {
    const rep = await ApiAs.signIn(stack.repflow.url, REP)
    // One of the rep's own customers with a circle fence wide enough to enter with a 5 m fix.
    const shop = customers.find((c) => c.owner_id === rep.userId && c.fence.kind === 'circle' && (c.fence.radius_m ?? 0) >= 40)
    expect(shop, 'a customer of the rep with a circle fence').toBeDefined()
    const marker = page.locator(`[data-test=live-map] path[data-test=rep-marker][data-rep="${rep.userId}"]`)
    const before = await marker.getAttribute('d')
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true))

    // Far outside every fence a minute ago (leaving whatever fence the demo left the rep in),
    // then at the shop's door now: one enter, into this shop.
    const now = Date.now()
    const away = north(shop!.location, 1500)
    const fixes = [
      { id: randomUUID(), time: new Date(now - 60_000).toISOString(), ...away, accuracy: 5, provider: 'gps' },
      { id: randomUUID(), time: new Date(now).toISOString(), lat: shop!.location.lat, lon: shop!.location.lon, accuracy: 5, provider: 'gps' },
    ]
    const sent = await rep.request<TrackResult>('POST', '/api/v1/tracks', { datum: 'wgs84', fixes })
    expect(sent.status).toBe(200)
    expect(sent.body.events.filter((e) => e.kind === 'enter').map((e) => e.customer_id)).toContain(shop!.id)

    await expect.poll(() => marker.getAttribute('data-lat'), { timeout: 8_000 }).toBe(String(shop!.location.lat))
    expect(await marker.getAttribute('data-lon')).toBe(String(shop!.location.lon))
    expect(await marker.getAttribute('data-stale')).toBe('false')
    expect(await marker.getAttribute('d')).not.toBe(before) // drawn somewhere else

    const event = page.locator(`[data-test=event-item][data-kind=enter][data-customer="${shop!.id}"][data-rep="${rep.userId}"]`)
    await event.first().waitFor({ timeout: 8_000 })
    const text = await event.first().textContent()
    expect(text).toContain(shop!.name)
    const repName = (await manager.request<{ name: string }>('GET', `/api/v1/users/${rep.userId}`)).body.name
    expect(text).toContain(repName)
    // The entered fence is highlighted on the map.
    const fence = page.locator(`[data-test=live-map] path[data-test=fence][data-customer="${shop!.id}"]`)
    expect(await fence.getAttribute('stroke')).toBe('#e07b00')
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true)

    // Choosing the rep in the list, by keyboard, draws their track of the day with both fixes.
    const item = page.locator(`[data-test=rep-item][data-rep="${rep.userId}"]`)
    await item.focus()
    await page.keyboard.press('Enter')
    expect(await item.getAttribute('aria-pressed')).toBe('true')
    const track = page.locator(`[data-test=live-map] path[data-test=track][data-rep="${rep.userId}"]`)
    await expect.poll(async () => Number(await track.getAttribute('data-points')), { timeout: 8_000 }).toBeGreaterThanOrEqual(2)
    expect(await track.getAttribute('stroke')).toBe('#e07b00')
    await page.waitForTimeout(400) // the view's move to the rep
    expect(pageErrors).toEqual([])
    await screenshot(page, 'live-map-event')
  })

  it('puts the lists below the map on a 360 px screen, with no sideways scrolling', async () => {
    const phone = await newContext(stack, 'phone')
    await phone.route((url) => url.hostname.endsWith(TILE_HOST), (route) => route.abort())
    try {
      const small = await phone.newPage()
      await signIn(small, MANAGER)
      await small.goto('/map')
      await expect.poll(() => small.locator('[data-test=live-map] path[data-test=fence]').count(), { timeout: 15_000 }).toBe(customers.length)
      const map = await small.locator('[data-test=live-map]').boundingBox()
      const list = await small.locator('[data-test=rep-list]').boundingBox()
      expect(list!.y).toBeGreaterThanOrEqual(map!.y + map!.height)
      expect(await small.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
      await screenshot(small, 'live-map-phone')
    } finally {
      await phone.close()
    }
  })
})
