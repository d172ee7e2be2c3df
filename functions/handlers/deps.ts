import { systemClock } from '../adapters/clock.ts'
import { nodeCrypto } from '../adapters/crypto.ts'
import { traceClient } from '../adapters/observability.ts'
import { loadPdf } from '../adapters/pdf-loader.ts'
import { loadS3 } from '../adapters/s3-loader.ts'
import { videoService } from '../adapters/video.ts'
import type { Config } from '../config.ts'
import type { AgreementPdf, Deps, EvidenceStorage, SmsSender } from '../domain/ports.ts'
import { documentClient, dynamoStore } from '../store/dynamo.ts'
import { loadLiveKitCredentials, loadSecret } from './secret.ts'

/**
 * An adapter whose module loads on first use. Most requests touch neither S3 nor SMS, and the
 * bundler defers evaluating dynamically imported modules, so a cold start does not pay for them.
 */
export function lazy<T extends object>(load: () => Promise<T>): T {
  let loaded: Promise<T> | undefined
  return new Proxy({} as T, {
    // Not a promise itself: without the "then" exception, awaiting the adapter would never settle.
    get: (_target, method) =>
      method === 'then'
        ? undefined
        : async (...args: unknown[]) => {
            loaded ??= load()
            const adapter = (await loaded) as Record<PropertyKey, (...a: unknown[]) => unknown>
            return adapter[method]?.(...args)
          },
  })
}

/**
 * The AWS adapters every Lambda entry point wires in, built once per cold start: DynamoDB, S3,
 * SNS with timeouts, the HMAC secret from Secrets Manager.
 */
export async function awsDeps(config: Config, log?: Deps['log']): Promise<Deps> {
  // Traced for X-Ray: every DynamoDB, S3, SNS and Secrets Manager call is a subsegment.
  const db = traceClient(
    documentClient({
      tableName: config.tableName,
      region: config.region,
      endpoint: config.dynamoEndpoint,
    }),
  )
  return {
    store: dynamoStore(db, config.tableName),
    sms: lazy<SmsSender>(async () => {
      const [{ SNSClient }, { snsSms }] = await Promise.all([
        import('@aws-sdk/client-sns'),
        import('../adapters/sms.ts'),
      ])
      return snsSms(
        traceClient(
          new SNSClient({
            region: config.region,
            maxAttempts: 3,
            requestHandler: { connectionTimeout: 1000, requestTimeout: 3000 },
          }),
        ),
      )
    }),
    clock: systemClock,
    crypto: nodeCrypto(await loadSecret(config)),
    evidence: lazy<EvidenceStorage>(async () => {
      const { s3Client, s3EvidenceStorage } = await loadS3()
      return s3EvidenceStorage(
        traceClient(
          s3Client({ bucket: config.evidenceBucket, region: config.region, endpoint: config.s3Endpoint }),
        ),
        config.evidenceBucket,
      )
    }),
    limits: config.evidenceLimits,
    // pdf-lib, fontkit and the 10 MB font load only when an agreement is signed, never on a cold start.
    pdf: lazy<AgreementPdf>(async () => (await loadPdf()).agreementPdf(config.agreementFontPath)),
    video: videoService(config.video, (arn) => loadLiveKitCredentials(config.region, arn)),
    publicUrl: config.publicUrl,
    stageDays: config.stageDays,
    ...(log ? { log } : {}),
  }
}
