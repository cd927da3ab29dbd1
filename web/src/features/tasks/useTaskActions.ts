// Completing tasks, shared by the tasks page and the opportunity page: one request per tap,
// refused up front when the phone is offline (tasks are not queued in the outbox; the server's
// workflow must see each completion as it happens).
import { computed, reactive } from 'vue'
import { api, call } from '@/api/client'
import { useOutboxStore } from '@/stores/outbox'
import type { Task } from '@/features/pipeline/model'

export function useTaskActions(onDone: (task: Task) => void) {
  const outbox = useOutboxStore()
  const busy = reactive(new Set<string>())
  const failures = reactive(new Map<string, unknown>())
  const offline = computed(() => !outbox.online)

  async function complete(task: Task) {
    if (offline.value || busy.has(task.id)) return
    busy.add(task.id)
    failures.delete(task.id)
    try {
      onDone(await call(api.POST('/api/v1/tasks/{id}/complete', { params: { path: { id: task.id } } })))
    } catch (err) {
      failures.set(task.id, err)
    } finally {
      busy.delete(task.id)
    }
  }

  return { busy, failures, offline, complete }
}
