import { createEffect, createRoot, createSignal } from 'solid-js'
import { errorMessage, errorMessages, LOCALES, type Locale } from '../../../functions/domain/messages.ts'
import { en } from './en.ts'
import { decimal, longDate, longDateTime } from './format.ts'
import { type UiKey, zhCN } from './zh-CN.ts'

export type { Locale }
export type MessageKey = UiKey | keyof (typeof errorMessages)['zh-CN']

/** The portal's strings plus the API's error messages, one table per language. */
const catalogues: Record<Locale, Record<MessageKey, string>> = {
  'zh-CN': { ...errorMessages['zh-CN'], ...zhCN },
  en: { ...errorMessages.en, ...en },
}

const STORAGE_KEY = 'jiefen.locale'

function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY)
    if (saved && (LOCALES as readonly string[]).includes(saved)) return saved as Locale
  } catch {
    // Storage blocked (private mode on some phones): Chinese, the default.
  }
  return 'zh-CN'
}

const [current, setCurrent] = createSignal<Locale>(initialLocale())

/** The language the portal speaks now. Reactive. */
export const locale = current

/** Switches language, remembers the choice on this phone and tells the browser and screen readers. */
export function setLocale(next: Locale): void {
  setCurrent(next)
  try {
    localStorage.setItem(STORAGE_KEY, next)
  } catch {
    // Not remembered, still switched.
  }
}

createRoot(() => {
  createEffect(() => {
    document.documentElement.lang = current()
  })
})

type Params = Record<string, string | number>

function fill(text: string, params?: Params): string {
  if (!params) return text
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m))
}

/** The text for a key in the current language, with `{name}` placeholders filled in. Reactive. */
export function t(key: MessageKey, params?: Params): string {
  return fill(catalogues[current()][key] ?? key, params)
}

/**
 * A `t` for a part of the catalogue that arrives with a lazy chunk (the evidence section's
 * checklists), so the first page does not carry it. Falls back to the portal's own strings.
 */
export function withStrings<K extends string>(tables: Record<Locale, Record<K, string>>) {
  return (key: K | MessageKey, params?: Params): string => {
    const own: Record<string, string | undefined> = tables[current()]
    const base: Record<string, string | undefined> = catalogues[current()]
    return fill(own[key] ?? base[key] ?? key, params)
  }
}

/** The message for an error code from the API or a schema; unknown codes get the generic message. */
export function errorText(code: string): string {
  const table: Record<string, string> = catalogues[current()]
  return table[code] ?? errorMessage(code, current())
}

function asDate(value: string | Date): Date | undefined {
  const date = typeof value === 'string' ? new Date(value) : value
  return Number.isNaN(date.getTime()) ? undefined : date
}

/** 2026年10月5日 */
export function formatDate(value: string | Date): string {
  const date = asDate(value)
  return date ? longDate(current(), date.getFullYear(), date.getMonth() + 1, date.getDate()) : String(value)
}

/** 2026年10月5日 14:03 */
export function formatDateTime(value: string | Date): string {
  const date = asDate(value)
  return date ? longDateTime(current(), date) : String(value)
}

/** A calendar date as filed (YYYY-MM-DD), shown without shifting it through a time zone. */
export function formatPlainDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number)
  if (!y || !m || !d) return iso
  const date = new Date(Date.UTC(y, m - 1, d))
  return longDate(current(), date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate())
}

/** 6,000.00 / 6,000 in the current language. */
export function formatYuan(amount: number): string {
  return t('common.yuan', { n: decimal(amount) })
}
