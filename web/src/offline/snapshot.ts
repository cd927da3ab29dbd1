// Last-known answers kept on the phone (the day's plan, the rep's customers, the catalogue), so
// the rep can work without coverage. Each is stored per user, with when it was fetched.
import { NetworkError } from '@/api/errors'

export interface Snapshot<T> {
  data: T
  savedAt: string
}

function read<T>(key: string): Snapshot<T> | null {
  try {
    const raw = globalThis.localStorage?.getItem(key)
    return raw ? (JSON.parse(raw) as Snapshot<T>) : null
  } catch {
    return null
  }
}

function write<T>(key: string, data: T): void {
  try {
    globalThis.localStorage?.setItem(key, JSON.stringify({ data, savedAt: new Date().toISOString() }))
  } catch {
    // storage full or unavailable: the rep still has the live answer
  }
}

/**
 * Fetches fresh data and keeps a copy; when the network is away, answers the copy instead and
 * says how old it is (stale is its time). Errors the server gave are not hidden by the copy.
 */
export async function withSnapshot<T>(key: string, fetch: () => Promise<T>): Promise<{ data: T; stale: string | null }> {
  try {
    const data = await fetch()
    write(key, data)
    return { data, stale: null }
  } catch (err) {
    const copy = err instanceof NetworkError ? read<T>(key) : null
    if (!copy) throw err
    return { data: copy.data, stale: copy.savedAt }
  }
}
