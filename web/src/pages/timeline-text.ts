import type { TimelineEvent } from '../../../functions/domain/case.ts'
import type { MessageKey } from '../i18n/index.ts'
import type { WorkflowKey } from '../i18n/workflow.ts'

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
])

/** One timeline event in plain words: who did what. `who` is already the right name for the reader. */
export function describeEvent(t: Translate, event: TimelineEvent, who: string): string {
  if (event.type === 'case.respond')
    return t(event.to === 'declined' ? 'event.case.respond.no' : 'event.case.respond.yes', { who })
  if (KNOWN.has(event.type)) return t(`event.${event.type}` as WorkflowKey, { who })
  if (event.to && event.to !== event.from)
    return t('event.statusChanged', { status: t(`status.${event.to}`) })
  return t('event.other')
}
