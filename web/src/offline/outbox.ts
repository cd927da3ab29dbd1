// The outbox: what a rep does is written here first and sent from here, in the order it was
// done, whenever the network allows. Sending is idempotent by the action's own id, so a request
// whose answer was lost is simply sent again. The server's refusals are kept for the rep.
import { ApiError, isTransient } from '@/api/errors'
import type { ActionKind, ActionResult, OrderPayload, OutboxAction, PayloadOf, StoredError } from './model'
import type { OutboxStore } from './outboxDb'
import { uuidv7 } from './uuid'

export interface SendContext {
  /** The action this one depends on, already done (its result carries e.g. the visit id). */
  dependency?: OutboxAction
  /** Persist progress of a multi-step action, so a retry resumes instead of repeating a step. */
  saveProgress(result: ActionResult): Promise<void>
}

/** Sends one action; answers the server's result or throws ApiError / NetworkError. */
export type Sender = (action: OutboxAction, ctx: SendContext) => Promise<ActionResult>

/** Why a flush ended before the end of the queue, if it did. */
export type FlushStop = 'offline' | 'signed_out' | null

export interface FlushReport {
  sent: number
  stoppedBy: FlushStop
}

export interface OutboxOptions {
  store: OutboxStore
  send: Sender
  /** false when the device knows it is offline (navigator.onLine); true is only a hope. */
  isOnline?: () => boolean
  now?: () => Date
  /** Serialises flushes across tabs (Web Locks); a plain in-page mutex otherwise. */
  lock?: <T>(fn: () => Promise<T>) => Promise<T>
}

export interface EnqueueOptions {
  id?: string
  dependsOn?: string
  label?: OutboxAction['label']
}

/** An in-page mutex: each caller runs after the previous one has finished. */
export function createMutex(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve()
  return <T>(fn: () => Promise<T>) => {
    const run = tail.then(fn, fn)
    tail = run.catch(() => undefined)
    return run
  }
}

/** Web Locks when the browser has them: two open tabs must not both send the same order. */
export function browserLock(): <T>(fn: () => Promise<T>) => Promise<T> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks
  if (!locks) return createMutex()
  return <T>(fn: () => Promise<T>) => locks.request('repflow-outbox', fn) as Promise<T>
}

function toStored(err: unknown): StoredError {
  if (err instanceof ApiError) {
    return { status: err.status, code: err.code, message: err.message, details: err.details }
  }
  return { code: 'network', message: err instanceof Error ? err.message : String(err) }
}

function signedOut(err: unknown): boolean {
  return err instanceof ApiError && (err.status === 401 || err.code === 'csrf_failed')
}

export class Outbox {
  private readonly store: OutboxStore
  private readonly send: Sender
  private readonly isOnline: () => boolean
  private readonly now: () => Date
  private readonly lock: <T>(fn: () => Promise<T>) => Promise<T>
  private readonly listeners = new Set<() => void>()

  constructor(opts: OutboxOptions) {
    this.store = opts.store
    this.send = opts.send
    this.isOnline = opts.isOnline ?? (() => true)
    this.now = opts.now ?? (() => new Date())
    this.lock = opts.lock ?? createMutex()
  }

  /** Called after every change of a stored action. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private async save(action: OutboxAction): Promise<void> {
    await this.store.put(action)
    this.listeners.forEach((l) => l())
  }

  /** The user's actions in replay order. */
  async list(userId: string): Promise<OutboxAction[]> {
    const all = await this.store.list()
    return all.filter((a) => a.userId === userId).sort((a, b) => a.seq - b.seq)
  }

  /** Records an action to be sent; it is durable once this resolves. */
  async enqueue<K extends ActionKind>(userId: string, kind: K, payload: PayloadOf[K], opts: EnqueueOptions = {}): Promise<OutboxAction<K>> {
    const action: OutboxAction<K> = {
      id: opts.id ?? uuidv7(this.now().getTime()),
      seq: await this.store.nextSeq(),
      userId,
      kind,
      payload,
      label: opts.label ?? {},
      state: 'pending',
      attempts: 0,
      createdAt: this.now().toISOString(),
    }
    if (opts.dependsOn) action.dependsOn = opts.dependsOn
    await this.save(action as OutboxAction)
    return action
  }

  /**
   * Sends the user's waiting actions in order. Stops at the first failure that says the network
   * (or the server) is away, since everything after it would fail the same way, and when the
   * session has ended. A conflict or refusal holds that action (and what depends on it) and
   * goes on with the rest.
   */
  flush(userId: string): Promise<FlushReport> {
    return this.lock(() => this.flushLocked(userId))
  }

  private async flushLocked(userId: string): Promise<FlushReport> {
    const report: FlushReport = { sent: 0, stoppedBy: null }
    if (!this.isOnline()) return { ...report, stoppedBy: 'offline' }
    const actions = await this.list(userId)
    const byId = new Map(actions.map((a) => [a.id, a]))
    for (const action of actions) {
      // 'sending' at the start of a flush: an earlier page died mid-request; send it again.
      if (action.state !== 'pending' && action.state !== 'sending') continue
      const dependency = action.dependsOn ? byId.get(action.dependsOn) : undefined
      if (action.dependsOn && dependency?.state !== 'done') continue // held until it is done
      action.state = 'sending'
      action.attempts += 1
      action.lastTriedAt = this.now().toISOString()
      await this.save(action)
      try {
        const ctx: SendContext = {
          saveProgress: async (partial) => {
            action.result = { ...action.result, ...partial }
            await this.save(action)
          },
        }
        if (dependency) ctx.dependency = dependency
        const result = await this.send(action, ctx)
        action.state = 'done'
        action.result = { ...action.result, ...result }
        action.settledAt = this.now().toISOString()
        delete action.error
        await this.save(action)
        report.sent += 1
      } catch (err) {
        action.error = toStored(err)
        if (isTransient(err) || signedOut(err)) {
          action.state = 'pending'
          await this.save(action)
          report.stoppedBy = signedOut(err) ? 'signed_out' : 'offline'
          return report
        }
        action.state = err instanceof ApiError && err.status === 409 ? 'conflict' : 'rejected'
        action.settledAt = this.now().toISOString()
        await this.save(action)
      }
    }
    return report
  }

  /** The rep asks to send a held action again (e.g. after their manager fixed the cause). */
  async retry(id: string): Promise<void> {
    await this.lock(async () => {
      const action = await this.store.get(id)
      if (!action || (action.state !== 'conflict' && action.state !== 'rejected')) return
      action.state = 'pending'
      delete action.settledAt
      await this.save(action)
    })
  }

  /**
   * The rep's ways out of an order held because HQ changed or cancelled its draft meanwhile
   * (docs/offline.md): 'submit-theirs' submits the draft as HQ left it; 'place-again' queues the
   * rep's own lines as a new order (a new id) and forgets the held action, whose draft stays HQ's.
   */
  async resolveOrder(id: string, way: 'submit-theirs' | 'place-again'): Promise<void> {
    await this.lock(async () => {
      const action = await this.store.get(id)
      if (!action || action.kind !== 'order' || action.state !== 'conflict') return
      const payload = action.payload as OrderPayload
      if (way === 'submit-theirs') {
        action.payload = { ...payload, acceptServerVersion: true }
        action.state = 'pending'
        delete action.settledAt
        await this.save(action)
        return
      }
      const again: OutboxAction = {
        ...action,
        id: uuidv7(this.now().getTime()),
        seq: await this.store.nextSeq(),
        payload: { body: payload.body, submit: payload.submit, ...(payload.lineNames ? { lineNames: payload.lineNames } : {}) },
        state: 'pending',
        attempts: 0,
        createdAt: this.now().toISOString(),
      }
      for (const key of ['dependsOn', 'lastTriedAt', 'settledAt', 'error', 'result'] as const) delete again[key]
      await this.store.remove(id)
      await this.save(again)
    })
  }

  /**
   * The rep gives up on a held action. Actions that needed it can never be sent either: they are
   * marked rejected, with the reason, for the rep to see and discard in turn.
   */
  async discard(id: string): Promise<void> {
    await this.lock(async () => {
      const action = await this.store.get(id)
      if (!action || action.state === 'pending' || action.state === 'sending') return
      await this.store.remove(id)
      for (const other of await this.store.list()) {
        if (other.dependsOn === id && other.state !== 'done') {
          other.state = 'rejected'
          other.error = { code: 'dependency_discarded', message: 'the action it depended on was discarded' }
          other.settledAt = this.now().toISOString()
          await this.store.put(other)
        }
      }
      this.listeners.forEach((l) => l())
    })
  }

  /** Forgets sent actions settled before the cutoff; held ones stay whatever their age. */
  async prune(before: Date): Promise<number> {
    return this.lock(async () => {
      let removed = 0
      const all = await this.store.list()
      // A check-out still waiting needs its check-in's result: keep what is still depended on.
      const needed = new Set(all.filter((a) => a.state !== 'done' && a.dependsOn).map((a) => a.dependsOn))
      for (const action of all) {
        if (needed.has(action.id)) continue
        if (action.state === 'done' && action.settledAt && new Date(action.settledAt) < before) {
          await this.store.remove(action.id)
          removed += 1
        }
      }
      if (removed) this.listeners.forEach((l) => l())
      return removed
    })
  }
}
