import type { Locale } from '../../../functions/domain/messages.ts'

/*
 * Dates and amounts in the portal's two languages, written out here instead of asking Intl. Intl
 * gives the same text, but the first Intl formatter a page creates loads the locale's ICU data:
 * about 25 ms on a desktop, several times that on the phones this portal is for, in the middle of
 * the case page's first render. test/unit/format.test.ts holds these to what Intl says.
 */

const MONTHS_EN = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]

const pad2 = (n: number) => String(n).padStart(2, '0')

/** 2026年10月5日 / October 5, 2026 (Intl's `dateStyle: 'long'`); month 1–12. */
export function longDate(locale: Locale, year: number, month: number, day: number): string {
  return locale === 'en' ? `${MONTHS_EN[month - 1]} ${day}, ${year}` : `${year}年${month}月${day}日`
}

/** 2026年10月5日 14:03 / October 5, 2026 at 14:03, in the phone's time zone (`timeStyle: 'short'`, 24 h). */
export function longDateTime(locale: Locale, date: Date): string {
  const day = longDate(locale, date.getFullYear(), date.getMonth() + 1, date.getDate())
  const time = `${pad2(date.getHours())}:${pad2(date.getMinutes())}`
  return locale === 'en' ? `${day} at ${time}` : `${day} ${time}`
}

/**
 * 6,000 / 1,234.5 / 0.13: grouped by thousands, at most `digits` decimals, rounded half away from
 * zero on the number as written (1.005 → 1.01), which is what Intl.NumberFormat does; both
 * languages write numbers the same way.
 */
export function decimal(value: number, digits = 2): string {
  const written = String(Math.abs(value))
  // Exponent notation (below 1e-6 or from 1e21), NaN, Infinity: not amounts; let Intl say them.
  if (!/^\d+(\.\d+)?$/.test(written))
    return new Intl.NumberFormat('en', { maximumFractionDigits: digits }).format(value)
  const [whole = '0', fraction = ''] = written.split('.')
  let scaled = BigInt(whole + fraction.slice(0, digits).padEnd(digits, '0'))
  if ((fraction[digits] ?? '0') >= '5') scaled += 1n
  const all = scaled.toString().padStart(digits + 1, '0')
  const int = all.slice(0, all.length - digits)
  const frac = all.slice(all.length - digits).replace(/0+$/, '')
  const grouped = int.replace(/\B(?=(\d{3})+$)/g, ',')
  const sign = value < 0 ? '-' : ''
  return `${sign}${grouped}${frac ? `.${frac}` : ''}`
}
