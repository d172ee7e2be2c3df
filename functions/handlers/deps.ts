import { SNSClient } from '@aws-sdk/client-sns'
import { systemClock } from '../adapters/clock.ts'
import { nodeCrypto } from '../adapters/crypto.ts'
import { s3Client, s3EvidenceStorage } from '../adapters/evidence-s3.ts'
import { snsSms } from '../adapters/sms.ts'
import type { Config } from '../config.ts'
import type { Deps } from '../domain/ports.ts'
import { documentClient, dynamoStore } from '../store/dynamo.ts'
import { loadSecret } from './secret.ts'

/**
 * The AWS adapters every Lambda entry point wires in, built once per cold start: DynamoDB, S3,
 * SNS with timeouts, the HMAC secret from Secrets Manager.
 */
export async function awsDeps(config: Config): Promise<Deps> {
  const db = documentClient({
    tableName: config.tableName,
    region: config.region,
    endpoint: config.dynamoEndpoint,
  })
  return {
    store: dynamoStore(db, config.tableName),
    sms: snsSms(
      new SNSClient({
        region: config.region,
        maxAttempts: 3,
        requestHandler: { connectionTimeout: 1000, requestTimeout: 3000 },
      }),
    ),
    clock: systemClock,
    crypto: nodeCrypto(await loadSecret(config)),
    evidence: s3EvidenceStorage(
      s3Client({ bucket: config.evidenceBucket, region: config.region, endpoint: config.s3Endpoint }),
      config.evidenceBucket,
    ),
    limits: config.evidenceLimits,
    publicUrl: config.publicUrl,
    stageDays: config.stageDays,
  }
}
