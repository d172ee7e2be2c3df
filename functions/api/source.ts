import { createHash, timingSafeEqual } from 'node:crypto'
import type { Context } from 'hono'

/** The header CloudFront adds to every request it sends to the API, carrying the origin secret. */
export const ORIGIN_HEADER = 'x-jiefen-origin'

/** How long an instance keeps the secret: after a rotation, instances agree with CloudFront again within this. */
export const ORIGIN_SECRET_TTL_MS = 10 * 60_000

/**
 * Whether a request came through our CloudFront: its origin header holds the secret. Built from a
 * loader so the secret is fetched on the first request that needs it, never on a cold start, and
 * again every ORIGIN_SECRET_TTL_MS so a rotated secret is picked up without a redeploy.
 */
export function originCheck(
  loadSecret: () => Promise<string>,
): (value: string | undefined) => Promise<boolean> {
  let secret: Promise<Buffer> | undefined
  let readAt = 0
  return async (value) => {
    if (!value) return false
    if (!secret || Date.now() - readAt > ORIGIN_SECRET_TTL_MS) {
      readAt = Date.now()
      secret = loadSecret().then((s) => createHash('sha256').update(s).digest())
    }
    let expected: Buffer
    try {
      expected = await secret
    } catch (e) {
      secret = undefined
      throw e
    }
    return timingSafeEqual(createHash('sha256').update(value).digest(), expected)
  }
}

/**
 * The caller's network address, for per-address limits. CloudFront's viewer-address header is
 * believed only when the request proves it came through CloudFront (the origin secret); anyone
 * calling API Gateway directly could write any address into it. Otherwise API Gateway's source IP,
 * or on Node the socket's peer. Undefined when there is no network (in-process tests).
 */
export async function sourceAddress(
  c: Context,
  fromCloudFront?: (value: string | undefined) => Promise<boolean>,
): Promise<string | undefined> {
  const viewer = c.req.header('cloudfront-viewer-address')
  if (viewer && fromCloudFront) {
    let trusted: boolean
    try {
      trusted = await fromCloudFront(c.req.header(ORIGIN_HEADER))
    } catch {
      // The secret could not be read just now: no per-address limit on this request (the
      // per-phone ones still hold) rather than a failed sign-in or every viewer behind one edge
      // address sharing a limit.
      return undefined
    }
    if (trusted) return viewer.replace(/:\d+$/, '')
  }
  const env = c.env as
    | {
        requestContext?: { http?: { sourceIp?: string } }
        incoming?: { socket?: { remoteAddress?: string } }
      }
    | undefined
  return env?.requestContext?.http?.sourceIp ?? env?.incoming?.socket?.remoteAddress ?? undefined
}
