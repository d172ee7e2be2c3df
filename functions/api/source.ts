import type { Context } from 'hono'

/**
 * The caller's network address, for per-address limits. In AWS, CloudFront's viewer-address header
 * (CloudFront sets it; the API is meant to be reached through CloudFront) or else API Gateway's
 * source IP; on Node, the socket's peer. Undefined when there is no network (in-process tests).
 */
export function sourceAddress(c: Context): string | undefined {
  const viewer = c.req.header('cloudfront-viewer-address')
  if (viewer) return viewer.replace(/:\d+$/, '')
  const env = c.env as
    | {
        requestContext?: { http?: { sourceIp?: string } }
        incoming?: { socket?: { remoteAddress?: string } }
      }
    | undefined
  return env?.requestContext?.http?.sourceIp ?? env?.incoming?.socket?.remoteAddress ?? undefined
}
