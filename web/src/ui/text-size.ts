import { createSignal } from 'solid-js'

const STORAGE_KEY = 'jiefen.largeText'
const CLASS = 'large-text'

function saved(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) === '1'
  } catch {
    // Storage blocked: standard size.
    return false
  }
}

const apply = (on: boolean) => document.documentElement.classList.toggle(CLASS, on)

const [large, setLarge] = createSignal(saved())

// Applied when this module is evaluated, before the first render: the page is empty until the
// module scripts run, so nothing is ever painted at the wrong size (the CSP forbids the usual
// inline script in <head>).
apply(large())

/** 长辈模式: larger text and touch targets for older users. Reactive. */
export const largeText = large

/** Turns large text on or off and remembers it on this phone. */
export function setLargeText(on: boolean): void {
  setLarge(on)
  apply(on)
  try {
    if (on) localStorage.setItem(STORAGE_KEY, '1')
    else localStorage.removeItem(STORAGE_KEY)
  } catch {
    // Not remembered, still switched.
  }
}
