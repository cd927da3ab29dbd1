// The rep's working day: the plan for today (the customers due, in the order that keeps travel
// short), their other customers, their open visits and the product catalogue, each with a copy
// on the phone for when there is no coverage.
import { computed, ref, shallowRef } from 'vue'
import { api, call } from '@/api/client'
import type { Customer, DayPlan, Product, Visit } from '@/api/types'
import { withSnapshot } from '@/offline/snapshot'
import { tenantDay } from '@/features/scorecards/periods'
import { useSessionStore } from '@/stores/session'

export interface Stop {
  customerId: string
  name: string
  location: { lat: number; lon: number }
  /** Planned arrival, for planned stops. */
  arrival?: string
  overdueDays?: number
}

export function useRepDay() {
  const session = useSessionStore()
  const plan = shallowRef<DayPlan | null>(null)
  const customers = shallowRef<Customer[]>([])
  const openVisits = shallowRef<Visit[]>([])
  const products = shallowRef<Product[]>([])
  const stale = ref<string | null>(null)
  const loading = ref(false)
  const error = ref<unknown>(null)

  const me = computed(() => session.me!)
  const today = computed(() => tenantDay(me.value.tenant.time_zone))

  const planned = computed<Stop[]>(() =>
    (plan.value?.visits ?? []).map((v) => ({
      customerId: v.customer_id,
      name: v.name,
      location: v.location,
      arrival: v.arrival,
      overdueDays: v.overdue_days,
    })),
  )
  const others = computed<Stop[]>(() => {
    const inPlan = new Set(planned.value.map((s) => s.customerId))
    return customers.value.filter((c) => !inPlan.has(c.id)).map((c) => ({ customerId: c.id, name: c.name, location: c.location }))
  })

  async function load() {
    loading.value = true
    error.value = null
    const user = me.value.user.id
    try {
      const [p, c, v, pr] = await Promise.all([
        withSnapshot(`repflow.plan.${user}.${today.value}`, () =>
          call(api.POST('/api/v1/visit-plans', { body: { rep_id: user, date: today.value } })),
        ),
        withSnapshot(`repflow.customers.${user}`, () =>
          call(api.GET('/api/v1/customers', { params: { query: { owner_id: user, limit: 200 } } })).then((page) => page.customers ?? []),
        ),
        withSnapshot(`repflow.open-visits.${user}`, () =>
          call(api.GET('/api/v1/visits', { params: { query: { rep_id: user, status: 'open', limit: 200 } } })).then((page) => page.visits ?? []),
        ),
        withSnapshot(`repflow.products.${me.value.tenant.id}`, () =>
          call(api.GET('/api/v1/products', { params: { query: { active_only: true, limit: 200 } } })).then((page) => page.products ?? []),
        ),
      ])
      plan.value = p.data
      customers.value = c.data
      openVisits.value = v.data
      products.value = pr.data
      stale.value = [p, c, v, pr].map((x) => x.stale).find((s) => s) ?? null
    } catch (err) {
      error.value = err
    } finally {
      loading.value = false
    }
  }

  return { plan, planned, others, customers, openVisits, products, stale, loading, error, load, today }
}
