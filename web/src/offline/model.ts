// What the offline outbox stores: one record per thing a rep did that the server must learn.
import type { CheckIn, CheckOut, NewOrder, NewShelfCheck, TrustReason } from '@/api/types'

export type ActionKind = 'checkin' | 'checkout' | 'order' | 'shelf' | 'photo'

/**
 * pending: waiting to be sent (or to be sent again); sending: a request is out;
 * done: the server took it; conflict: the server answered 409 (the state moved on meanwhile);
 * rejected: the server refused it for another reason. conflict and rejected stay until the rep
 * retries or discards them: nothing the rep did disappears without their say.
 */
export type ActionState = 'pending' | 'sending' | 'done' | 'conflict' | 'rejected'

export interface StoredError {
  status?: number
  code: string
  message: string
  details?: { location?: string; message: string }[]
}

export interface CheckInPayload {
  body: CheckIn
}

export interface CheckOutPayload {
  /** The visit's server id when it was known at the time; else the check-in action's result. */
  visitId?: string
  body: CheckOut
}

export interface OrderPayload {
  body: NewOrder
  /** Submit the draft for approval once created. */
  submit: boolean
  /**
   * The rep has seen that HQ changed the draft meanwhile and asked to submit it as it is now
   * (a resolution of the order_changed_elsewhere conflict).
   */
  acceptServerVersion?: boolean
  /** Products' names as the rep saw them, to word a conflict about lines HQ has removed. */
  lineNames?: Record<string, string>
}

export interface ShelfPayload {
  /** checked_at is when the rep stood at the shelf, set on the phone: the server dedupes by it. */
  body: NewShelfCheck
}

export interface PhotoPayload {
  /** The visit's server id when it was known at the time; else the check-in action's result. */
  visitId?: string
  /**
   * The picture as it will be sent, already made smaller on the phone: the same bytes each try.
   * Bytes rather than a Blob: every IndexedDB keeps an ArrayBuffer, not every one a Blob.
   */
  bytes: ArrayBuffer
  /** image/jpeg, image/png, image/webp or image/heic */
  type: string
}

export interface PayloadOf {
  checkin: CheckInPayload
  checkout: CheckOutPayload
  order: OrderPayload
  shelf: ShelfPayload
  photo: PhotoPayload
}

/** What the server answered, kept for the rep to see and for later actions that build on it. */
export interface ActionResult {
  visitId?: string
  trusted?: boolean
  reasons?: TrustReason[]
  distanceM?: number | null
  orderId?: string
  orderStatus?: string
  shelfCheckId?: string
  photoSha256?: string
}

export interface OutboxAction<K extends ActionKind = ActionKind> {
  /** Made on the device (UUIDv7); for a check-in it is also the id the server dedupes on. */
  id: string
  /** Replay order: the order the rep did things in. */
  seq: number
  /** Whose action it is: replayed only while that user is signed in on this device. */
  userId: string
  kind: K
  payload: PayloadOf[K]
  /** An earlier action whose server result this one needs (a check-out needs its visit). */
  dependsOn?: string
  /** For showing the action in lists while offline. */
  label: { customerId?: string; customerName?: string }
  state: ActionState
  /** Requests made for it, counting ones whose answer never came. */
  attempts: number
  createdAt: string
  lastTriedAt?: string
  settledAt?: string
  error?: StoredError
  /** Progress and answer; a multi-step action (create an order, then submit it) resumes from it. */
  result?: ActionResult
}
