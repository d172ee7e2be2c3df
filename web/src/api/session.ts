import { query, revalidate } from '@solidjs/router'
import { clearDraft } from '../pages/apply-draft.ts'
import { ApiError, api, call } from './client.ts'

/** Who is signed in, or null. A 401 is an answer here, not an error. */
export const getMe = query(async () => {
  try {
    return await call(() => api.me.$get())
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null
    throw e
  }
}, 'me')

/**
 * Ends the session on the server, forgets cached case data and removes the unsent draft, so the
 * next person using this phone sees nothing of it.
 */
export async function signOut(): Promise<void> {
  await call(() => api.auth.logout.$post())
  clearDraft()
  // Marks every cached answer stale and refetches the ones on screen (query.clear() would drop
  // the live subscriptions too, leaving the header unaware of the change).
  await revalidate()
}

/** After sign-in: the cached "not signed in" answer is stale. */
export async function signedIn(): Promise<void> {
  await revalidate()
}

/** Only same-site paths: a link cannot send the user elsewhere after sign-in. */
export function safeNext(next: unknown, fallback = '/'): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\')
    ? next
    : fallback
}
