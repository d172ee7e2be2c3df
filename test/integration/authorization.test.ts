import { beforeAll, describe, expect, it } from 'vitest'
import { idCheckChar } from '../../functions/domain/agreement.ts'
import { makeSystem, newKey, STAFF_PASSWORD, validCase } from './harness.ts'

/**
 * The authorization matrix: every route that takes a case id, for every kind of caller who has no
 * relation to that case, must refuse — 401 when not signed in, else 404 (the case "does not
 * exist" for them) or 403 (their role may never use the route). A route added without an entry
 * here fails the completeness test.
 */
type System = Awaited<ReturnType<typeof makeSystem>>
let sys: System
let caseId: string
let evidenceId: string
const cookies: Record<string, string> = {}

const CASE_ROUTES: Record<string, { method: string; body?: unknown }> = {
  'GET /api/cases/{id}': { method: 'GET' },
  'POST /api/cases/{id}/actions': {
    method: 'POST',
    body: { action: 'return', expectedVersion: 1, reason: '越权测试理由' },
  },
  'GET /api/cases/{id}/mediators': { method: 'GET' },
  'POST /api/cases/{id}/reveal': { method: 'POST' },
  'POST /api/cases/{id}/evidence': {
    method: 'POST',
    body: { fileName: 'a.pdf', contentType: 'application/pdf', size: 100 },
  },
  'GET /api/cases/{id}/evidence': { method: 'GET' },
  'POST /api/cases/{id}/evidence/{evidenceId}/complete': { method: 'POST' },
  'GET /api/cases/{id}/evidence/{evidenceId}': { method: 'GET' },
  'POST /api/cases/{id}/evidence/{evidenceId}/withdraw': { method: 'POST' },
  'GET /api/cases/{id}/agreement': { method: 'GET' },
  'PUT /api/cases/{id}/agreement': {
    method: 'PUT',
    body: {
      expectedRevision: 0,
      content: {
        template: 'general',
        applicant: { name: '甲', idNumber: `11010519880312421${idCheckChar('11010519880312421')}` },
        respondent: { name: '乙', idNumber: `44030419750601123${idCheckChar('44030419750601123')}` },
        facts: '越权测试：双方就借款发生纠纷。',
        terms: ['乙方归还借款。'],
        performanceCheck: '调解员回访核实。',
      },
    },
  },
  'POST /api/cases/{id}/agreement/sign-code': { method: 'POST' },
  'POST /api/cases/{id}/agreement/sign': {
    method: 'POST',
    body: { documentHash: 'a'.repeat(64), code: '123456', signature: { method: 'typed', name: '甲' } },
  },
  'GET /api/cases/{id}/agreement/pdf': { method: 'GET' },
  'GET /api/cases/{id}/sessions': { method: 'GET' },
  'POST /api/cases/{id}/sessions': { method: 'POST', body: { startsAt: '2026-12-01T02:00:00Z' } },
  'GET /api/cases/{id}/outlook': { method: 'GET' },
  'GET /api/cases/{id}/follow-ups': { method: 'GET' },
  'POST /api/cases/{id}/follow-ups/{followUpId}/record': {
    method: 'POST',
    body: { party: 'applicant', carriedOut: 'no', satisfaction: 1 },
  },
  'GET /api/cases/{id}/referrals': { method: 'GET' },
  'POST /api/cases/{id}/referrals/{referralId}/remind': { method: 'POST' },
  'POST /api/cases/{id}/referrals': {
    method: 'POST',
    body: {
      departmentId: '01JF0000000000000000DEPT04',
      kind: 'clue',
      message: '越权测试：请劳动监察核查该单位欠薪情况。',
    },
  },
}

const OUTSIDERS = [
  'anonymous',
  'otherCitizen',
  'otherRoomMediator',
  'otherRoomAdmin',
  'otherStationPolice',
  'otherSupervisor',
  'systemAdmin',
] as const

beforeAll(async () => {
  sys = await makeSystem({ seedStaff: true })
  const hash = await sys.deps.crypto.hashPassword(STAFF_PASSWORD)
  await sys.deps.store.putOrg({
    id: 'other-room',
    name: '别区调解室',
    tier: 1,
    kind: 'community_room',
    jurisdiction: '临江区',
    areas: ['江北街道'],
  })
  await sys.deps.store.putOrg({
    id: 'other-station',
    name: '别区派出所',
    tier: 2,
    kind: 'police_station',
    jurisdiction: '临江区',
    areas: [],
  })
  await sys.deps.store.putOrg({
    id: 'other-justice',
    name: '临江区司法局',
    tier: 3,
    kind: 'justice_office',
    jurisdiction: '临江区',
    areas: [],
  })
  const staff = (
    username: string,
    role: 'mediator' | 'centre_admin' | 'police' | 'supervisor' | 'system_admin',
    orgId: string,
  ) =>
    sys.deps.store.putStaff({
      username,
      name: username,
      role,
      orgId,
      jurisdiction: '临江区',
      skills: [],
      languages: [],
      passwordHash: hash,
      totpExempt: true,
      failedLogins: 0,
      sessionEpoch: 0,
      active: true,
      openCases: 0,
    })
  await staff('other-mediator', 'mediator', 'other-room')
  await staff('other-admin', 'centre_admin', 'other-room')
  await staff('other-police', 'police', 'other-station')
  await staff('other-supervisor', 'supervisor', 'other-justice')
  await staff('sysadmin', 'system_admin', 'other-justice')

  const owner = await sys.signIn('13000000001')
  caseId = (
    await (
      await sys.call('POST', '/api/cases', {
        cookie: owner,
        body: validCase(),
        headers: { 'idempotency-key': newKey() },
      })
    ).json()
  ).id
  evidenceId = (
    await (
      await sys.call('POST', `/api/cases/${caseId}/evidence`, {
        cookie: owner,
        body: { fileName: 'a.pdf', contentType: 'application/pdf', size: 100 },
      })
    ).json()
  ).evidenceId

  cookies.anonymous = ''
  cookies.otherCitizen = await sys.signIn('13000000002')
  cookies.otherRoomMediator = await sys.staffSignIn('other-mediator')
  cookies.otherRoomAdmin = await sys.staffSignIn('other-admin')
  cookies.otherStationPolice = await sys.staffSignIn('other-police')
  cookies.otherSupervisor = await sys.staffSignIn('other-supervisor')
  cookies.systemAdmin = await sys.staffSignIn('sysadmin')
})

describe('authorization matrix: someone else’s case', () => {
  it('covers every route that takes a case id', async () => {
    const doc = await (await sys.call('GET', '/api/openapi.json')).json()
    const routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .filter(([path]) => path.includes('{id}'))
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
    expect(routes.sort()).toEqual(Object.keys(CASE_ROUTES).sort())
  })

  for (const [route, spec] of Object.entries(CASE_ROUTES)) {
    for (const who of OUTSIDERS) {
      it(`${route} refuses ${who}`, async () => {
        const path =
          route
            .split(' ')[1]
            ?.replace('{id}', caseId)
            .replace('{evidenceId}', evidenceId)
            .replace('{followUpId}', 'd7')
            .replace('{referralId}', '01JF0000000000000000REF001') ?? ''
        const res = await sys.call(spec.method, path, { cookie: cookies[who] || undefined, body: spec.body })
        const expected = who === 'anonymous' ? [401] : [403, 404]
        expect(expected).toContain(res.status)
        const body = await res.json()
        expect(body.error.code).toMatch(/^(auth\.|case\.not_found)/)
      })
    }
  }
})

describe('authorization matrix: staff-only and role-bound routes', () => {
  const cases: [string, string, string, unknown, number][] = [
    ['citizen', 'GET', '/api/queue', undefined, 403],
    ['citizen', 'GET', '/api/orgs', undefined, 403],
    ['citizen', 'GET', '/api/departments', undefined, 403],
    ['citizen', 'POST', '/api/intake/referral', {}, 403],
    ['police', 'POST', '/api/intake/referral', {}, 403],
    ['supervisor', 'POST', '/api/intake/referral', {}, 403],
    ['citizen', 'POST', '/api/departments', {}, 403],
    [
      'mediator',
      'POST',
      '/api/departments',
      { kind: 'other', name: '某某局', contactPhone: '13700137098' },
      403,
    ],
    ['police', 'PATCH', '/api/departments/01JF0000000000000000DEPT01', { active: false }, 403],
    // Another district's supervisor: this district's department does not exist for them.
    ['supervisor', 'PATCH', '/api/departments/01JF0000000000000000DEPT01', { active: false }, 404],
    ['citizen', 'POST', '/api/intake', {}, 403],
    ['mediator', 'POST', '/api/intake', {}, 403],
    ['supervisor', 'POST', '/api/intake', {}, 403],
    ['mediator', 'GET', '/api/queue?scope=jurisdiction', undefined, 403],
    ['citizen', 'POST', '/api/cases', 'staff-files', 201],
    ['mediator', 'POST', '/api/cases', 'staff-files', 403],
    ...[
      '/api/insight/board',
      '/api/insight/deadlines',
      '/api/insight/summary?from=2026-11&to=2026-11',
      '/api/insight/mediators?from=2026-11&to=2026-11',
      '/api/insight/cases?from=2026-11&to=2026-11',
      '/api/insight/report?month=2026-11',
    ].flatMap((path): [string, string, string, unknown, number][] => [
      ['citizen', 'GET', path, undefined, 403],
      ['mediator', 'GET', path, undefined, 403],
    ]),
  ]
  it.each(cases)('%s: %s %s', async (who, method, path, body, status) => {
    const cookie =
      who === 'citizen'
        ? cookies.otherCitizen
        : who === 'mediator'
          ? cookies.otherRoomMediator
          : who === 'police'
            ? cookies.otherStationPolice
            : cookies.otherSupervisor
    const payload = body === 'staff-files' ? validCase() : body
    const headers = method === 'POST' ? { 'idempotency-key': newKey() } : undefined
    const res = await sys.call(method, path, { cookie, body: payload, headers })
    if (status === 403) expect(res.status).toBe(403)
    else expect(res.status).toBe(status)
  })
})
