import { systemClock } from '../adapters/clock.ts'
import { nodeCrypto } from '../adapters/crypto.ts'
import { s3Client, s3EvidenceStorage } from '../adapters/evidence-s3.ts'
import { createLogger } from '../adapters/log.ts'
import { type S3Notification, uploadedEvidence } from '../adapters/s3-events.ts'
import { loadConfig } from '../config.ts'
import { verifyEvidence } from '../domain/evidence.ts'
import type { Deps } from '../domain/ports.ts'
import { documentClient, dynamoStore } from '../store/dynamo.ts'
import { loadSecret } from './secret.ts'

/**
 * S3 ObjectCreated on an evidence upload: verify it. Wiring only; the browser's complete call runs
 * the same verification, and whichever comes first does the work.
 */
const config = loadConfig()
const log = createLogger(config.logLevel)
const db = documentClient({
  tableName: config.tableName,
  region: config.region,
  endpoint: config.dynamoEndpoint,
})
const deps: Deps = {
  store: dynamoStore(db, config.tableName),
  sms: { send: async () => undefined },
  clock: systemClock,
  crypto: nodeCrypto(await loadSecret(config)),
  evidence: s3EvidenceStorage(
    s3Client({ bucket: config.evidenceBucket, region: config.region, endpoint: config.s3Endpoint }),
    config.evidenceBucket,
  ),
  limits: config.evidenceLimits,
}

export const handler = async (event: S3Notification) => {
  for (const { caseId, evidenceId } of uploadedEvidence(event)) {
    const item = await verifyEvidence(deps, caseId, evidenceId)
    log.info('evidence verified', { caseId, evidenceId, status: item?.status, reason: item?.rejectReason })
  }
}
