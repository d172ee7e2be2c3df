import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger'
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics'
import type { Tracer } from '@aws-lambda-powertools/tracer'
import type { Context } from 'aws-lambda'
import { type Logger, maskText } from './log.ts'

/**
 * Powertools in the Lambda functions: JSON logs with the invocation's context, CloudWatch metrics
 * as embedded metric format (a log line, no API call, no latency), X-Ray subsegments. Locally the
 * app keeps the plain logger in log.ts; both mask the same personal data.
 */

/** The custom metrics the functions emit; infra/monitoring.ts draws and alarms on the same names. */
export const METRIC = {
  /** An API answer with status 5xx, as the app produced it (API Gateway counts its own 5xx too). */
  serverError: 'ServerError',
  /** A case filed by a citizen or registered by the police (a replayed idempotent call is not counted). */
  caseCreated: 'CaseCreated',
  evidenceVerified: 'EvidenceVerified',
  evidenceRejected: 'EvidenceRejected',
  jobReminders: 'JobReminders',
  jobClosedNoResponse: 'JobClosedNoResponse',
  jobMarkedOverdue: 'JobMarkedOverdue',
  /** Follow-up visits (回访) texted to the parties. */
  jobFollowUpsSent: 'JobFollowUpsSent',
  /** Departments reminded of a referral past its due date (信息互通). */
  jobReferralsChased: 'JobReferralsChased',
} as const

/** The dimension Powertools puts on every metric; its value is the `service` given to telemetry(). */
export const SERVICE_DIMENSION = 'service'

/** CDK sets POWERTOOLS_METRICS_NAMESPACE per stage (`Jiefen/<stage>`); this is only the fallback. */
const DEFAULT_NAMESPACE = 'Jiefen/local'

export interface Telemetry {
  /** The app's Logger interface (functions/adapters/log.ts) over the Powertools logger below. */
  log: Logger
  logger: PowertoolsLogger
  metrics: Metrics
  service: string
}

/**
 * Logger and metrics for one function. Every string value is masked on its way into the JSON line
 * (messages, attributes, error messages and stacks alike: the replacer sees each nested value), so
 * a phone number or ID number never reaches CloudWatch, whatever a caller passes in.
 */
export function telemetry(service: string, logLevel: 'debug' | 'info' | 'warn' | 'error'): Telemetry {
  const logger = new PowertoolsLogger({
    serviceName: service,
    logLevel: logLevel.toUpperCase() as Uppercase<typeof logLevel>,
    jsonReplacerFn: (_key, value) => (typeof value === 'string' ? maskText(value) : value),
  })
  const level = (at: 'debug' | 'info' | 'warn' | 'error') => (msg: string, data?: Record<string, unknown>) =>
    data ? logger[at](msg, data) : logger[at](msg)
  const log: Logger = {
    debug: level('debug'),
    info: level('info'),
    warn: level('warn'),
    error: level('error'),
  }
  const metrics = new Metrics({
    serviceName: service,
    namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? DEFAULT_NAMESPACE,
  })
  return { log, logger, metrics, service }
}

/** Adds one to a count metric (published at the end of the invocation). */
export const count = (metrics: Metrics, name: string, value = 1) =>
  metrics.addMetric(name, MetricUnit.Count, value)

// The tracer pulls in aws-xray-sdk-core. Imported with the handler it added ~16 ms to the API's cold
// import (145 → 161 ms median, interleaved runs on x86; more on a Lambda ARM slice); bundled but
// loaded lazily still ~7 ms, only to parse it. So it is a separate file, `tracer.mjs` beside the
// handler's bundle (infra/function.ts builds it), loaded on the first invocation; the cold start
// itself is covered by the INIT segment Lambda's active tracing records anyway.
/** Relative to the handler bundle; a variable, so esbuild leaves the import alone. */
const TRACER_BUNDLE = './tracer.mjs'
type TracerModule = typeof import('./tracer.ts')

let tracer: Promise<Tracer | undefined> | undefined
let active: Tracer | undefined
const pendingClients: object[] = []

const tracingWanted = () =>
  Boolean(process.env.AWS_LAMBDA_FUNCTION_NAME) && process.env.POWERTOOLS_TRACE_ENABLED !== 'false'

function loadTracer(t: Telemetry): Promise<Tracer | undefined> {
  tracer ??= tracingWanted()
    ? (import(TRACER_BUNDLE) as Promise<TracerModule>)
        .then(({ Tracer }) => {
          const loaded = new Tracer({ serviceName: t.service })
          for (const client of pendingClients.splice(0)) loaded.captureAWSv3Client(client)
          active = loaded
          return loaded
        })
        // Tracing is a diagnostic: if it cannot load, requests are still served.
        .catch((error: unknown) => {
          t.log.warn('tracer not loaded', { error })
          return undefined
        })
    : Promise.resolve(undefined)
  return tracer
}

/**
 * Marks an AWS SDK v3 client for X-Ray: each call becomes a subsegment (DynamoDB, S3, SNS,
 * Secrets Manager) with its latency and errors. Safe to call at module scope before the tracer has
 * loaded: the client is captured when it does, before the first invocation's first call.
 */
export function traceClient<T extends object>(client: T): T {
  if (active) active.captureAWSv3Client(client)
  else pendingClients.push(client)
  return client
}

/**
 * Wraps a Lambda handler: the invocation's context on every log line, a cold-start metric, a
 * `## <function>` subsegment with the cold-start and service annotations and any error as metadata,
 * and the invocation's metrics flushed at the end (only when there are some: an empty flush warns).
 */
export function instrument<E, R>(
  t: Telemetry,
  handler: (event: E, context?: Context) => Promise<R>,
): (event: E, context?: Context) => Promise<R> {
  return async (event, context) => {
    if (context) t.logger.addContext(context)
    t.metrics.captureColdStartMetric()
    const tr = await loadTracer(t)
    const parent = tr?.getSegment()
    const segment = parent?.addNewSubsegment(`## ${context?.functionName ?? t.service}`)
    if (tr && segment) {
      tr.setSegment(segment)
      tr.annotateColdStart()
      tr.addServiceNameAnnotation()
    }
    try {
      return await handler(event, context)
    } catch (error) {
      if (error instanceof Error) tr?.addErrorAsMetadata(error)
      throw error
    } finally {
      segment?.close()
      if (tr && parent) tr.setSegment(parent)
      if (t.metrics.hasStoredMetrics()) t.metrics.publishStoredMetrics()
    }
  }
}
