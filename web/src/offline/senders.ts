// How each kind of outbox action reaches the server, and why each is safe to send twice.
import { api, call } from '@/api/client'
import { ApiError } from '@/api/errors'
import type { Order } from '@/api/types'
import type { ActionResult, CheckInPayload, CheckOutPayload, OrderPayload, OutboxAction } from './model'
import type { SendContext, Sender } from './outbox'

/** The check-in carries the action's id: the server answers a repeat with the first visit. */
async function sendCheckIn(action: OutboxAction): Promise<ActionResult> {
  const { body } = action.payload as CheckInPayload
  const visit = await call(api.POST('/api/v1/visits/checkin', { body: { ...body, id: action.id } }))
  return { visitId: visit.id, trusted: visit.trusted, reasons: visit.reasons ?? [], distanceM: visit.distance_m }
}

/** A repeated check-out with the same device time answers the closed visit, so resending is safe. */
async function sendCheckOut(action: OutboxAction, ctx: SendContext): Promise<ActionResult> {
  const payload = action.payload as CheckOutPayload
  const visitId = payload.visitId ?? ctx.dependency?.result?.visitId
  if (!visitId) throw new ApiError(409, 'visit_unknown', 'the check-in of this visit did not reach the server')
  const visit = await call(api.POST('/api/v1/visits/{id}/checkout', { params: { path: { id: visitId } }, body: payload.body }))
  return { visitId: visit.id }
}

/**
 * Orders have no client id on the server (see the UI's README), so a resend after a lost answer
 * could make a second order. Before creating again, look for the order the lost attempt may have
 * made: the rep's own, for the same customer, created since the first attempt, with the same lines.
 */
async function findEarlierOrder(action: OutboxAction): Promise<Order | undefined> {
  const { body } = action.payload as OrderPayload
  const since = new Date(new Date(action.createdAt).getTime() - 60_000).toISOString()
  const page = await call(
    api.GET('/api/v1/orders', { params: { query: { customer_id: body.customer_id, from: since, limit: 50 } } }),
  )
  const want = JSON.stringify((body.lines ?? []).map((l) => [l.product_id, Number(l.quantity)]).sort())
  for (const summary of page.orders ?? []) {
    if (summary.created_by !== action.userId || summary.notes !== (body.notes ?? '')) continue
    const order = await call(api.GET('/api/v1/orders/{id}', { params: { path: { id: summary.id } } }))
    const have = JSON.stringify((order.lines ?? []).map((l) => [l.product_id, Number(l.quantity)]).sort())
    if (have === want) return order
  }
  return undefined
}

async function sendOrder(action: OutboxAction, ctx: SendContext): Promise<ActionResult> {
  const payload = action.payload as OrderPayload
  let orderId = action.result?.orderId
  let status = action.result?.orderStatus
  if (!orderId) {
    const earlier = action.attempts > 1 ? await findEarlierOrder(action) : undefined
    const body = { ...payload.body }
    const visitId = ctx.dependency?.result?.visitId
    if (visitId && !body.visit_id) body.visit_id = visitId
    const order = earlier ?? (await call(api.POST('/api/v1/orders', { body })))
    orderId = order.id
    status = order.status
    await ctx.saveProgress({ orderId, orderStatus: status })
  }
  if (payload.submit && status === 'draft') {
    try {
      const order = await call(
        api.POST('/api/v1/orders/{id}/transitions', { params: { path: { id: orderId } }, body: { to: 'submitted' } }),
      )
      status = order.status
    } catch (err) {
      // The lost answer of an earlier submit: the order has moved on already, which is the goal.
      if (!(err instanceof ApiError && err.status === 409)) throw err
      const order = await call(api.GET('/api/v1/orders/{id}', { params: { path: { id: orderId } } }))
      if (order.status === 'draft') throw err
      status = order.status
    }
  }
  return { orderId, orderStatus: status }
}

export const sendAction: Sender = (action, ctx) => {
  switch (action.kind) {
    case 'checkin':
      return sendCheckIn(action)
    case 'checkout':
      return sendCheckOut(action, ctx)
    case 'order':
      return sendOrder(action, ctx)
  }
}
