import { createLogger } from '../adapters/log.ts'
import { loadConfig } from '../config.ts'
import { runJobs } from '../domain/jobs.ts'
import { awsDeps } from './deps.ts'

/** EventBridge Scheduler → the scheduled job (reminders, no-response closing, overdue marks). Wiring only. */
const config = loadConfig()
const log = createLogger(config.logLevel)
const deps = await awsDeps(config)

export const handler = async () => {
  const report = await runJobs(deps)
  log.info('scheduled job done', { ...report })
  return report
}
