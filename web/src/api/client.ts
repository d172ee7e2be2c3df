import type { ClientResponse } from 'hono/client'
import { hc } from 'hono/client'
import { createSignal } from 'solid-js'
import type { AppType } from '../../../functions/api/app.ts'
import { locale } from '../i18n/index.ts'

/** Set by the service worker (web/sw.js) on an answer it gave from its copy because the network failed. */
const SAVED_AT = 'x-jiefen-saved-at'

const [savedAt, setSavedAt] = createSignal<string>()

/**
 * When the data on screen was saved, if it came from the offline copy; undefined once an answer
 * came from the server again. Reactive: the layout shows the offline banner from it.
 */
export const offlineCopyFrom = savedAt

const watchedFetch: typeof fetch = async (input, init) => {
  const res = await fetch(input, init)
  const saved = res.headers.get(SAVED_AT)
  if (saved) setSavedAt((earlier) => (earlier && earlier < saved ? earlier : saved))
  else setSavedAt(undefined)
  return res
}

/**
 * The typed API client. Only the *type* of the server app is imported, so the bundle carries
 * none of its code; the paths, bodies and answers are checked against the routes at compile time.
 */
export const api = hc<AppType>(location.origin, {
  fetch: watchedFetch,
  headers: () => ({ 'Accept-Language': locale() }),
  init: { credentials: 'same-origin' },
}).api

/** An answer from the API that is not a success: its code is an i18n key. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly fields?: Record<string, string>,
    /** Seconds to wait before trying again (Retry-After), when the server said so. */
    readonly retryAfter?: number,
  ) {
    super(code)
    this.name = 'ApiError'
  }
}

/** The request never got an answer: offline, dropped connection. What was sent may or may not have arrived. */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('network', { cause })
    this.name = 'NetworkError'
  }
}

type Success<R> =
  R extends ClientResponse<infer T, infer S, 'json'> ? (S extends 200 | 201 ? T : never) : never

/** Sends a request and returns the success body; anything else becomes an ApiError or a NetworkError. */
export async function call<R extends ClientResponse<unknown, number, string>>(
  request: () => Promise<R>,
): Promise<Success<R>> {
  let res: R
  try {
    res = await request()
  } catch (cause) {
    throw new NetworkError(cause)
  }
  if (res.ok) {
    if (res.status === 204) return undefined as Success<R>
    return (await res.json()) as Success<R>
  }
  throw await toApiError(res)
}

async function toApiError(res: Response): Promise<ApiError> {
  const retry = Number(res.headers.get('retry-after'))
  const retryAfter = Number.isFinite(retry) && retry > 0 ? retry : undefined
  try {
    const body = (await res.json()) as { error?: { code?: string; fields?: Record<string, string> } }
    return new ApiError(res.status, body.error?.code ?? 'internal', body.error?.fields, retryAfter)
  } catch {
    // A proxy or gateway page instead of our JSON: say what the status means.
    const code =
      res.status === 404 ? 'route.not_found' : res.status >= 500 ? 'service.unavailable' : 'internal'
    return new ApiError(res.status, code, undefined, retryAfter)
  }
}

/** The i18n key for why a call failed: the API's code, "service unavailable" when offline, else "internal". */
export const errorCodeOf = (e: unknown): string =>
  e instanceof ApiError ? e.code : e instanceof NetworkError ? 'service.unavailable' : 'internal'

/** The API's per-field codes of a failed call, translated, for a form to show beside its fields. */
export const fieldErrorsOf = (e: unknown, translate: (code: string) => string): Record<string, string> =>
  e instanceof ApiError && e.fields
    ? Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [k, translate(v)]))
    : {}
