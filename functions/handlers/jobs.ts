import { systemClock } from '../adapters/clock.ts'
import { nodeCrypto } from '../adapters/crypto.ts'
import { s3Client, s3EvidenceStorage } from '../adapters/evidence-s3.ts'
import { createLogger } from '../adapters/log.ts'
import { snsSms } from '../adapters/sms.ts'
import { loadConfig } from '../config.ts'
import { runJobs } from '../domain/jobs.ts'
import type { Deps } from '../domain/ports.ts'
import { documentClient, dynamoStore } from '../store/dynamo.ts'
import { loadSecret } from './secret.ts'

/** EventBridge Scheduler → the scheduled job (reminders, no-response closing, overdue marks). Wiring only. */
const config = loadConfig()
const log = createLogger(config.logLevel)
const db = documentClient({
  tableName: config.tableName,
  region: config.region,
  endpoint: config.dynamoEndpoint,
})
const deps: Deps = {
  store: dynamoStore(db, config.tableName),
  sms: snsSms(),
  clock: systemClock,
  crypto: nodeCrypto(await loadSecret(config)),
  evidence: s3EvidenceStorage(
    s3Client({ bucket: config.evidenceBucket, region: config.region, endpoint: config.s3Endpoint }),
    config.evidenceBucket,
  ),
  limits: config.evidenceLimits,
  publicUrl: config.publicUrl,
}

export const handler = async () => {
  const report = await runJobs(deps)
  log.info('scheduled job done', { ...report })
  return report
}
