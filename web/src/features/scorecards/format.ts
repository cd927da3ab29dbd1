// Figures as people read them, by the metric's unit and the screen's language.
import type { MetricScore } from '@/api/types'

type Translate = (key: string, named?: Record<string, unknown>) => string

export function formatFigure(value: number, unit: string, locale: string, currency: string, t: Translate): string {
  const number = (digits: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value)
  switch (unit) {
    case 'ratio':
      return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(value)
    case 'money':
      return new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: Math.abs(value) >= 1000 ? 0 : 2 }).format(value)
    case 'minutes':
      return t('units.minutes', { n: number(1) })
    case 'seconds':
      return t('units.seconds', { n: number(0) })
    case 'days':
      return t('units.days', { n: number(1) })
    default:
      return number(1)
  }
}

export function formatPercent(value: number, locale: string, signed = false): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 1, signDisplay: signed ? 'exceptZero' : 'auto' }).format(value) + '%'
}

/** A change that shows as 0 % (to the one decimal written) is no change: neither red nor green. */
export function trendOf(pct: number): 'up' | 'down' | 'flat' {
  if (Math.abs(pct) < 0.05) return 'flat'
  return pct > 0 ? 'up' : 'down'
}

export const TREND_MARKS = { up: '▲', down: '▼', flat: '＝' } as const

/** The metric's name in the screen's language (the server sends both). */
export function metricName(metric: Pick<MetricScore, 'name_zh' | 'name_en'>, locale: string): string {
  return locale.startsWith('zh') ? metric.name_zh : metric.name_en
}

/** Band colours, shared by the cards and the charts so a red card has a red bar. */
export const BAND_COLOURS: Record<string, string> = {
  green: '#2e7d32',
  amber: '#e6a100',
  red: '#c62828',
}
export const NO_BAND_COLOUR = '#8a94a6'
