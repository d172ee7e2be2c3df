/**
 * The one error model. A VisibleError is safe to show: its `code` is also an i18n key, so the
 * client can translate it; its `kind` decides the HTTP status in one place (api/errors.ts).
 */
export type ErrorKind =
  | 'input'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unprocessable'
  | 'rate_limited'
  | 'too_large'
  | 'unsupported_media'
  | 'unavailable'

export class VisibleError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message?: string,
    readonly fields?: Record<string, string>,
    /** Seconds a client should wait before trying again (rate limits, outages). */
    readonly retryAfter?: number,
  ) {
    super(message ?? code)
    this.name = 'VisibleError'
  }
}
