import { beforeAll, describe, expect, it } from 'vitest'
import { idCheckChar } from '../../functions/domain/agreement.ts'
import { makeSystem, newKey } from './harness.ts'

/**
 * The other half of the authorization matrix: the people who do have a relation to a case — both
 * parties, the assigned mediator, a colleague, the centre's admin, the police station that handed
 * it over, the jurisdiction's supervisor — each get exactly what their role allows, no more.
 * (Outsiders are in authorization.test.ts and video.test.ts.)
 */
type System = Awaited<ReturnType<typeof makeSystem>>
let sys: System
let caseId: string
const who: Record<string, string> = {}

const CALLER = '13811115555'
const RESPONDENT = '13933336666'

beforeAll(async () => {
  sys = await makeSystem({ seedStaff: true })
  for (const s of ['mediator1', 'mediator2', 'admin1', 'police1', 'supervisor1'])
    who[s] = await sys.staffSignIn(s)
  const intake = await sys.call('POST', '/api/intake', {
    cookie: who.police1,
    headers: { 'idempotency-key': newKey() },
    body: {
      route: 'transfer',
      call: {
        number: '110-insiders',
        time: '2026-11-23T07:30:00+08:00',
        callerName: '周先生',
        callerPhone: CALLER,
      },
      dispute: {
        disputeType: 'neighbour',
        description: '楼上装修把我家卫生间的防水弄坏了，一直漏水，找他几次都不理。',
        location: { district: '滨河区', street: '城东街道', address: '幸福小区3栋' },
        respondent: { name: '楼上业主', phone: RESPONDENT },
        desiredOutcome: '修好防水并赔偿损失',
        meetingPreference: 'video',
      },
    },
  })
  expect(intake.status).toBe(201)
  caseId = (await intake.json()).id
  const v1 = await (await sys.call('GET', `/api/cases/${caseId}`, { cookie: who.mediator1 })).json()
  expect(v1.orgId).toBe('binhe-chengdong-room')
  await sys.call('POST', `/api/cases/${caseId}/actions`, {
    cookie: who.mediator1,
    body: { action: 'accept', expectedVersion: v1.version, mediatorId: 'mediator1' },
  })
  who.respondent = await sys.signIn(RESPONDENT)
  const v2 = await (await sys.call('GET', `/api/cases/${caseId}`, { cookie: who.respondent })).json()
  const agreed = await sys.call('POST', `/api/cases/${caseId}/actions`, {
    cookie: who.respondent,
    body: { action: 'respond', expectedVersion: v2.version, agreed: true },
  })
  expect(agreed.status).toBe(200)
  who.applicant = await sys.signIn(CALLER)
})

const ROLES = [
  'applicant',
  'respondent',
  'mediator1',
  'mediator2',
  'admin1',
  'police1',
  'supervisor1',
] as const

const AGREEMENT = {
  template: 'general',
  applicant: { name: '周女士', idNumber: `11010519880312421${idCheckChar('11010519880312421')}` },
  respondent: { name: '楼上业主', idNumber: `44030419750601123${idCheckChar('44030419750601123')}` },
  facts: '双方就楼上漏水造成的损失发生纠纷。',
  terms: ['被申请人三日内修好防水。'],
  performanceCheck: '调解员上门回访核实。',
}

/** What each insider may do on a case in mediation: the policy, written down once. */
const EXPECTED: Record<
  (typeof ROLES)[number],
  { relation: string; actions: string[]; reveal: number; schedule: number; draft?: number }
> = {
  applicant: { relation: 'applicant', actions: ['withdraw'], reveal: 403, schedule: 403 },
  respondent: { relation: 'respondent', actions: [], reveal: 403, schedule: 403 },
  mediator1: {
    relation: 'handling_org',
    actions: ['escalate', 'resolve', 'fail', 'override_risk'],
    reveal: 200,
    schedule: 201,
    draft: 200,
  },
  mediator2: { relation: 'handling_org', actions: ['escalate', 'override_risk'], reveal: 200, schedule: 403 },
  admin1: {
    relation: 'handling_org',
    actions: ['escalate', 'transfer', 'resolve', 'fail', 'override_risk'],
    reveal: 200,
    schedule: 201,
  },
  police1: { relation: 'police', actions: ['override_risk'], reveal: 200, schedule: 403 },
  supervisor1: { relation: 'supervisor', actions: ['override_risk'], reveal: 200, schedule: 403 },
}

describe('authorization matrix: the people related to a case', () => {
  for (const role of ROLES) {
    it(`${role}: sees the case, its evidence and sessions, and may do only what the role allows`, async () => {
      const cookie = who[role] as string
      const view = await sys.call('GET', `/api/cases/${caseId}`, { cookie })
      expect(view.status).toBe(200)
      const body = await view.json()
      expect(body.status).toBe('in_mediation')
      expect(body.relation).toBe(EXPECTED[role].relation)
      expect([...body.allowedActions].sort()).toEqual([...EXPECTED[role].actions].sort())
      // Parties never see staff-only judgements or the other side's full number.
      if (role === 'applicant' || role === 'respondent') {
        expect(body.risk).toBeUndefined()
        expect(JSON.stringify(body)).not.toContain(role === 'applicant' ? RESPONDENT : CALLER)
      }
      expect((await sys.call('GET', `/api/cases/${caseId}/evidence`, { cookie })).status).toBe(200)
      expect((await sys.call('GET', `/api/cases/${caseId}/sessions`, { cookie })).status).toBe(200)
      expect((await sys.call('POST', `/api/cases/${caseId}/reveal`, { cookie })).status).toBe(
        EXPECTED[role].reveal,
      )
      const scheduled = await sys.call('POST', `/api/cases/${caseId}/sessions`, {
        cookie,
        body: { startsAt: new Date(sys.clock.now().getTime() + 3600_000).toISOString() },
      })
      expect(scheduled.status).toBe(EXPECTED[role].schedule)
      // Only the assigned mediator writes the agreement.
      const drafted = await sys.call('PUT', `/api/cases/${caseId}/agreement`, {
        cookie,
        body: { expectedRevision: 0, content: AGREEMENT },
      })
      expect(drafted.status).toBe(EXPECTED[role].draft ?? 403)
    })
  }

  it('an action outside a role is refused even when the version is right', async () => {
    const v = await (await sys.call('GET', `/api/cases/${caseId}`, { cookie: who.mediator2 })).json()
    for (const [role, action] of [
      ['mediator2', { action: 'resolve', summary: '双方达成一致意见' }],
      ['police1', { action: 'fail', reason: '调解不成功的原因', guidance: 'litigation' }],
      ['respondent', { action: 'withdraw' }],
      ['supervisor1', { action: 'transfer', orgId: 'binhe-centre', reason: '移交上级处理' }],
    ] as const) {
      const res = await sys.call('POST', `/api/cases/${caseId}/actions`, {
        cookie: who[role],
        body: { ...action, expectedVersion: v.version },
      })
      expect([403, 409], `${role} ${action.action}`).toContain(res.status)
      expect((await res.json()).error.code, `${role} ${action.action}`).toMatch(
        /^(auth\.forbidden|workflow\.not_allowed)$/,
      )
    }
    const after = await (await sys.call('GET', `/api/cases/${caseId}`, { cookie: who.mediator1 })).json()
    expect(after.version).toBe(v.version)
  })
})
