// One order with its history, deliveries and payments, read together and read again after any
// change (a payment can make the order paid; a delivery can make it delivered).
import { ref } from 'vue'
import { api, call } from '@/api/client'
import type { components } from '@/api/schema'
import type { Order } from '@/api/types'

type S = components['schemas']
export type Transition = S['OrderTransitionDTO']
export type Payment = S['OrderPaymentDTO']
export type Delivery = S['OrderDeliveryDTO']

export function useOrder(id: () => string) {
  const order = ref<Order | null>(null)
  const transitions = ref<Transition[]>([])
  const payments = ref<Payment[]>([])
  const deliveries = ref<Delivery[]>([])
  const loading = ref(false)
  const error = ref<unknown>(null)

  async function load() {
    loading.value = true
    error.value = null
    try {
      const path = { params: { path: { id: id() } } }
      order.value = await call(api.GET('/api/v1/orders/{id}', path))
      await loadHistory()
    } catch (err) {
      error.value = err
    } finally {
      loading.value = false
    }
  }

  /** The history, deliveries and payments; a failure here leaves them as they were. */
  async function loadHistory() {
    const path = { params: { path: { id: id() } } }
    const [tr, pay, del] = await Promise.allSettled([
      call(api.GET('/api/v1/orders/{id}/transitions', path)),
      call(api.GET('/api/v1/orders/{id}/payments', path)),
      call(api.GET('/api/v1/orders/{id}/deliveries', path)),
    ])
    if (tr.status === 'fulfilled') transitions.value = tr.value.transitions ?? []
    if (pay.status === 'fulfilled') payments.value = pay.value.payments ?? []
    if (del.status === 'fulfilled') deliveries.value = del.value.deliveries ?? []
  }

  /** The server's answer to a change is the order as it now is. */
  async function changed(updated: Order) {
    order.value = updated
    await loadHistory()
  }

  return { order, transitions, payments, deliveries, loading, error, load, changed }
}
