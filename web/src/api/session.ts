import { query, revalidate } from '@solidjs/router'
import { createSignal } from 'solid-js'
import { clearDraft } from '../pages/apply-draft.ts'
import { ApiError, api, call } from './client.ts'

const HINT_KEY = 'jiefen.signedIn'

function readHint(): boolean {
  try {
    return localStorage.getItem(HINT_KEY) === '1'
  } catch {
    return true
  }
}

const [hint, setHint] = createSignal(readHint())

function remember(signedIn: boolean) {
  setHint(signedIn)
  try {
    if (signedIn) localStorage.setItem(HINT_KEY, '1')
    else localStorage.removeItem(HINT_KEY)
  } catch {
    // Not remembered: the next visit asks the server, as it would anyway.
  }
}

/**
 * Whether someone may be signed in on this phone: true after a sign-in here until a sign-out or a
 * 401. Only a hint (the cookie is HttpOnly): pages that need a person still ask the server. It
 * lets the header and data preloads leave a first-time visitor's phone alone, instead of asking
 * the server and logging a 401 for every anonymous visit.
 */
export const maybeSignedIn = hint

/** Who is signed in, or null. A 401 is an answer here, not an error. */
export const getMe = query(async () => {
  try {
    const me = await call(() => api.me.$get())
    remember(true)
    return me
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      remember(false)
      return null
    }
    throw e
  }
}, 'me')

/**
 * Ends the session on the server, forgets cached case data and removes the unsent draft, so the
 * next person using this phone sees nothing of it.
 */
export async function signOut(): Promise<void> {
  await call(() => api.auth.logout.$post())
  remember(false)
  clearDraft()
  // Marks every cached answer stale and refetches the ones on screen (query.clear() would drop
  // the live subscriptions too, leaving the header unaware of the change).
  await revalidate()
}

/** After sign-in: the cached "not signed in" answer is stale. */
export async function signedIn(): Promise<void> {
  remember(true)
  await revalidate()
}

/** Only same-site paths: a link cannot send the user elsewhere after sign-in. */
export function safeNext(next: unknown, fallback = '/'): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\')
    ? next
    : fallback
}
