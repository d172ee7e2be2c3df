import { count, instrument, METRIC, telemetry } from '../adapters/observability.ts'
import { loadConfig } from '../config.ts'
import { runJobs } from '../domain/jobs.ts'
import { awsDeps } from './deps.ts'

/** EventBridge Scheduler → the scheduled job (reminders, no-response closing, overdue marks, follow-ups). Wiring only. */
const config = loadConfig()
const t = telemetry('jobs', config.logLevel)
const deps = await awsDeps(config, t.log)

export const handler = instrument(t, async () => {
  const report = await runJobs(deps)
  count(t.metrics, METRIC.jobReminders, report.reminders)
  count(t.metrics, METRIC.jobClosedNoResponse, report.closedNoResponse)
  count(t.metrics, METRIC.jobMarkedOverdue, report.markedOverdue)
  count(t.metrics, METRIC.jobFollowUpsSent, report.followUpsSent)
  count(t.metrics, METRIC.jobReferralsChased, report.referralsChased)
  t.log.info('scheduled job done', { ...report })
  return report
})
