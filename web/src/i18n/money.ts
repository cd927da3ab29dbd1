// Amounts as the server sends them (decimal strings in the order's currency) written for people:
// the currency's own minor unit (yuan to the fen, yen whole), in the screen's language.

/** The amount in its currency, e.g. "¥1,234.50" / "JP¥1,235"; an unreadable amount shows as a dash. */
export function formatMoney(amount: string | number | null | undefined, currency: string, locale: string): string {
  const value = toNumber(amount)
  if (value === null) return '–'
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(value)
  } catch {
    // A code Intl does not know: the figure and the code side by side rather than nothing.
    return `${new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 4 }).format(value)} ${currency}`
  }
}

/** The amount as a number, for comparisons (is anything owed?); null when it is not a number. */
export function toNumber(amount: string | number | null | undefined): number | null {
  if (amount === null || amount === undefined || amount === '') return null
  const value = typeof amount === 'number' ? amount : Number(amount)
  return Number.isFinite(value) ? value : null
}
