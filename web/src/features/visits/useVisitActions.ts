// Check-in, check-out and orders, as the rep's phone does them: every action goes to the outbox
// first and is sent from there, so the same path works with and without coverage.
import { computed, ref, type Ref } from 'vue'
import type { OrderLineInput, Product, ShelfItem, Visit } from '@/api/types'
import { currentFix } from '@/offline/geolocation'
import { shrinkPhoto } from '@/offline/photo'
import type { OutboxAction } from '@/offline/model'
import { uuidv7 } from '@/offline/uuid'
import { useOutboxStore } from '@/stores/outbox'
import { useSessionStore } from '@/stores/session'
import type { Stop } from './useRepDay'

/** How long the screen waits for the server's verdict before saying "saved, will send". */
const WAIT_FOR_ANSWER_MS = 8_000

/** A visit that is open at a customer: known to the server, or a check-in still in the outbox. */
export interface OpenVisit {
  visitId?: string
  checkInActionId?: string
}

export function useVisitActions(serverOpenVisits: Ref<Visit[]>, products: Ref<Product[]>) {
  const outbox = useOutboxStore()
  const session = useSessionStore()
  /** The latest check-in action per customer, so its verdict shows by the stop. */
  const lastCheckIn = ref(new Map<string, string>())
  const failures = ref(new Map<string, unknown>())
  const busy = ref(new Set<string>())

  /** Open visits by customer: the server's list, then the outbox's check-ins and check-outs in order. */
  const open = computed(() => {
    const byCustomer = new Map<string, OpenVisit>()
    for (const v of serverOpenVisits.value) byCustomer.set(v.customer_id, { visitId: v.id })
    for (const a of outbox.items) {
      if (a.state === 'conflict' || a.state === 'rejected') continue
      const customer = a.label.customerId
      if (!customer) continue
      if (a.kind === 'checkin') {
        const entry: OpenVisit = { checkInActionId: a.id }
        if (a.result?.visitId) entry.visitId = a.result.visitId
        byCustomer.set(customer, entry)
      } else if (a.kind === 'checkout') byCustomer.delete(customer)
    }
    return byCustomer
  })

  function checkInAction(customerId: string): OutboxAction | undefined {
    const id = lastCheckIn.value.get(customerId)
    return id ? outbox.items.find((a) => a.id === id) : undefined
  }

  async function guarded(customerId: string, work: () => Promise<void>) {
    busy.value.add(customerId)
    failures.value.delete(customerId)
    try {
      await work()
    } catch (err) {
      failures.value.set(customerId, err)
    } finally {
      busy.value.delete(customerId)
    }
  }

  function checkIn(stop: Stop) {
    return guarded(stop.customerId, async () => {
      const fix = await currentFix()
      const id = uuidv7()
      await outbox.enqueue(
        'checkin',
        { body: { id, customer_id: stop.customerId, location: fix.location, accuracy: fix.accuracy, device_time: fix.deviceTime, provider: 'browser' } },
        { id, label: { customerId: stop.customerId, customerName: stop.name } },
      )
      lastCheckIn.value.set(stop.customerId, id)
      await outbox.settle(id, WAIT_FOR_ANSWER_MS)
    })
  }

  function checkOut(stop: Stop) {
    const visit = open.value.get(stop.customerId)
    if (!visit) return Promise.resolve()
    return guarded(stop.customerId, async () => {
      const fix = await currentFix()
      const body = { location: fix.location, accuracy: fix.accuracy, device_time: fix.deviceTime }
      const label = { customerId: stop.customerId, customerName: stop.name }
      // Until the check-in has reached the server, the check-out waits for the visit id it gets.
      if (visit.visitId) await outbox.enqueue('checkout', { visitId: visit.visitId, body }, { label })
      else await outbox.enqueue('checkout', { body }, { label, dependsOn: visit.checkInActionId! })
    })
  }

  /**
   * How something made at the customer joins the open visit: it names the visit when the server
   * has it, else it waits in the outbox for the check-in and takes the visit from its answer.
   */
  function duringVisit(stop: Stop) {
    const visit = open.value.get(stop.customerId)
    return {
      visitField: visit?.visitId ? { visit_id: visit.visitId } : {},
      opts: {
        label: { customerId: stop.customerId, customerName: stop.name },
        ...(visit && !visit.visitId && visit.checkInActionId ? { dependsOn: visit.checkInActionId } : {}),
      },
    }
  }

  function placeOrder(stop: Stop, lines: OrderLineInput[], notes: string) {
    return guarded(stop.customerId, async () => {
      const { visitField, opts } = duringVisit(stop)
      const body = { customer_id: stop.customerId, currency: session.me!.tenant.currency, lines, ...(notes ? { notes } : {}), ...visitField }
      const names = new Map(products.value.map((p) => [p.id, `${p.sku} ${p.name}`]))
      const lineNames = Object.fromEntries(lines.map((l) => [l.product_id, names.get(l.product_id) ?? l.product_id]))
      await outbox.enqueue('order', { body, submit: true, lineNames }, opts)
    })
  }

  /** What is on the customer's shelf now: every SKU of the catalogue, on the shelf or not. */
  function recordShelfCheck(stop: Stop, items: ShelfItem[], note: string) {
    return guarded(stop.customerId, async () => {
      const { visitField, opts } = duringVisit(stop)
      const body = { customer_id: stop.customerId, checked_at: new Date().toISOString(), items, ...(note ? { note } : {}), ...visitField }
      await outbox.enqueue('shelf', { body }, opts)
    })
  }

  /** A picture from the camera, kept with the open visit: made smaller, then queued. */
  function addPhoto(stop: Stop, file: File) {
    return guarded(stop.customerId, async () => {
      const visit = open.value.get(stop.customerId)
      if (!visit) return
      const photo = await shrinkPhoto(file)
      const { opts } = duringVisit(stop)
      const payload = { bytes: await photo.arrayBuffer(), type: photo.type, ...(visit.visitId ? { visitId: visit.visitId } : {}) }
      await outbox.enqueue('photo', payload, opts)
    })
  }

  /** The open visit's photos on this phone: how many, and how many still to send. */
  function photosOf(customerId: string): { taken: number; waiting: number } {
    const visit = open.value.get(customerId)
    if (!visit) return { taken: 0, waiting: 0 }
    const mine = outbox.items.filter(
      (a) =>
        a.kind === 'photo' &&
        ((visit.checkInActionId && a.dependsOn === visit.checkInActionId) || (visit.visitId && (a.payload as { visitId?: string }).visitId === visit.visitId)),
    )
    return { taken: mine.length, waiting: mine.filter((a) => a.state !== 'done').length }
  }

  return { open, checkIn, checkOut, placeOrder, recordShelfCheck, addPhoto, photosOf, checkInAction, failures, busy }
}
