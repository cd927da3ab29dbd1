import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { ApiError, NetworkError } from '@/api/errors'
import { IndexedDbOutboxStore } from './outboxDb'
import { Outbox, type Sender } from './outbox'
import type { ActionResult, OutboxAction } from './model'

const REP = 'rep-1'
let dbCounter = 0

/**
 * A stand-in for the server's visit endpoints with the behaviour the outbox relies on: a
 * check-in is deduplicated by its id; a check-out of a closed visit with the same device time
 * answers the visit again, with another time 409. Its network can be cut before the request
 * arrives, or after the server acted but before the answer comes back.
 */
class FakeServer {
  visits = new Map<string, { id: string; customer: string; closedAt?: string }>()
  received: string[] = []
  cut: 'none' | 'before' | 'after' = 'none'
  conflictOn = new Set<string>()
  refuseOn = new Set<string>()

  send: Sender = async (action) => {
    if (this.cut === 'before') throw new NetworkError('offline')
    this.received.push(action.id)
    const answer = this.handle(action)
    if (this.cut === 'after') throw new NetworkError('connection reset')
    return answer
  }

  private handle(action: OutboxAction): ActionResult {
    if (this.conflictOn.has(action.id)) throw new ApiError(409, 'visit_closed', 'the visit was checked out already')
    if (this.refuseOn.has(action.id)) throw new ApiError(400, 'invalid_input', 'accuracy must be positive')
    if (action.kind === 'checkin') {
      const existing = this.visits.get(action.id)
      if (existing) return { visitId: existing.id }
      const id = `visit-of-${action.id}`
      this.visits.set(action.id, { id, customer: (action.payload as { body: { customer_id: string } }).body.customer_id })
      return { visitId: id }
    }
    if (action.kind === 'checkout') {
      return { visitId: 'closed' }
    }
    return {}
  }
}

function checkIn(customer: string) {
  return {
    body: {
      id: '',
      customer_id: customer,
      location: { lat: 36.66, lon: 117.02, datum: 'wgs84' as const },
      accuracy: 10,
      device_time: '2026-11-27T01:00:00Z',
    },
  }
}

function checkOut() {
  return { body: { location: { lat: 36.66, lon: 117.02, datum: 'wgs84' as const }, accuracy: 10, device_time: '2026-11-27T01:20:00Z' } }
}

function setup(server = new FakeServer(), online = () => true) {
  const store = new IndexedDbOutboxStore(`outbox-test-${++dbCounter}`)
  const outbox = new Outbox({ store, send: server.send, isOnline: online })
  return { server, store, outbox }
}

describe('outbox ordering', () => {
  it('sends actions in the order they were made, across separate flushes after an outage', async () => {
    const { server, outbox } = setup()
    server.cut = 'before'
    const a = await outbox.enqueue(REP, 'checkin', checkIn('c1'))
    const b = await outbox.enqueue(REP, 'checkin', checkIn('c2'))
    const c = await outbox.enqueue(REP, 'checkin', checkIn('c3'))
    expect((await outbox.flush(REP)).stoppedBy).toBe('offline')
    expect((await outbox.list(REP)).map((x) => x.state)).toEqual(['pending', 'pending', 'pending'])

    server.cut = 'none'
    const report = await outbox.flush(REP)
    expect(report).toEqual({ sent: 3, stoppedBy: null })
    expect(server.received).toEqual([a.id, b.id, c.id])
  })

  it('does not send anything while the device says it is offline', async () => {
    let online = false
    const { server, outbox } = setup(new FakeServer(), () => online)
    await outbox.enqueue(REP, 'checkin', checkIn('c1'))
    expect((await outbox.flush(REP)).stoppedBy).toBe('offline')
    expect(server.received).toEqual([])
    online = true
    expect((await outbox.flush(REP)).sent).toBe(1)
  })

  it('sends a check-out only after its check-in is done, with the visit id the server gave', async () => {
    const server = new FakeServer()
    const seen: (string | undefined)[] = []
    const send: Sender = async (action, ctx) => {
      if (action.kind === 'checkout') seen.push(ctx.dependency?.result?.visitId)
      return server.send(action, ctx)
    }
    const store = new IndexedDbOutboxStore(`outbox-test-${++dbCounter}`)
    const outbox = new Outbox({ store, send })
    const ci = await outbox.enqueue(REP, 'checkin', checkIn('c1'))
    await outbox.enqueue(REP, 'checkout', checkOut(), { dependsOn: ci.id })
    await outbox.flush(REP)
    expect(seen).toEqual([`visit-of-${ci.id}`])
  })

  it('replays only the signed-in user’s actions', async () => {
    const { server, outbox } = setup()
    await outbox.enqueue('someone-else', 'checkin', checkIn('c1'))
    const mine = await outbox.enqueue(REP, 'checkin', checkIn('c2'))
    await outbox.flush(REP)
    expect(server.received).toEqual([mine.id])
  })
})

describe('outbox idempotency', () => {
  it('resends a check-in whose answer was lost, and the server keeps one visit', async () => {
    const { server, outbox } = setup()
    const a = await outbox.enqueue(REP, 'checkin', checkIn('c1'))
    server.cut = 'after' // the server stores the visit, the answer never arrives
    expect((await outbox.flush(REP)).stoppedBy).toBe('offline')
    expect((await outbox.list(REP))[0]?.state).toBe('pending')

    server.cut = 'none'
    await outbox.flush(REP)
    expect(server.received).toEqual([a.id, a.id]) // sent twice, with the same id
    expect(server.visits.size).toBe(1)
    const [done] = await outbox.list(REP)
    expect(done?.state).toBe('done')
    expect(done?.attempts).toBe(2)
    expect(done?.result?.visitId).toBe(`visit-of-${a.id}`)
  })

  it('never sends an action twice when flushes overlap (online event and timer together)', async () => {
    const { server, outbox } = setup()
    await outbox.enqueue(REP, 'checkin', checkIn('c1'))
    await outbox.enqueue(REP, 'checkin', checkIn('c2'))
    await Promise.all([outbox.flush(REP), outbox.flush(REP), outbox.flush(REP)])
    expect(server.received).toHaveLength(2)
    expect(new Set(server.received).size).toBe(2)
  })

  it('resends an action left "sending" by a page that was closed mid-request', async () => {
    const { server, store, outbox } = setup()
    const a = await outbox.enqueue(REP, 'checkin', checkIn('c1'))
    await store.put({ ...a, state: 'sending', attempts: 1 })
    await outbox.flush(REP)
    expect(server.received).toEqual([a.id])
    expect((await outbox.list(REP))[0]?.state).toBe('done')
  })

  it('keeps the queue across a reload of the page (a new Outbox on the same database)', async () => {
    const server = new FakeServer()
    const name = `outbox-test-${++dbCounter}`
    const first = new Outbox({ store: new IndexedDbOutboxStore(name), send: server.send, isOnline: () => false })
    const a = await first.enqueue(REP, 'checkin', checkIn('c1'))
    const second = new Outbox({ store: new IndexedDbOutboxStore(name), send: server.send })
    await second.flush(REP)
    expect(server.received).toEqual([a.id])
  })
})

describe('outbox conflicts', () => {
  it('holds a 409 for the rep, goes on with independent actions, and holds what depends on it', async () => {
    const { server, outbox } = setup()
    const a = await outbox.enqueue(REP, 'checkin', checkIn('c1'))
    const aOut = await outbox.enqueue(REP, 'checkout', checkOut(), { dependsOn: a.id })
    const b = await outbox.enqueue(REP, 'checkin', checkIn('c2'))
    server.conflictOn.add(a.id)

    const report = await outbox.flush(REP)
    expect(report.stoppedBy).toBeNull()
    const byId = new Map((await outbox.list(REP)).map((x) => [x.id, x]))
    expect(byId.get(a.id)?.state).toBe('conflict')
    expect(byId.get(a.id)?.error).toMatchObject({ status: 409, code: 'visit_closed' })
    expect(byId.get(aOut.id)?.state).toBe('pending') // waits for its check-in
    expect(byId.get(b.id)?.state).toBe('done')
    expect(server.received).toEqual([a.id, b.id])
  })

  it('never drops a conflict by itself: later flushes and pruning leave it in place', async () => {
    const { server, outbox } = setup()
    const a = await outbox.enqueue(REP, 'checkin', checkIn('c1'))
    server.conflictOn.add(a.id)
    await outbox.flush(REP)
    await outbox.flush(REP)
    await outbox.prune(new Date(Date.now() + 86_400_000))
    const [held] = await outbox.list(REP)
    expect(held?.state).toBe('conflict')
    expect(server.received).toEqual([a.id]) // not resent behind the rep's back
  })

  it('sends a held action again when the rep retries it', async () => {
    const { server, outbox } = setup()
    const a = await outbox.enqueue(REP, 'checkin', checkIn('c1'))
    server.conflictOn.add(a.id)
    await outbox.flush(REP)
    server.conflictOn.clear()
    await outbox.retry(a.id)
    await outbox.flush(REP)
    expect((await outbox.list(REP))[0]?.state).toBe('done')
  })

  it('on discard, marks the actions that needed it as rejected rather than losing them', async () => {
    const { server, outbox } = setup()
    const a = await outbox.enqueue(REP, 'checkin', checkIn('c1'))
    const aOut = await outbox.enqueue(REP, 'checkout', checkOut(), { dependsOn: a.id })
    server.conflictOn.add(a.id)
    await outbox.flush(REP)
    await outbox.discard(a.id)
    const left = await outbox.list(REP)
    expect(left.map((x) => [x.id, x.state, x.error?.code])).toEqual([[aOut.id, 'rejected', 'dependency_discarded']])
  })

  it('holds a refusal (400) like a conflict, and stops at a 401 keeping the action pending', async () => {
    const { server, outbox } = setup()
    const a = await outbox.enqueue(REP, 'checkin', checkIn('c1'))
    server.refuseOn.add(a.id)
    await outbox.flush(REP)
    expect((await outbox.list(REP))[0]?.state).toBe('rejected')

    const store = new IndexedDbOutboxStore(`outbox-test-${++dbCounter}`)
    const expired = new Outbox({ store, send: async () => { throw new ApiError(401, 'unauthenticated', 'sign in first') } })
    await expired.enqueue(REP, 'checkin', checkIn('c1'))
    expect((await expired.flush(REP)).stoppedBy).toBe('signed_out')
    expect((await expired.list(REP))[0]?.state).toBe('pending')
  })

  it('cannot discard an action that is still waiting to be sent', async () => {
    const { outbox } = setup(new FakeServer(), () => false)
    const a = await outbox.enqueue(REP, 'checkin', checkIn('c1'))
    await outbox.discard(a.id)
    expect((await outbox.list(REP)).map((x) => x.id)).toEqual([a.id])
  })
})
