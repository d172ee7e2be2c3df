import type { Actor } from './actor.ts'
import type { CaseRecord } from './case.ts'
import { VisibleError } from './errors.ts'

/**
 * Who may see a case, decided in one place. Deny by default: today the applicant; the workflow
 * adds the respondent, the receiving organisation and the supervisor here.
 */
export type CaseRelation = 'applicant'

export function relationTo(actor: Actor, record: CaseRecord): CaseRelation | undefined {
  if (actor.kind === 'citizen' && record.applicantId === actor.citizenId) return 'applicant'
  return undefined
}

/** Someone else's case answers exactly like a missing one, so ids cannot be probed. */
export function assertCanSee(
  actor: Actor,
  record: CaseRecord | undefined,
): { record: CaseRecord; relation: CaseRelation } {
  const relation = record ? relationTo(actor, record) : undefined
  if (!record || !relation) throw new VisibleError('not_found', 'case.not_found')
  return { record, relation }
}
