import { z } from 'zod'
import { assertCanSee } from './access.ts'
import { type Actor, assertStaff } from './actor.ts'
import {
  type CaseRecord,
  type CaseSummary,
  CreateCaseInput,
  fileCase,
  INTAKE_ROUTES,
  type RiskLevel,
} from './case.ts'
import { fileOnce, getCase, route } from './cases.ts'
import { VisibleError } from './errors.ts'
import { checkExclusions, ExclusionFlags } from './exclusions.ts'
import { QUEUE_FOLLOW_UP_WINDOW, queueFollowUp } from './follow-up.ts'
import { textAfterWrite } from './notify.ts'
import { maskPhone, Phone } from './phone.ts'
import type { Deps } from './ports.ts'
import { followCase, queueReferrals, tellReferringDepartment } from './referral-service.ts'
import { nextTierOrg, rankMediators, type Skill } from './staff.ts'
import { type ActionInput, allowedActions, isOpen, transition } from './workflow.ts'

/**
 * Takes one workflow action. The version the caller saw must still be current: two mediators
 * accepting at once both pass the checks, but only one conditional write succeeds, the other 409.
 */
export async function act(deps: Deps, actor: Actor, caseId: string, input: ActionInput) {
  const { record, relation } = assertCanSee(actor, await deps.store.getCase(caseId))
  if (record.version !== input.expectedVersion) throw new VisibleError('conflict', 'case.version_conflict')
  const now = deps.clock.now()
  const actorId = actor.kind === 'staff' ? actor.username : actor.kind === 'citizen' ? 'citizen' : 'system'

  let target: { orgId: string; tier: 1 | 2 | 3; jurisdiction: string } | undefined
  if (input.action === 'accept') {
    const mediator = await deps.store.getStaff(input.mediatorId)
    if (!mediator?.active || mediator.role !== 'mediator' || mediator.orgId !== record.orgId) {
      throw new VisibleError('input', 'workflow.bad_mediator', undefined, {
        mediatorId: 'workflow.bad_mediator',
      })
    }
  }
  // Once a party has signed the written agreement, the last signature resolves the case, not a
  // hand: resolving now would leave signatures on an agreement that never takes effect. (A draft
  // nobody signed yet does not hold the case: a respondent with no phone cannot sign online.)
  if (input.action === 'resolve') {
    const agreement = await deps.store.getAgreement(caseId)
    if (agreement && !agreement.completed && agreement.signatures.length > 0)
      throw new VisibleError('conflict', 'agreement.pending')
  }
  if (input.action === 'transfer') {
    const org = await deps.store.getOrg(input.orgId)
    if (!org || org.id === record.orgId)
      throw new VisibleError('input', 'org.not_found', undefined, { orgId: 'org.not_found' })
    target = { orgId: org.id, tier: org.tier, jurisdiction: org.jurisdiction }
  }
  if (input.action === 'escalate') {
    const current = record.orgId ? await deps.store.getOrg(record.orgId) : undefined
    const up = current ? nextTierOrg(await deps.store.listOrgs(), current) : undefined
    if (!up) throw new VisibleError('conflict', 'workflow.no_target_org')
    target = { orgId: up.id, tier: up.tier, jurisdiction: up.jurisdiction }
  }

  const { next, event, effects } = transition(actor, relation, record, input, {
    now,
    actorId,
    target,
    stageDays: deps.stageDays,
  })
  if (!(await deps.store.applyTransition(next, record.version, event, record)))
    throw new VisibleError('conflict', 'case.version_conflict')

  if (effects.includes('invite_respondent') && next.input.respondent.phone) {
    const phone = next.input.respondent.phone
    await deps.store.link(`PARTY#${deps.crypto.hmac(`phone:${phone}`)}`, next.id, now.toISOString())
    await textAfterWrite(
      deps,
      'invitation',
      phone,
      `【解纷】${next.input.respondent.name}您好，有人就一起纠纷申请了人民调解（案件${next.number}）。调解自愿、免费。请用本手机号登录查看并答复是否同意调解：${deps.publicUrl ?? ''}/cases/${next.id}`,
    )
  }
  if (input.action === 'accept') await adjustLoad(deps, input.mediatorId, +1)
  if (record.mediatorId && !isOpen(next.status)) await adjustLoad(deps, record.mediatorId, -1)
  if (record.mediatorId && !isOpen(record.status) && isOpen(next.status))
    await adjustLoad(deps, record.mediatorId, +1)
  if (next.orgId && next.orgId !== record.orgId) await followCase(deps, caseId, next.orgId)
  await tellReferringDepartment(deps, record, next)
  return getCase(deps, actor, caseId)
}

export async function adjustLoad(deps: Deps, username: string, delta: number) {
  for (let i = 0; i < 3; i++) {
    const staff = await deps.store.getStaff(username)
    if (!staff) return
    if (await deps.store.putStaff({ ...staff, openCases: Math.max(0, staff.openCases + delta) }, staff))
      return
  }
}

export const IntakeInput = z
  .strictObject({
    route: z.enum(INTAKE_ROUTES, { error: 'validation.option' }),
    call: z.strictObject({
      number: z
        .string({ error: 'validation.required' })
        .trim()
        .min(1, { error: 'validation.required' })
        .max(40, { error: 'validation.too_long' }),
      time: z.iso.datetime({ offset: true, error: 'validation.date' }),
      callerName: z
        .string({ error: 'validation.required' })
        .trim()
        .min(1, { error: 'validation.required' })
        .max(40, { error: 'validation.too_long' }),
      callerPhone: Phone,
    }),
    dispute: CreateCaseInput,
    /** Ticked by the officer for entrusted (委托) cases; authoritative. */
    exclusions: ExclusionFlags.optional(),
    /** The officer has read the suspected exclusions the system pointed out and found none applies. */
    exclusionsReviewed: z.boolean().optional(),
    partiesCount: z.number().int().min(2).max(10000).optional(),
    /** Where the case goes; default: the screening organisation of the area. */
    targetOrgId: z.string().max(64).optional(),
  })
  .meta({ id: 'PoliceIntake' })
export type IntakeInput = z.infer<typeof IntakeInput>

/**
 * A police officer turns a 110 call into a case and hands it over. Entrusted public-order cases
 * are refused, with the reasons, when an exclusion applies (雇凶伤害, 结伙斗殴, 寻衅滋事…). The
 * caller gets an SMS link to follow the case like an online applicant.
 */
export async function registerIntake(deps: Deps, actor: Actor, input: IntakeInput, idempotencyKey: string) {
  const officer = assertStaff(actor, 'police')
  if (input.route === 'entrust') {
    const check = checkExclusions({ description: input.dispute.description, flags: input.exclusions })
    if (check.excluded) {
      throw new VisibleError(
        'unprocessable',
        'intake.excluded',
        undefined,
        Object.fromEntries(check.reasons.map((r) => [`exclusions.${r}`, r])),
      )
    }
    // Words in the account that suggest an exclusion hold the case until the officer has looked.
    if (check.suspected.length > 0 && !input.exclusionsReviewed) {
      const fields = Object.fromEntries(check.suspected.map((r) => [`exclusions.${r.code}`, r.code]))
      throw new VisibleError('unprocessable', 'intake.exclusion_suspected', undefined, fields)
    }
  }
  const target = input.targetOrgId ? await deps.store.getOrg(input.targetOrgId) : undefined
  if (input.targetOrgId && !target)
    throw new VisibleError('input', 'org.not_found', undefined, { targetOrgId: 'org.not_found' })
  const created = await fileOnce(
    deps,
    { scope: `staff:${officer.username}`, key: idempotencyKey, body: input },
    async (id, number, now) => {
      const { record, event } = fileCase({
        id,
        number,
        applicantId: '',
        applicantPhone: input.call.callerPhone,
        input: input.dispute,
        now,
      })
      const routed = await route(deps, record, now, target, { partiesCount: input.partiesCount })
      const next: CaseRecord = {
        ...routed,
        source: 'police',
        intake: {
          route: input.route,
          officerId: officer.username,
          stationOrgId: officer.orgId,
          callTime: input.call.time,
          callNumber: input.call.number,
          callerName: input.call.callerName,
          address: [
            input.dispute.location.district,
            input.dispute.location.street,
            input.dispute.location.address,
          ]
            .filter(Boolean)
            .join(' '),
        },
      }
      return {
        record: next,
        event: {
          ...event,
          type: `case.intake_${input.route}`,
          actorRole: 'staff' as const,
          by: officer.username,
        },
        links: [`PARTY#${deps.crypto.hmac(`phone:${input.call.callerPhone}`)}`, `SENT#${officer.orgId}`],
      }
    },
  )
  if (!created.replayed) {
    await textAfterWrite(
      deps,
      'intake',
      input.call.callerPhone,
      `【解纷】您报警反映的纠纷已转交人民调解（案件${created.number}）。用本手机号登录即可查看进度、补充证据：${deps.publicUrl ?? ''}/cases/${created.id}`,
    )
  }
  return created
}

export const QueueQuery = z.object({
  scope: z.enum(['org', 'jurisdiction', 'sent']).optional(),
  status: z.string().max(40).optional(),
  risk: z.enum(['red', 'orange', 'yellow', 'none']).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  closed: z.enum(['true', 'false']).optional(),
})

export const QueueItem = z
  .object({
    id: z.string(),
    number: z.string(),
    status: z.string(),
    disputeType: z.string(),
    riskLevel: z.string(),
    tier: z.number().optional(),
    orgId: z.string().optional(),
    mediatorId: z.string().optional(),
    stageDeadline: z.string().optional(),
    overdue: z.boolean(),
    source: z.string(),
    applicantPhone: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: 'QueueItem' })

/**
 * A member of staff's work list, soonest deadline first: a mediator's or admin's organisation, a
 * supervisor's jurisdiction, or what a police station has sent. Filters apply within it.
 */
export async function queue(deps: Deps, actor: Actor, q: z.infer<typeof QueueQuery>) {
  const staff = assertStaff(actor, 'mediator', 'centre_admin', 'supervisor', 'police')
  const open = q.closed !== 'true'
  const scope =
    q.scope ?? (staff.role === 'supervisor' ? 'jurisdiction' : staff.role === 'police' ? 'sent' : 'org')
  let records: CaseRecord[]
  if (scope === 'jurisdiction') {
    if (staff.role !== 'supervisor') throw new VisibleError('forbidden', 'auth.forbidden')
    records = await deps.store.casesOfJurisdiction(staff.jurisdiction, open)
  } else if (scope === 'sent') {
    if (staff.role !== 'police') throw new VisibleError('forbidden', 'auth.forbidden')
    records = (await deps.store.getCases(await deps.store.linkedCaseIds(`SENT#${staff.orgId}`))).filter(
      (r) => isOpen(r.status) === open,
    )
    records.sort((a, b) => ((a.stageDeadline ?? '9') < (b.stageDeadline ?? '9') ? -1 : 1))
  } else {
    records = await deps.store.casesOfOrg(staff.orgId, open)
  }
  const now = deps.clock.now()
  const overdue = (r: CaseRecord) => Boolean(r.stageDeadline && new Date(r.stageDeadline) < now)
  const risk = (r: CaseRecord): RiskLevel => r.riskLevel ?? 'none'
  const items = records
    .filter((r) => !q.status || r.status === q.status)
    .filter((r) => !q.risk || risk(r) === q.risk)
    .filter((r) => q.overdue === undefined || overdue(r) === (q.overdue === 'true'))
    .map((r) => ({
      id: r.id,
      number: r.number,
      status: r.status,
      disputeType: r.input.disputeType,
      riskLevel: risk(r),
      tier: r.tier,
      orgId: r.orgId,
      mediatorId: r.mediatorId,
      stageDeadline: r.stageDeadline,
      overdue: overdue(r),
      source: r.source ?? 'online',
      applicantPhone: maskPhone(r.applicantPhone),
      createdAt: r.createdAt,
    }))
  if (scope !== 'org' || staff.role === 'police' || staff.role === 'supervisor') return { items }
  // The organisation's follow-up visits (回访) that want attention: due in the next days, or
  // sent and still missing an answer while the link lives.
  const day = 86400_000
  const followUps = (
    await deps.store.followUpsOfOrg(
      staff.orgId,
      new Date(now.getTime() - QUEUE_FOLLOW_UP_WINDOW.backDays * day),
      new Date(now.getTime() + QUEUE_FOLLOW_UP_WINDOW.aheadDays * day),
      50,
    )
  ).map(queueFollowUp)
  // Referrals to departments still awaiting an answer, overdue first (信息互通).
  const referrals = await queueReferrals(deps, staff)
  return { items, followUps, referrals }
}

/** Organisations a member of staff may hand a case to, and an organisation's mediator pool. */
export async function organisations(deps: Deps, actor: Actor) {
  assertStaff(actor)
  return (await deps.store.listOrgs()).map(({ id, name, tier, kind, jurisdiction, areas }) => ({
    id,
    name,
    tier,
    kind,
    jurisdiction,
    areas,
  }))
}

export async function mediatorPool(
  deps: Deps,
  actor: Actor,
  caseId: string,
  wanted: { skill?: Skill; language?: string },
) {
  const { record, relation } = assertCanSee(actor, await deps.store.getCase(caseId))
  if (!allowedActions(actor, relation, record).includes('accept') || !record.orgId)
    throw new VisibleError('forbidden', 'auth.forbidden')
  const ranked = rankMediators(await deps.store.staffOfOrg(record.orgId), wanted)
  return ranked.map((s) => ({
    username: s.username,
    name: s.name,
    skills: s.skills,
    languages: s.languages,
    openCases: s.openCases,
  }))
}

export type { CaseSummary }

/**
 * Staff see parties' phone numbers masked; calling a party needs the number, so it can be
 * revealed — and every reveal is on the timeline (who, when).
 */
export async function revealContacts(deps: Deps, actor: Actor, caseId: string) {
  const staff = assertStaff(actor)
  const { record, relation } = assertCanSee(actor, await deps.store.getCase(caseId))
  if (!['handling_org', 'police', 'supervisor'].includes(relation))
    throw new VisibleError('forbidden', 'auth.forbidden')
  await deps.store.appendEvent(caseId, {
    at: deps.clock.now().toISOString(),
    type: 'case.contacts_revealed',
    actorRole: 'staff',
    by: staff.username,
  })
  return { applicantPhone: record.applicantPhone, respondentPhone: record.input.respondent.phone }
}
