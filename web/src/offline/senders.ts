// How each kind of outbox action reaches the server, and why each is safe to send twice.
import { api, call } from '@/api/client'
import { ApiError } from '@/api/errors'
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
 * The order carries the action's id: the server answers a repeat of the same request with the
 * order the first attempt made (200), so a resend after a lost answer never makes a second one.
 */
async function sendOrder(action: OutboxAction, ctx: SendContext): Promise<ActionResult> {
  const payload = action.payload as OrderPayload
  let orderId = action.result?.orderId
  let status = action.result?.orderStatus
  if (!orderId) {
    const body = { ...payload.body, id: action.id }
    const visitId = ctx.dependency?.result?.visitId
    if (visitId && !body.visit_id) body.visit_id = visitId
    const order = await call(api.POST('/api/v1/orders', { body }))
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
