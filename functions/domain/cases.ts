import { assertCanSee, relationTo } from './access.ts'
import { type Actor, assertCitizen } from './actor.ts'
import {
  type CaseRecord,
  type CaseSummary,
  type CaseView,
  type CreateCaseInput,
  type CreatedCase,
  caseNumber,
  caseView,
  fileCase,
  type TimelineEvent,
} from './case.ts'
import { VisibleError } from './errors.ts'
import { notifySupervisors } from './jobs.ts'
import type { Deps } from './ports.ts'
import { gradeRisk, type RiskInput } from './risk.ts'
import { type Organisation, screeningOrg } from './staff.ts'
import { allowedActions, DEFAULT_STAGE_DAYS } from './workflow.ts'

/** Idempotency records outlive any client's retries by a wide margin, then expire by TTL. */
const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000

/**
 * Files a case once per idempotency key. A retry of the same request answers with the same case;
 * the same key with a different body is refused, so a client bug cannot be mistaken for a retry.
 * Online requests go to the tier-1 room serving the applicant's street for screening.
 */
export async function createCase(
  deps: Deps,
  actor: Actor,
  input: CreateCaseInput,
  idempotencyKey: string,
): Promise<CreatedCase & { replayed: boolean }> {
  const citizen = assertCitizen(actor)
  return fileOnce(
    deps,
    { scope: citizen.citizenId, key: idempotencyKey, body: input },
    async (id, number, now) => {
      const { record, event } = fileCase({
        id,
        number,
        applicantId: citizen.citizenId,
        applicantPhone: citizen.phone,
        input,
        now,
      })
      const routed = await route(deps, record, now)
      return { record: { ...routed, source: 'online' }, event, links: [] }
    },
  )
}

/**
 * Where a new case goes, how risky it looks, and which earlier cases it repeats. Shared by online
 * filing and police intake, so both are graded by the same rules.
 */
export async function route(
  deps: Deps,
  record: CaseRecord,
  now: Date,
  target?: Organisation,
  extra: Partial<RiskInput> = {},
): Promise<CaseRecord> {
  const { district, street } = record.input.location
  const org = target ?? screeningOrg(await deps.store.listOrgs(), district, street)
  const related = await relatedCases(deps, record, now)
  const risk = gradeRisk({
    disputeType: record.input.disputeType,
    description: record.input.description,
    amountInDispute: record.input.amountInDispute,
    repeatCalls: related.length,
    ...extra,
  })
  return {
    ...record,
    orgId: org?.id,
    tier: org?.tier,
    jurisdiction: org?.jurisdiction ?? district,
    stageDeadline: new Date(
      now.getTime() + ({ ...DEFAULT_STAGE_DAYS, ...deps.stageDays }.submitted ?? 3) * 86400_000,
    ).toISOString(),
    riskLevel: risk.level,
    riskSignals: risk.signals.map((s) => s.code),
    relatedCaseIds: related.length ? related : undefined,
  }
}

/** Earlier cases (within 90 days) with the same applicant phone, respondent phone or address. */
async function relatedCases(deps: Deps, record: CaseRecord, now: Date): Promise<string[]> {
  const since = new Date(now.getTime() - 90 * 86400_000)
  const ids = new Set<string>()
  // A handful is enough to call it a repeat; a busy employer's hundred cases need not all be read.
  for (const owner of repeatKeys(deps, record)) {
    for (const id of await deps.store.linkedCaseIds(owner, { since, limit: 10 })) ids.add(id)
  }
  ids.delete(record.id)
  return [...ids]
}

function repeatKeys(deps: Deps, record: CaseRecord): string[] {
  const { location, respondent } = record.input
  const keys = [`REPEAT#${deps.crypto.hmac(`phone:${record.applicantPhone}`)}`]
  if (respondent.phone) keys.push(`REPEAT#${deps.crypto.hmac(`phone:${respondent.phone}`)}`)
  if (location.address)
    keys.push(
      `REPEAT#${deps.crypto.hmac(`addr:${[location.district, location.street, location.address].join('|').replace(/\s/g, '')}`)}`,
    )
  return keys
}

/** The idempotent write shared by every way a case is created. */
export async function fileOnce(
  deps: Deps,
  request: { scope: string; key: string; body: unknown },
  build: (
    id: string,
    number: string,
    now: Date,
  ) => Promise<{ record: CaseRecord; event: TimelineEvent; links: string[] }>,
): Promise<CreatedCase & { replayed: boolean }> {
  const bodyHash = deps.crypto.sha256(stableJson(request.body))
  const replay = await replayed(deps, request.scope, request.key, bodyHash)
  if (replay) return replay
  const now = deps.clock.now()
  const year = now.getUTCFullYear()
  const sequence = await deps.store.nextCaseSequence(year)
  const { record, event, links } = await build(deps.crypto.id(), caseNumber(year, sequence), now)
  const outcome = await deps.store.createCase({
    record,
    event,
    idempotency: {
      scope: request.scope,
      key: request.key,
      bodyHash,
      expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
    },
    links: [...new Set([...links, ...repeatKeys(deps, record)])],
  })
  if (outcome === 'duplicate') {
    const again = await replayed(deps, request.scope, request.key, bodyHash)
    if (again) return again
    throw new VisibleError('conflict', 'request.idempotency_mismatch')
  }
  await notifySupervisors(deps, record)
  return {
    id: record.id,
    number: record.number,
    status: record.status,
    version: record.version,
    replayed: false,
  }
}

async function replayed(deps: Deps, scope: string, key: string, bodyHash: string) {
  const previous = await deps.store.getIdempotency(scope, key)
  if (!previous) return undefined
  if (previous.bodyHash !== bodyHash) throw new VisibleError('unprocessable', 'request.idempotency_mismatch')
  const record = await deps.store.getCase(previous.caseId)
  if (!record) throw new VisibleError('unavailable', 'service.unavailable', undefined, undefined, 1)
  return {
    id: record.id,
    number: record.number,
    status: record.status,
    version: record.version,
    replayed: true,
  }
}

const summary = (r: CaseRecord): CaseSummary => ({
  id: r.id,
  number: r.number,
  status: r.status,
  disputeType: r.input.disputeType,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
})

/**
 * The caller's own cases, newest first: filed online, or reaching them by phone (a 110 call made
 * into a case, or an invitation as respondent).
 */
export async function listMyCases(deps: Deps, actor: Actor): Promise<CaseSummary[]> {
  const citizen = assertCitizen(actor)
  const own = await deps.store.listCasesByApplicant(citizen.citizenId)
  const linked = await deps.store.getCases(
    await deps.store.linkedCaseIds(`PARTY#${deps.crypto.hmac(`phone:${citizen.phone}`)}`),
  )
  const seen = new Set(own.map((r) => r.id))
  const visible = linked.filter((r) => !seen.has(r.id) && relationTo(actor, r))
  return [...own, ...visible].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1)).map(summary)
}

/** Internal steps parties do not see: risk judgements, supervisor alerts, contact reveals, deadline marks, referrals. */
const STAFF_ONLY_EVENTS: ReadonlySet<string> = new Set([
  'case.risk_overridden',
  'case.supervisor_notified',
  'case.contacts_revealed',
  'case.overdue',
  // Referrals to departments: a clue may concern one of the parties.
  'referral.sent',
  'referral.answered',
  'referral.replied',
  'referral.overdue',
  'referral.reminded',
])

/**
 * One case with its timeline, for anyone related to it. Someone else's case answers exactly like
 * a missing one, so ids cannot be probed.
 */
export async function getCase(deps: Deps, actor: Actor, id: string): Promise<CaseView> {
  const { record, relation } = assertCanSee(actor, await deps.store.getCase(id))
  const staff = actor.kind === 'staff'
  const timeline = await deps.store.timeline(id)
  return caseView(
    record,
    staff ? timeline : timeline.filter((e) => !STAFF_ONLY_EVENTS.has(e.type)).map(({ by: _by, ...e }) => e),
    {
      relation,
      allowedActions: allowedActions(actor, relation, record),
      staff,
      now: deps.clock.now(),
    },
  )
}

/** JSON with sorted keys, so the same body hashes the same whatever order a client sends. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}
