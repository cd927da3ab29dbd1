// The live stream (GET /api/v1/live, server-sent events over the cookie session). The browser
// reconnects by itself after a dropped connection; delivery is best effort, so every reconnect
// asks the caller to re-read what it may have missed. A stream the server refused (the session
// ended, a restart answered 5xx) is closed by the browser and opened again here, a little later
// each time.
import { onScopeDispose, ref } from 'vue'
import type { LiveUpdate } from './model'

export type StreamState = 'connecting' | 'live' | 'reconnecting'

export const LIVE_PATH = '/api/v1/live'
const RETRY_MS = [2_000, 5_000, 15_000, 30_000]

export function useLiveStream(handlers: { update: (u: LiveUpdate) => void; reconnected: () => void }) {
  const state = ref<StreamState>('connecting')
  let source: EventSource | null = null
  let everOpen = false
  let failures = 0
  let timer: ReturnType<typeof setTimeout> | undefined

  function open() {
    source = new EventSource(LIVE_PATH, { withCredentials: true })
    source.onopen = () => {
      state.value = 'live'
      failures = 0
      if (everOpen) handlers.reconnected()
      everOpen = true
    }
    source.addEventListener('position', (e) => {
      let update: LiveUpdate
      try {
        update = JSON.parse((e as MessageEvent<string>).data) as LiveUpdate
      } catch {
        return // a garbled message is one missed update; the next reconnect re-reads positions
      }
      handlers.update(update)
    })
    source.onerror = () => {
      state.value = 'reconnecting'
      if (source?.readyState !== EventSource.CLOSED) return // the browser is retrying
      source.close()
      timer = setTimeout(open, RETRY_MS[Math.min(failures++, RETRY_MS.length - 1)])
    }
  }

  function close() {
    clearTimeout(timer)
    source?.close()
    source = null
  }

  open()
  onScopeDispose(close)
  return { state }
}
