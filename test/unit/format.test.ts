import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { LOCALES } from '../../functions/domain/messages.ts'
import { decimal, longDate, longDateTime } from '../../web/src/i18n/format.ts'

// The portal writes dates and amounts itself (no ICU data to load on the phone); these hold it to
// the text Intl gives for the same options.
describe('the portal’s dates and amounts', () => {
  const dates = fc.date({
    min: new Date('2000-01-01T00:00:00Z'),
    max: new Date('2100-12-31T23:59:59Z'),
    noInvalidDate: true,
  })

  it.each(LOCALES)('writes a date as Intl’s long date style does (%s)', (locale) => {
    const intl = new Intl.DateTimeFormat(locale, { dateStyle: 'long' })
    fc.assert(
      fc.property(dates, (d) => {
        expect(longDate(locale, d.getFullYear(), d.getMonth() + 1, d.getDate())).toBe(intl.format(d))
      }),
    )
  })

  it.each(LOCALES)('writes a date and time as Intl’s long date and short 24-hour time do (%s)', (locale) => {
    // The portal asked for `hour12: false`; Chromium gives 00:30 for half past midnight, Node's
    // Intl says 24:30 in English with that option, so the reference names the 0–23 clock outright.
    const intl = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', hourCycle: 'h23' })
    fc.assert(
      fc.property(dates, (d) => {
        expect(longDateTime(locale, d)).toBe(intl.format(d))
      }),
    )
  })

  it.each([0, 0.5, 1.005, 2.675, 6000, 1234.5, 1234567.505, 99999.995, -1234.5])(
    'writes %d as Intl.NumberFormat does with at most two decimals',
    (n) => {
      expect(decimal(n)).toBe(new Intl.NumberFormat('en', { maximumFractionDigits: 2 }).format(n))
    },
  )

  it('writes any amount as Intl.NumberFormat does, in both languages', () => {
    const amounts = fc.oneof(
      fc.integer({ min: 0, max: 100_000_000 }).map((cents) => cents / 100),
      fc.double({ min: 0, max: 1e12, noNaN: true }),
    )
    fc.assert(
      fc.property(amounts, (n) => {
        for (const locale of LOCALES)
          expect(decimal(n)).toBe(new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(n))
      }),
    )
  })
})
