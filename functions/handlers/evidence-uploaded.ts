import { count, instrument, METRIC, telemetry } from '../adapters/observability.ts'
import { type S3Notification, uploadedEvidence } from '../adapters/s3-events.ts'
import { loadConfig } from '../config.ts'
import { verifyEvidence } from '../domain/evidence.ts'
import { awsDeps } from './deps.ts'

/**
 * S3 ObjectCreated on an evidence upload: verify it. Wiring only; the browser's complete call runs
 * the same verification, and whichever comes first does the work.
 */
const config = loadConfig()
const t = telemetry('evidence', config.logLevel)
const deps = await awsDeps(config, t.log)

export const handler = instrument(t, async (event: S3Notification) => {
  for (const { caseId, evidenceId } of uploadedEvidence(event)) {
    const item = await verifyEvidence(deps, caseId, evidenceId)
    if (item?.status === 'verified') count(t.metrics, METRIC.evidenceVerified)
    if (item?.status === 'rejected') count(t.metrics, METRIC.evidenceRejected)
    t.log.info('evidence verified', { caseId, evidenceId, status: item?.status, reason: item?.rejectReason })
  }
})
