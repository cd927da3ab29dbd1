// How each kind of outbox action reaches the server, and why each is safe to send twice.
import { api, call } from '@/api/client'
import { ApiError } from '@/api/errors'
import type { Order, OrderLineInput } from '@/api/types'
import type { ActionResult, CheckInPayload, CheckOutPayload, OrderPayload, OutboxAction, PhotoPayload, ShelfPayload } from './model'
import type { SendContext, Sender } from './outbox'

/** The check-in carries the action's id: the server answers a repeat with the first visit. */
async function sendCheckIn(action: OutboxAction): Promise<ActionResult> {
  const { body } = action.payload as CheckInPayload
  const visit = await call(api.POST('/api/v1/visits/checkin', { body: { ...body, id: action.id } }))
  return { visitId: visit.id, trusted: visit.trusted, reasons: visit.reasons ?? [], distanceM: visit.distance_m }
}

/** The visit an action belongs to: known when it was made, or the answer to its check-in. */
function visitOf(payload: { visitId?: string }, ctx: SendContext): string {
  const visitId = payload.visitId ?? ctx.dependency?.result?.visitId
  if (!visitId) throw new ApiError(409, 'visit_unknown', 'the check-in of this visit did not reach the server')
  return visitId
}

/** A repeated check-out with the same device time answers the closed visit, so resending is safe. */
async function sendCheckOut(action: OutboxAction, ctx: SendContext): Promise<ActionResult> {
  const payload = action.payload as CheckOutPayload
  const visitId = visitOf(payload, ctx)
  const visit = await call(api.POST('/api/v1/visits/{id}/checkout', { params: { path: { id: visitId } }, body: payload.body }))
  return { visitId: visit.id }
}

/**
 * The order carries the action's id: the server answers a repeat of the same request with the
 * order the first attempt made (200), so a resend after a lost answer never makes a second one.
 * Between the first attempt and a later one, someone at HQ may have changed or cancelled that
 * draft: their version stands, and the phone holds the action as a conflict rather than submit
 * what the rep never saw (docs/offline.md).
 */
async function sendOrder(action: OutboxAction, ctx: SendContext): Promise<ActionResult> {
  const payload = action.payload as OrderPayload
  let order: Order
  if (!action.result?.orderId) {
    const body = { ...payload.body, id: action.id }
    const visitId = ctx.dependency?.result?.visitId
    if (visitId && !body.visit_id) body.visit_id = visitId
    order = await call(api.POST('/api/v1/orders', { body }))
    await ctx.saveProgress({ orderId: order.id, orderStatus: order.status })
  } else {
    order = await call(api.GET('/api/v1/orders/{id}', { params: { path: { id: action.result.orderId } } }))
  }
  if (payload.submit && order.status === 'draft') {
    if (!payload.acceptServerVersion) refuseIfChanged(payload, order)
    try {
      order = await call(api.POST('/api/v1/orders/{id}/transitions', { params: { path: { id: order.id } }, body: { to: 'submitted' } }))
    } catch (err) {
      // The lost answer of an earlier submit: the order has moved on already, which is the goal.
      if (!(err instanceof ApiError && err.status === 409)) throw err
      order = await call(api.GET('/api/v1/orders/{id}', { params: { path: { id: order.id } } }))
      if (order.status === 'draft') throw err
    }
  }
  if (order.status === 'cancelled') {
    throw new ApiError(409, 'order_cancelled_elsewhere', 'the order was cancelled at HQ before it was submitted')
  }
  return { orderId: order.id, orderStatus: order.status }
}

/** Throws the conflict when the draft's lines are no longer the ones the rep took. */
function refuseIfChanged(payload: OrderPayload, order: Order): void {
  const changes = lineChanges(payload.body.lines ?? [], order.lines ?? [], payload.lineNames)
  if (!changes.length) return
  throw new ApiError(409, 'order_changed_elsewhere', 'the order was changed at HQ before it was submitted', changes)
}

/** What differs between the lines the rep sent and the draft's, product by product. */
export function lineChanges(sent: OrderLineInput[], now: Order['lines'], sentNames: Record<string, string> = {}): { location: string; message: string }[] {
  const quantities = (lines: { product_id: string; quantity: string }[]) => {
    const by = new Map<string, number>()
    for (const l of lines) by.set(l.product_id, (by.get(l.product_id) ?? 0) + Number(l.quantity))
    return by
  }
  const mine = quantities(sent)
  const theirs = quantities(now ?? [])
  const names = new Map(Object.entries(sentNames))
  for (const l of now ?? []) if (l.name) names.set(l.product_id, l.sku ? `${l.sku} ${l.name}` : l.name)
  const changes: { location: string; message: string }[] = []
  for (const product of new Set([...mine.keys(), ...theirs.keys()])) {
    const a = mine.get(product) ?? 0
    const b = theirs.get(product) ?? 0
    if (a !== b) changes.push({ location: names.get(product) ?? product, message: `${a} → ${b}` })
  }
  return changes
}

/**
 * The shelf check carries the action's id and the moment the rep made it: the server answers a
 * repeat with the check the first attempt recorded, so a resend never records it twice.
 */
async function sendShelfCheck(action: OutboxAction, ctx: SendContext): Promise<ActionResult> {
  const { body } = action.payload as ShelfPayload
  const visitId = ctx.dependency?.result?.visitId
  const check = await call(api.POST('/api/v1/shelf-checks', { body: { ...body, id: action.id, ...(visitId && !body.visit_id ? { visit_id: visitId } : {}) } }))
  return { shelfCheckId: check.id }
}

/** Photos are stored by their content: the same picture sent again is attached once. */
async function sendPhoto(action: OutboxAction, ctx: SendContext): Promise<ActionResult> {
  const payload = action.payload as PhotoPayload
  const photo = await call(
    api.POST('/api/v1/visits/{id}/photos', {
      params: { path: { id: visitOf(payload, ctx) }, header: { 'Content-Type': payload.type } },
      body: new Blob([payload.bytes], { type: payload.type }) as unknown as string,
      bodySerializer: (body) => body as unknown as Blob,
    }),
  )
  return { photoSha256: photo.sha256 }
}

export const sendAction: Sender = (action, ctx) => {
  switch (action.kind) {
    case 'checkin':
      return sendCheckIn(action)
    case 'checkout':
      return sendCheckOut(action, ctx)
    case 'order':
      return sendOrder(action, ctx)
    case 'shelf':
      return sendShelfCheck(action, ctx)
    case 'photo':
      return sendPhoto(action, ctx)
  }
}
