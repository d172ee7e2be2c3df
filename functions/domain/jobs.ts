import type { CaseRecord, TimelineEvent } from './case.ts'
import { sendDueFollowUps } from './follow-up-service.ts'
import { textAfterWrite } from './notify.ts'
import type { Deps } from './ports.ts'
import { chaseReferrals, tellReferringDepartment } from './referral-service.ts'
import { isOpen } from './workflow.ts'

/** Silence is the commonest failure of online mediation: remind the respondent on these days. */
export const DEFAULT_REMINDER_DAYS = [1, 3, 7]

const DAY = 86400_000

export interface JobReport {
  reminders: number
  closedNoResponse: number
  markedOverdue: number
  followUpsSent: number
  referralsChased: number
}

/**
 * The scheduled job (EventBridge Scheduler in AWS, a timer locally): consent reminders, closing
 * cases whose respondent never answered, marking overdue stages on the timeline, and sending the
 * follow-up visits (回访) that fell due, chasing departments late with a referral's answer. Every change
 * is a conditional write on the case's version, so a run racing a mediator simply loses and the
 * next run tries again. Reads the jurisdictions' boards by index, never a scan.
 */
export async function runJobs(
  deps: Deps,
  reminderDays: number[] = DEFAULT_REMINDER_DAYS,
): Promise<JobReport> {
  const now = deps.clock.now()
  const report: JobReport = {
    reminders: 0,
    closedNoResponse: 0,
    markedOverdue: 0,
    followUpsSent: 0,
    referralsChased: 0,
  }
  const jurisdictions = [...new Set((await deps.store.listOrgs()).map((o) => o.jurisdiction))]
  for (const jurisdiction of jurisdictions) {
    for (const record of await deps.store.casesOfJurisdiction(jurisdiction, true)) {
      if (!isOpen(record.status)) continue
      const consent = await consentStep(deps, record, now, reminderDays)
      if (consent === 'reminded') report.reminders++
      if (consent === 'closed') {
        report.closedNoResponse++
        continue
      }
      if (
        consent === 'unchanged' &&
        (await markOverdue(deps, (await deps.store.getCase(record.id)) ?? record, now))
      )
        report.markedOverdue++
    }
    report.followUpsSent += await sendDueFollowUps(deps, jurisdiction, now)
    report.referralsChased += await chaseReferrals(deps, jurisdiction, now)
  }
  return report
}

const systemEvent = (
  now: Date,
  type: string,
  record: CaseRecord,
  extra: Partial<TimelineEvent> = {},
): TimelineEvent => ({
  at: now.toISOString(),
  type,
  actorRole: 'system',
  from: record.status,
  to: record.status,
  ...extra,
})

async function consentStep(
  deps: Deps,
  record: CaseRecord,
  now: Date,
  days: number[],
): Promise<'reminded' | 'closed' | 'unchanged'> {
  if (record.status !== 'awaiting_consent' || !record.invitedAt || !record.input.respondent.phone)
    return 'unchanged'
  const invited = new Date(record.invitedAt).getTime()
  const sent = record.remindersSent ?? 0
  const nextDay = days[sent]
  if (nextDay !== undefined) {
    if (now.getTime() < invited + nextDay * DAY) return 'unchanged'
    const next = {
      ...record,
      version: record.version + 1,
      updatedAt: now.toISOString(),
      remindersSent: sent + 1,
    }
    if (
      !(await deps.store.applyTransition(
        next,
        record.version,
        systemEvent(now, 'case.consent_reminder', record, { note: `${sent + 1}/${days.length}` }),
        record,
      ))
    )
      return 'unchanged'
    await textAfterWrite(
      deps,
      'reminder',
      record.input.respondent.phone,
      `【解纷】提醒：案件${record.number}的调解申请还在等您答复（调解自愿、免费）。请用本手机号登录答复：${deps.publicUrl ?? ''}/cases/${record.id}`,
    )
    return 'reminded'
  }
  // A day after the last reminder with no answer: close, and tell the applicant where to turn.
  const lastDay = days[days.length - 1] ?? 7
  if (now.getTime() < invited + (lastDay + 1) * DAY) return 'unchanged'
  const guidance = record.input.disputeType === 'wage_arrears' ? 'labour_arbitration' : 'litigation'
  const next: CaseRecord = {
    ...record,
    status: 'closed',
    version: record.version + 1,
    updatedAt: now.toISOString(),
    stageDeadline: undefined,
    concludedAt: now.toISOString(),
    outcome: { kind: 'no_response', guidance },
  }
  if (
    !(await deps.store.applyTransition(
      next,
      record.version,
      { ...systemEvent(now, 'case.no_response', record), to: 'closed' },
      record,
    ))
  )
    return 'unchanged'
  await tellReferringDepartment(deps, record, next)
  await textAfterWrite(
    deps,
    'no-response',
    record.applicantPhone,
    `【解纷】案件${record.number}：对方未在期限内答复，调解未能进行，案件已结束。您可以${guidance === 'labour_arbitration' ? '申请劳动仲裁' : '向人民法院起诉'}，详情请登录查看。`,
  )
  return 'closed'
}

async function markOverdue(deps: Deps, record: CaseRecord, now: Date): Promise<boolean> {
  if (
    !record.stageDeadline ||
    new Date(record.stageDeadline) >= now ||
    record.overdueMarkedFor === record.stageDeadline
  )
    return false
  const next = {
    ...record,
    version: record.version + 1,
    updatedAt: now.toISOString(),
    overdueMarkedFor: record.stageDeadline,
  }
  return deps.store.applyTransition(
    next,
    record.version,
    systemEvent(now, 'case.overdue', record, { note: record.stageDeadline }),
    record,
  )
}

/**
 * A red case is brought to the jurisdiction's supervisors at once: by SMS where they have a phone
 * on file, and on the timeline either way.
 */
export async function notifySupervisors(deps: Deps, record: CaseRecord): Promise<void> {
  if (record.riskLevel !== 'red' || !record.jurisdiction) return
  const offices = (await deps.store.listOrgs()).filter(
    (o) => o.jurisdiction === record.jurisdiction && o.kind === 'justice_office',
  )
  const supervisors = (await Promise.all(offices.map((o) => deps.store.staffOfOrg(o.id))))
    .flat()
    .filter((s) => s.role === 'supervisor' && s.active)
  for (const s of supervisors) {
    if (s.phone)
      await textAfterWrite(
        deps,
        'red-risk',
        s.phone,
        `【解纷】红色风险预警：案件${record.number}（${record.jurisdiction}）需立即关注：${deps.publicUrl ?? ''}/staff/cases/${record.id}`,
      )
  }
  await deps.store.appendEvent(record.id, {
    at: deps.clock.now().toISOString(),
    type: 'case.supervisor_notified',
    actorRole: 'system',
    note: supervisors.map((s) => s.username).join(', '),
  })
}
