import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { Logger } from '../adapters/log.ts'
import { type ErrorKind, VisibleError } from '../domain/errors.ts'
import { errorMessage, localeFrom } from '../domain/messages.ts'

const STATUS: Record<ErrorKind, ContentfulStatusCode> = {
  input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_media: 415,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
}

/** Network-level and capacity failures of AWS services: worth a retry, so 503 and not 500. */
const TRANSIENT_NAMES = new Set([
  'TimeoutError',
  'RequestTimeout',
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionConflictException',
])
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
])

function isTransient(err: unknown): boolean {
  const e = err as { name?: string; code?: string; cause?: unknown; $retryable?: unknown }
  if (!e || typeof e !== 'object') return false
  if (e.name && TRANSIENT_NAMES.has(e.name)) return true
  if (e.code && TRANSIENT_CODES.has(e.code)) return true
  if (
    e.name === 'TransactionCanceledException' &&
    String((e as { message?: string }).message).includes('TransactionConflict')
  )
    return true
  return e.cause ? isTransient(e.cause) : false
}

export function toVisible(err: unknown): VisibleError | undefined {
  if (err instanceof VisibleError) return err
  if (err instanceof HTTPException) {
    if (err.status === 413) return new VisibleError('too_large', 'request.too_large')
    if (err.status === 415) return new VisibleError('unsupported_media', 'request.content_type')
    if (err.status >= 400 && err.status < 500) return new VisibleError('input', 'request.bad_json')
    return undefined
  }
  if (isTransient(err)) return new VisibleError('unavailable', 'service.unavailable', undefined, undefined, 2)
  return undefined
}

/** The one place errors become responses. Unknown errors are logged with their cause, never sent. */
export function errorHandler(log: Logger) {
  return (err: Error, c: Context) => {
    const locale = localeFrom(c.req.header('accept-language'))
    const visible = toVisible(err)
    if (!visible) {
      log.error('unhandled error', { method: c.req.method, path: c.req.path, error: err })
      return c.json({ error: { code: 'internal', message: errorMessage('internal', locale) } }, 500)
    }
    if (visible.kind === 'unavailable') log.warn('dependency unavailable', { path: c.req.path, error: err })
    if (visible.retryAfter) c.header('Retry-After', String(visible.retryAfter))
    const body: { code: string; message: string; fields?: Record<string, string> } = {
      code: visible.code,
      message: errorMessage(visible.code, locale),
    }
    if (visible.fields) body.fields = visible.fields
    return c.json({ error: body }, STATUS[visible.kind])
  }
}
