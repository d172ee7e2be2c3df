import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { relationTo } from '../../functions/domain/access.ts'
import type { Actor, Staff } from '../../functions/domain/actor.ts'
import { type CaseRecord, DISPUTE_TYPES } from '../../functions/domain/case.ts'
import { createCase } from '../../functions/domain/cases.ts'
import { recount, referralContribution } from '../../functions/domain/insight.ts'
import { runJobs } from '../../functions/domain/jobs.ts'
import {
  createReferral,
  openReferral,
  replyToReferral,
  sendReferralCode,
} from '../../functions/domain/referral-service.ts'
import type { Organisation } from '../../functions/domain/staff.ts'
import {
  ACTIONS,
  type ActionInput,
  type ActionName,
  allowedActions,
  GUIDANCE,
} from '../../functions/domain/workflow.ts'
import { act, registerIntake } from '../../functions/domain/workflow-service.ts'
import { rebuildAggregates, storedCells } from '../../functions/store/aggregates.ts'
import { DEMO_DEPARTMENTS } from '../../infra/local/seed.ts'
import { makeSystem, newKey, STAFF_PASSWORD, validCase } from './harness.ts'

/**
 * The figures are only worth anything if they equal a recount. A random sequence of 1,000 writes —
 * filings, police intakes, every workflow action by whoever may take it, referrals sent and answered,
 * the scheduled job closing and marking cases and chasing late referrals as the clock moves — goes through the real domain onto DynamoDB Local; then the
 * maintained cells and risk board must equal what the rebuild recounts from the cases.
 */
type System = Awaited<ReturnType<typeof makeSystem>>
let sys: System
let orgs: Organisation[]
const staffActors: Staff[] = []

const STREETS = ['城东街道', '城西街道', '滨江街道', '']
const DESCRIPTIONS = [
  '楼上装修把我家卫生间的防水弄坏了，一直漏水，找他几次都不理。',
  '饭店老板欠我两个月工资六千元，我已经离职回老家了。',
  '对方扬言要拿刀上门报复，还说要和我同归于尽，我很害怕。',
  '邻居家的狗每天晚上叫，老人孩子都睡不好，沟通没有用。',
]

async function addStaff(username: string, role: Staff['role'], org: Organisation) {
  await sys.deps.store.putStaff({
    username,
    name: username,
    role,
    orgId: org.id,
    jurisdiction: org.jurisdiction,
    skills: [],
    languages: [],
    passwordHash: await sys.deps.crypto.hashPassword(STAFF_PASSWORD),
    totpExempt: true,
    failedLogins: 0,
    sessionEpoch: 0,
    active: true,
    openCases: 0,
  })
}

beforeAll(async () => {
  sys = await makeSystem({ seedStaff: true })
  const linjiang: Organisation[] = [
    {
      id: 'lj-room',
      name: '江北调解室',
      tier: 1,
      kind: 'community_room',
      jurisdiction: '临江区',
      areas: ['江北街道'],
    },
    {
      id: 'lj-centre',
      name: '临江区调处中心',
      tier: 3,
      kind: 'district_centre',
      jurisdiction: '临江区',
      areas: [],
    },
  ]
  for (const o of linjiang) await sys.deps.store.putOrg(o)
  orgs = await sys.deps.store.listOrgs()
  const byId = (id: string) => orgs.find((o) => o.id === id) as Organisation
  await addStaff('admin-chengxi', 'centre_admin', byId('binhe-chengxi-room'))
  await addStaff('mediator-chengxi', 'mediator', byId('binhe-chengxi-room'))
  await addStaff('admin-centre', 'centre_admin', byId('binhe-centre'))
  await addStaff('lj-admin', 'centre_admin', byId('lj-room'))
  await addStaff('lj-mediator', 'mediator', byId('lj-room'))
  await addStaff('lj-centre-admin', 'centre_admin', byId('lj-centre'))
  await addStaff('lj-centre-mediator', 'mediator', byId('lj-centre'))
  for (const org of orgs) {
    for (const s of await sys.deps.store.staffOfOrg(org.id)) {
      staffActors.push({
        kind: 'staff',
        username: s.username,
        name: s.name,
        role: s.role,
        orgId: s.orgId,
        tier: org.tier,
        jurisdiction: org.jurisdiction,
      })
    }
  }
})

const Command = fc.oneof(
  {
    weight: 14,
    arbitrary: fc.record({
      kind: fc.constant('file' as const),
      street: fc.nat(STREETS.length - 1),
      type: fc.nat(DISPUTE_TYPES.length - 1),
      description: fc.nat(DESCRIPTIONS.length - 1),
      respondentPhone: fc.boolean(),
      phone: fc.nat(30),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('intake' as const),
      route: fc.constantFrom('transfer' as const, 'entrust' as const, 'joint' as const),
      street: fc.nat(STREETS.length - 1),
      description: fc.nat(1),
    }),
  },
  {
    weight: 70,
    arbitrary: fc.record({ kind: fc.constant('act' as const), pick: fc.nat(), choice: fc.nat() }),
  },
  {
    weight: 9,
    arbitrary: fc.record({ kind: fc.constant('tick' as const), hours: fc.integer({ min: 1, max: 24 * 12 }) }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('jobs' as const) }) },
  // Referrals to departments (信息互通): sent by the supervisor, answered by the department.
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('refer' as const), pick: fc.nat(), department: fc.nat(5) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('answer' as const),
      pick: fc.nat(),
      outcome: fc.constantFrom('in_progress' as const, 'done' as const, 'declined' as const),
    }),
  },
)
type Command = typeof Command extends fc.Arbitrary<infer T> ? T : never

const citizen = (phone: string, citizenId = `citizen-${phone}`): Actor => ({
  kind: 'citizen',
  citizenId,
  phone,
})

/** Moving a case on is likelier than moving it sideways, so random walks reach every ending. */
const WEIGHT: Partial<Record<ActionName, number>> = {
  accept: 3,
  record_consent: 3,
  respond: 3,
  resolve: 4,
  fail: 2,
}

/** Everyone who might act on a case, with the actions the state machine allows each of them. */
function candidates(record: CaseRecord): { actor: Actor; action: ActionName }[] {
  const people: Actor[] = [...staffActors]
  people.push(
    record.applicantId ? citizen(record.applicantPhone, record.applicantId) : citizen(record.applicantPhone),
  )
  if (record.input.respondent.phone) people.push(citizen(record.input.respondent.phone))
  const out: { actor: Actor; action: ActionName }[] = []
  for (const actor of people) {
    const relation = relationTo(actor, record)
    if (!relation) continue
    for (const action of allowedActions(actor, relation, record))
      for (let w = 0; w < (WEIGHT[action] ?? 1); w++) out.push({ actor, action })
  }
  return out
}

async function inputFor(
  record: CaseRecord,
  action: ActionName,
  choice: number,
): Promise<ActionInput | undefined> {
  const expectedVersion = record.version
  switch (action) {
    case 'accept': {
      const pool = (await sys.deps.store.staffOfOrg(record.orgId ?? '')).filter((s) => s.role === 'mediator')
      const m = pool[choice % Math.max(1, pool.length)]
      return m ? { action, expectedVersion, mediatorId: m.username } : undefined
    }
    case 'return':
      return { action, expectedVersion, reason: '不属于调解范围' }
    case 'transfer': {
      const others = orgs.filter((o) => o.id !== record.orgId)
      return {
        action,
        expectedVersion,
        orgId: (others[choice % others.length] as Organisation).id,
        reason: '移交处理更合适',
      }
    }
    case 'escalate':
      return { action, expectedVersion, reason: 'stuck' }
    case 'record_consent':
      return { action, expectedVersion, agreed: choice % 3 !== 0, note: '电话确认对方意愿' }
    case 'respond':
      return { action, expectedVersion, agreed: choice % 3 !== 0 }
    case 'resolve':
      return { action, expectedVersion, summary: '双方达成协议' }
    case 'fail':
      return {
        action,
        expectedVersion,
        reason: '双方分歧太大',
        guidance: GUIDANCE[choice % GUIDANCE.length] ?? 'other',
      }
    case 'withdraw':
      return { action, expectedVersion, reason: '已经私下解决' }
    case 'reopen':
      return { action, expectedVersion, reason: '回访反映协议未履行' }
    case 'override_risk':
      return {
        action,
        expectedVersion,
        level: (['red', 'orange', 'yellow', 'none'] as const)[choice % 4] ?? 'none',
        reason: '重新评估风险',
      }
  }
}

describe('aggregates equal a recount', () => {
  it('while twenty filings land in the same area and month at once', async () => {
    const cookie = await sys.signIn('13500002222')
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        sys.call('POST', '/api/cases', {
          cookie,
          body: validCase(),
          headers: { 'idempotency-key': newKey() },
        }),
      ),
    )
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201))
    const { records } = await sys.deps.store.allCasesOfJurisdiction('滨河区', 100_000)
    expect(await storedCells(sys.db, sys.tableName, '滨河区')).toEqual(recount(records))
  })

  it('after a random sequence of 1,000 writes through the domain (and the twenty above)', async () => {
    const caseIds: string[] = []
    const links: { token: string; phone: string }[] = []
    const supervisor = staffActors.find((a) => a.username === 'supervisor1') as Staff
    const tally = { writes: 0, actions: {} as Record<string, number>, refused: 0 }
    await fc.assert(
      fc.asyncProperty(
        fc.array(Command, { minLength: 1400, maxLength: 1400 }),
        async (commands: Command[]) => {
          for (const c of commands) {
            if (tally.writes >= 1000) break
            if (c.kind === 'file' || (c.kind === 'act' && caseIds.length === 0)) {
              const f =
                c.kind === 'file'
                  ? c
                  : { street: 0, type: 0, description: 0, respondentPhone: true, phone: 0 }
              const phone = `1370000${String(1000 + f.phone)}`
              const input = {
                ...validCase(),
                disputeType: DISPUTE_TYPES[f.type] ?? 'other',
                description: DESCRIPTIONS[f.description] ?? '',
                location: { district: '滨河区', ...(STREETS[f.street] ? { street: STREETS[f.street] } : {}) },
                respondent: f.respondentPhone ? { name: '对方', phone: '13900139000' } : { name: '对方' },
                amountInDispute: 1000,
              }
              const created = await createCase(sys.deps, citizen(phone), input as never, newKey())
              caseIds.push(created.id)
              tally.writes++
            } else if (c.kind === 'intake') {
              const police = staffActors.find((s) => s.username === 'police1') as Staff
              const created = await registerIntake(
                sys.deps,
                police,
                {
                  route: c.route,
                  call: {
                    number: newKey(),
                    time: sys.clock.now().toISOString(),
                    callerName: '报警人',
                    callerPhone: '13811112222',
                  },
                  dispute: {
                    ...validCase(),
                    disputeType: 'neighbour',
                    description: DESCRIPTIONS[c.description] ?? '',
                    location: {
                      district: '滨河区',
                      ...(STREETS[c.street] ? { street: STREETS[c.street] } : {}),
                    },
                    amountInDispute: undefined,
                  } as never,
                  exclusionsReviewed: true,
                },
                newKey(),
              )
              caseIds.push(created.id)
              tally.writes++
            } else if (c.kind === 'act') {
              const record = await sys.deps.store.getCase(caseIds[c.pick % caseIds.length] as string)
              if (!record) throw new Error('case vanished')
              const options = candidates(record)
              const pick = options[c.choice % Math.max(1, options.length)]
              const input = pick && (await inputFor(record, pick.action, c.choice))
              if (!pick || !input) {
                tally.refused++
                continue
              }
              try {
                await act(sys.deps, pick.actor, record.id, input)
                tally.writes++
                tally.actions[input.action] = (tally.actions[input.action] ?? 0) + 1
              } catch (e) {
                // The state machine may still refuse (no org above tier 3, the target is the same org).
                if ((e as { name?: string }).name !== 'VisibleError') throw e
                tally.refused++
              }
            } else if (c.kind === 'refer' || c.kind === 'answer') {
              try {
                if (c.kind === 'refer') {
                  const department = DEMO_DEPARTMENTS[c.department] ?? DEMO_DEPARTMENTS[0]
                  const caseId = caseIds[c.pick % caseIds.length] as string
                  if (!department || !caseId) continue
                  await createReferral(sys.deps, supervisor, caseId, {
                    departmentId: department.id,
                    kind: 'clue',
                    message: `属性测试线索 ${newKey()}，请核查。`,
                    shareParties: false,
                  })
                  const text = sys.outbox.read(department.contactPhone).at(-1)?.text ?? ''
                  const token = /\/referrals\/([A-Za-z0-9_-]+)/.exec(text)?.[1]
                  if (token) links.push({ token, phone: department.contactPhone })
                } else {
                  const link = links[c.pick % Math.max(1, links.length)]
                  if (!link) continue
                  await sendReferralCode(sys.deps, link.token)
                  const code = /(\d{6})/.exec(sys.outbox.read(link.phone).at(-1)?.text ?? '')?.[1] ?? ''
                  const { access } = await openReferral(sys.deps, link.token, code)
                  await replyToReferral(sys.deps, link.token, access, {
                    outcome: c.outcome,
                    text: '已处理。',
                    responder: '经办人',
                  })
                }
                tally.writes++
                tally.actions[c.kind] = (tally.actions[c.kind] ?? 0) + 1
              } catch (e) {
                // Refused: a closed referral, a case outside the supervisor's district, a code asked again within a minute.
                if ((e as { name?: string }).name !== 'VisibleError') throw e
                tally.refused++
              }
            } else if (c.kind === 'tick') {
              sys.clock.advance(c.hours * 3600)
            } else {
              const report = await runJobs(sys.deps)
              tally.writes += report.reminders + report.closedNoResponse + report.markedOverdue
              tally.actions.chase = (tally.actions.chase ?? 0) + report.referralsChased
            }
          }
          for (const jurisdiction of ['滨河区', '临江区']) {
            const { records } = await sys.deps.store.allCasesOfJurisdiction(jurisdiction, 100_000)
            const referrals = (await sys.deps.store.referralsOfJurisdiction(jurisdiction, 100_000)).flatMap(
              (r) => referralContribution(r.facts),
            )
            expect(await storedCells(sys.db, sys.tableName, jurisdiction)).toEqual(
              recount(records, referrals),
            )
            const check = await rebuildAggregates(sys.db, sys.tableName, jurisdiction, { check: true })
            expect(check.differences).toEqual([])
          }
        },
      ),
      // One long run on one table: shrinking would replay onto the same, already changed, table.
      { numRuns: 1, endOnFailure: true },
    )
    // The sequence really exercised the workflow, not just filings.
    expect(tally.writes).toBeGreaterThanOrEqual(1000)
    for (const a of ACTIONS.filter((x) => x !== 'return')) expect(tally.actions[a] ?? 0, a).toBeGreaterThan(0)
    for (const a of ['refer', 'answer', 'chase']) expect(tally.actions[a] ?? 0, a).toBeGreaterThan(0)
  }, 600_000)
})
