import { describe, expect, it } from 'vitest'
import { formatMoney, toNumber } from './money'

describe('formatMoney', () => {
  it('writes yuan to the fen, in Chinese and in English', () => {
    expect(formatMoney('1234.5', 'CNY', 'zh-CN')).toBe('¥1,234.50')
    expect(formatMoney('1234.5', 'CNY', 'en')).toBe('CN¥1,234.50')
  })

  it('follows the currency’s minor unit: whole yen, three places for dinar', () => {
    expect(formatMoney('1234', 'JPY', 'en')).toBe('¥1,234')
    expect(formatMoney('1.5', 'KWD', 'en')).toBe('KWD\u00a01.500')
    expect(formatMoney('99.99', 'USD', 'en')).toBe('$99.99')
  })

  it('shows a dash for no amount and the code for a currency Intl does not know', () => {
    expect(formatMoney(null, 'CNY', 'en')).toBe('–')
    expect(formatMoney('abc', 'CNY', 'en')).toBe('–')
    expect(formatMoney('10', 'XX1', 'en')).toBe('10.00 XX1')
  })
})

describe('toNumber', () => {
  it('reads decimal strings and refuses anything else', () => {
    expect(toNumber('0.00')).toBe(0)
    expect(toNumber('-3.25')).toBe(-3.25)
    expect(toNumber('')).toBeNull()
    expect(toNumber(undefined)).toBeNull()
  })
})
