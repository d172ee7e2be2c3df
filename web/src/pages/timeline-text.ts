import type { TimelineEvent } from '../../../functions/domain/case.ts'
import { locale, type MessageKey } from '../i18n/index.ts'
import { formatSessionTime, t as vt } from '../i18n/video.ts'
import type { WorkflowKey } from '../i18n/workflow.ts'
import { roleLabel } from './session-labels.ts'

type Translate = (key: WorkflowKey | MessageKey, params?: Record<string, string | number>) => string

const KNOWN = new Set<string>([
  'case.filed',
  'case.intake_transfer',
  'case.intake_entrust',
  'case.intake_joint',
  'case.accept',
  'case.return',
  'case.transfer',
  'case.escalate',
  'case.record_consent',
  'case.resolve',
  'case.fail',
  'case.withdraw',
  'case.risk_overridden',
  'evidence.added',
  'evidence.rejected',
  'evidence.withdrawn',
  'agreement.drafted',
  'agreement.revised',
  'agreement.signatures_voided',
  'agreement.signed',
  'case.reopen',
  'follow_up.sent',
  'follow_up.answered',
  'follow_up.recorded',
  'follow_up.skipped',
])

/** Video events whose words need nothing from `meta` but the actor. */
const PLAIN_VIDEO = new Set<string>([
  'session.caucus_ended',
  'session.recording_started',
  'session.recording_failed',
  'session.recording_running',
  'session.recording_saved',
])

/** One timeline event in plain words: who did what. `who` is already the right name for the reader. */
export function describeEvent(t: Translate, event: TimelineEvent, who: string): string {
  if (event.type === 'case.respond')
    return t(event.to === 'declined' ? 'event.case.respond.no' : 'event.case.respond.yes', { who })
  if (KNOWN.has(event.type)) return t(`event.${event.type}` as WorkflowKey, { who })
  if (event.type === 'case.intake_referral')
    return t('event.case.intake_referral', { who, department: str(event.meta?.department) ?? '' })
  if (event.type.startsWith('referral.')) {
    const meta = event.meta ?? {}
    const outcome = str(meta.outcome)
    return t(`event.${event.type}` as 'event.referral.sent', {
      who,
      department: str(meta.department) ?? '',
      dueOn: str(meta.dueOn) ?? '',
      outcome: outcome ? t(`event.referral.outcome.${outcome}` as 'event.referral.outcome.done') : '',
    })
  }
  if (event.type.startsWith('session.') || event.type.startsWith('video.')) {
    const text = describeVideoEvent(event, who)
    if (text) return text
  }
  if (event.to && event.to !== event.from)
    return t('event.statusChanged', { status: t(`status.${event.to}`) })
  return t('event.other')
}

const str = (v: string | number | undefined) => (typeof v === 'string' ? v : undefined)

/** A role in the middle of a sentence: English lower-cases it ("let the applicant in"). */
const inSentence = (label: string) => (locale() === 'en' ? label.toLowerCase() : label)

/** 申请人 25 分钟，被申请人 20 分钟: `meta` of an attendance event is `role.side → minutes`. */
function attendanceList(meta: Record<string, string | number>): string {
  return Object.entries(meta)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
    .map(([key, minutes]) => {
      const [role = '', side] = key.split('.')
      return vt('event.attendance.item', { participant: roleLabel(role, side), minutes })
    })
    .join(vt('event.attendance.separator'))
}

function describeVideoEvent(event: TimelineEvent, who: string): string | undefined {
  const meta = event.meta ?? {}
  const participant = inSentence(roleLabel(str(meta.role) ?? 'party', str(meta.side)))
  switch (event.type) {
    case 'session.scheduled': {
      const startsAt = str(meta.startsAt)
      return vt('event.session.scheduled', { who, time: startsAt ? formatSessionTime(startsAt) : '' })
    }
    case 'session.admitted':
    case 'session.removed':
      return vt(`event.${event.type}`, { who, participant })
    case 'session.recording_consented':
    case 'session.recording_refused':
    case 'video.joined':
      return vt(`event.${event.type}`, { participant })
    case 'video.left':
      return vt('event.video.left', { participant, minutes: Number(meta.minutes ?? 0) })
    case 'session.caucus_started':
      return vt('event.session.caucus_started', {
        who,
        side: inSentence(roleLabel('party', str(meta.side))),
      })
    case 'session.recording_stopped':
      return meta.reason === 'consent_withdrawn'
        ? vt('event.session.recording_stopped.consent')
        : vt('event.session.recording_stopped', { who })
    case 'session.ended': {
      const list = attendanceList(meta)
      return list ? vt('event.session.ended.attendance', { who, list }) : vt('event.session.ended', { who })
    }
    case 'video.attendance': {
      const list = attendanceList(meta)
      return list ? vt('event.video.attendance', { list }) : vt('event.video.attendance.none')
    }
    default:
      return PLAIN_VIDEO.has(event.type)
        ? vt(`event.${event.type}` as 'event.session.recording_saved', { who })
        : undefined
  }
}
