// An order is overdue when its due day (the tenant's, approval day + payment terms) has passed
// and money is still owed on it.
import { toNumber } from '@/i18n/money'

interface Receivable {
  status: string
  due_on?: string | null
  balance: string
}

/** Days past the due day, or 0 when not overdue; today is the tenant's day (YYYY-MM-DD). */
export function daysOverdue(order: Receivable, today: string): number {
  if (!order.due_on || order.status === 'cancelled' || order.status === 'paid') return 0
  if ((toNumber(order.balance) ?? 0) <= 0) return 0
  const days = (Date.parse(`${today}T00:00:00Z`) - Date.parse(`${order.due_on}T00:00:00Z`)) / 86_400_000
  return days > 0 ? Math.round(days) : 0
}
