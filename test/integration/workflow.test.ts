import { beforeAll, describe, expect, it } from 'vitest'
import { totpAt } from '../../functions/adapters/totp.ts'
import { makeSystem, newKey, STAFF_PASSWORD, validCase } from './harness.ts'

type System = Awaited<ReturnType<typeof makeSystem>>
let sys: System
let mediator1: string
let mediator2: string
let admin1: string
let police1: string
let supervisor1: string
let mediator3: string

beforeAll(async () => {
  sys = await makeSystem({ seedStaff: true })
  mediator1 = await sys.staffSignIn('mediator1')
  mediator2 = await sys.staffSignIn('mediator2')
  admin1 = await sys.staffSignIn('admin1')
  police1 = await sys.staffSignIn('police1')
  supervisor1 = await sys.staffSignIn('supervisor1')
  mediator3 = await sys.staffSignIn('mediator3')
})

const intake = (overrides: Record<string, unknown> = {}) => ({
  route: 'transfer',
  call: {
    number: `110-${Date.now()}-${Math.random()}`,
    time: '2026-11-23T07:30:00+08:00',
    callerName: '周先生',
    callerPhone: '13811112222',
  },
  dispute: {
    disputeType: 'neighbour',
    description: '楼上装修把我家卫生间的防水弄坏了，一直漏水，找他几次都不理。',
    location: { district: '滨河区', street: '城东街道', address: '幸福小区3栋' },
    respondent: { name: '楼上业主', phone: '13933334444' },
    desiredOutcome: '修好防水并赔偿损失',
    meetingPreference: 'either',
  },
  ...overrides,
})

async function citizenCase(phone: string, body: Record<string, unknown> = validCase()) {
  const cookie = await sys.signIn(phone)
  const res = await sys.call('POST', '/api/cases', { cookie, body, headers: { 'idempotency-key': newKey() } })
  expect(res.status).toBe(201)
  return { cookie, id: (await res.json()).id as string }
}

const view = async (cookie: string, id: string) => {
  const res = await sys.call('GET', `/api/cases/${id}`, { cookie })
  expect(res.status).toBe(200)
  return res.json()
}

const action = (cookie: string, id: string, body: Record<string, unknown>) =>
  sys.call('POST', `/api/cases/${id}/actions`, { cookie, body })

describe('staff sign-in', () => {
  it('signs a mediator in with username and password, as staff of their organisation', async () => {
    const me = await (await sys.call('GET', '/api/me', { cookie: mediator1 })).json()
    expect(me).toMatchObject({
      kind: 'staff',
      username: 'mediator1',
      role: 'mediator',
      orgId: 'binhe-chengdong-room',
      tier: 1,
      jurisdiction: '滨河区',
    })
  })

  it('refuses a wrong password and an unknown user with the same answer', async () => {
    const wrong = await sys.call('POST', '/api/auth/staff/login', {
      body: { username: 'mediator2', password: 'nope-nope' },
    })
    const unknown = await sys.call('POST', '/api/auth/staff/login', {
      body: { username: 'nobody', password: 'nope-nope' },
    })
    expect(wrong.status).toBe(401)
    expect(unknown.status).toBe(401)
    expect((await wrong.json()).error.code).toBe((await unknown.json()).error.code)
  })

  it('locks an account for 15 minutes after five failures', async () => {
    const local = await makeSystem({ seedStaff: true })
    for (let i = 0; i < 5; i++)
      await local.call('POST', '/api/auth/staff/login', { body: { username: 'police1', password: 'wrong' } })
    const locked = await local.call('POST', '/api/auth/staff/login', {
      body: { username: 'police1', password: STAFF_PASSWORD },
    })
    expect(locked.status).toBe(429)
    expect((await locked.json()).error.code).toBe('auth.staff_locked')
    local.clock.advance(15 * 60 + 1)
    expect(
      (
        await local.call('POST', '/api/auth/staff/login', {
          body: { username: 'police1', password: STAFF_PASSWORD },
        })
      ).status,
    ).toBe(200)
  })

  it('demands TOTP of a supervisor who is not a local demo account', async () => {
    const local = await makeSystem({ seedStaff: true })
    const secret = 'JBSWY3DPEHPK3PXP'
    const staff = await local.deps.store.getStaff('supervisor1')
    if (!staff) throw new Error('seed missing')
    await local.deps.store.putStaff({ ...staff, totpExempt: false, totpSecret: secret })
    const noCode = await local.call('POST', '/api/auth/staff/login', {
      body: { username: 'supervisor1', password: STAFF_PASSWORD },
    })
    expect((await noCode.json()).error.code).toBe('auth.totp_required')
    const badCode = await local.call('POST', '/api/auth/staff/login', {
      body: { username: 'supervisor1', password: STAFF_PASSWORD, totp: '000000' },
    })
    expect((await badCode.json()).error.code).toBe('auth.totp_invalid')
    const ok = await local.call('POST', '/api/auth/staff/login', {
      body: { username: 'supervisor1', password: STAFF_PASSWORD, totp: totpAt(secret, local.clock.now()) },
    })
    expect(ok.status).toBe(200)
  })

  it('log out everywhere ends every session of the account', async () => {
    const local = await makeSystem({ seedStaff: true })
    const a = await local.staffSignIn('mediator2')
    const b = await local.staffSignIn('mediator2')
    expect((await local.call('POST', '/api/auth/logout-everywhere', { cookie: a })).status).toBe(204)
    expect((await local.call('GET', '/api/me', { cookie: b })).status).toBe(401)
  })
})

describe('an online request goes to the tier-1 room of its street for screening', () => {
  it('is routed, graded and given a deadline; the room sees it in its queue, sorted by deadline', async () => {
    const { cookie, id } = await citizenCase('13100000001')
    const mine = await view(cookie, id)
    expect(mine).toMatchObject({
      status: 'submitted',
      jurisdiction: '滨河区',
      relation: 'applicant',
      allowedActions: ['withdraw'],
    })
    expect(mine.stageDeadline).toBe('2026-11-26T08:00:00.000Z')
    expect(await view(mediator1, id)).toMatchObject({
      orgId: 'binhe-chengdong-room',
      tier: 1,
      riskLevel: expect.any(String),
    })
    const q = await (await sys.call('GET', '/api/queue', { cookie: mediator1 })).json()
    expect(q.items.map((i: { id: string }) => i.id)).toContain(id)
    const deadlines = q.items.map((i: { stageDeadline: string }) => i.stageDeadline)
    expect(deadlines).toEqual([...deadlines].sort())
  })

  it('a room in another street does not see it', async () => {
    const { id } = await citizenCase('13100000002', {
      ...validCase(),
      location: { district: '滨河区', street: '城西街道' },
    })
    expect((await sys.call('GET', `/api/cases/${id}`, { cookie: mediator1 })).status).toBe(404)
  })
})

describe('screening: accept or return', () => {
  it('a mediator accepts, assigning a mediator; the respondent is invited by SMS and can then see the case', async () => {
    const { id } = await citizenCase('13100000010')
    const before = await view(mediator1, id)
    expect(before.allowedActions).toEqual(expect.arrayContaining(['accept', 'return', 'escalate']))
    const pool = await (
      await sys.call('GET', `/api/cases/${id}/mediators?skill=labour`, { cookie: mediator1 })
    ).json()
    expect(pool.items[0].username).toBe('mediator1')
    const res = await action(mediator1, id, {
      action: 'accept',
      expectedVersion: before.version,
      mediatorId: 'mediator1',
    })
    expect(res.status).toBe(200)
    const after = await res.json()
    expect(after).toMatchObject({
      status: 'awaiting_consent',
      mediatorId: 'mediator1',
      version: before.version + 1,
    })
    expect(after.timeline.at(-1)).toMatchObject({
      type: 'case.accept',
      actorRole: 'staff',
      by: 'mediator1',
      from: 'submitted',
      to: 'awaiting_consent',
    })
    expect(sys.outbox.read('13900139000').at(-1)?.text).toContain(`/cases/${id}`)

    const respondent = await sys.signIn('13900139000')
    const seen = await view(respondent, id)
    expect(seen).toMatchObject({ relation: 'respondent', allowedActions: ['respond'] })
    const agreed = await action(respondent, id, {
      action: 'respond',
      expectedVersion: seen.version,
      agreed: true,
    })
    expect(agreed.status).toBe(200)
    expect((await agreed.json()).status).toBe('in_mediation')
  })

  it('a respondent who declines closes the case with guidance', async () => {
    const { id, cookie } = await citizenCase('13100000011')
    const v = await view(mediator1, id)
    await action(mediator1, id, { action: 'accept', expectedVersion: v.version, mediatorId: 'mediator1' })
    const respondent = await sys.signIn('13900139000')
    const seen = await view(respondent, id)
    const res = await action(respondent, id, {
      action: 'respond',
      expectedVersion: seen.version,
      agreed: false,
    })
    expect((await res.json()).status).toBe('declined')
    expect((await view(cookie, id)).outcome).toMatchObject({
      kind: 'declined',
      guidance: 'labour_arbitration',
    })
  })

  it('returning needs a reason, which the applicant sees', async () => {
    const { id, cookie } = await citizenCase('13100000012')
    const v = await view(mediator1, id)
    const noReason = await action(mediator1, id, { action: 'return', expectedVersion: v.version })
    expect(noReason.status).toBe(400)
    const res = await action(mediator1, id, {
      action: 'return',
      expectedVersion: v.version,
      reason: '不属于人民调解受理范围，请向法院起诉',
    })
    expect(res.status).toBe(200)
    expect(await view(cookie, id)).toMatchObject({
      status: 'returned',
      returnReason: '不属于人民调解受理范围，请向法院起诉',
    })
  })

  it('refuses a mediator from another organisation as assignee', async () => {
    const { id } = await citizenCase('13100000013')
    const v = await view(mediator1, id)
    const res = await action(mediator1, id, {
      action: 'accept',
      expectedVersion: v.version,
      mediatorId: 'mediator3',
    })
    expect(res.status).toBe(400)
    expect((await res.json()).error.code).toBe('workflow.bad_mediator')
  })

  it('10 parallel accepts: exactly one wins, the others get 409', async () => {
    const { id } = await citizenCase('13100000014')
    const v = await view(mediator1, id)
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        action(i % 2 ? mediator1 : mediator2, id, {
          action: 'accept',
          expectedVersion: v.version,
          mediatorId: i % 2 ? 'mediator1' : 'mediator2',
        }),
      ),
    )
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1)
    expect(answers.filter((a) => a.status === 409)).toHaveLength(9)
    const after = await view(mediator1, id)
    expect(after.version).toBe(v.version + 1)
    expect(after.timeline.filter((e: { type: string }) => e.type === 'case.accept')).toHaveLength(1)
  })

  it('a stale version is refused with 409', async () => {
    const { id } = await citizenCase('13100000015')
    const v = await view(mediator1, id)
    const res = await action(mediator1, id, {
      action: 'return',
      expectedVersion: v.version + 5,
      reason: '测试旧版本',
    })
    expect(res.status).toBe(409)
    expect((await res.json()).error.code).toBe('case.version_conflict')
  })

  it('an action the state does not allow is refused', async () => {
    const { id } = await citizenCase('13100000016')
    const v = await view(mediator1, id)
    const res = await action(mediator1, id, {
      action: 'resolve',
      expectedVersion: v.version,
      summary: '双方达成协议',
    })
    expect(res.status).toBe(409)
    expect((await res.json()).error.code).toBe('workflow.not_allowed')
  })

  it('the applicant cannot accept their own case', async () => {
    const { id, cookie } = await citizenCase('13100000017')
    const v = await view(cookie, id)
    const res = await action(cookie, id, {
      action: 'accept',
      expectedVersion: v.version,
      mediatorId: 'mediator1',
    })
    expect(res.status).toBe(409)
  })

  it('an unknown action is a 400', async () => {
    const { id } = await citizenCase('13100000018')
    const res = await action(mediator1, id, { action: 'delete', expectedVersion: 1 })
    expect(res.status).toBe(400)
  })
})

describe('what parties do not see', () => {
  it('risk judgements, internal events and staff names stay with staff', async () => {
    const { id, cookie } = await citizenCase('13100000060', {
      ...validCase(),
      description: '老板欠我三万工资，再不给我就从楼顶跳下去。',
    })
    const v = await view(mediator1, id)
    await action(mediator1, id, {
      action: 'override_risk',
      expectedVersion: v.version,
      level: 'orange',
      reason: '已电话安抚，情绪稳定',
    })
    await sys.call('POST', `/api/cases/${id}/reveal`, { cookie: mediator1 })
    const mine = await view(cookie, id)
    expect(mine.riskLevel).toBeUndefined()
    expect(mine.riskSignals).toBeUndefined()
    expect(mine.mediatorId).toBeUndefined()
    const types = mine.timeline.map((e: { type: string }) => e.type)
    expect(types).not.toContain('case.risk_overridden')
    expect(types).not.toContain('case.supervisor_notified')
    expect(types).not.toContain('case.contacts_revealed')
    expect(JSON.stringify(mine)).not.toContain('mediator1')
    const staffView = await view(mediator1, id)
    expect(staffView.riskLevel).toBe('orange')
    expect(staffView.timeline.map((e: { type: string }) => e.type)).toContain('case.risk_overridden')
  })

  it('staff see the 110 call behind a police case', async () => {
    const { id } = await (
      await sys.call('POST', '/api/intake', {
        cookie: police1,
        body: intake(),
        headers: { 'idempotency-key': newKey() },
      })
    ).json()
    const staffView = await view(police1, id)
    expect(staffView.intake).toMatchObject({ route: 'transfer', officerId: 'police1', callerName: '周先生' })
    const caller = await sys.signIn('13811112222')
    expect((await view(caller, id)).intake).toBeUndefined()
  })
})

describe('parties are masked for staff until revealed', () => {
  it('shows masked phones, reveals them on request, and records who looked', async () => {
    const { id } = await citizenCase('13100000050')
    const v = await view(mediator1, id)
    expect(v.applicantPhone).toBe('131****0050')
    expect(v.respondent.phone).toBe('139****9000')
    const res = await sys.call('POST', `/api/cases/${id}/reveal`, { cookie: mediator1 })
    expect(await res.json()).toEqual({ applicantPhone: '13100000050', respondentPhone: '13900139000' })
    const after = await view(mediator1, id)
    expect(after.timeline.at(-1)).toMatchObject({ type: 'case.contacts_revealed', by: 'mediator1' })
  })

  it('the applicant cannot use it', async () => {
    const { id, cookie } = await citizenCase('13100000051')
    expect((await sys.call('POST', `/api/cases/${id}/reveal`, { cookie })).status).toBe(403)
  })
})

describe('tiers: escalate and transfer, the sender keeps read access', () => {
  it('escalates from the tier-1 room to the district centre; the room still sees the outcome', async () => {
    const { id } = await citizenCase('13100000020')
    const v = await view(mediator1, id)
    const res = await action(mediator1, id, {
      action: 'escalate',
      expectedVersion: v.version,
      reason: 'complex',
      note: '涉及多方，需要律师参与',
    })
    expect(res.status).toBe(200)
    const up = await view(mediator3, id)
    expect(up).toMatchObject({
      status: 'submitted',
      orgId: 'binhe-centre',
      tier: 3,
      relation: 'handling_org',
    })
    const sender = await view(mediator1, id)
    expect(sender).toMatchObject({ relation: 'sender_org', allowedActions: [] })
  })

  it('a centre admin transfers to another organisation', async () => {
    const { id } = await citizenCase('13100000021')
    const v = await view(admin1, id)
    const res = await action(admin1, id, {
      action: 'transfer',
      expectedVersion: v.version,
      orgId: 'binhe-chengxi-room',
      reason: '当事人住在城西，便于调解',
    })
    expect(res.status).toBe(200)
    expect((await res.json()).orgId).toBe('binhe-chengxi-room')
  })

  it('a mediator (not admin) may not transfer', async () => {
    const { id } = await citizenCase('13100000022')
    const v = await view(mediator1, id)
    const res = await action(mediator1, id, {
      action: 'transfer',
      expectedVersion: v.version,
      orgId: 'binhe-chengxi-room',
      reason: '我想移交到城西',
    })
    expect(res.status).toBe(409)
  })
})

describe('outcomes', () => {
  async function inMediation(phone: string) {
    const { id, cookie } = await citizenCase(phone)
    let v = await view(mediator1, id)
    await action(mediator1, id, { action: 'accept', expectedVersion: v.version, mediatorId: 'mediator1' })
    v = await view(mediator1, id)
    await action(mediator1, id, {
      action: 'record_consent',
      expectedVersion: v.version,
      agreed: true,
      note: '电话联系被申请人，同意调解',
    })
    return { id, cookie, v: await view(mediator1, id) }
  }

  it('the assigned mediator records consent by phone, then resolves', async () => {
    const { id, v } = await inMediation('13100000030')
    expect(v.status).toBe('in_mediation')
    const res = await action(mediator1, id, {
      action: 'resolve',
      expectedVersion: v.version,
      summary: '老板同意分两期支付6000元',
    })
    expect((await res.json()).status).toBe('resolved')
  })

  it('a failed mediation ends with guidance the applicant sees', async () => {
    const { id, cookie, v } = await inMediation('13100000031')
    await action(mediator1, id, {
      action: 'fail',
      expectedVersion: v.version,
      reason: '双方对金额分歧过大',
      guidance: 'labour_arbitration',
    })
    expect((await view(cookie, id)).outcome).toEqual({
      kind: 'not_resolved',
      reason: '双方对金额分歧过大',
      guidance: 'labour_arbitration',
    })
  })

  it('a mediator of the same room who is not assigned cannot resolve', async () => {
    const { id, v } = await inMediation('13100000032')
    const res = await action(mediator2, id, {
      action: 'resolve',
      expectedVersion: v.version,
      summary: '不是我的案件',
    })
    expect(res.status).toBe(409)
  })

  it('the applicant may withdraw', async () => {
    const { id, cookie } = await citizenCase('13100000033')
    const v = await view(cookie, id)
    const res = await action(cookie, id, { action: 'withdraw', expectedVersion: v.version })
    expect((await res.json()).status).toBe('withdrawn')
  })
})

describe('police intake from a 110 call', () => {
  it('registers a transferred dispute, sends the caller a link, and the caller finds it under my cases', async () => {
    const res = await sys.call('POST', '/api/intake', {
      cookie: police1,
      body: intake(),
      headers: { 'idempotency-key': newKey() },
    })
    expect(res.status).toBe(201)
    const { id, number } = await res.json()
    expect(sys.outbox.read('13811112222').at(-1)?.text).toContain(number)
    const police = await view(police1, id)
    expect(police).toMatchObject({
      source: 'police',
      intakeRoute: 'transfer',
      relation: 'police',
      orgId: 'binhe-chengdong-room',
    })
    const caller = await sys.signIn('13811112222')
    const mine = await (await sys.call('GET', '/api/cases', { cookie: caller })).json()
    expect(mine.items.map((c: { id: string }) => c.id)).toContain(id)
    expect((await view(caller, id)).relation).toBe('applicant')
    const sent = await (await sys.call('GET', '/api/queue', { cookie: police1 })).json()
    expect(sent.items.map((c: { id: string }) => c.id)).toContain(id)
  })

  it('refuses an entrusted case with an exclusion ticked, with the reason', async () => {
    const body = intake({ route: 'entrust', exclusions: { gangFight: true } })
    const res = await sys.call('POST', '/api/intake', {
      cookie: police1,
      body,
      headers: { 'idempotency-key': newKey() },
    })
    expect(res.status).toBe(422)
    const error = (await res.json()).error
    expect(error.code).toBe('intake.excluded')
    expect(Object.values(error.fields)).toContain('exclusion.gang_fight')
  })

  it('holds an entrusted case whose account suggests an exclusion until the officer confirms', async () => {
    const base = intake({ route: 'entrust' })
    const dispute = {
      ...(base.dispute as object),
      disputeType: 'minor_public_order',
      description: '对方纠集了七八个人到我店里闹事，把柜台砸坏了。',
    }
    const body = { ...base, dispute }
    const held = await sys.call('POST', '/api/intake', {
      cookie: police1,
      body,
      headers: { 'idempotency-key': newKey() },
    })
    expect(held.status).toBe(422)
    expect((await held.json()).error.code).toBe('intake.exclusion_suspected')
    const reviewed = await sys.call('POST', '/api/intake', {
      cookie: police1,
      body: { ...body, exclusionsReviewed: true },
      headers: { 'idempotency-key': newKey() },
    })
    expect(reviewed.status).toBe(201)
  })

  it('only police may register intake', async () => {
    const res = await sys.call('POST', '/api/intake', {
      cookie: mediator1,
      body: intake(),
      headers: { 'idempotency-key': newKey() },
    })
    expect(res.status).toBe(403)
  })

  it('links a repeat call about the same address and raises the risk', async () => {
    const body = intake()
    const first = await (
      await sys.call('POST', '/api/intake', {
        cookie: police1,
        body,
        headers: { 'idempotency-key': newKey() },
      })
    ).json()
    const again = intake({ call: { ...body.call, number: 'second-call' } })
    const second = await (
      await sys.call('POST', '/api/intake', {
        cookie: police1,
        body: again,
        headers: { 'idempotency-key': newKey() },
      })
    ).json()
    const v = await view(police1, second.id)
    expect(v.riskSignals.length).toBeGreaterThan(0)
    expect(first.id).not.toBe(second.id)
  })
})

describe('risk', () => {
  it('grades a threat of self-harm red at filing, and staff can override with a reason', async () => {
    const { id } = await citizenCase('13100000040', {
      ...validCase(),
      description: '老板欠了我三万块钱工资一直不给，再不给我就从他们公司楼顶跳下去。',
    })
    const v = await view(mediator1, id)
    expect(v.riskLevel).toBe('red')
    const noReason = await action(mediator1, id, {
      action: 'override_risk',
      expectedVersion: v.version,
      level: 'yellow',
    })
    expect(noReason.status).toBe(400)
    const res = await action(mediator1, id, {
      action: 'override_risk',
      expectedVersion: v.version,
      level: 'orange',
      reason: '已电话安抚，情绪稳定',
    })
    const after = await res.json()
    expect(after.riskLevel).toBe('orange')
    expect(after.timeline.at(-1).type).toBe('case.risk_overridden')
  })

  it('the supervisor sees the jurisdiction board filtered by risk', async () => {
    await citizenCase('13100000041', {
      ...validCase(),
      description: '工地二十多个工友被拖欠工资，大家商量明天一起去项目部堵门讨个说法。',
    })
    const board = await (await sys.call('GET', '/api/queue?risk=red', { cookie: supervisor1 })).json()
    expect(board.items.length).toBeGreaterThan(0)
    expect(board.items.every((i: { riskLevel: string }) => i.riskLevel === 'red')).toBe(true)
  })
})
