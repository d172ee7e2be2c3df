import { handle, type LambdaContext, type LambdaEvent } from 'hono/aws-lambda'
import { createLogger } from '../adapters/log.ts'
import { createApp } from '../api/app.ts'
import { loadConfig } from '../config.ts'
import { awsDeps } from './deps.ts'
import { asViewerSawIt } from './viewer-host.ts'

/**
 * Lambda entry point for the API: wiring only. Everything here runs once per cold start, so the
 * clients and the secret are shared by every request the instance serves.
 */
const config = loadConfig()
const log = createLogger(config.logLevel)

const deps = await awsDeps(config)

// Always Secure cookies: the API is only reached over HTTPS (CloudFront and API Gateway refuse HTTP).
const app = createApp({ deps, log, secureCookies: true, evidenceOrigin: evidenceOrigin(config) })
const honoHandler = handle(app)

/** The bucket's regional origin: where presigned uploads and downloads point. */
function evidenceOrigin(c: typeof config): string {
  if (c.s3Endpoint) return new URL(c.s3Endpoint).origin
  const suffix = c.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'
  return `https://${c.evidenceBucket}.s3.${c.region}.${suffix}`
}

/**
 * API Gateway events, seen with the host the browser used (see viewer-host.ts): same-site POSTs
 * from the portal through CloudFront pass the app's origin check.
 */
export const handler = (event: LambdaEvent, context?: LambdaContext) =>
  honoHandler(asViewerSawIt(event), context)
