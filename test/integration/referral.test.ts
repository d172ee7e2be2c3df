import { beforeAll, describe, expect, it } from 'vitest'
import { runJobs } from '../../functions/domain/jobs.ts'
import { rebuildAggregates } from '../../functions/store/aggregates.ts'
import { DEMO_DEPARTMENTS } from '../../infra/local/seed.ts'
import { makeSystem, newKey, validCase } from './harness.ts'

/**
 * Referrals to partner departments (信息互通) on DynamoDB Local: staff refer a case or a clue with
 * a due date, the department's registered contact answers by link and code, the answer lands on
 * the timeline and in the figures, and the job chases what is late.
 */
type System = Awaited<ReturnType<typeof makeSystem>>
let sys: System

const DAY = 86400_000
const MEDIATOR_PHONE = '13700001111'
const LABOUR = DEMO_DEPARTMENTS.find((d) => d.kind === 'labour_inspection')
const COURT = DEMO_DEPARTMENTS.find((d) => d.kind === 'court')
if (!LABOUR || !COURT) throw new Error('demo departments changed')

beforeAll(async () => {
  sys = await makeSystem({ seedStaff: true })
  const m1 = await sys.deps.store.getStaff('mediator1')
  if (!m1) throw new Error('no mediator1')
  await sys.deps.store.putStaff({ ...m1, phone: MEDIATOR_PHONE })
})

/** Fresh sessions: the clock moves by days in some tests. */
const as = (username: string) => sys.staffSignIn(username)

let phones = 0
/** A case filed online and accepted by mediator1 (城东街道, 滨河区). */
async function acceptedCase() {
  const n = String(phones++).padStart(4, '0')
  const applicantPhone = `1330000${n}`
  const applicant = await sys.signIn(applicantPhone)
  const filed = await sys.call('POST', '/api/cases', {
    cookie: applicant,
    body: { ...validCase(), respondent: { name: '王大富', phone: `1390000${n}` } },
    headers: { 'idempotency-key': newKey() },
  })
  expect(filed.status).toBe(201)
  const { id } = await filed.json()
  const mediator = await as('mediator1')
  const v = (await (await sys.call('GET', `/api/cases/${id}`, { cookie: mediator })).json()).version
  const accepted = await sys.call('POST', `/api/cases/${id}/actions`, {
    cookie: mediator,
    body: { action: 'accept', expectedVersion: v, mediatorId: 'mediator1' },
  })
  expect(accepted.status).toBe(200)
  return { id, applicant, applicantPhone, respondentPhone: `1390000${n}` }
}

const chinaDay = (offsetDays: number) =>
  new Date(sys.clock.now().getTime() + 8 * 3600_000 + offsetDays * DAY).toISOString().slice(0, 10)

async function refer(caseId: string, body: Record<string, unknown> = {}, cookie?: string) {
  return sys.call('POST', `/api/cases/${caseId}/referrals`, {
    cookie: cookie ?? (await as('mediator1')),
    body: {
      departmentId: LABOUR?.id,
      kind: 'clue',
      message: '该老板名下饭店另有多名员工反映被拖欠工资，请劳动监察介入核查。',
      dueOn: chinaDay(5),
      ...body,
    },
  })
}

/** The links texted to a department's contact so far, newest last. */
const links = (phone: string) =>
  sys.outbox
    .read(phone)
    .map((m) => /\/referrals\/([A-Za-z0-9_-]+)/.exec(m.text)?.[1])
    .filter((t): t is string => Boolean(t))

const lastLink = (phone: string) => {
  const t = links(phone).at(-1)
  if (!t) throw new Error(`no referral link sent to ${phone}`)
  return t
}

/** The department opens its link: code to the registered phone, then the access token. */
async function open(token: string, phone = LABOUR?.contactPhone ?? '') {
  const sent = await sys.call('POST', `/api/referrals/${token}/code`)
  expect(sent.status).toBe(200)
  const opened = await sys.call('POST', `/api/referrals/${token}/open`, {
    body: { code: sys.lastCode(phone) },
  })
  expect(opened.status).toBe(200)
  return (await opened.json()) as { access: string; referral: Record<string, unknown> }
}

const reply = (token: string, access: string | undefined, body: unknown) =>
  sys.call('POST', `/api/referrals/${token}/replies`, {
    body,
    headers: access ? { 'x-referral-access': access } : {},
  })

const timelineTypes = async (cookie: string, id: string) =>
  ((await (await sys.call('GET', `/api/cases/${id}`, { cookie })).json()).timeline as { type: string }[]).map(
    (e) => e.type,
  )

describe('departments', () => {
  it('staff see their jurisdiction’s departments with the contact masked; citizens do not', async () => {
    const res = await sys.call('GET', '/api/departments', { cookie: await as('mediator1') })
    expect(res.status).toBe(200)
    const { items } = await res.json()
    expect(items.map((d: { name: string }) => d.name)).toEqual(
      expect.arrayContaining(DEMO_DEPARTMENTS.map((d) => d.name)),
    )
    expect(JSON.stringify(items)).not.toContain(LABOUR?.contactPhone)
    expect(items.find((d: { id: string }) => d.id === LABOUR?.id).contactPhone).toBe('137****7004')
    const citizen = await sys.signIn('13300009990')
    expect((await sys.call('GET', '/api/departments', { cookie: citizen })).status).toBe(403)
    expect((await sys.call('GET', '/api/departments')).status).toBe(401)
  })

  it('a supervisor registers and changes departments; mediators may not; bad input is named', async () => {
    const supervisor = await as('supervisor1')
    const added = await sys.call('POST', '/api/departments', {
      cookie: supervisor,
      body: { kind: 'other', name: '滨河区住房和城乡建设局', contactPhone: '13700137099', defaultDays: 10 },
    })
    expect(added.status).toBe(201)
    const dept = await added.json()
    expect(dept).toMatchObject({ kind: 'other', active: true, defaultDays: 10, contactPhone: '137****7099' })

    const bad = await sys.call('POST', '/api/departments', {
      cookie: supervisor,
      body: { kind: 'army', name: '甲', contactPhone: '12345', defaultDays: 90 },
      headers: { 'accept-language': 'zh-CN' },
    })
    expect(bad.status).toBe(400)
    const { error } = await bad.json()
    expect(error.fields).toMatchObject({
      kind: 'validation.option',
      name: 'validation.too_short',
      contactPhone: 'validation.phone',
      defaultDays: 'referral.due_range',
    })

    const byMediator = await sys.call('POST', '/api/departments', {
      cookie: await as('mediator1'),
      body: { kind: 'other', name: '某某局', contactPhone: '13700137098' },
    })
    expect(byMediator.status).toBe(403)

    const off = await sys.call('PATCH', `/api/departments/${dept.id}`, {
      cookie: supervisor,
      body: { active: false },
    })
    expect(off.status).toBe(200)
    expect((await off.json()).active).toBe(false)
    const missing = await sys.call('PATCH', '/api/departments/01JF0000000000000000NOPE00', {
      cookie: supervisor,
      body: { active: false },
    })
    expect(missing.status).toBe(404)
  })

  it('a supervisor of another district cannot change this district’s department', async () => {
    await sys.deps.store.putOrg({
      id: 'other-justice',
      name: '临江区司法局',
      tier: 3,
      kind: 'justice_office',
      jurisdiction: '临江区',
      areas: [],
    })
    const s1 = await sys.deps.store.getStaff('supervisor1')
    if (!s1) throw new Error('no supervisor1')
    await sys.deps.store.putStaff({
      ...s1,
      username: 'other-supervisor',
      orgId: 'other-justice',
      jurisdiction: '临江区',
    })
    const res = await sys.call('PATCH', `/api/departments/${COURT?.id}`, {
      cookie: await as('other-supervisor'),
      body: { contactPhone: '13700137000' },
    })
    expect(res.status).toBe(404)
    expect((await sys.deps.store.getDepartment(COURT?.id ?? ''))?.contactPhone).toBe(COURT?.contactPhone)
  })
})

describe('referring', () => {
  it('a mediator refers a clue; the department’s contact gets a link; the timeline says so for staff only', async () => {
    const c = await acceptedCase()
    const before = links(LABOUR?.contactPhone ?? '').length
    const res = await refer(c.id)
    expect(res.status).toBe(201)
    const r = await res.json()
    expect(r).toMatchObject({
      kind: 'clue',
      departmentName: '滨河区劳动保障监察大队',
      status: 'awaiting',
      overdue: false,
      dueOn: chinaDay(5),
      replies: [],
    })
    expect(links(LABOUR?.contactPhone ?? '')).toHaveLength(before + 1)
    const sms = sys.outbox.read(LABOUR?.contactPhone ?? '').at(-1)?.text ?? ''
    expect(sms).toContain('推送线索')
    expect(sms).toContain(chinaDay(5))
    // Nothing about the parties in the SMS.
    expect(sms).not.toContain('王大富')
    expect(sms).not.toContain(c.applicantPhone)

    expect(await timelineTypes(await as('mediator1'), c.id)).toContain('referral.sent')
    expect(await timelineTypes(c.applicant, c.id)).not.toContain('referral.sent')
    expect((await sys.call('GET', `/api/cases/${c.id}/referrals`, { cookie: c.applicant })).status).toBe(403)
    const list = await sys.call('GET', `/api/cases/${c.id}/referrals`, { cookie: await as('supervisor1') })
    expect(list.status).toBe(200)
    expect(await list.json()).toHaveLength(1)
  })

  it('the same referral twice is refused; bad due dates, departments and text are named', async () => {
    const c = await acceptedCase()
    expect((await refer(c.id)).status).toBe(201)
    const twice = await refer(c.id)
    expect(twice.status).toBe(409)
    expect((await twice.json()).error.code).toBe('referral.duplicate')

    for (const [body, field, code] of [
      [{ dueOn: chinaDay(-1) }, 'dueOn', 'referral.due_range'],
      [{ dueOn: chinaDay(61) }, 'dueOn', 'referral.due_range'],
      [{ dueOn: '2026-02-30x' }, 'dueOn', 'validation.date'],
      [{ dueOn: '2026-02-30' }, 'dueOn', 'validation.date'],
      [{ departmentId: '01JF0000000000000000NOPE00' }, 'departmentId', 'referral.department_not_found'],
      [{ message: '太短' }, 'message', 'validation.too_short'],
      [{ kind: 'rumour' }, 'kind', 'validation.option'],
      [{ extra: 1 }, 'extra', 'validation.unknown_field'],
    ] as const) {
      const res = await refer(c.id, { message: `第二条线索：${field}，请核查并反馈处理情况。`, ...body })
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect((await res.json()).error.fields?.[field], JSON.stringify(body)).toBe(code)
    }
  })

  it('without a due date the department’s default applies; an inactive department cannot be chosen', async () => {
    const c = await acceptedCase()
    const res = await refer(c.id, { dueOn: undefined, departmentId: COURT?.id, kind: 'case' })
    expect(res.status).toBe(201)
    expect((await res.json()).dueOn).toBe(chinaDay(COURT?.defaultDays ?? 0))

    const supervisor = await as('supervisor1')
    const added = await (
      await sys.call('POST', '/api/departments', {
        cookie: supervisor,
        body: { kind: 'other', name: '滨河区应急管理局', contactPhone: '13700137097' },
      })
    ).json()
    await sys.call('PATCH', `/api/departments/${added.id}`, { cookie: supervisor, body: { active: false } })
    const off = await refer(c.id, { departmentId: added.id })
    expect(off.status).toBe(400)
  })

  it('police, other organisations’ mediators and citizens cannot refer', async () => {
    const c = await acceptedCase()
    expect((await refer(c.id, {}, await as('police1'))).status).toBe(404)
    expect((await refer(c.id, {}, await as('mediator3'))).status).toBe(404)
    expect((await refer(c.id, {}, c.applicant)).status).toBe(403)
    expect((await refer(c.id, {}, await as('sysadmin1'))).status).toBe(404)
  })
})

describe('the department answers by link and code', () => {
  it('the link alone shows no case details; the code to the registered phone opens it', async () => {
    const c = await acceptedCase()
    expect((await refer(c.id)).status).toBe(201)
    const token = lastLink(LABOUR?.contactPhone ?? '')

    const about = await sys.call('GET', `/api/referrals/${token}`)
    expect(about.status).toBe(200)
    const aboutBody = await about.json()
    expect(aboutBody).toEqual({
      departmentName: '滨河区劳动保障监察大队',
      orgName: '城东街道人民调解委员会',
      contactPhone: '137****7004',
      dueOn: chinaDay(5),
      status: 'awaiting',
    })

    const detail = await sys.call('GET', `/api/referrals/${token}/detail`)
    expect(detail.status).toBe(401)
    expect((await detail.json()).error.code).toBe('referral.code_required')

    expect((await sys.call('POST', `/api/referrals/${token}/code`)).status).toBe(200)
    const right = sys.lastCode(LABOUR?.contactPhone ?? '')
    const wrong = await sys.call('POST', `/api/referrals/${token}/open`, {
      body: { code: right === '000000' ? '111111' : '000000' },
    })
    expect(wrong.status).toBe(400)
    const opened = await sys.call('POST', `/api/referrals/${token}/open`, { body: { code: right } })
    expect(opened.status).toBe(200)
    const { access, referral } = await opened.json()
    expect(referral).toMatchObject({
      caseNumber: expect.stringMatching(/^TJ-/),
      kind: 'clue',
      disputeType: '劳资欠薪',
      area: '滨河区城东街道',
      amount: 6000,
    })
    // Parties masked: the mediator did not choose to share them.
    expect(referral.parties).toEqual([
      {
        role: 'applicant',
        name: '',
        phone: `${c.applicantPhone.slice(0, 3)}****${c.applicantPhone.slice(-4)}`,
      },
      {
        role: 'respondent',
        name: '王**',
        phone: `${c.respondentPhone.slice(0, 3)}****${c.respondentPhone.slice(-4)}`,
      },
    ])
    // The code works once.
    const again = await sys.call('POST', `/api/referrals/${token}/open`, { body: { code: right } })
    expect(again.status).toBe(400)

    const read = await sys.call('GET', `/api/referrals/${token}/detail`, {
      headers: { 'x-referral-access': access },
    })
    expect(read.status).toBe(200)
  })

  it('an answer lands on the timeline, tells the mediator, and a final one closes the referral', async () => {
    const c = await acceptedCase()
    expect((await refer(c.id)).status).toBe(201)
    const token = lastLink(LABOUR?.contactPhone ?? '')
    const { access } = await open(token)
    const smsBefore = sys.outbox.read(MEDIATOR_PHONE).length

    const first = await reply(token, access, {
      outcome: 'in_progress',
      text: '已受理，已安排监察员下周上门核查。',
      responder: '刘监察员',
    })
    expect(first.status).toBe(200)
    expect((await first.json()).status).toBe('answered')
    expect(sys.outbox.read(MEDIATOR_PHONE).length).toBe(smsBefore + 1)

    const done = await reply(token, access, {
      outcome: 'done',
      text: '经核查，该饭店拖欠3名员工工资共1.8万元，已责令限期支付。',
      responder: '刘监察员',
    })
    expect(done.status).toBe(200)
    expect((await done.json()).status).toBe('closed')

    const late = await reply(token, access, {
      outcome: 'in_progress',
      text: '补充说明',
      responder: '刘监察员',
    })
    expect(late.status).toBe(409)
    expect((await late.json()).error.code).toBe('referral.closed')

    const mediator = await as('mediator1')
    const [r] = await (await sys.call('GET', `/api/cases/${c.id}/referrals`, { cookie: mediator })).json()
    expect(r.status).toBe('closed')
    expect(r.replies.map((x: { outcome: string }) => x.outcome)).toEqual(['in_progress', 'done'])
    const timeline = (await (await sys.call('GET', `/api/cases/${c.id}`, { cookie: mediator })).json())
      .timeline
    const answered = timeline.find((e: { type: string }) => e.type === 'referral.answered')
    expect(answered).toMatchObject({
      actorRole: 'system',
      note: '已受理，已安排监察员下周上门核查。',
      meta: { department: '滨河区劳动保障监察大队', outcome: 'in_progress', responder: '刘监察员' },
    })
    expect(timeline.some((e: { type: string }) => e.type === 'referral.replied')).toBe(true)
  })

  it('sharing the parties shows their names and numbers to the department', async () => {
    const c = await acceptedCase()
    expect((await refer(c.id, { shareParties: true, departmentId: COURT?.id, kind: 'case' })).status).toBe(
      201,
    )
    const { referral } = await open(lastLink(COURT?.contactPhone ?? ''), COURT?.contactPhone)
    expect(referral.parties).toContainEqual({ role: 'respondent', name: '王大富', phone: c.respondentPhone })
  })

  it('refuses answers without access, with another link’s access, with expired access, and bad bodies', async () => {
    const a = await acceptedCase()
    const b = await acceptedCase()
    expect((await refer(a.id)).status).toBe(201)
    const tokenA = lastLink(LABOUR?.contactPhone ?? '')
    expect((await refer(b.id)).status).toBe(201)
    const tokenB = lastLink(LABOUR?.contactPhone ?? '')
    const { access: accessB } = await open(tokenB)
    const body = { outcome: 'done', text: '已处理完毕。', responder: '刘监察员' }

    expect((await reply(tokenA, undefined, body)).status).toBe(401)
    expect((await reply(tokenA, accessB, body)).status).toBe(401)
    expect((await reply(tokenA, 'x'.repeat(43), body)).status).toBe(401)
    expect((await reply('not-a-token', accessB, body)).status).toBe(404)
    expect((await sys.call('GET', `/api/referrals/${'A'.repeat(43)}`)).status).toBe(404)

    const bad = await reply(tokenB, accessB, { outcome: 'maybe', text: '', responder: '', extra: 1 })
    expect(bad.status).toBe(400)
    expect((await bad.json()).error.fields).toMatchObject({
      outcome: 'validation.option',
      extra: 'validation.unknown_field',
    })

    sys.clock.set(new Date(sys.clock.now().getTime() + 61 * 60_000))
    expect((await reply(tokenB, accessB, body)).status).toBe(401)
  })

  it('staff can send the link again, fresh, once in ten minutes; never once closed', async () => {
    const c = await acceptedCase()
    const sent = await refer(c.id)
    expect(sent.status).toBe(201)
    const { id } = await sent.json()
    const phone = LABOUR?.contactPhone ?? ''
    const first = lastLink(phone)
    const remind = async (cookie?: string) =>
      sys.call('POST', `/api/cases/${c.id}/referrals/${id}/remind`, {
        cookie: cookie ?? (await as('mediator1')),
      })

    const again = await remind()
    expect(again.status).toBe(200)
    const second = lastLink(phone)
    expect(second).not.toBe(first)
    expect(sys.outbox.read(phone).at(-1)?.text).toContain('提醒')
    // Both links open the referral.
    for (const token of [first, second])
      expect((await sys.call('GET', `/api/referrals/${token}`)).status).toBe(200)
    expect(await timelineTypes(await as('mediator1'), c.id)).toContain('referral.reminded')

    const tooSoon = await remind()
    expect(tooSoon.status).toBe(429)
    expect((await tooSoon.json()).error.code).toBe('referral.remind_too_soon')
    expect(Number(tooSoon.headers.get('retry-after'))).toBeGreaterThan(0)

    expect((await remind(c.applicant)).status).toBe(403)
    expect((await remind(await as('mediator3'))).status).toBe(404)
    const missing = await sys.call('POST', `/api/cases/${c.id}/referrals/01JF0000000000000000NOPE00/remind`, {
      cookie: await as('mediator1'),
    })
    expect(missing.status).toBe(404)

    const { access } = await open(second)
    expect(
      (await reply(second, access, { outcome: 'declined', text: '不属本单位职责。', responder: '刘监察员' }))
        .status,
    ).toBe(200)
    sys.clock.set(new Date(sys.clock.now().getTime() + 11 * 60_000))
    const closed = await remind()
    expect(closed.status).toBe(409)
    expect((await closed.json()).error.code).toBe('referral.closed')
  })

  it('codes are bounded: a second one within a minute is refused; five wrong codes lock the link', async () => {
    const c = await acceptedCase()
    expect((await refer(c.id)).status).toBe(201)
    const token = lastLink(LABOUR?.contactPhone ?? '')
    expect((await sys.call('POST', `/api/referrals/${token}/code`)).status).toBe(200)
    expect((await sys.call('POST', `/api/referrals/${token}/code`)).status).toBe(429)
    const right = sys.lastCode(LABOUR?.contactPhone ?? '')
    const wrong = right === '111111' ? '222222' : '111111'
    const statuses: number[] = []
    for (let i = 0; i < 5; i++)
      statuses.push(
        (await sys.call('POST', `/api/referrals/${token}/open`, { body: { code: wrong } })).status,
      )
    expect(statuses).toEqual([400, 400, 400, 400, 429])
    expect((await sys.call('POST', `/api/referrals/${token}/open`, { body: { code: right } })).status).toBe(
      429,
    )
  })
})

describe('after the write', () => {
  it('an SMS that fails after the referral or the answer was saved does not turn success into an error', async () => {
    const c = await acceptedCase()
    const send = sys.deps.sms.send
    const phone = LABOUR?.contactPhone ?? ''
    sys.deps.sms.send = async (to, text) => {
      if (to === phone || to === MEDIATOR_PHONE) throw new Error(`SNS refused ${to}`)
      return send.call(sys.deps.sms, to, text)
    }
    try {
      const before = links(phone).length
      const res = await refer(c.id)
      expect(res.status).toBe(201)
      expect(links(phone)).toHaveLength(before)
      // The referral stands; staff send the link again once the SMS service is back.
      const [r] = await (
        await sys.call('GET', `/api/cases/${c.id}/referrals`, { cookie: await as('mediator1') })
      ).json()
      expect(r.status).toBe('awaiting')
      expect(sys.logs.some((l) => l.includes('SMS failed after its write') && l.includes('referral'))).toBe(
        true,
      )
      expect(sys.logs.join('\n')).not.toContain(phone)
      sys.deps.sms.send = send
      const again = await sys.call('POST', `/api/cases/${c.id}/referrals/${r.id}/remind`, {
        cookie: await as('mediator1'),
      })
      expect(again.status).toBe(200)
      const token = lastLink(phone)
      const { access } = await open(token)
      sys.deps.sms.send = async (to, text) => {
        if (to === MEDIATOR_PHONE) throw new Error('SNS refused')
        return send.call(sys.deps.sms, to, text)
      }
      const answered = await reply(token, access, {
        outcome: 'in_progress',
        text: '已受理。',
        responder: '刘监察员',
      })
      expect(answered.status).toBe(200)
      expect((await answered.json()).status).toBe('answered')
    } finally {
      sys.deps.sms.send = send
    }
  })

  it('the same referral sent twice at once is stored once', async () => {
    const c = await acceptedCase()
    const cookie = await as('mediator1')
    const results = await Promise.all([
      refer(c.id, {}, cookie),
      refer(c.id, {}, cookie),
      refer(c.id, {}, cookie),
    ])
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409])
    expect(await (await sys.call('GET', `/api/cases/${c.id}/referrals`, { cookie })).json()).toHaveLength(1)
  })

  it('a transferred case takes its open referrals to the new organisation’s work list', async () => {
    const c = await acceptedCase()
    expect((await refer(c.id)).status).toBe(201)
    const admin = await as('admin1')
    const v = (await (await sys.call('GET', `/api/cases/${c.id}`, { cookie: admin })).json()).version
    const moved = await sys.call('POST', `/api/cases/${c.id}/actions`, {
      cookie: admin,
      body: { action: 'transfer', expectedVersion: v, orgId: 'binhe-chengxi-room', reason: '属城西街道管辖' },
    })
    expect(moved.status).toBe(200)
    const queued = async (org: string) =>
      (await sys.deps.store.referralsOfOrg(org, 100)).some((r) => r.caseId === c.id)
    expect(await queued('binhe-chengxi-room')).toBe(true)
    expect(await queued('binhe-chengdong-room')).toBe(false)
  })

  it('a closed referral’s link stops opening after 30 days; a switched-off department can no longer read', async () => {
    const c = await acceptedCase()
    expect((await refer(c.id, { departmentId: COURT?.id, kind: 'case' })).status).toBe(201)
    const court = COURT?.contactPhone ?? ''
    const token = lastLink(court)
    const { access } = await open(token, court)
    expect(
      (await reply(token, access, { outcome: 'done', text: '已立案。', responder: '王书记员' })).status,
    ).toBe(200)
    expect((await sys.call('GET', `/api/referrals/${token}`)).status).toBe(200)

    // Switched off: the open access no longer reads.
    const supervisor = await as('supervisor1')
    await sys.call('PATCH', `/api/departments/${COURT?.id}`, { cookie: supervisor, body: { active: false } })
    const detail = await sys.call('GET', `/api/referrals/${token}/detail`, {
      headers: { 'x-referral-access': access },
    })
    expect(detail.status).toBe(404)
    await sys.call('PATCH', `/api/departments/${COURT?.id}`, {
      cookie: await as('supervisor1'),
      body: { active: true },
    })

    sys.clock.set(new Date(sys.clock.now().getTime() + 31 * DAY))
    expect((await sys.call('GET', `/api/referrals/${token}`)).status).toBe(404)
    expect((await sys.call('POST', `/api/referrals/${token}/code`)).status).toBe(404)
  })
})

describe('cases referred in by a department', () => {
  const referredCase = (body: Record<string, unknown> = {}) => ({
    departmentId: COURT?.id,
    reference: '(2026)滨民诉前调1234号',
    applicant: { name: '陈某', phone: '13300007777' },
    dispute: { ...validCase(), respondent: { name: '某装修公司', phone: '13900007777' } },
    ...body,
  })
  const register = async (body: unknown, cookie?: string) =>
    sys.call('POST', '/api/intake/referral', {
      cookie: cookie ?? (await as('mediator1')),
      body,
      headers: { 'idempotency-key': newKey() },
    })

  it('a mediator registers a court’s referred dispute; it counts as a referral and the court hears how it ended', async () => {
    const res = await register(referredCase())
    expect(res.status).toBe(201)
    const { id, number } = await res.json()
    const mediator = await as('mediator1')
    const seen = await (await sys.call('GET', `/api/cases/${id}`, { cookie: mediator })).json()
    expect(seen).toMatchObject({ source: 'referral', referredBy: '滨河区人民法院', status: 'submitted' })
    expect(seen.timeline[0]).toMatchObject({
      type: 'case.intake_referral',
      meta: { department: '滨河区人民法院' },
    })
    // In the registering organisation's queue, and the applicant can follow it by phone.
    const queue = await (await sys.call('GET', '/api/queue', { cookie: mediator })).json()
    expect(
      queue.items.some((i: { id: string; source: string }) => i.id === id && i.source === 'referral'),
    ).toBe(true)
    expect(sys.outbox.read('13300007777').at(-1)?.text).toContain('滨河区人民法院转来的纠纷')
    const applicant = await sys.signIn('13300007777')
    const mine = await (await sys.call('GET', `/api/cases/${id}`, { cookie: applicant })).json()
    expect(mine.referredBy).toBe('滨河区人民法院')

    const month = new Date(sys.clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 7)
    const summary = await (
      await sys.call('GET', `/api/insight/summary?from=${month}&to=${month}`, {
        cookie: await as('supervisor1'),
      })
    ).json()
    expect(summary.results.bySource.referral).toBeGreaterThanOrEqual(1)

    // Accepted, agreed, resolved: the court's registered contact is told, with its own file number.
    const court = COURT?.contactPhone ?? ''
    let v = seen.version
    const act = async (cookie: string, body: Record<string, unknown>) => {
      const r = await sys.call('POST', `/api/cases/${id}/actions`, {
        cookie,
        body: { expectedVersion: v, ...body },
      })
      expect(r.status, JSON.stringify(await r.clone().json())).toBe(200)
      v = (await r.json()).version
    }
    await act(mediator, { action: 'accept', mediatorId: 'mediator1' })
    await act(await sys.signIn('13900007777'), { action: 'respond', agreed: true })
    const before = sys.outbox.read(court).length
    await act(mediator, { action: 'resolve', summary: '双方同意返工并退还部分款项。' })
    const told = sys.outbox.read(court).slice(before)
    expect(told).toHaveLength(1)
    expect(told[0]?.text).toContain('(2026)滨民诉前调1234号')
    expect(told[0]?.text).toContain(number)
    expect(told[0]?.text).toContain('调解成功')
    expect(told[0]?.text).not.toContain('13300007777')
  })

  it('only mediators and centre admins register them, for a department of their own district; bad input is named', async () => {
    expect((await register(referredCase(), await as('police1'))).status).toBe(403)
    expect((await register(referredCase(), await as('supervisor1'))).status).toBe(403)
    expect((await register(referredCase(), await sys.signIn('13300008888'))).status).toBe(403)
    const unknown = await register(referredCase({ departmentId: '01JF0000000000000000NOPE00' }))
    expect(unknown.status).toBe(400)
    expect((await unknown.json()).error.fields.departmentId).toBe('referral.department_not_found')
    const bad = await register(referredCase({ reference: '', applicant: { name: '陈某', phone: '123' } }))
    expect(bad.status).toBe(400)
    expect((await bad.json()).error.fields).toMatchObject({
      reference: 'validation.required',
      'applicant.phone': 'validation.phone',
    })
  })
})

describe('chasing and the figures', () => {
  it('a late referral is marked overdue, chased with a fresh link, and counted; a late answer still counts', async () => {
    // Earlier tests moved the clock on: chase what they left due, so this run sees only its own.
    await runJobs(sys.deps)
    const c = await acceptedCase()
    const sent = await refer(c.id, { dueOn: chinaDay(1), departmentId: COURT?.id, kind: 'case' })
    expect(sent.status).toBe(201)
    const { dueOn } = await sent.json()
    const dueAt = Date.parse(`${dueOn}T16:00:00.000Z`)
    const court = COURT?.contactPhone ?? ''
    const firstLink = lastLink(court)

    sys.clock.set(new Date(dueAt - 60_000))
    expect((await runJobs(sys.deps)).referralsChased).toBe(0)

    const smsToMediator = sys.outbox.read(MEDIATOR_PHONE).length
    sys.clock.set(new Date(dueAt + 60_000))
    expect((await runJobs(sys.deps)).referralsChased).toBeGreaterThanOrEqual(1)
    const reminder = sys.outbox.read(court).at(-1)?.text ?? ''
    expect(reminder).toContain('催办')
    expect(lastLink(court)).not.toBe(firstLink)
    expect(sys.outbox.read(MEDIATOR_PHONE).length).toBe(smsToMediator + 1)

    const mediator = await as('mediator1')
    const [r] = await (await sys.call('GET', `/api/cases/${c.id}/referrals`, { cookie: mediator })).json()
    expect(r).toMatchObject({ overdue: true, chases: 1, status: 'awaiting' })
    expect(await timelineTypes(mediator, c.id)).toContain('referral.overdue')
    const queue = await (await sys.call('GET', '/api/queue', { cookie: mediator })).json()
    // Overdue ones first.
    const flags = queue.referrals.map((q: { overdue: boolean }) => q.overdue)
    expect(flags).toEqual([...flags].sort((x: boolean, y: boolean) => Number(y) - Number(x)))
    expect(queue.referrals.find((q: { caseId: string }) => q.caseId === c.id)).toMatchObject({
      caseId: c.id,
      overdue: true,
      departmentName: '滨河区人民法院',
    })

    // Run again at once: nobody is chased twice; after three days, again.
    const { number } = await (await sys.call('GET', `/api/cases/${c.id}`, { cookie: mediator })).json()
    const reminders = () =>
      sys.outbox.read(court).filter((m) => m.text.includes('催办') && m.text.includes(number))
    expect(reminders()).toHaveLength(1)
    await runJobs(sys.deps)
    expect(reminders()).toHaveLength(1)
    sys.clock.set(new Date(dueAt + 3 * DAY + 120_000))
    await runJobs(sys.deps)
    expect(reminders()).toHaveLength(2)

    const supervisor = await as('supervisor1')
    const month = new Date(dueAt + 8 * 3600_000).toISOString().slice(0, 7)
    const from = new Date(sys.clock.now().getTime() - 40 * DAY + 8 * 3600_000).toISOString().slice(0, 7)
    const figures = async () =>
      (
        await (
          await sys.call('GET', `/api/insight/summary?from=${from}&to=${month}`, { cookie: supervisor })
        ).json()
      ).results.referrals
    const overdueBefore = await figures()
    expect(overdueBefore.overdue).toBeGreaterThanOrEqual(1)

    // The old link still works: the department answers late.
    const { access } = await open(firstLink, court)
    expect(
      (await reply(firstLink, access, { outcome: 'done', text: '已立案受理。', responder: '王书记员' }))
        .status,
    ).toBe(200)
    const after = await figures()
    expect(after.overdue).toBe(overdueBefore.overdue - 1)
    expect(after.answered).toBe(overdueBefore.answered + 1)
    const later = await as('mediator1')
    const [closed] = await (await sys.call('GET', `/api/cases/${c.id}/referrals`, { cookie: later })).json()
    expect(closed).toMatchObject({ overdue: false, status: 'closed' })
    const queueAfter = await (await sys.call('GET', '/api/queue', { cookie: later })).json()
    expect(queueAfter.referrals.some((q: { caseId: string }) => q.caseId === c.id)).toBe(false)
  })

  it('the stored figures equal a recount including referrals: the rebuild finds nothing to change', async () => {
    const check = await rebuildAggregates(sys.db, sys.tableName, '滨河区', { check: true })
    expect(check.differences).toEqual([])
  })

  it('no department contact or party number appears in the logs', async () => {
    const joined = sys.logs.join('\n')
    for (const d of DEMO_DEPARTMENTS) expect(joined).not.toContain(d.contactPhone)
    expect(joined).not.toContain('13300000000')
  })
})
