// The shelf check as the rep fills it in, turned into what the server takes. A check is a full
// audit of the assortment: every SKU of the catalogue is sent, on the shelf or not.
import type { Product, ShelfItem } from '@/api/types'

export interface ShelfRow {
  sku: string
  name: string
  present: boolean
  /** As typed; empty when not counted. */
  stock: string
  /** The store's labelled price as typed; empty when not noted. */
  price: string
}

export function rowsFor(products: readonly Product[]): ShelfRow[] {
  return products.map((p) => ({ sku: p.sku, name: p.name, present: false, stock: '', price: '' }))
}

/** Why a row cannot be sent, as an i18n key; null when it is fine. */
export function rowProblem(row: ShelfRow): 'shelf.badStock' | 'shelf.badPrice' | null {
  if (row.stock.trim() && !/^\d+$/.test(row.stock.trim())) return 'shelf.badStock'
  if (row.price.trim() && !/^\d+(\.\d{1,4})?$/.test(row.price.trim())) return 'shelf.badPrice'
  return null
}

/** The items to send; a count or price is only sent for an SKU that is on the shelf. */
export function shelfItems(rows: readonly ShelfRow[], currency: string): ShelfItem[] {
  return rows.map((row) => {
    const item: ShelfItem = { sku: row.sku, present: row.present }
    if (!row.present) return item
    if (row.stock.trim()) item.stock_count = Number(row.stock.trim())
    if (row.price.trim()) {
      item.shelf_price = row.price.trim()
      item.price_currency = currency
    }
    return item
  })
}
