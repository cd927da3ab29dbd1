// Which status changes the order page offers. The server's next_statuses is the state machine
// (platform/orders/status.go); on top of it, the steps a person cannot take by hand are left out,
// so a button is never offered that the server is bound to refuse:
//   - "paid" is reached by payments covering the balance, never asked for;
//   - "approved" needs the approval right (managers, tenant admins; HQ only reads), and nobody
//     approves an order they own or created;
//   - every other step is a change of the order, which HQ (read-only) may not make.
// Policies are configurable per tenant, so the server still decides: its refusal is shown in words.
import type { components } from '@/api/schema'

export type OrderStatus = components['schemas']['OrderDTO']['status']

export const ORDER_STATUSES: OrderStatus[] = ['draft', 'submitted', 'approved', 'shipped', 'delivered', 'paid', 'cancelled']

export interface Actor {
  id: string
  roles: readonly string[]
}

interface Transitionable {
  status: OrderStatus
  next_statuses?: string[] | null
  owner_id: string
  created_by: string
}

const APPROVERS = ['manager', 'tenant_admin']
const CHANGERS = ['rep', 'manager', 'tenant_admin']
const REACHED_BY_PAYMENTS: string = 'paid'

function isStatus(s: string): s is OrderStatus {
  return (ORDER_STATUSES as string[]).includes(s)
}

/** The steps to offer as buttons, forward steps first and cancelling last. */
export function offeredTransitions(order: Transitionable, actor: Actor): OrderStatus[] {
  const may = (roles: string[]) => actor.roles.some((r) => roles.includes(r))
  if (!may(CHANGERS)) return []
  const offered = (order.next_statuses ?? []).filter(isStatus).filter((to) => {
    if (to === REACHED_BY_PAYMENTS) return false
    if (to === 'approved') return may(APPROVERS) && actor.id !== order.owner_id && actor.id !== order.created_by
    return true
  })
  return offered.sort((a, b) => weight(a) - weight(b))
}

function weight(to: OrderStatus): number {
  if (to === 'cancelled') return 2
  if (to === 'draft') return 1 // sending it back comes after moving it on
  return 0
}

/** The server keeps a comment with every step and requires one to cancel. */
export function needsComment(to: OrderStatus): boolean {
  return to === 'cancelled'
}

/** An order's status is final: nothing more can happen to it. */
export function isFinal(status: OrderStatus): boolean {
  return status === 'paid' || status === 'cancelled'
}
