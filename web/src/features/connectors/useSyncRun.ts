// A connector's sync run as the page follows it: started (or, when one is under way already, the
// one under way), or found under way when the page opens (the hourly sync, another tab's), then
// read again every 2 s until it is done or failed. Following stops when the page goes away.
import { computed, onBeforeUnmount, onMounted, ref } from 'vue'
import { api, call } from '@/api/client'
import { ApiError } from '@/api/errors'
import { runOpen, type SyncRun } from './types'

export const POLL_MS = 2000

export function useSyncRun(connectorId: () => string, finished: (run: SyncRun) => void) {
  const run = ref<SyncRun | null>(null)
  let timer: ReturnType<typeof setTimeout> | undefined
  let stopped = false

  const newest = async () => (await call(api.GET('/api/v1/connectors/{id}/runs', { params: { path: { id: connectorId() }, query: { limit: 5 } } }))).runs ?? []

  async function poll() {
    timer = undefined
    if (stopped || !run.value) return
    try {
      const runs = await newest()
      run.value = runs.find((r) => r.id === run.value?.id) ?? run.value
    } catch {
      // A failed read (a dropped connection) is tried again at the next tick.
    }
    follow()
  }

  function follow() {
    if (stopped || !run.value) return
    if (runOpen(run.value)) timer = setTimeout(poll, POLL_MS)
    else finished(run.value)
  }

  /** Starts a run; a run under way already is followed instead. Throws the server's other refusals. */
  async function start() {
    clearTimeout(timer)
    try {
      run.value = await call(api.POST('/api/v1/connectors/{id}/sync', { params: { path: { id: connectorId() } } }))
    } catch (err) {
      const under = err instanceof ApiError && err.code === 'sync_running' ? (await newest()).find(runOpen) : undefined
      if (!under) throw err
      run.value = under
    }
    follow()
  }

  // A run under way when the page opens is followed like one started here.
  onMounted(async () => {
    try {
      const open = (await newest()).find(runOpen)
      if (open && !run.value) {
        run.value = open
        follow()
      }
    } catch {
      // The page works without it: the next sync now finds the run under way.
    }
  })

  onBeforeUnmount(() => {
    stopped = true
    clearTimeout(timer)
  })

  const following = computed(() => !!run.value && runOpen(run.value))
  return { run, start, following }
}
