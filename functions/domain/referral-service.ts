import { assertCanSee } from './access.ts'
import { type Actor, assertStaff, type Staff } from './actor.ts'
import { assertSourceLimit } from './auth.ts'
import type { CaseRecord, TimelineEvent } from './case.ts'
import { VisibleError } from './errors.ts'
import { areaOf, referralDelta } from './insight.ts'
import { DISPUTE_LABELS } from './insight-report.ts'
import { textAfterWrite } from './notify.ts'
import { assertMaySend, issued, OTP_POLICY, verify } from './otp.ts'
import { maskPhone } from './phone.ts'
import type { Deps } from './ports.ts'
import {
  ACCESS_MINUTES,
  CLOSED_LINK_DAYS,
  type CreateReferralInput,
  chased,
  type Department,
  type DepartmentView,
  departmentView,
  dueDate,
  LINK_DAYS,
  MAX_CHASES,
  type NewDepartmentInput,
  newReferral,
  type QueueReferral,
  queueReferral,
  type ReferralAbout,
  type ReferralForDepartment,
  type ReferralLink,
  type ReferralRecord,
  type ReferralReplyInput,
  type ReferralView,
  referralView,
  type UpdateDepartmentInput,
  withReply,
} from './referral.ts'
import { isOpen } from './workflow.ts'

const DAY = 86400_000
const TOKEN = /^[A-Za-z0-9_-]{32,64}$/
const CHASE_BATCH = 100

// ───────────────────────────── departments ─────────────────────────────

/** Staff see their jurisdiction's departments; a system admin names the jurisdiction. */
export async function listDepartments(
  deps: Deps,
  actor: Actor,
  jurisdiction?: string,
): Promise<DepartmentView[]> {
  const staff = assertStaff(actor)
  const where = staff.role === 'system_admin' && jurisdiction ? jurisdiction : staff.jurisdiction
  return (await deps.store.departmentsOf(where))
    .map(departmentView)
    .sort(
      (a, b) =>
        Number(b.active) - Number(a.active) || a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name),
    )
}

/** Supervisors keep their jurisdiction's list; a system admin any jurisdiction's. */
function assertMayConfigure(actor: Actor, jurisdiction: string): Staff {
  const staff = assertStaff(actor, 'supervisor', 'system_admin')
  if (staff.role === 'supervisor' && staff.jurisdiction !== jurisdiction)
    throw new VisibleError('not_found', 'referral.department_not_found')
  return staff
}

export async function addDepartment(
  deps: Deps,
  actor: Actor,
  input: NewDepartmentInput & { jurisdiction?: string },
): Promise<DepartmentView> {
  const staff = assertStaff(actor, 'supervisor', 'system_admin')
  const jurisdiction =
    staff.role === 'system_admin' && input.jurisdiction ? input.jurisdiction : staff.jurisdiction
  assertMayConfigure(actor, jurisdiction)
  const department: Department = {
    id: deps.crypto.id(),
    jurisdiction,
    kind: input.kind,
    name: input.name,
    contactPhone: input.contactPhone,
    defaultDays: input.defaultDays,
    active: true,
    updatedAt: deps.clock.now().toISOString(),
  }
  await deps.store.putDepartment(department)
  return departmentView(department)
}

export async function updateDepartment(
  deps: Deps,
  actor: Actor,
  id: string,
  input: UpdateDepartmentInput,
): Promise<DepartmentView> {
  assertStaff(actor, 'supervisor', 'system_admin')
  for (let attempt = 0; attempt < 3; attempt++) {
    const current = await deps.store.getDepartment(id)
    if (!current) throw new VisibleError('not_found', 'referral.department_not_found')
    assertMayConfigure(actor, current.jurisdiction)
    const next: Department = {
      ...current,
      ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)),
      updatedAt: deps.clock.now().toISOString(),
    }
    if (next.updatedAt === current.updatedAt)
      next.updatedAt = new Date(Date.parse(next.updatedAt) + 1).toISOString()
    if (await deps.store.putDepartment(next, current.updatedAt)) return departmentView(next)
  }
  throw new VisibleError('conflict', 'case.version_conflict')
}

// ───────────────────────────── staff: refer and follow ─────────────────────────────

/** Referrals are staff work: parties do not see them (a clue may concern one of them). */
async function staffCase(deps: Deps, actor: Actor, caseId: string) {
  const { record, relation } = assertCanSee(actor, await deps.store.getCase(caseId))
  if (actor.kind !== 'staff') throw new VisibleError('forbidden', 'auth.forbidden')
  return { record, relation, staff: actor }
}

export async function listReferrals(deps: Deps, actor: Actor, caseId: string): Promise<ReferralView[]> {
  await staffCase(deps, actor, caseId)
  const now = deps.clock.now()
  return (await deps.store.referralsOfCase(caseId)).map((r) => referralView(r, now))
}

const linkFor = (deps: Deps, r: ReferralRecord, now: Date) => {
  const token = deps.crypto.randomToken()
  const link: ReferralLink = {
    tokenHash: deps.crypto.sha256(token),
    caseId: r.caseId,
    referralId: r.id,
    expiresAt: new Date(now.getTime() + LINK_DAYS * DAY).toISOString(),
  }
  return { token, link, url: `${deps.publicUrl ?? ''}/referrals/${token}` }
}

/**
 * The handling organisation's mediators and admins, or the jurisdiction's supervisors, refer a
 * case or a clue to one of the jurisdiction's active departments. The department's registered
 * contact gets the link by SMS; the referral, the link, the timeline event and the figures are
 * one write.
 */
export async function createReferral(
  deps: Deps,
  actor: Actor,
  caseId: string,
  input: CreateReferralInput,
): Promise<ReferralView> {
  const { record, relation, staff } = await staffCase(deps, actor, caseId)
  if (!mayRefer(staff, relation) || !record.jurisdiction)
    throw new VisibleError('forbidden', 'auth.forbidden')
  const department = await deps.store.getDepartment(input.departmentId)
  if (!department?.active || department.jurisdiction !== record.jurisdiction)
    throw new VisibleError('input', 'referral.department_not_found', undefined, {
      departmentId: 'referral.department_not_found',
    })
  const now = deps.clock.now()
  let dueOn: string
  try {
    dueOn = dueDate(input, department, now)
  } catch {
    throw new VisibleError('input', 'referral.due_range', undefined, { dueOn: 'referral.due_range' })
  }
  const referral = newReferral({
    id: deps.crypto.id(),
    caseId,
    caseNumber: record.number,
    ...(record.orgId ? { orgId: record.orgId } : {}),
    jurisdiction: record.jurisdiction,
    area: areaOf(record),
    department,
    input,
    dueOn,
    by: { username: staff.username, name: staff.name },
    // A double tap, or a colleague sending the same thing at once: the store refuses the second.
    dedupeKey: deps.crypto.sha256(`${department.id}\n${input.message}`),
    now,
  })
  const { link, url } = linkFor(deps, referral, now)
  const created = await deps.store.createReferral(
    referral,
    link,
    event(record, now, 'referral.sent', { by: staff.username, actorRole: 'staff' }, referral),
    referralDelta(referral.facts),
  )
  if (!created) throw new VisibleError('conflict', 'referral.duplicate')
  await textAfterWrite(
    deps,
    'referral',
    department.contactPhone,
    `【解纷】${(await orgName(deps, staff.orgId)) || staff.jurisdiction}向贵单位${referral.kind === 'clue' ? '推送线索' : '转介案件'}（${record.number}），请于${dueOn}前反馈。打开链接后用本手机号收取验证码查看：${url}`,
  )
  return referralView(referral, now)
}

function event(
  record: CaseRecord,
  now: Date,
  type: string,
  who: { by?: string; actorRole: TimelineEvent['actorRole'] },
  r: ReferralRecord,
  extra: Partial<TimelineEvent> = {},
): TimelineEvent {
  return {
    at: now.toISOString(),
    type,
    actorRole: who.actorRole,
    ...(who.by ? { by: who.by } : {}),
    from: record.status,
    to: record.status,
    ...extra,
    meta: { referral: r.id, department: r.departmentName, dueOn: r.dueOn, ...extra.meta },
  }
}

/**
 * A transferred or escalated case takes its open referrals along: they move to the new
 * organisation's work list. (Answers are still texted to whoever referred them.)
 */
export async function followCase(deps: Deps, caseId: string, orgId: string): Promise<void> {
  for (const r of await deps.store.referralsOfCase(caseId)) {
    if (r.status === 'closed' || r.orgId === orgId) continue
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = attempt === 0 ? r : await deps.store.getReferral(caseId, r.id)
      if (!current || current.status === 'closed') break
      if (
        await deps.store.updateReferral(
          { ...current, orgId, version: current.version + 1 },
          current.version,
          [],
          [],
        )
      )
        break
    }
  }
}

/** What the referring department is told, by how the case ended. */
const ENDINGS: Record<string, string> = {
  resolved: '调解成功，已达成调解协议',
  failed: '调解未成功',
  declined: '对方不同意调解，调解未能进行',
  withdrawn: '申请人撤回了申请',
  closed: '案件已结束',
}

/**
 * 事事有回音: a case a partner department referred in tells that department how it ended, at its
 * registered contact. Called by every write that can end a case; nothing happens for cases that
 * did not come from a department, or that were already over.
 */
export async function tellReferringDepartment(
  deps: Deps,
  before: CaseRecord,
  after: CaseRecord,
): Promise<void> {
  if (!after.referredIn || isOpen(after.status) || !isOpen(before.status)) return
  const department = await deps.store.getDepartment(after.referredIn.departmentId)
  if (!department?.active) return
  const ending =
    after.status === 'closed' && after.outcome?.kind === 'no_response'
      ? '对方未在期限内答复，调解未能进行'
      : (ENDINGS[after.status] ?? '案件已结束')
  await textAfterWrite(
    deps,
    'referral',
    department.contactPhone,
    `【解纷】贵单位转来的纠纷（贵单位编号${after.referredIn.reference}，调解案件${after.number}）：${ending}。`,
  )
}

/** Who may refer, and remind: the handling organisation's mediators and admins, the jurisdiction's supervisors. */
const mayRefer = (staff: Staff, relation: string) =>
  (relation === 'handling_org' && (staff.role === 'mediator' || staff.role === 'centre_admin')) ||
  (relation === 'supervisor' && staff.role === 'supervisor')

/** A referral's link may be sent again once in this many minutes. */
export const REMIND_EVERY_MINUTES = 10

/**
 * Sends the department its link again, fresh (the SMS was lost, or the contact changed): the old
 * link keeps working. Once per REMIND_EVERY_MINUTES, and not once the referral is closed.
 */
export async function remindReferral(
  deps: Deps,
  actor: Actor,
  caseId: string,
  referralId: string,
): Promise<ReferralView> {
  const { record, relation, staff } = await staffCase(deps, actor, caseId)
  if (!mayRefer(staff, relation)) throw new VisibleError('forbidden', 'auth.forbidden')
  const referral = await deps.store.getReferral(caseId, referralId)
  if (!referral) throw new VisibleError('not_found', 'referral.not_found')
  if (referral.status === 'closed') throw new VisibleError('conflict', 'referral.closed')
  const department = await deps.store.getDepartment(referral.departmentId)
  if (!department?.active) throw new VisibleError('conflict', 'referral.department_not_found')
  const now = deps.clock.now()
  // Checked against the referral itself, so the version-checked write below settles any race.
  const nextAllowed = referral.lastRemindedAt
    ? Date.parse(referral.lastRemindedAt) + REMIND_EVERY_MINUTES * 60_000
    : 0
  if (now.getTime() < nextAllowed)
    throw new VisibleError(
      'rate_limited',
      'referral.remind_too_soon',
      undefined,
      undefined,
      Math.ceil((nextAllowed - now.getTime()) / 1000),
    )
  const next = { ...referral, lastRemindedAt: now.toISOString(), version: referral.version + 1 }
  const { link, url } = linkFor(deps, next, now)
  const written = await deps.store.updateReferral(
    next,
    referral.version,
    [event(record, now, 'referral.reminded', { by: staff.username, actorRole: 'staff' }, referral)],
    [],
    link,
  )
  if (!written) throw new VisibleError('conflict', 'case.version_conflict')
  await textAfterWrite(
    deps,
    'referral',
    department.contactPhone,
    `【解纷】提醒：案件${record.number}的${referral.kind === 'clue' ? '线索' : '转介'}请于${referral.dueOn}前反馈。打开链接后用本手机号收取验证码查看：${url}`,
  )
  return referralView(next, now)
}

/** The organisation's work list: referrals still awaiting an answer, overdue first. */
export async function queueReferrals(deps: Deps, staff: Staff): Promise<QueueReferral[]> {
  const now = deps.clock.now()
  return (await deps.store.referralsOfOrg(staff.orgId, 50))
    .map((r) => queueReferral(r, now))
    .sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.dueOn.localeCompare(b.dueOn))
}

// ───────────────────────────── the department, by link and code ─────────────────────────────

/** Unknown, malformed and expired links all look the same. */
async function byLink(deps: Deps, token: string) {
  const tokenHash = TOKEN.test(token) ? deps.crypto.sha256(token) : undefined
  const link = tokenHash ? await deps.store.getReferralLink(tokenHash) : undefined
  if (!tokenHash || !link || link.expiresAt <= deps.clock.now().toISOString())
    throw new VisibleError('not_found', 'referral.not_found')
  const [referral, record] = await Promise.all([
    deps.store.getReferral(link.caseId, link.referralId),
    deps.store.getCase(link.caseId),
  ])
  if (!referral || !record) throw new VisibleError('not_found', 'referral.not_found')
  // A closed referral's link shows what was answered for a while, then the parties' details are
  // no longer anyone's business there.
  if (
    referral.closedAt &&
    Date.parse(referral.closedAt) + CLOSED_LINK_DAYS * DAY <= deps.clock.now().getTime()
  )
    throw new VisibleError('not_found', 'referral.not_found')
  const department = await deps.store.getDepartment(referral.departmentId)
  return { tokenHash, referral, record, department }
}

const orgName = async (deps: Deps, orgId?: string) =>
  (orgId ? (await deps.store.getOrg(orgId))?.name : undefined) ?? ''

/** Before the code: whose link it is and where the code goes. Nothing about the case. */
export async function referralAbout(deps: Deps, token: string): Promise<ReferralAbout> {
  const { referral, department } = await byLink(deps, token)
  return {
    departmentName: referral.departmentName,
    orgName: await orgName(deps, referral.orgId),
    contactPhone: department ? maskPhone(department.contactPhone) : '',
    dueOn: referral.dueOn,
    status: referral.status,
  }
}

const codeKey = (deps: Deps, tokenHash: string) => deps.crypto.hmac(`refcode:${tokenHash}`)
const codeHash = (deps: Deps, tokenHash: string, code: string) =>
  deps.crypto.hmac(`refotp:${tokenHash}:${code}`)

/**
 * Sends a code to the department's registered contact — as registered now, so a department that
 * changed its contact is reached there — under the sign-in code rules (resend, lock-out, per address).
 */
export async function sendReferralCode(deps: Deps, token: string, source?: string) {
  await assertSourceLimit(deps, 'otp_send', source)
  const { tokenHash, department } = await byLink(deps, token)
  if (!department?.active) throw new VisibleError('not_found', 'referral.not_found')
  const now = deps.clock.now()
  const key = codeKey(deps, tokenHash)
  const previous = await deps.store.getOtp(key)
  assertMaySend(previous, now)
  const code = deps.crypto.otpCode()
  if (!(await deps.store.putOtp(key, issued(previous, codeHash(deps, tokenHash, code), now), previous)))
    throw new VisibleError(
      'rate_limited',
      'auth.otp_too_soon',
      undefined,
      undefined,
      OTP_POLICY.resendAfterSeconds,
    )
  await deps.sms.send(department.contactPhone, `【解纷】部门反馈验证码${code}，5分钟内有效。请勿告诉他人。`)
  return { resendAfter: OTP_POLICY.resendAfterSeconds, contactPhone: maskPhone(department.contactPhone) }
}

/** A right code opens the referral for ACCESS_MINUTES: the page holds the access token in memory. */
export async function openReferral(deps: Deps, token: string, code: string, source?: string) {
  await assertSourceLimit(deps, 'otp_verify', source)
  const { tokenHash } = await byLink(deps, token)
  const key = codeKey(deps, tokenHash)
  for (let attempt = 0; attempt < 5; attempt++) {
    const now = deps.clock.now()
    const state = await deps.store.getOtp(key)
    const outcome = verify(state, codeHash(deps, tokenHash, code), now)
    if (outcome.ok && state) {
      if (!(await deps.store.consumeOtp(key, state))) throw new VisibleError('input', 'auth.otp_invalid')
      const access = deps.crypto.randomToken()
      const expiresAt = new Date(now.getTime() + ACCESS_MINUTES * 60_000).toISOString()
      await deps.store.putReferralAccess(deps.crypto.sha256(access), tokenHash, expiresAt)
      return { access, expiresAt, referral: await referralForDepartment(deps, token, access) }
    }
    if (!outcome.ok) {
      if (!outcome.next || outcome.next === state) throw outcome.error
      if (await deps.store.putOtp(key, outcome.next, state)) throw outcome.error
    }
  }
  throw new VisibleError('rate_limited', 'auth.otp_too_soon', undefined, undefined, 1)
}

/** The link and an access token opened by the code for that same link, or 401. */
async function withAccess(deps: Deps, token: string, access: string | undefined) {
  const found = await byLink(deps, token)
  const grant =
    access && TOKEN.test(access) ? await deps.store.getReferralAccess(deps.crypto.sha256(access)) : undefined
  if (!grant || grant.tokenHash !== found.tokenHash || grant.expiresAt <= deps.clock.now().toISOString())
    throw new VisibleError('unauthorized', 'referral.code_required')
  // A department switched off (merged, wrong contact) no longer reads or answers.
  if (!found.department?.active) throw new VisibleError('not_found', 'referral.not_found')
  return found
}

export async function referralForDepartment(
  deps: Deps,
  token: string,
  access: string | undefined,
): Promise<ReferralForDepartment> {
  const { referral, record } = await withAccess(deps, token, access)
  const input = record.input
  const show = (phone: string | undefined) =>
    phone ? (referral.shareParties ? phone : maskPhone(phone)) : ''
  const masked = (name: string) => (referral.shareParties || !name ? name : `${name.slice(0, 1)}**`)
  return {
    caseNumber: record.number,
    orgName: await orgName(deps, referral.orgId),
    byName: referral.byName,
    kind: referral.kind,
    message: referral.message,
    dueOn: referral.dueOn,
    overdue: referralView(referral, deps.clock.now()).overdue,
    status: referral.status,
    disputeType: DISPUTE_LABELS['zh-CN'][input.disputeType] ?? input.disputeType,
    area: [input.location.district, input.location.street].filter(Boolean).join(''),
    description: input.description,
    ...(input.amountInDispute !== undefined ? { amount: input.amountInDispute } : {}),
    parties: [
      {
        role: 'applicant' as const,
        name: masked(record.intake?.callerName ?? record.referredIn?.applicantName ?? ''),
        phone: show(record.applicantPhone),
      },
      {
        role: 'respondent' as const,
        name: masked(input.respondent.name),
        phone: show(input.respondent.phone),
      },
    ],
    replies: referral.replies,
  }
}

/**
 * The department's answer: on the timeline, in the figures (answered; no longer overdue), and
 * texted to whoever referred it. "In progress" keeps the link open for the final word.
 */
export async function replyToReferral(
  deps: Deps,
  token: string,
  access: string | undefined,
  input: ReferralReplyInput,
): Promise<ReferralForDepartment> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const { referral, record } = await withAccess(deps, token, access)
    const now = deps.clock.now()
    let next: ReferralRecord
    try {
      next = withReply(referral, { at: now.toISOString(), ...input })
    } catch {
      throw new VisibleError('conflict', 'referral.closed')
    }
    const written = await deps.store.updateReferral(
      next,
      referral.version,
      [
        event(
          record,
          now,
          referral.status === 'awaiting' ? 'referral.answered' : 'referral.replied',
          { actorRole: 'system' },
          referral,
          {
            note: input.text.slice(0, 500),
            meta: { outcome: input.outcome, responder: input.responder },
          },
        ),
      ],
      referralDelta(next.facts, referral.facts),
    )
    if (!written) continue
    const staff = await deps.store.getStaff(referral.by)
    if (staff?.phone)
      await textAfterWrite(
        deps,
        'referral',
        staff.phone,
        `【解纷】${referral.departmentName}已反馈案件${record.number}的${referral.kind === 'clue' ? '线索' : '转介'}：${deps.publicUrl ?? ''}/staff/cases/${record.id}`,
      )
    return referralForDepartment(deps, token, access)
  }
  throw new VisibleError('conflict', 'case.version_conflict')
}

// ───────────────────────────── the job: chasing ─────────────────────────────

/**
 * The job's part: a referral past its due date with no answer is marked overdue (in the figures
 * and on the timeline), its department gets a reminder with a fresh link, and whoever referred it
 * hears the first time. Again every CHASE_EVERY_DAYS, MAX_CHASES times. The version check means
 * two runs at once chase once.
 */
export async function chaseReferrals(deps: Deps, jurisdiction: string, now: Date): Promise<number> {
  let chasedCount = 0
  for (const due of await deps.store.referralsToChase(jurisdiction, now, CHASE_BATCH)) {
    if (due.status !== 'awaiting') continue
    const record = await deps.store.getCase(due.caseId)
    if (!record) continue
    const next = chased(due, now)
    const { token: _t, link, url } = linkFor(deps, next, now)
    const written = await deps.store.updateReferral(
      next,
      due.version,
      [
        event(record, now, 'referral.overdue', { actorRole: 'system' }, due, {
          note: `${next.chases}/${MAX_CHASES}`,
        }),
      ],
      referralDelta(next.facts, due.facts),
      link,
    )
    if (!written) continue
    chasedCount++
    const department = await deps.store.getDepartment(due.departmentId)
    if (department?.active)
      await textAfterWrite(
        deps,
        'referral',
        department.contactPhone,
        `【解纷】催办：案件${record.number}的${due.kind === 'clue' ? '线索' : '转介'}已于${due.dueOn}到期，尚未收到贵单位反馈，请尽快反馈：${url}`,
      )
    if (next.chases === 1) {
      const staff = await deps.store.getStaff(due.by)
      if (staff?.phone)
        await textAfterWrite(
          deps,
          'referral',
          staff.phone,
          `【解纷】${due.departmentName}逾期未反馈案件${record.number}的${due.kind === 'clue' ? '线索' : '转介'}（到期${due.dueOn}），系统已催办。`,
        )
    }
  }
  return chasedCount
}
