import type { CaseStatus } from '../../../functions/domain/case.ts'
import { t } from '../i18n/index.ts'

/** How a status looks: still moving, finished well, or stopped. */
const TONE: Record<CaseStatus, 'progress' | 'done' | 'stopped'> = {
  submitted: 'progress',
  screening: 'progress',
  awaiting_consent: 'progress',
  scheduled: 'progress',
  in_mediation: 'progress',
  resolved: 'done',
  closed: 'done',
  returned: 'stopped',
  declined: 'stopped',
  failed: 'stopped',
  withdrawn: 'stopped',
}

export function StatusBadge(props: { status: CaseStatus }) {
  return <span class={`badge badge-${TONE[props.status]}`}>{t(`status.${props.status}`)}</span>
}
