import type { LambdaEvent } from 'hono/aws-lambda'
import { handle } from 'hono/aws-lambda'
import { count, instrument, METRIC, type Telemetry, telemetry } from '../adapters/observability.ts'
import { createApp } from '../api/app.ts'
import { originCheck } from '../api/source.ts'
import { loadConfig } from '../config.ts'
import { awsDeps } from './deps.ts'
import { loadOriginSecret } from './secret.ts'
import { asViewerSawIt } from './viewer-host.ts'

/**
 * Lambda entry point for the API: wiring only. Everything here runs once per cold start, so the
 * clients and the secret are shared by every request the instance serves.
 */
const config = loadConfig()
const t = telemetry('api', config.logLevel)

const deps = await awsDeps(config, t.log)

// Always Secure cookies: the API is only reached over HTTPS (CloudFront and API Gateway refuse HTTP).
const originSecretArn = config.originSecretArn
const app = createApp({
  deps,
  log: t.log,
  secureCookies: true,
  evidenceOrigin: evidenceOrigin(config),
  ...(originSecretArn
    ? { fromCloudFront: originCheck(() => loadOriginSecret(config.region, originSecretArn)) }
    : {}),
})
const honoHandler = handle(app)

/** The bucket's regional origin: where presigned uploads and downloads point. */
function evidenceOrigin(c: typeof config): string {
  if (c.s3Endpoint) return new URL(c.s3Endpoint).origin
  const suffix = c.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'
  return `https://${c.evidenceBucket}.s3.${c.region}.${suffix}`
}

/** The paths that file a new case (citizen) or register one (police intake), both answering 201. */
const CREATES_CASE = new Set(['/api/cases', '/api/intake'])

/**
 * Counts what the operators watch, read off the answer so no route needs to know about metrics:
 * every 5xx, and every new case (a replayed idempotent call is the same case, so it is not counted).
 */
function countOutcome(
  tel: Telemetry,
  event: LambdaEvent,
  res: { statusCode?: number; headers?: Record<string, unknown> },
) {
  const status = res.statusCode ?? 0
  if (status >= 500) count(tel.metrics, METRIC.serverError)
  const created =
    status === 201 &&
    'rawPath' in event &&
    event.requestContext.http.method === 'POST' &&
    CREATES_CASE.has(event.rawPath.replace(/\/$/, '')) &&
    !Object.keys(res.headers ?? {}).some((h) => h.toLowerCase() === 'idempotent-replayed')
  if (created) count(tel.metrics, METRIC.caseCreated)
}

/**
 * API Gateway events, seen with the host the browser used (see viewer-host.ts): same-site POSTs
 * from the portal through CloudFront pass the app's origin check.
 */
export const handler = instrument(t, async (event: LambdaEvent, context) => {
  const res = await honoHandler(asViewerSawIt(event), context)
  countOutcome(t, event, res)
  return res
})
