// The rep's outbox as the screens see it: the list of actions with their states, and the
// triggers that send them: at start, on enqueue, when the browser says it is back online, when
// the app comes to the foreground, and on a timer that backs off while the network stays away.
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { Outbox, browserLock, type FlushStop } from '@/offline/outbox'
import { IndexedDbOutboxStore } from '@/offline/outboxDb'
import { sendAction } from '@/offline/senders'
import type { ActionKind, OutboxAction, PayloadOf } from '@/offline/model'
import type { EnqueueOptions } from '@/offline/outbox'
import { useSessionStore } from './session'

const RETRY_MIN_MS = 5_000
const RETRY_MAX_MS = 300_000
const KEEP_SENT_MS = 24 * 3600_000

export const useOutboxStore = defineStore('outbox', () => {
  const session = useSessionStore()
  const items = ref<OutboxAction[]>([])
  const online = ref(globalThis.navigator?.onLine ?? true)
  const lastStop = ref<FlushStop>(null)
  const outbox = shallowRef<Outbox | null>(null)
  let timer: ReturnType<typeof setTimeout> | undefined
  let retryDelay = RETRY_MIN_MS

  const waiting = computed(() => items.value.filter((a) => a.state === 'pending' || a.state === 'sending'))
  const held = computed(() => items.value.filter((a) => a.state === 'conflict' || a.state === 'rejected'))

  function userId(): string | undefined {
    return session.me?.user.id
  }

  async function refresh(): Promise<void> {
    const id = userId()
    items.value = outbox.value && id ? await outbox.value.list(id) : []
  }

  function start(): void {
    if (outbox.value || !globalThis.indexedDB) return
    const box = new Outbox({
      store: new IndexedDbOutboxStore(),
      send: sendAction,
      isOnline: () => globalThis.navigator?.onLine ?? true,
      lock: browserLock(),
    })
    box.subscribe(() => void refresh())
    outbox.value = box
    globalThis.addEventListener?.('online', () => {
      online.value = true
      retryDelay = RETRY_MIN_MS
      void flush()
    })
    globalThis.addEventListener?.('offline', () => {
      online.value = false
    })
    globalThis.document?.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') void flush()
    })
    void box.prune(new Date(Date.now() - KEEP_SENT_MS)).then(refresh).then(flush)
  }

  function schedule(): void {
    clearTimeout(timer)
    if (!waiting.value.length || lastStop.value === 'signed_out') return
    timer = setTimeout(() => void flush(), retryDelay)
    retryDelay = Math.min(retryDelay * 2, RETRY_MAX_MS)
  }

  async function flush(): Promise<void> {
    if (!outbox.value) return
    if (session.offlineProfile) {
      // The profile came from the cache: make sure the session still holds before sending.
      if (globalThis.navigator?.onLine === false) return schedule()
      await session.restore()
      if (session.offlineProfile) return schedule()
    }
    const id = userId()
    if (!id) return
    const report = await outbox.value.flush(id)
    lastStop.value = report.stoppedBy
    if (report.stoppedBy === null) retryDelay = RETRY_MIN_MS
    await refresh()
    schedule()
  }

  async function enqueue<K extends ActionKind>(kind: K, payload: PayloadOf[K], opts?: EnqueueOptions): Promise<OutboxAction<K>> {
    const id = userId()
    if (!outbox.value || !id) throw new Error('the outbox is not open')
    const action = await outbox.value.enqueue(id, kind, payload, opts)
    await refresh()
    void flush()
    return action
  }

  /**
   * Waits until the action is settled (sent, or held by the server) or the time is up, and
   * answers it as it then stands: the screen shows the verdict when the network is quick, and
   * "saved, will send" when it is not.
   */
  async function settle(id: string, ms: number): Promise<OutboxAction | undefined> {
    const deadline = Date.now() + ms
    for (;;) {
      const action = items.value.find((a) => a.id === id)
      if (!action || (action.state !== 'pending' && action.state !== 'sending') || Date.now() >= deadline) return action
      if (!online.value) return action
      await new Promise((r) => setTimeout(r, 150))
    }
  }

  async function retry(id: string): Promise<void> {
    await outbox.value?.retry(id)
    await flush()
  }

  async function resolveOrder(id: string, way: 'submit-theirs' | 'place-again'): Promise<void> {
    await outbox.value?.resolveOrder(id, way)
    await flush()
  }

  async function discard(id: string): Promise<void> {
    await outbox.value?.discard(id)
    await refresh()
  }

  return { items, waiting, held, online, lastStop, start, refresh, flush, enqueue, settle, retry, resolveOrder, discard }
})
