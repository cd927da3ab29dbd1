import { describe, expect, it } from 'vitest'
import type { Product } from '@/api/types'
import { rowProblem, rowsFor, shelfItems } from './shelfForm'

const products = [
  { id: 'p1', sku: 'K-01', name: 'Cola 330 ml' },
  { id: 'p2', sku: 'W-05', name: 'Water 500 ml' },
] as Product[]

describe('shelf check form', () => {
  it('sends every SKU of the catalogue, absent unless ticked', () => {
    const rows = rowsFor(products)
    rows[0]!.present = true
    rows[0]!.stock = '12'
    rows[0]!.price = '3.50'
    rows[1]!.stock = '7' // typed, then the rep found it is not on the shelf after all
    expect(shelfItems(rows, 'CNY')).toEqual([
      { sku: 'K-01', present: true, stock_count: 12, shelf_price: '3.50', price_currency: 'CNY' },
      { sku: 'W-05', present: false },
    ])
  })

  it('refuses a count that is not a whole number and a price that is not an amount', () => {
    const [row] = rowsFor(products)
    expect(rowProblem({ ...row!, stock: '2.5' })).toBe('shelf.badStock')
    expect(rowProblem({ ...row!, stock: '-1' })).toBe('shelf.badStock')
    expect(rowProblem({ ...row!, price: '3,50' })).toBe('shelf.badPrice')
    expect(rowProblem({ ...row!, stock: ' 4 ', price: '3.5' })).toBeNull()
  })
})
