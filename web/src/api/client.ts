import type { ClientResponse } from 'hono/client'
import { hc } from 'hono/client'
import type { AppType } from '../../../functions/api/app.ts'
import { locale } from '../i18n/index.ts'

/**
 * The typed API client. Only the *type* of the server app is imported, so the bundle carries
 * none of its code; the paths, bodies and answers are checked against the routes at compile time.
 */
export const api = hc<AppType>(location.origin, {
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
