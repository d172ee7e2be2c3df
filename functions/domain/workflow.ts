import { z } from 'zod'
import type { CaseRelation } from './access.ts'
import type { Actor } from './actor.ts'
import type { CaseRecord, CaseStatus, TimelineEvent } from './case.ts'
import { VisibleError } from './errors.ts'
import { maxLevel, RISK_LEVELS } from './risk.ts'

/**
 * The case state machine: the only place that decides which transitions exist, who may make them
 * and what they change. Storage applies the result with a conditional write on the version.
 */
export const ACTIONS = [
  'accept',
  'return',
  'transfer',
  'escalate',
  'record_consent',
  'respond',
  'resolve',
  'fail',
  'withdraw',
  'override_risk',
  'reopen',
] as const
export type ActionName = (typeof ACTIONS)[number]

const reason = z
  .string({ error: 'validation.required' })
  .trim()
  .min(4, { error: 'validation.too_short' })
  .max(500, { error: 'validation.too_long' })
const version = z.number({ error: 'validation.number' }).int().min(1)

export const GUIDANCE = ['litigation', 'labour_arbitration', 'petition', 'other'] as const
export const ESCALATION_REASONS = ['stuck', 'complex', 'many_parties', 'overdue'] as const

export const ActionInput = z
  .discriminatedUnion(
    'action',
    [
      z.strictObject({
        action: z.literal('accept'),
        expectedVersion: version,
        mediatorId: z.string().min(1).max(64),
      }),
      z.strictObject({ action: z.literal('return'), expectedVersion: version, reason }),
      z.strictObject({
        action: z.literal('transfer'),
        expectedVersion: version,
        orgId: z.string().min(1).max(64),
        reason,
      }),
      z.strictObject({
        action: z.literal('escalate'),
        expectedVersion: version,
        reason: z.enum(ESCALATION_REASONS),
        note: reason.optional(),
      }),
      z.strictObject({
        action: z.literal('record_consent'),
        expectedVersion: version,
        agreed: z.boolean(),
        note: reason,
      }),
      z.strictObject({ action: z.literal('respond'), expectedVersion: version, agreed: z.boolean() }),
      z.strictObject({ action: z.literal('resolve'), expectedVersion: version, summary: reason }),
      z.strictObject({
        action: z.literal('fail'),
        expectedVersion: version,
        reason,
        guidance: z.enum(GUIDANCE),
      }),
      z.strictObject({ action: z.literal('withdraw'), expectedVersion: version, reason: reason.optional() }),
      z.strictObject({
        action: z.literal('override_risk'),
        expectedVersion: version,
        level: z.enum(RISK_LEVELS),
        reason,
      }),
      z.strictObject({ action: z.literal('reopen'), expectedVersion: version, reason }),
    ],
    { error: 'workflow.unknown_action' },
  )
  .meta({ id: 'CaseAction' })
export type ActionInput = z.infer<typeof ActionInput>

/** Time limits per stage, in days (configurable per deployment). */
export const DEFAULT_STAGE_DAYS: Partial<Record<CaseStatus, number>> = {
  submitted: 3,
  awaiting_consent: 7,
  in_mediation: 30,
}

const OPEN: ReadonlySet<CaseStatus> = new Set([
  'submitted',
  'screening',
  'returned',
  'awaiting_consent',
  'scheduled',
  'in_mediation',
])
export const isOpen = (status: CaseStatus) => OPEN.has(status)

const isHandlingStaff = (actor: Actor, relation: CaseRelation) =>
  actor.kind === 'staff' &&
  relation === 'handling_org' &&
  (actor.role === 'mediator' || actor.role === 'centre_admin')
const isAssignedOrAdmin = (actor: Actor, relation: CaseRelation, record: CaseRecord) =>
  isHandlingStaff(actor, relation) &&
  actor.kind === 'staff' &&
  (actor.role === 'centre_admin' || record.mediatorId === actor.username)

/** Which actions this caller may take on this case now. The portal draws its buttons from it. */
export function allowedActions(actor: Actor, relation: CaseRelation, record: CaseRecord): ActionName[] {
  const s = record.status
  const out: ActionName[] = []
  if (s === 'submitted' && isHandlingStaff(actor, relation)) out.push('accept', 'return')
  if (['submitted', 'awaiting_consent', 'in_mediation'].includes(s) && isHandlingStaff(actor, relation))
    out.push('escalate')
  if (
    ['submitted', 'awaiting_consent', 'in_mediation'].includes(s) &&
    actor.kind === 'staff' &&
    actor.role === 'centre_admin' &&
    relation === 'handling_org'
  )
    out.push('transfer')
  if (s === 'returned' && relation === 'police') out.push('transfer')
  if (s === 'awaiting_consent' && isAssignedOrAdmin(actor, relation, record)) out.push('record_consent')
  if (s === 'awaiting_consent' && relation === 'respondent') out.push('respond')
  if (s === 'in_mediation' && isAssignedOrAdmin(actor, relation, record)) out.push('resolve')
  if ((s === 'in_mediation' || s === 'awaiting_consent') && isAssignedOrAdmin(actor, relation, record))
    out.push('fail')
  if (['submitted', 'returned', 'awaiting_consent', 'in_mediation'].includes(s) && relation === 'applicant')
    out.push('withdraw')
  if (isOpen(s) && (isHandlingStaff(actor, relation) || relation === 'police' || relation === 'supervisor'))
    out.push('override_risk')
  // A resolved dispute that flared up again (反弹): a "not carried out" follow-up answer (the
  // system) or the assigned mediator or centre admin hearing of it another way.
  if (s === 'resolved' && (actor.kind === 'system' || isAssignedOrAdmin(actor, relation, record)))
    out.push('reopen')
  return out
}

export interface TransitionContext {
  now: Date
  actorId: string
  stageDays?: Partial<Record<CaseStatus, number>>
  /** Filled by the service for actions that move the case: the target organisation. */
  target?: { orgId: string; tier: 1 | 2 | 3; jurisdiction: string }
}

export interface Transition {
  next: CaseRecord
  event: TimelineEvent
  /** Side effects the service performs after the write (SMS invitations, notifications). */
  effects: ('invite_respondent' | 'notify_applicant')[]
}

/**
 * Applies an action: refuses it when the state or the caller does not allow it, else returns the
 * next record (version + 1) and the timeline event (who, role, when, from → to, reason).
 */
export function transition(
  actor: Actor,
  relation: CaseRelation,
  record: CaseRecord,
  input: ActionInput,
  ctx: TransitionContext,
): Transition {
  if (!allowedActions(actor, relation, record).includes(input.action)) {
    throw new VisibleError('conflict', 'workflow.not_allowed')
  }
  const at = ctx.now.toISOString()
  const days = { ...DEFAULT_STAGE_DAYS, ...ctx.stageDays }
  const deadline = (status: CaseStatus) => {
    const d = days[status]
    return d ? new Date(ctx.now.getTime() + d * 86400_000).toISOString() : undefined
  }
  const moveTo = (status: CaseStatus, extra: Partial<CaseRecord> = {}): CaseRecord => ({
    ...record,
    ...extra,
    status,
    version: record.version + 1,
    updatedAt: at,
    stageDeadline: isOpen(status) ? deadline(status) : undefined,
    concludedAt: isOpen(status) ? undefined : at,
  })
  const base = {
    at,
    actorRole:
      actor.kind === 'staff'
        ? ('staff' as const)
        : actor.kind === 'system'
          ? ('system' as const)
          : relation === 'respondent'
            ? ('respondent' as const)
            : ('citizen' as const),
    from: record.status,
    ...(actor.kind === 'staff' ? { by: ctx.actorId } : {}),
  }
  const effects: Transition['effects'] = []
  let next: CaseRecord
  let note: string | undefined
  switch (input.action) {
    case 'accept':
      next = moveTo('awaiting_consent', {
        mediatorId: input.mediatorId,
        acceptedAt: record.acceptedAt ?? at,
        invitedAt: record.input.respondent.phone ? at : undefined,
      })
      if (record.input.respondent.phone) effects.push('invite_respondent')
      break
    case 'return':
      next = moveTo('returned', {
        returnReason: input.reason,
        outcome: { kind: 'not_accepted', reason: input.reason },
      })
      note = input.reason
      effects.push('notify_applicant')
      break
    case 'transfer':
    case 'escalate': {
      if (!ctx.target) throw new VisibleError('input', 'workflow.no_target_org')
      const sharedWith = [
        ...new Set([...(record.sharedWith ?? []), ...(record.orgId ? [record.orgId] : [])]),
      ].filter((o) => o !== ctx.target?.orgId)
      next = moveTo('submitted', {
        ...ctx.target,
        sharedWith,
        mediatorId: undefined,
        returnReason: undefined,
        outcome: undefined,
        invitedAt: undefined,
      })
      note =
        input.action === 'escalate' ? [input.reason, input.note].filter(Boolean).join(': ') : input.reason
      break
    }
    case 'record_consent':
    case 'respond':
      next = input.agreed
        ? moveTo('in_mediation')
        : moveTo('declined', {
            outcome: {
              kind: 'declined',
              guidance: record.input.disputeType === 'wage_arrears' ? 'labour_arbitration' : 'litigation',
            },
          })
      note = input.action === 'record_consent' ? input.note : undefined
      break
    case 'resolve':
      next = moveTo('resolved', { outcome: { kind: 'resolved', reason: input.summary } })
      note = input.summary
      break
    case 'fail':
      next = moveTo('failed', {
        outcome: { kind: 'not_resolved', reason: input.reason, guidance: input.guidance },
      })
      note = input.reason
      break
    case 'reopen': {
      // Back to mediation at orange risk at least: an agreement that was not kept is a dispute
      // that may escalate, and the board should show it.
      const level = maxLevel(record.riskLevel ?? 'none', 'orange')
      next = moveTo('in_mediation', {
        outcome: undefined,
        riskLevel: level,
        riskSince: level === (record.riskLevel ?? 'none') ? record.riskSince : at,
      })
      note = input.reason
      break
    }
    case 'withdraw':
      next = moveTo('withdrawn', { outcome: { kind: 'withdrawn', reason: input.reason } })
      note = input.reason
      break
    case 'override_risk':
      next = {
        ...record,
        version: record.version + 1,
        updatedAt: at,
        riskLevel: input.level,
        riskSince: input.level === (record.riskLevel ?? 'none') ? record.riskSince : at,
        riskOverride: { from: record.riskLevel ?? 'none', reason: input.reason, by: ctx.actorId },
      }
      note = input.reason
      return {
        next,
        event: {
          ...base,
          type: 'case.risk_overridden',
          to: record.status,
          note: `${record.riskLevel ?? 'none'} → ${input.level}: ${input.reason}`,
        },
        effects,
      }
  }
  return { next, event: { ...base, type: `case.${input.action}`, to: next.status, note }, effects }
}
