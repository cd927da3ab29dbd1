// IndexedDB persistence of the outbox. IndexedDB rather than localStorage: it survives the
// browser being killed mid-write with a whole record or none, and it is there offline.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb'
import type { OutboxAction } from './model'

interface OutboxSchema extends DBSchema {
  actions: { key: string; value: OutboxAction; indexes: { seq: number } }
  meta: { key: string; value: number }
}

/** The storage the outbox needs; the IndexedDB one below is the real one, tests use it too. */
export interface OutboxStore {
  list(): Promise<OutboxAction[]>
  get(id: string): Promise<OutboxAction | undefined>
  put(action: OutboxAction): Promise<void>
  remove(id: string): Promise<void>
  /** The next replay position: strictly increasing for the life of the database. */
  nextSeq(): Promise<number>
}

export const DB_NAME = 'repflow-outbox'

export class IndexedDbOutboxStore implements OutboxStore {
  private db: Promise<IDBPDatabase<OutboxSchema>>

  constructor(name = DB_NAME) {
    this.db = openDB<OutboxSchema>(name, 1, {
      upgrade(db) {
        const actions = db.createObjectStore('actions', { keyPath: 'id' })
        actions.createIndex('seq', 'seq', { unique: true })
        db.createObjectStore('meta')
      },
    })
  }

  async list(): Promise<OutboxAction[]> {
    return (await this.db).getAllFromIndex('actions', 'seq')
  }

  async get(id: string): Promise<OutboxAction | undefined> {
    return (await this.db).get('actions', id)
  }

  async put(action: OutboxAction): Promise<void> {
    await (await this.db).put('actions', action)
  }

  async remove(id: string): Promise<void> {
    await (await this.db).delete('actions', id)
  }

  async nextSeq(): Promise<number> {
    // Read and bump in one transaction, so two tabs never hand out the same position.
    const tx = (await this.db).transaction('meta', 'readwrite')
    const seq = ((await tx.store.get('seq')) ?? 0) + 1
    await tx.store.put(seq, 'seq')
    await tx.done
    return seq
  }

  async close(): Promise<void> {
    ;(await this.db).close()
  }
}
