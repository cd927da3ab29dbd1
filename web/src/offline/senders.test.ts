// @vitest-environment happy-dom
// @vitest-environment-options {"url":"http://127.0.0.1/"}
import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Outbox } from './outbox'
import { IndexedDbOutboxStore } from './outboxDb'
import { lineChanges, sendAction } from './senders'

const REP = 'rep-1'
let n = 0

interface FakeOrder {
  id: string
  customer_id: string
  created_by: string
  notes: string
  status: string
  lines: { product_id: string; quantity: string }[]
}

/** Just enough of repflow's order and visit endpoints, with a switch that loses the next answer. */
function fakeServer() {
  const orders: FakeOrder[] = []
  const checkouts: string[] = []
  const photos: { visit: string; type: string; bytes: string }[] = []
  let loseNextAnswer = false
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
  const fetch = async (req: Request) => {
    const url = new URL(req.url)
    const json_ = req.headers.get('Content-Type')?.includes('json')
    const body = req.method === 'POST' && json_ ? await req.json() : undefined
    let res: Response
    if (req.method === 'POST' && url.pathname === '/api/v1/orders') {
      // As the server does: the same client id answers the order its first attempt made.
      const earlier = orders.find((o) => o.id === body.id)
      if (earlier) {
        res = json(200, earlier)
      } else {
        const order = { created_by: REP, status: 'draft', notes: body.notes ?? '', ...body, id: body.id ?? `order-${orders.length + 1}` }
        orders.push(order)
        res = json(201, order)
      }
    } else if (req.method === 'GET' && url.pathname === '/api/v1/orders') {
      res = json(200, { orders: orders.filter((o) => o.customer_id === url.searchParams.get('customer_id')), next_cursor: null })
    } else if (req.method === 'GET' && url.pathname.startsWith('/api/v1/orders/')) {
      res = json(200, orders.find((o) => o.id === url.pathname.split('/')[4]))
    } else if (url.pathname.endsWith('/transitions')) {
      const order = orders.find((o) => o.id === url.pathname.split('/')[4])!
      if (order.status !== 'draft') res = json(409, { error: { code: 'wrong_status', message: 'not a draft' } })
      else {
        order.status = body.to
        res = json(200, order)
      }
    } else if (url.pathname === '/api/v1/visits/checkin') {
      res = json(201, { id: `visit-${body.id}`, trusted: true, reasons: [], distance_m: -5 })
    } else if (url.pathname.endsWith('/photos')) {
      const bytes = await req.text()
      const visit = url.pathname.split('/')[4]!
      // As the server does: the same picture on the same visit is attached once.
      if (!photos.some((p) => p.visit === visit && p.bytes === bytes)) photos.push({ visit, type: req.headers.get('Content-Type') ?? '', bytes })
      res = json(201, { sha256: `sha-of-${bytes}` })
    } else if (url.pathname.endsWith('/checkout')) {
      checkouts.push(url.pathname.split('/')[4]!)
      res = json(200, { id: url.pathname.split('/')[4] })
    } else res = json(404, { error: { code: 'not_found', message: 'no route' } })
    if (loseNextAnswer) {
      loseNextAnswer = false
      throw new TypeError('connection reset')
    }
    return res
  }
  return { orders, checkouts, photos, fetch, loseNext: () => (loseNextAnswer = true) }
}

function order(customer: string) {
  return { body: { customer_id: customer, currency: 'CNY', lines: [{ product_id: 'p1', quantity: '3' }] }, submit: true, lineNames: { p1: 'K-01 Cola' } }
}

describe('senders', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('does not create a second order when the answer to the first was lost', async () => {
    const server = fakeServer()
    vi.stubGlobal('fetch', server.fetch)
    const outbox = new Outbox({ store: new IndexedDbOutboxStore(`senders-${++n}`), send: sendAction })
    await outbox.enqueue(REP, 'order', order('c1'))
    server.loseNext() // the server makes the order; the phone never hears
    expect((await outbox.flush(REP)).stoppedBy).toBe('offline')
    await outbox.flush(REP)
    expect(server.orders).toHaveLength(1)
    expect(server.orders[0]!.status).toBe('submitted')
    const [done] = await outbox.list(REP)
    expect(done?.result).toMatchObject({ orderId: done?.id, orderStatus: 'submitted' })
  })

  it('resumes a created order at its submission rather than creating it again', async () => {
    const server = fakeServer()
    vi.stubGlobal('fetch', server.fetch)
    const outbox = new Outbox({ store: new IndexedDbOutboxStore(`senders-${++n}`), send: sendAction })
    await outbox.enqueue(REP, 'order', order('c1'))
    // Lose the answer of the second request (the submission), after the creation was saved.
    const realFetch = server.fetch
    let calls = 0
    vi.stubGlobal('fetch', async (req: Request) => {
      if (++calls === 2) server.loseNext()
      return realFetch(req)
    })
    await outbox.flush(REP)
    await outbox.flush(REP) // the submit is answered 409 (already submitted): that is success
    expect(server.orders).toHaveLength(1)
    expect((await outbox.list(REP))[0]?.state).toBe('done')
  })

  it('checks out of a visit checked in offline with the id the server gave the check-in', async () => {
    const server = fakeServer()
    vi.stubGlobal('fetch', server.fetch)
    const outbox = new Outbox({ store: new IndexedDbOutboxStore(`senders-${++n}`), send: sendAction })
    const fix = { location: { lat: 36.6, lon: 117, datum: 'wgs84' as const }, accuracy: 8, device_time: '2026-11-27T01:00:00Z' }
    const ci = await outbox.enqueue(REP, 'checkin', { body: { id: 'x', customer_id: 'c1', ...fix } }, { id: 'ci-1' })
    await outbox.enqueue(REP, 'checkout', { body: fix }, { dependsOn: ci.id })
    await outbox.flush(REP)
    expect(server.checkouts).toEqual(['visit-ci-1'])
  })

  it('sends a photo taken during a visit checked in offline to that visit, once', async () => {
    const server = fakeServer()
    vi.stubGlobal('fetch', server.fetch)
    const outbox = new Outbox({ store: new IndexedDbOutboxStore(`senders-${++n}`), send: sendAction })
    const fix = { location: { lat: 36.6, lon: 117, datum: 'wgs84' as const }, accuracy: 8, device_time: '2026-11-27T01:00:00Z' }
    const ci = await outbox.enqueue(REP, 'checkin', { body: { id: 'x', customer_id: 'c1', ...fix } }, { id: 'ci-2' })
    await outbox.enqueue(REP, 'photo', { bytes: new TextEncoder().encode('shelf picture').buffer as ArrayBuffer, type: 'image/jpeg' }, { dependsOn: ci.id })
    await outbox.flush(REP)
    server.loseNext() // nothing left to send: this loss must not matter
    await outbox.flush(REP)
    expect(server.photos).toEqual([{ visit: 'visit-ci-2', type: 'image/jpeg', bytes: 'shelf picture' }])
    expect((await outbox.list(REP)).map((a) => a.state)).toEqual(['done', 'done'])
  })

  describe('an order HQ changed before the phone could submit it', () => {
    /** The rep's order is made but its answer lost; then HQ does something to the draft. */
    async function createdThenTouchedAtHq(hq: (order: FakeOrder) => void) {
      const server = fakeServer()
      vi.stubGlobal('fetch', server.fetch)
      const outbox = new Outbox({ store: new IndexedDbOutboxStore(`senders-${++n}`), send: sendAction })
      await outbox.enqueue(REP, 'order', order('c1'))
      server.loseNext()
      await outbox.flush(REP)
      hq(server.orders[0]!)
      await outbox.flush(REP)
      return { server, outbox, held: (await outbox.list(REP))[0]! }
    }

    it('is held, with what changed, and HQ’s draft is not submitted', async () => {
      const { server, held } = await createdThenTouchedAtHq((o) => (o.lines = [{ product_id: 'p1', quantity: '5' }, { product_id: 'p2', quantity: '1' }]))
      expect(held.state).toBe('conflict')
      expect(held.error?.code).toBe('order_changed_elsewhere')
      expect(held.error?.details).toEqual([
        { location: 'K-01 Cola', message: '3 → 5' },
        { location: 'p2', message: '0 → 1' },
      ])
      expect(server.orders.map((o) => o.status)).toEqual(['draft'])
    })

    it('submits HQ’s version when the rep chooses it', async () => {
      const { server, outbox, held } = await createdThenTouchedAtHq((o) => (o.lines = [{ product_id: 'p1', quantity: '5' }]))
      await outbox.resolveOrder(held.id, 'submit-theirs')
      await outbox.flush(REP)
      expect(server.orders).toHaveLength(1)
      expect(server.orders[0]).toMatchObject({ status: 'submitted', lines: [{ product_id: 'p1', quantity: '5' }] })
      expect((await outbox.list(REP))[0]).toMatchObject({ id: held.id, state: 'done' })
    })

    it('places the rep’s lines as a new order when HQ cancelled the draft', async () => {
      const { server, outbox, held } = await createdThenTouchedAtHq((o) => (o.status = 'cancelled'))
      expect(held.error?.code).toBe('order_cancelled_elsewhere')
      await outbox.resolveOrder(held.id, 'place-again')
      await outbox.flush(REP)
      expect(server.orders.map((o) => o.status)).toEqual(['cancelled', 'submitted'])
      expect(server.orders[1]!.lines).toEqual([{ product_id: 'p1', quantity: '3' }])
      const [again, ...rest] = await outbox.list(REP)
      expect(rest).toHaveLength(0)
      expect(again).toMatchObject({ state: 'done', result: { orderId: server.orders[1]!.id } })
      expect(again!.id).not.toBe(held.id)
    })

    it('is not a conflict when only the quantity’s spelling differs', () => {
      expect(lineChanges([{ product_id: 'p1', quantity: '3' }], [{ product_id: 'p1', quantity: '3.000' } as never])).toEqual([])
    })
  })
})
