import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope } from 'vue'
import { LIVE_PATH, useLiveStream } from './useLiveStream'
import type { LiveUpdate } from './model'

// A stand-in for the browser's EventSource: the test plays the server's part.
class FakeSource {
  static readonly CONNECTING = 0
  static readonly OPEN = 1
  static readonly CLOSED = 2
  static opened: FakeSource[] = []
  readyState = FakeSource.CONNECTING
  onopen: (() => void) | null = null
  onerror: (() => void) | null = null
  closed = false
  private listeners = new Map<string, (e: MessageEvent) => void>()
  constructor(readonly url: string) {
    FakeSource.opened.push(this)
  }
  addEventListener(name: string, fn: (e: MessageEvent) => void) {
    this.listeners.set(name, fn)
  }
  close() {
    this.closed = true
    this.readyState = FakeSource.CLOSED
  }
  connect() {
    this.readyState = FakeSource.OPEN
    this.onopen?.()
  }
  send(name: string, data: string) {
    this.listeners.get(name)?.({ data } as MessageEvent)
  }
  drop(closedForGood = false) {
    this.readyState = closedForGood ? FakeSource.CLOSED : FakeSource.CONNECTING
    this.onerror?.()
  }
}

describe('the live stream', () => {
  beforeEach(() => {
    FakeSource.opened = []
    vi.useFakeTimers()
    vi.stubGlobal('EventSource', FakeSource)
  })
  afterEach(() => {
    vi.useRealTimers()
    vi.unstubAllGlobals()
  })

  function start() {
    const updates: LiveUpdate[] = []
    let reconnects = 0
    const scope = effectScope()
    const stream = scope.run(() => useLiveStream({ update: (u) => updates.push(u), reconnected: () => reconnects++ }))!
    return { stream, updates, reconnects: () => reconnects, scope }
  }

  it('passes position events on and says when it is live', () => {
    const { stream, updates } = start()
    const source = FakeSource.opened[0]!
    expect(source.url).toBe(LIVE_PATH)
    expect(stream.state.value).toBe('connecting')
    source.connect()
    expect(stream.state.value).toBe('live')
    source.send('position', JSON.stringify({ rep_id: 'r1', events: [] }))
    source.send('position', '{not json')
    expect(updates).toEqual([{ rep_id: 'r1', events: [] }])
  })

  it('asks for a re-read after the browser reconnects, not on the first connection', () => {
    const { stream, reconnects } = start()
    const source = FakeSource.opened[0]!
    source.connect()
    expect(reconnects()).toBe(0)
    source.drop()
    expect(stream.state.value).toBe('reconnecting')
    source.connect()
    expect(stream.state.value).toBe('live')
    expect(reconnects()).toBe(1)
  })

  it('opens a new stream later when the browser gave up on one, and closes it with the page', () => {
    const { stream, reconnects, scope } = start()
    FakeSource.opened[0]!.connect()
    FakeSource.opened[0]!.drop(true)
    expect(FakeSource.opened).toHaveLength(1)
    vi.advanceTimersByTime(2_000)
    expect(FakeSource.opened).toHaveLength(2)
    FakeSource.opened[1]!.connect()
    expect(stream.state.value).toBe('live')
    expect(reconnects()).toBe(1)
    scope.stop()
    expect(FakeSource.opened[1]!.closed).toBe(true)
  })
})
