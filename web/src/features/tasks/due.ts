// Which of a person's open tasks to do first: those past their due time, those due later today
// (the tenant's today, not the phone's), and the rest, each soonest first.
import type { Task } from '@/features/pipeline/model'

export interface TasksByDue {
  overdue: Task[]
  today: Task[]
  upcoming: Task[]
}

/** The calendar day of an instant on the tenant's clock, as YYYY-MM-DD. */
export function dayOf(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at)
}

export function groupByDue(tasks: readonly Task[], now: Date, timeZone: string): TasksByDue {
  const out: TasksByDue = { overdue: [], today: [], upcoming: [] }
  const today = dayOf(now, timeZone)
  const open = tasks.filter((t) => t.status === 'open').sort((a, b) => Date.parse(a.due_at) - Date.parse(b.due_at) || a.id.localeCompare(b.id))
  for (const t of open) {
    const due = new Date(t.due_at)
    if (due.getTime() < now.getTime()) out.overdue.push(t)
    else if (dayOf(due, timeZone) === today) out.today.push(t)
    else out.upcoming.push(t)
  }
  return out
}
