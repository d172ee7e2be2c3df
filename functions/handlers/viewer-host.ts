import type { LambdaEvent } from 'hono/aws-lambda'

/**
 * Set by the CloudFront function on `/api/*` (infra/web.ts) to the host the browser asked for.
 * CloudFront must send API Gateway its own host name, so without this the app would see the
 * execute-api host and refuse every same-site POST from the portal as cross-origin.
 */
export const VIEWER_HOST_HEADER = 'x-jiefen-viewer-host'

const HOST_NAME = /^[a-z0-9.-]+(:\d{1,5})?$/i

/**
 * The request as the browser made it: the URL's host is the site's, not API Gateway's. Safe to
 * trust for the origin check: CloudFront always overwrites the header, and a browser cannot add it
 * to a cross-site request without a CORS preflight, which the API never grants. Anything that is
 * not a plain host name is ignored, so the header can never change the path the app routes on.
 */
export function asViewerSawIt<L extends LambdaEvent>(event: L): L {
  if (!('rawPath' in event)) return event
  const host = event.headers[VIEWER_HOST_HEADER]
  if (!host || !HOST_NAME.test(host)) return event
  return { ...event, requestContext: { ...event.requestContext, domainName: host } }
}
