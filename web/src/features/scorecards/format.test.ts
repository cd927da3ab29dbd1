import { describe, expect, it } from 'vitest'
import { formatPercent, trendOf } from './format'

describe('trendOf', () => {
  it('calls a change that is written as 0 % flat, whatever its sign', () => {
    expect(trendOf(0)).toBe('flat')
    expect(trendOf(-0.04)).toBe('flat')
    expect(formatPercent(-0.04, 'en', true)).toBe('0%') // what the card writes beside it
    expect(trendOf(0.05)).toBe('up')
    expect(trendOf(-12.5)).toBe('down')
  })
})
