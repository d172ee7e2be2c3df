import { assertCanSee } from './access.ts'
import type { Actor } from './actor.ts'
import type { CaseRecord, TimelineEvent } from './case.ts'
import { VisibleError } from './errors.ts'
import {
  FOLLOW_UP_TOKEN_DAYS,
  type FollowUpAnswer,
  type FollowUpAnswerInput,
  type FollowUpParty,
  type FollowUpQuestion,
  type FollowUpRecord,
  type FollowUpToken,
  followUpView,
  isRelapse,
  type RecordFollowUpInput,
} from './follow-up.ts'
import { areaOf, followUpAnswered } from './insight.ts'
import { textAfterWrite } from './notify.ts'
import type { Deps } from './ports.ts'
import { transition } from './workflow.ts'
import { adjustLoad } from './workflow-service.ts'

const DAY = 86400_000
/** The job sends at most this many per jurisdiction and run; the rest go 15 minutes later. */
const SEND_BATCH = 100
const TOKEN = /^[A-Za-z0-9_-]{32,64}$/
const SYSTEM: Actor = { kind: 'system', name: 'follow-up' }

const partyPhones = (record: CaseRecord) =>
  [
    { party: 'applicant' as const, phone: record.applicantPhone },
    { party: 'respondent' as const, phone: record.input.respondent.phone },
  ].filter((p): p is { party: FollowUpParty; phone: string } => Boolean(p.phone))

const what = (f: FollowUpRecord) =>
  f.instalment ? `${f.instalment.dueOn}应付的${f.instalment.amount}元是否已经支付` : '调解协议是否已经履行'

/**
 * The job's part: texts both parties of every follow-up now due a link of their own, valid for
 * FOLLOW_UP_TOKEN_DAYS. The follow-up leaves the due index in the same write that stores the
 * links, so a second run — or two runs at once — texts nobody twice. A case no longer resolved
 * (reopened) is not asked; its follow-up is marked skipped.
 */
export async function sendDueFollowUps(deps: Deps, jurisdiction: string, now: Date): Promise<number> {
  let sent = 0
  const at = now.toISOString()
  for (const due of await deps.store.dueFollowUps(jurisdiction, now, SEND_BATCH)) {
    const record = await deps.store.getCase(due.caseId)
    const event = (type: string): TimelineEvent => ({
      at,
      type,
      actorRole: 'system',
      from: record?.status,
      to: record?.status,
      meta: { followUp: due.id },
    })
    if (record?.status !== 'resolved') {
      await deps.store.markFollowUpSent({ ...due, status: 'skipped' }, [], event('follow_up.skipped'))
      continue
    }
    const expiresAt = new Date(now.getTime() + FOLLOW_UP_TOKEN_DAYS * DAY).toISOString()
    // A party already reached by phone is not texted too.
    const parties = partyPhones(record)
    const links = parties
      .filter((p) => !due.answeredBy?.includes(p.party))
      .map((p) => ({ ...p, token: deps.crypto.randomToken() }))
    const tokens: FollowUpToken[] = links.map((l) => ({
      tokenHash: deps.crypto.sha256(l.token),
      caseId: record.id,
      followUpId: due.id,
      party: l.party,
      expiresAt,
    }))
    if (
      !(await deps.store.markFollowUpSent(
        { ...due, status: 'sent', sentAt: at, parties: parties.map((p) => p.party) },
        tokens,
        event('follow_up.sent'),
      ))
    )
      continue
    for (const l of links)
      await textAfterWrite(
        deps,
        'follow-up',
        l.phone,
        `【解纷】回访：案件${record.number}，${what(due)}？您对这次调解满意吗？请点击回答（${FOLLOW_UP_TOKEN_DAYS}天内有效）：${deps.publicUrl ?? ''}/follow-up/${l.token}`,
      )
    sent++
  }
  return sent
}

/** The link's token is the credential: unknown, malformed and expired tokens all look the same. */
async function tokenOf(deps: Deps, token: string) {
  const found = TOKEN.test(token) ? await deps.store.getFollowUpToken(deps.crypto.sha256(token)) : undefined
  if (!found || found.expiresAt <= deps.clock.now().toISOString())
    throw new VisibleError('not_found', 'follow_up.not_found')
  const [followUp, record] = await Promise.all([
    deps.store.getFollowUp(found.caseId, found.followUpId),
    deps.store.getCase(found.caseId),
  ])
  if (!followUp || !record) throw new VisibleError('not_found', 'follow_up.not_found')
  return { found, followUp, record }
}

/** Public, by SMS link: what the party is asked, and whether they already answered. No names. */
export async function followUpQuestion(deps: Deps, token: string): Promise<FollowUpQuestion> {
  const { found, followUp, record } = await tokenOf(deps, token)
  const answered = await deps.store.getFollowUpAnswer(record.id, followUp.id, found.party)
  return {
    caseNumber: record.number,
    party: found.party,
    kind: followUp.kind,
    dueAt: followUp.dueAt,
    ...(followUp.instalment ? { instalment: followUp.instalment } : {}),
    answered: Boolean(answered),
    expiresAt: found.expiresAt,
  }
}

/** Public, by SMS link: the party's answer, accepted once. "Not carried out" reopens the case. */
export async function answerFollowUp(deps: Deps, token: string, input: FollowUpAnswerInput) {
  const { found, followUp, record } = await tokenOf(deps, token)
  await storeAnswer(deps, record, followUp, {
    caseId: record.id,
    followUpId: followUp.id,
    party: found.party,
    carriedOut: input.carriedOut,
    satisfaction: input.satisfaction,
    ...(input.comment ? { comment: input.comment } : {}),
    channel: 'sms',
    answeredAt: deps.clock.now().toISOString(),
  })
  return followUpQuestion(deps, token)
}

/** A case's follow-ups for anyone who may see the case; staff also see what the parties answered. */
export async function listFollowUps(deps: Deps, actor: Actor, caseId: string) {
  assertCanSee(actor, await deps.store.getCase(caseId))
  const { followUps, answers } = await deps.store.followUpsOfCase(caseId)
  return followUps.map((f) => followUpView(f, answers, actor.kind === 'staff'))
}

/**
 * Staff of the handling organisation note a follow-up made by phone for one party — the same
 * once-per-party answer as the SMS link, so a party is never counted twice.
 */
export async function recordFollowUp(
  deps: Deps,
  actor: Actor,
  caseId: string,
  followUpId: string,
  input: RecordFollowUpInput,
) {
  const { record, relation } = assertCanSee(actor, await deps.store.getCase(caseId))
  if (
    actor.kind !== 'staff' ||
    relation !== 'handling_org' ||
    (actor.role !== 'mediator' && actor.role !== 'centre_admin')
  )
    throw new VisibleError('forbidden', 'auth.forbidden')
  const followUp = await deps.store.getFollowUp(caseId, followUpId)
  if (!followUp) throw new VisibleError('not_found', 'follow_up.not_found')
  await storeAnswer(deps, record, followUp, {
    caseId,
    followUpId,
    party: input.party,
    carriedOut: input.carriedOut,
    ...(input.satisfaction !== undefined ? { satisfaction: input.satisfaction } : {}),
    ...(input.comment ? { comment: input.comment } : {}),
    channel: 'phone',
    by: actor.username,
    answeredAt: deps.clock.now().toISOString(),
  })
  return listFollowUps(deps, actor, caseId)
}

async function storeAnswer(deps: Deps, record: CaseRecord, followUp: FollowUpRecord, answer: FollowUpAnswer) {
  const facts = record.jurisdiction
    ? {
        jurisdiction: record.jurisdiction,
        area: areaOf(record),
        answeredAt: answer.answeredAt,
        ...(record.mediatorId ? { mediatorId: record.mediatorId } : {}),
        ...(answer.satisfaction !== undefined ? { satisfaction: answer.satisfaction } : {}),
        carriedOut: !isRelapse(answer),
      }
    : undefined
  const event: TimelineEvent = {
    at: answer.answeredAt,
    type: answer.channel === 'phone' ? 'follow_up.recorded' : 'follow_up.answered',
    actorRole:
      answer.channel === 'phone' ? 'staff' : answer.party === 'respondent' ? 'respondent' : 'citizen',
    ...(answer.by ? { by: answer.by } : {}),
    from: record.status,
    to: record.status,
    meta: { followUp: followUp.id, party: answer.party, carriedOut: answer.carriedOut },
  }
  const stored = { ...answer, ...(facts ? { facts } : {}) }
  const cells = facts ? followUpAnswered(facts) : []
  // The other party may answer at the same moment: their write moves the follow-up, so read it
  // again and add this answer to theirs.
  let current = followUp
  for (let attempt = 0; ; attempt++) {
    if (current.answeredBy?.includes(answer.party)) throw new VisibleError('conflict', 'follow_up.answered')
    const next = { ...current, answeredBy: [...(current.answeredBy ?? []), answer.party] }
    if (await deps.store.putFollowUpAnswer(stored, event, cells, next)) break
    const again = await deps.store.getFollowUp(followUp.caseId, followUp.id)
    if (!again || attempt >= 3) throw new VisibleError('conflict', 'follow_up.answered')
    current = again
  }
  if (isRelapse(answer))
    await reopen(
      deps,
      record.id,
      `回访反映协议未履行（${answer.party === 'applicant' ? '申请人' : '被申请人'}）`,
    )
}

/**
 * 反弹: a "not carried out" answer takes the case back to mediation through the state machine, at
 * orange risk at least, and texts the mediator. A case already reopened (the other party said the
 * same a moment earlier) is left as it is.
 */
async function reopen(deps: Deps, caseId: string, reason: string) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const record = await deps.store.getCase(caseId)
    if (record?.status !== 'resolved') return
    const { next, event } = transition(
      SYSTEM,
      'handling_org',
      record,
      { action: 'reopen', expectedVersion: record.version, reason },
      { now: deps.clock.now(), actorId: 'system', stageDays: deps.stageDays },
    )
    if (!(await deps.store.applyTransition(next, record.version, event, record))) continue
    if (!record.mediatorId) return
    await adjustLoad(deps, record.mediatorId, +1)
    const mediator = await deps.store.getStaff(record.mediatorId)
    if (mediator?.phone)
      await textAfterWrite(
        deps,
        'relapse',
        mediator.phone,
        `【解纷】反弹预警：案件${record.number}回访反映调解协议未履行，案件已重新进入调解，请尽快联系当事人：${deps.publicUrl ?? ''}/staff/cases/${record.id}`,
      )
    return
  }
}
