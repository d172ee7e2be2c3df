import { beforeAll, describe, expect, it } from 'vitest'
import { recount } from '../../functions/domain/insight.ts'
import { runJobs } from '../../functions/domain/jobs.ts'
import { rebuildAggregates, storedCells } from '../../functions/store/aggregates.ts'
import { makeSystem, newKey, STAFF_PASSWORD, validCase } from './harness.ts'

/**
 * Supervisor insight over DynamoDB Local: figures kept in step with the cases, limited to the
 * caller's jurisdiction and role, clear errors for bad periods, and a monthly report whose figures
 * are the case list's.
 */
type System = Awaited<ReturnType<typeof makeSystem>>
let sys: System
type Who =
  | 'supervisor1'
  | 'admin1'
  | 'mediator1'
  | 'police1'
  | 'sysadmin1'
  | 'linjiang-supervisor'
  | 'citizen'
const who = {} as Record<Who, string>

const action = async (cookie: string, id: string, body: Record<string, unknown>) => {
  const res = await sys.call('POST', `/api/cases/${id}/actions`, { cookie, body })
  expect(res.status, await res.clone().text()).toBe(200)
  return res.json()
}

/** A citizen files a case; returns its id and current version. */
async function file(phone: string, overrides: Record<string, unknown> = {}) {
  const cookie = await sys.signIn(phone)
  const res = await sys.call('POST', '/api/cases', {
    cookie,
    body: { ...validCase(), respondent: { name: '王某', phone: '13900139000' }, ...overrides },
    headers: { 'idempotency-key': newKey() },
  })
  expect(res.status).toBe(201)
  const { id, version } = await res.json()
  return { id: id as string, version: version as number, cookie }
}

/** Files and walks a case to the end given: resolved, failed, withdrawn, declined or still open. */
async function caseEndingIn(
  end: 'resolved' | 'failed' | 'withdrawn' | 'declined' | 'open' | 'accepted',
  overrides: Record<string, unknown> = {},
  phone = `1350000${String(Math.floor(Math.random() * 9000) + 1000)}`,
) {
  const c = await file(phone, overrides)
  if (end === 'open') return c.id
  if (end === 'withdrawn') {
    await action(c.cookie, c.id, { action: 'withdraw', expectedVersion: c.version })
    return c.id
  }
  let v = (
    await action(who.admin1, c.id, { action: 'accept', expectedVersion: c.version, mediatorId: 'mediator1' })
  ).version
  if (end === 'accepted') return c.id
  const agreed = end !== 'declined'
  v = (
    await action(who.mediator1, c.id, {
      action: 'record_consent',
      expectedVersion: v,
      agreed,
      note: '电话确认对方意愿',
    })
  ).version
  if (end === 'resolved')
    await action(who.mediator1, c.id, { action: 'resolve', expectedVersion: v, summary: '双方达成协议' })
  if (end === 'failed')
    await action(who.mediator1, c.id, {
      action: 'fail',
      expectedVersion: v,
      reason: '双方分歧太大',
      guidance: 'litigation',
    })
  return c.id
}

const get = async (cookie: string | undefined, path: string, headers?: Record<string, string>) =>
  sys.call('GET', path, { cookie, headers })

const json = async (cookie: string, path: string) => {
  const res = await get(cookie, path)
  expect(res.status, await res.clone().text()).toBe(200)
  return res.json()
}

/** Staff sessions last hours, not days: sign everyone in again after the clock moves. */
async function signInAll() {
  for (const u of [
    'supervisor1',
    'admin1',
    'mediator1',
    'police1',
    'sysadmin1',
    'linjiang-supervisor',
  ] as const)
    who[u] = await sys.staffSignIn(u)
  who.citizen = await sys.signIn('13600000077')
}

async function advanceDays(days: number) {
  sys.clock.advance(days * 86400)
  await signInAll()
}

beforeAll(async () => {
  sys = await makeSystem({ seedStaff: true })
  const hash = await sys.deps.crypto.hashPassword(STAFF_PASSWORD)
  await sys.deps.store.putOrg({
    id: 'linjiang-justice',
    name: '临江区司法局',
    tier: 3,
    kind: 'justice_office',
    jurisdiction: '临江区',
    areas: [],
  })
  await sys.deps.store.putStaff({
    username: 'linjiang-supervisor',
    name: '临江科长',
    role: 'supervisor',
    orgId: 'linjiang-justice',
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
  await signInAll()

  // November 2026 in 滨河区: 3 resolved, 1 failed, 1 declined, 1 withdrawn, 1 accepted, 1 open, 1 red.
  for (const end of ['resolved', 'resolved', 'failed', 'declined', 'withdrawn', 'accepted', 'open'] as const)
    await caseEndingIn(end)
  // Another street, served by the same room; resolved three days after it was filed.
  const slow = await file('13500009999', {
    location: { district: '滨河区', street: '滨江街道' },
    disputeType: 'neighbour',
    amountInDispute: undefined,
  })
  let v = (
    await action(who.admin1, slow.id, {
      action: 'accept',
      expectedVersion: slow.version,
      mediatorId: 'mediator1',
    })
  ).version
  await advanceDays(3)
  v = (
    await action(who.mediator1, slow.id, {
      action: 'record_consent',
      expectedVersion: v,
      agreed: true,
      note: '电话确认对方意愿',
    })
  ).version
  await action(who.mediator1, slow.id, { action: 'resolve', expectedVersion: v, summary: '双方达成协议' })
  await caseEndingIn('open', {
    description: '对方扬言要拿刀上门报复，还说要和我同归于尽，我很害怕，孩子也不敢出门。',
    disputeType: 'neighbour',
    amountInDispute: undefined,
  })
})

describe('figures kept with every write', () => {
  it('the month’s results count cases by source, outcome and days to resolution', async () => {
    const s = await json(who.supervisor1, '/api/insight/summary?from=2026-11&to=2026-11')
    expect(s.jurisdiction).toBe('滨河区')
    expect(s.results).toMatchObject({
      received: 9,
      bySource: { online: 9, transfer: 0, entrust: 0, joint: 0, referral: 0 },
      accepted: 6,
      resolved: 3,
      notResolved: 2,
      failed: 1,
      declined: 1,
      withdrawn: 1,
      resolutionRate: 0.6,
      medianDays: 0,
      p90Days: 3,
      satisfaction: null,
      followUps: { answered: 0, carriedOut: 0, relapsed: 0 },
      referrals: { sent: 0, answered: 0, overdue: 0 },
    })
    expect(s.byType).toEqual(
      expect.arrayContaining([
        { disputeType: 'wage_arrears', received: 7, resolved: 2 },
        { disputeType: 'neighbour', received: 2, resolved: 1 },
      ]),
    )
    expect(s.byArea).toEqual([
      { area: '城东街道', received: 8, resolved: 2 },
      { area: '滨江街道', received: 1, resolved: 1 },
    ])
    expect(s.byHour.reduce((a: number, b: number) => a + b, 0)).toBe(9)
    expect(s.byWeekday).toHaveLength(7)
  })

  it('one area narrows every figure to it', async () => {
    const s = await json(
      who.supervisor1,
      `/api/insight/summary?from=2026-11&to=2026-11&area=${encodeURIComponent('滨江街道')}`,
    )
    expect(s.results).toMatchObject({ received: 1, resolved: 1, medianDays: 3 })
    expect(s.areas).toEqual(['城东街道', '滨江街道'])
  })

  it('the stored cells equal a recount of the cases, and the rebuild finds nothing to change', async () => {
    const all = await sys.deps.store.allCasesOfJurisdiction('滨河区', 1000)
    const stored = await storedCells(sys.db, sys.tableName, '滨河区')
    expect(stored).toEqual(recount(all.records))
    const report = await rebuildAggregates(sys.db, sys.tableName, '滨河区', { check: true })
    expect(report.differences).toEqual([])
    expect(report.cases).toBe(9)
  })

  it('the rebuild restores cells that were lost', async () => {
    const before = await storedCells(sys.db, sys.tableName, '滨河区')
    const first = [...before.values()][0]
    if (!first) throw new Error('no cells')
    const { DeleteCommand } = await import('@aws-sdk/lib-dynamodb')
    await sys.db.send(
      new DeleteCommand({
        TableName: sys.tableName,
        Key: {
          pk: `AGG#${first.cell.jurisdiction}`,
          sk: (await import('../../functions/store/aggregates.ts')).cellSortKey(first.cell),
        },
      }),
    )
    const fixed = await rebuildAggregates(sys.db, sys.tableName, '滨河区')
    expect(fixed.differences).toHaveLength(1)
    expect(await storedCells(sys.db, sys.tableName, '滨河区')).toEqual(before)
  })
})

describe('risk board and deadlines', () => {
  it('puts red cases first with the time since they were flagged, and no personal data', async () => {
    await advanceDays(5 / 24)
    const board = await json(who.supervisor1, '/api/insight/board')
    expect(board.counts.red).toBe(1)
    const [first] = board.items
    expect(first).toMatchObject({ level: 'red', hoursSince: 5, orgName: '城东街道人民调解委员会', tier: 1 })
    expect(JSON.stringify(board)).not.toMatch(/1[3-9]\d{9}|王某/)
  })

  it('a case that ends leaves the board', async () => {
    const board = await json(who.supervisor1, '/api/insight/board')
    const red = board.items[0]
    const record = await sys.deps.store.getCase(red.caseId)
    if (!record) throw new Error('missing')
    const cookie = await sys.signIn(record.applicantPhone)
    await action(cookie, red.caseId, { action: 'withdraw', expectedVersion: record.version })
    const after = await json(who.supervisor1, '/api/insight/board')
    expect(after.items.map((i: { caseId: string }) => i.caseId)).not.toContain(red.caseId)
  })

  it('counts overdue and due-this-week cases by organisation and mediator', async () => {
    const d0 = await json(who.supervisor1, '/api/insight/deadlines')
    expect(d0.overdue + d0.dueThisWeek).toBeGreaterThanOrEqual(2)
    await advanceDays(8)
    await runJobs(sys.deps)
    const d = await json(who.supervisor1, '/api/insight/deadlines')
    expect(d.overdue).toBeGreaterThanOrEqual(2)
    expect(d.byOrg[0]).toMatchObject({ orgId: 'binhe-chengdong-room', orgName: '城东街道人民调解委员会' })
    expect(d.byMediator.find((m: { mediatorId: string }) => m.mediatorId === 'mediator1')?.overdue).toBe(1)
  })
})

describe('only supervisors and admins, only their jurisdiction', () => {
  it('another district’s supervisor sees none of these cases', async () => {
    const s = await json(who['linjiang-supervisor'], '/api/insight/summary?from=2026-11&to=2026-11')
    expect(s.jurisdiction).toBe('临江区')
    expect(s.results.received).toBe(0)
    const board = await json(who['linjiang-supervisor'], '/api/insight/board')
    expect(board.items).toEqual([])
    const list = await json(who['linjiang-supervisor'], '/api/insight/cases?from=2026-11&to=2026-11')
    expect(list.items).toEqual([])
  })

  it('a jurisdiction cannot be asked for by parameter', async () => {
    const res = await get(
      who['linjiang-supervisor'],
      '/api/insight/summary?from=2026-11&to=2026-11&jurisdiction=滨河区',
    )
    expect(res.status).toBe(400)
    expect((await res.json()).error.fields).toEqual({ jurisdiction: 'validation.unknown_field' })
  })

  it.each([
    ['mediator1', 403],
    ['police1', 403],
    ['citizen', 403],
    ['anonymous', 401],
  ])('%s is refused every insight route (%i)', async (name, status) => {
    for (const path of [
      '/api/insight/board',
      '/api/insight/deadlines',
      '/api/insight/summary?from=2026-11&to=2026-11',
      '/api/insight/mediators?from=2026-11&to=2026-11',
      '/api/insight/cases?from=2026-11&to=2026-11',
      '/api/insight/report?month=2026-11',
    ]) {
      const res = await get(name === 'anonymous' ? undefined : who[name as Who], path)
      expect(res.status, path).toBe(status)
    }
  })

  it('mediator performance is for supervisors only, not centre admins', async () => {
    expect((await get(who.admin1, '/api/insight/mediators?from=2026-11&to=2026-11')).status).toBe(403)
    const m = await json(who.supervisor1, '/api/insight/mediators?from=2026-11&to=2026-11')
    expect(m.items).toEqual([
      expect.objectContaining({
        mediatorId: 'mediator1',
        name: '张调解员',
        accepted: 6,
        resolved: 3,
        notResolved: 2,
        resolutionRate: 0.6,
        satisfaction: null,
      }),
    ])
  })

  it('a centre admin and a system admin see their own jurisdiction', async () => {
    expect((await json(who.admin1, '/api/insight/summary?from=2026-11&to=2026-11')).results.received).toBe(9)
    expect((await json(who.sysadmin1, '/api/insight/board')).jurisdiction).toBe('滨河区')
  })
})

describe('bad periods and areas are refused with clear errors', () => {
  it.each([
    ['from=2026-13&to=2026-13', { from: 'insight.month', to: 'insight.month' }],
    ['from=2026-11', { to: 'insight.month' }],
    ['from=2026-11&to=2026-10', { to: 'insight.period_order' }],
    ['from=2024-01&to=2026-01', { to: 'insight.period_too_long' }],
    [`from=2026-11&to=2026-11&area=${'街'.repeat(61)}`, { area: 'validation.too_long' }],
    ['from=2026-11&to=2026-11&area=', { area: 'validation.required' }],
    ['from=11/2026&to=2026-11', { from: 'insight.month' }],
  ])('summary?%s', async (query, fields) => {
    const res = await get(who.supervisor1, `/api/insight/summary?${query}`)
    expect(res.status).toBe(400)
    const { error } = await res.json()
    expect(error.code).toBe('validation.failed')
    expect(error.fields).toEqual(fields)
  })

  it('names the problem in English when asked', async () => {
    const res = await get(who.supervisor1, '/api/insight/summary?from=2026-11&to=2026-10', {
      'accept-language': 'en',
    })
    expect((await res.json()).error.code).toBe('validation.failed')
    const { errorMessage } = await import('../../functions/domain/messages.ts')
    expect(errorMessage('insight.period_order', 'en')).toBe('The last month cannot come before the first')
  })

  it('refuses an unknown export format and a bad report month', async () => {
    const a = await get(who.supervisor1, '/api/insight/cases?from=2026-11&to=2026-11&format=xlsx')
    expect((await a.json()).error.fields).toEqual({ format: 'insight.format' })
    const b = await get(who.supervisor1, '/api/insight/report?month=2026-00')
    expect((await b.json()).error.fields).toEqual({ month: 'insight.month' })
  })
})

describe('the monthly report matches the case list it came from', () => {
  const parseCsv = (text: string) =>
    text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
      .map((l) => l.split(','))

  it('every figure of the report is a count of the exported list', async () => {
    const report = await json(who.supervisor1, '/api/insight/report?month=2026-11')
    const csv = await get(who.supervisor1, '/api/insight/cases?from=2026-11&to=2026-11&format=csv')
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/)
    const text = await csv.text()
    const [header, ...rows] = parseCsv(text)
    if (!header) throw new Error('empty csv')
    const col = (row: string[], name: string) => row[header.indexOf(name)]
    const count = (pred: (r: string[]) => boolean) => rows.filter(pred).length
    const ended = (status: string) => (r: string[]) =>
      col(r, 'endedInPeriod') === 'true' && col(r, 'status') === status
    expect(report.results.received).toBe(count((r) => col(r, 'receivedInPeriod') === 'true'))
    expect(report.results.accepted).toBe(count((r) => col(r, 'acceptedInPeriod') === 'true'))
    expect(report.results.resolved).toBe(count(ended('resolved')))
    expect(report.results.failed).toBe(count(ended('failed')))
    expect(report.results.declined).toBe(count(ended('declined')))
    expect(report.results.noResponse).toBe(count(ended('closed')))
    expect(report.results.withdrawn).toBe(count(ended('withdrawn')))
    expect(report.results.overdue).toBeGreaterThan(0)
    const days = rows
      .filter(ended('resolved'))
      .map((r) => Number(col(r, 'daysToEnd')))
      .sort((a, b) => a - b)
    expect(report.results.medianDays).toBe(days[Math.ceil(days.length * 0.5) - 1])
    expect(report.results.p90Days).toBe(days[Math.ceil(days.length * 0.9) - 1])
    expect(text).not.toMatch(/1[3-9]\d{9}|王某|饭店/)
  })

  it('the report downloads as CSV in the justice office’s layout', async () => {
    const res = await get(who.supervisor1, '/api/insight/report?month=2026-11&format=csv')
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="report-2026-11.csv"')
    const text = await res.text()
    expect(text).toContain('人民调解工作统计月报表')
    expect(text).toContain('一、受理情况,新收纠纷,9')
    expect(text).toContain('回访满意度（1–5）,—')
  })

  it('and as a PDF with the Chinese font subset', async () => {
    const res = await get(who.supervisor1, '/api/insight/report?month=2026-11&format=pdf')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/pdf')
    const bytes = new Uint8Array(await res.arrayBuffer())
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-')
    expect(bytes.length).toBeLessThan(200_000)
    const { PDFDocument } = await import('pdf-lib')
    const doc = await PDFDocument.load(bytes)
    expect(doc.getTitle()).toBe('人民调解工作统计月报表 2026-11')
  })
})

describe('citizens see how disputes like theirs usually go', () => {
  it('says nothing until ten cases of the type have ended, then gives duration and outcomes', async () => {
    const mine = await file('13600000088', { disputeType: 'family', amountInDispute: undefined })
    const none = await json(mine.cookie, `/api/cases/${mine.id}/outlook`)
    expect(none).toEqual({ scope: 'none', minimum: 10 })
    for (let i = 0; i < 9; i++)
      await caseEndingIn('resolved', { disputeType: 'family', amountInDispute: undefined })
    await caseEndingIn('failed', { disputeType: 'family', amountInDispute: undefined })
    const some = await json(mine.cookie, `/api/cases/${mine.id}/outlook`)
    expect(some).toEqual({
      scope: 'area',
      minimum: 10,
      cases: 10,
      medianDays: 0,
      p90Days: 0,
      outcomes: { resolved: 90, notResolved: 10, withdrawn: 0 },
    })
  })

  it('someone else’s case answers like a missing one', async () => {
    const other = await file('13600000099')
    const res = await get(who.citizen, `/api/cases/${other.id}/outlook`)
    expect(res.status).toBe(404)
  })
})
