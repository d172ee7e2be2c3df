import type { Actor } from './actor.ts'
import type { CaseRecord } from './case.ts'
import { VisibleError } from './errors.ts'

/**
 * How a caller stands to a case, decided in one place; no relation means no access (deny by
 * default). Parties are recognised by their phone: a citizen whose 110 call became a case, or a
 * respondent who was invited, signs in with that number and finds the case.
 */
export type CaseRelation =
  | 'applicant'
  | 'respondent'
  | 'handling_org'
  | 'sender_org'
  | 'police'
  | 'supervisor'

export function relationTo(actor: Actor, record: CaseRecord): CaseRelation | undefined {
  if (actor.kind === 'citizen') {
    if (record.applicantId ? record.applicantId === actor.citizenId : record.applicantPhone === actor.phone)
      return 'applicant'
    if (record.invitedAt && record.input.respondent.phone === actor.phone) return 'respondent'
    return undefined
  }
  if (actor.kind !== 'staff') return undefined
  switch (actor.role) {
    case 'mediator':
    case 'centre_admin':
      if (record.orgId === actor.orgId) return 'handling_org'
      if (record.sharedWith?.includes(actor.orgId)) return 'sender_org'
      return undefined
    case 'police':
      if (record.intake?.officerId === actor.username || record.intake?.stationOrgId === actor.orgId)
        return 'police'
      if (record.orgId === actor.orgId) return 'handling_org'
      if (record.sharedWith?.includes(actor.orgId)) return 'sender_org'
      return undefined
    case 'supervisor':
      return record.jurisdiction === actor.jurisdiction ? 'supervisor' : undefined
    default:
      return undefined
  }
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
