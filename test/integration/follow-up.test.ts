import { beforeAll, describe, expect, it } from 'vitest'
import { idCheckChar } from '../../functions/domain/agreement.ts'
import { runJobs } from '../../functions/domain/jobs.ts'
import { rebuildAggregates } from '../../functions/store/aggregates.ts'
import { makeSystem, newKey, validCase } from './harness.ts'

type System = Awaited<ReturnType<typeof makeSystem>>
let sys: System

const MEDIATOR_PHONE = '13700001111'
const SIGNED_AT = new Date('2026-11-23T08:00:00Z')
const DAY = 86400_000
const withCheck = (first17: string) => first17 + idCheckChar(first17)

beforeAll(async () => {
  sys = await makeSystem({ seedStaff: true })
  const m1 = await sys.deps.store.getStaff('mediator1')
  if (!m1) throw new Error('no mediator1')
  await sys.deps.store.putStaff({ ...m1, phone: MEDIATOR_PHONE })
})

/** A fresh staff session: the tests move the clock by weeks, past any session's life. */
const as = (username: string) => sys.staffSignIn(username)

let phones = 0
/**
 * A wage case mediated to a signed agreement at the clock's current time (instalments on 10 Dec
 * and 10 Jan): filed, accepted, agreed, drafted, signed by both parties and the mediator.
 */
async function signedCase() {
  const n = String(phones++).padStart(4, '0')
  const applicantPhone = `1320000${n}`
  const respondentPhone = `1380000${n}`
  const applicant = await sys.signIn(applicantPhone)
  const filed = await sys.call('POST', '/api/cases', {
    cookie: applicant,
    body: { ...validCase(), respondent: { name: '王某', phone: respondentPhone } },
    headers: { 'idempotency-key': newKey() },
  })
  expect(filed.status).toBe(201)
  const { id } = await filed.json()
  const mediator1 = await as('mediator1')
  const v1 = await (await sys.call('GET', `/api/cases/${id}`, { cookie: mediator1 })).json()
  const accepted = await sys.call('POST', `/api/cases/${id}/actions`, {
    cookie: mediator1,
    body: { action: 'accept', expectedVersion: v1.version, mediatorId: 'mediator1' },
  })
  expect(accepted.status).toBe(200)
  const respondent = await sys.signIn(respondentPhone)
  const agreed = await sys.call('POST', `/api/cases/${id}/actions`, {
    cookie: respondent,
    body: { action: 'respond', expectedVersion: (await accepted.json()).version, agreed: true },
  })
  expect(agreed.status).toBe(200)
  const drafted = await sys.call('PUT', `/api/cases/${id}/agreement`, {
    cookie: mediator1,
    body: {
      expectedRevision: 0,
      content: {
        template: 'wage_arrears',
        applicant: { name: '李小军', idNumber: withCheck('11010519880312421') },
        respondent: { name: '王某', idNumber: withCheck('44030419750601123') },
        facts: '被申请人拖欠申请人2026年8月、9月工资共计6000元。',
        terms: ['双方就本案劳动报酬再无争议。'],
        payment: {
          payer: 'respondent',
          total: 6000,
          instalments: [
            { amount: 3000, dueOn: '2026-12-10' },
            { amount: 3000, dueOn: '2027-01-10' },
          ],
        },
        performanceCheck: '每期款项支付后，申请人三日内向调解员确认收款。',
      },
    },
  })
  expect(drafted.status).toBe(200)
  const { documentHash } = await drafted.json()
  for (const [cookie, phone, name] of [
    [applicant, applicantPhone, '李小军'],
    [respondent, respondentPhone, '王某'],
  ] as const) {
    expect((await sys.call('POST', `/api/cases/${id}/agreement/sign-code`, { cookie })).status).toBe(200)
    const signed = await sys.call('POST', `/api/cases/${id}/agreement/sign`, {
      cookie,
      body: { documentHash, code: sys.lastCode(phone), signature: { method: 'typed', name } },
    })
    expect(signed.status).toBe(200)
  }
  const last = await sys.call('POST', `/api/cases/${id}/agreement/sign`, {
    cookie: mediator1,
    body: { documentHash, signature: { method: 'typed', name: '张调解员' } },
  })
  expect(last.status).toBe(200)
  expect((await (await sys.call('GET', `/api/cases/${id}`, { cookie: mediator1 })).json()).status).toBe(
    'resolved',
  )
  return { id, applicant, respondent, applicantPhone, respondentPhone }
}

const followUps = async (cookie: string, id: string) => {
  const res = await sys.call('GET', `/api/cases/${id}/follow-ups`, { cookie })
  expect(res.status).toBe(200)
  return res.json()
}

/** The follow-up links texted to a phone so far, newest last. */
const links = (phone: string) =>
  sys.outbox
    .read(phone)
    .map((m) => /\/follow-up\/([A-Za-z0-9_-]+)/.exec(m.text)?.[1])
    .filter((t): t is string => Boolean(t))

const lastLink = (phone: string) => {
  const token = links(phone).at(-1)
  if (!token) throw new Error(`no follow-up link sent to ${phone}`)
  return token
}

/** Moves the clock (forward only: the system is shared) and runs the scheduled job. */
async function runAt(at: Date) {
  if (at > sys.clock.now()) sys.clock.set(at)
  return runJobs(sys.deps)
}

const answer = (token: string, body: unknown, headers?: Record<string, string>) =>
  sys.call('POST', `/api/follow-ups/${token}`, { body, headers })

describe('scheduling', () => {
  it('a signed agreement schedules follow-ups 7 and 30 days after signing and at each instalment', async () => {
    sys.clock.set(SIGNED_AT)
    const c = await signedCase()
    const list = await followUps(await as('mediator1'), c.id)
    expect(list.map((f: { id: string; dueAt: string }) => [f.id, f.dueAt])).toEqual([
      ['d7', '2026-11-30T08:00:00.000Z'],
      ['i1', '2026-12-10T12:00:00.000Z'],
      ['d30', '2026-12-23T08:00:00.000Z'],
      ['i2', '2027-01-10T12:00:00.000Z'],
    ])
    expect(list.every((f: { status: string }) => f.status === 'scheduled')).toBe(true)
    expect(list[1].instalment).toEqual({ amount: 3000, dueOn: '2026-12-10' })
  })
})

describe('sending', () => {
  it('the job texts both parties a link when a follow-up falls due, once', async () => {
    sys.clock.set(new Date(Math.max(sys.clock.now().getTime(), SIGNED_AT.getTime())))
    const signedAt = sys.clock.now()
    const c = await signedCase()
    await runAt(new Date(signedAt.getTime() + 7 * DAY - 60_000))
    expect(links(c.applicantPhone)).toHaveLength(0)

    const report = await runAt(new Date(signedAt.getTime() + 7 * DAY + 60_000))
    expect(report.followUpsSent).toBeGreaterThanOrEqual(1)
    expect(links(c.applicantPhone)).toHaveLength(1)
    expect(links(c.respondentPhone)).toHaveLength(1)
    expect(links(c.applicantPhone)[0]).not.toBe(links(c.respondentPhone)[0])

    await runJobs(sys.deps)
    expect(links(c.applicantPhone)).toHaveLength(1)
    const d7 = (await followUps(await as('mediator1'), c.id))[0]
    expect(d7).toMatchObject({ id: 'd7', status: 'sent' })
    const seen = await (await sys.call('GET', `/api/cases/${c.id}`, { cookie: await as('mediator1') })).json()
    expect(seen.timeline.map((e: { type: string }) => e.type)).toContain('follow_up.sent')
  })

  it('two runs at once still text each party once', async () => {
    const signedAt = sys.clock.now()
    const c = await signedCase()
    sys.clock.set(new Date(signedAt.getTime() + 7 * DAY + 60_000))
    await Promise.all([runJobs(sys.deps), runJobs(sys.deps)])
    expect(links(c.applicantPhone)).toHaveLength(1)
    expect(links(c.respondentPhone)).toHaveLength(1)
  })
})

describe('answering by link', () => {
  let c: Awaited<ReturnType<typeof signedCase>>
  beforeAll(async () => {
    const signedAt = sys.clock.now()
    c = await signedCase()
    await runAt(new Date(signedAt.getTime() + 7 * DAY + 60_000))
  })

  it('the link shows the question without names', async () => {
    const res = await sys.call('GET', `/api/follow-ups/${lastLink(c.applicantPhone)}`)
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body).toMatchObject({ party: 'applicant', kind: 'days', answered: false })
    expect(body.caseNumber).toMatch(/^TJ-/)
    expect(JSON.stringify(body)).not.toContain('李小军')
  })

  it('bad input is refused with field errors in the caller’s language', async () => {
    const token = lastLink(c.applicantPhone)
    const zh = await answer(token, { carriedOut: 'maybe', satisfaction: 9, extra: 1 })
    expect(zh.status).toBe(400)
    const zhBody = await zh.json()
    expect(zhBody.error.fields).toEqual({
      carriedOut: 'validation.option',
      satisfaction: 'follow_up.satisfaction',
      extra: 'validation.unknown_field',
    })
    expect(zhBody.error.message).toMatch(/[\u4e00-\u9fff]/)
    const en = await answer(token, { carriedOut: 'yes', satisfaction: 0 }, { 'accept-language': 'en' })
    expect(en.status).toBe(400)
    const enBody = await en.json()
    expect(enBody.error.fields).toEqual({ satisfaction: 'follow_up.satisfaction' })
    expect(enBody.error.message).toMatch(/fixing/)
  })

  it('an answer is accepted once; staff see it, the parties only that it was given', async () => {
    const token = lastLink(c.applicantPhone)
    const first = await answer(token, { carriedOut: 'yes', satisfaction: 5, comment: '已经收到第一笔钱' })
    expect(first.status).toBe(200)
    expect((await first.json()).answered).toBe(true)
    const again = await answer(token, { carriedOut: 'no', satisfaction: 1 })
    expect(again.status).toBe(409)
    expect((await again.json()).error.code).toBe('follow_up.answered')

    // Which follow-up the link was for depends on the date this case was signed: find the answered one.
    const staffList = await followUps(await as('mediator1'), c.id)
    const staffView = staffList.find((f: { answeredBy: string[] }) => f.answeredBy.length > 0)
    expect(staffList.filter((f: { answeredBy: string[] }) => f.answeredBy.length > 0)).toHaveLength(1)
    expect(staffView.answeredBy).toEqual(['applicant'])
    expect(staffView.answers).toEqual([
      expect.objectContaining({ party: 'applicant', carriedOut: 'yes', satisfaction: 5, channel: 'sms' }),
    ])
    const partyList = await followUps(await sys.signIn(c.applicantPhone), c.id)
    const partyView = partyList.find((f: { id: string }) => f.id === staffView.id)
    expect(partyView.answeredBy).toEqual(['applicant'])
    expect(partyView.answers).toBeUndefined()
    expect(
      (await (await sys.call('GET', `/api/cases/${c.id}`, { cookie: await as('mediator1') })).json()).status,
    ).toBe('resolved')
  })

  it('a wrong token is not found', async () => {
    for (const token of ['x'.repeat(43), 'short', `${lastLink(c.respondentPhone)}x`]) {
      const res = await sys.call('GET', `/api/follow-ups/${token}`)
      expect(res.status).toBe(404)
      expect((await res.json()).error.code).toBe('follow_up.not_found')
      expect((await answer(token, { carriedOut: 'yes', satisfaction: 4 })).status).toBe(404)
    }
  })
})

describe('expiry', () => {
  it('a link no longer works 14 days after it was sent', async () => {
    const signedAt = sys.clock.now()
    const c = await signedCase()
    await runAt(new Date(signedAt.getTime() + 7 * DAY + 60_000))
    const token = lastLink(c.respondentPhone)
    sys.clock.set(new Date(signedAt.getTime() + 21 * DAY + 120_000))
    const res = await answer(token, { carriedOut: 'yes', satisfaction: 4 })
    expect(res.status).toBe(404)
    expect((await res.json()).error.code).toBe('follow_up.not_found')
  })
})

describe('relapse (反弹)', () => {
  it('"not carried out" reopens the case at orange risk and texts the mediator', async () => {
    const signedAt = sys.clock.now()
    const c = await signedCase()
    await runAt(new Date(signedAt.getTime() + 7 * DAY + 60_000))
    const before = sys.outbox.read(MEDIATOR_PHONE).length
    const res = await answer(lastLink(c.respondentPhone), { carriedOut: 'no', satisfaction: 2 })
    expect(res.status).toBe(200)

    const seen = await (await sys.call('GET', `/api/cases/${c.id}`, { cookie: await as('mediator1') })).json()
    expect(seen.status).toBe('in_mediation')
    expect(['orange', 'red']).toContain(seen.riskLevel)
    const reopen = seen.timeline.find((e: { type: string }) => e.type === 'case.reopen')
    expect(reopen).toMatchObject({ from: 'resolved', to: 'in_mediation', actorRole: 'system' })
    const texts = sys.outbox.read(MEDIATOR_PHONE).slice(before)
    expect(texts).toHaveLength(1)
    expect(texts[0]?.text).toContain(seen.number)
  })

  it('a follow-up falling due after the case reopened is skipped, not texted', async () => {
    const signedAt = sys.clock.now()
    const c = await signedCase()
    await runAt(new Date(signedAt.getTime() + 7 * DAY + 60_000))
    expect((await answer(lastLink(c.applicantPhone), { carriedOut: 'no', satisfaction: 1 })).status).toBe(200)
    const sent = links(c.applicantPhone).length
    await runAt(new Date(signedAt.getTime() + 30 * DAY + 60_000))
    expect(links(c.applicantPhone)).toHaveLength(sent)
    const d30 = (await followUps(await as('mediator1'), c.id)).find((f: { id: string }) => f.id === 'd30')
    expect(d30.status).toBe('skipped')
  })
})

describe('phone follow-ups', () => {
  it('staff of the handling organisation record one per party; a second is refused', async () => {
    const c = await signedCase()
    const path = `/api/cases/${c.id}/follow-ups/d30/record`
    const res = await sys.call('POST', path, {
      cookie: await as('admin1'),
      body: { party: 'respondent', carriedOut: 'partly', comment: '电话回访：第一期已付一半' },
    })
    expect(res.status).toBe(200)
    const d30 = (await res.json()).find((f: { id: string }) => f.id === 'd30')
    expect(d30.answers).toEqual([
      expect.objectContaining({ party: 'respondent', carriedOut: 'partly', channel: 'phone', by: 'admin1' }),
    ])
    const again = await sys.call('POST', path, {
      cookie: await as('mediator1'),
      body: { party: 'respondent', carriedOut: 'yes', satisfaction: 5 },
    })
    expect(again.status).toBe(409)
  })

  it('others who may see the case may not record; an unknown follow-up is not found', async () => {
    const c = await signedCase()
    const body = { party: 'applicant', carriedOut: 'yes', satisfaction: 4 }
    const byParty = await sys.call('POST', `/api/cases/${c.id}/follow-ups/d7/record`, {
      cookie: c.applicant,
      body,
    })
    expect(byParty.status).toBe(403)
    const byPolice = await sys.call('POST', `/api/cases/${c.id}/follow-ups/d7/record`, {
      cookie: await as('police1'),
      body,
    })
    expect([403, 404]).toContain(byPolice.status)
    const byOutsider = await sys.call('POST', `/api/cases/${c.id}/follow-ups/d7/record`, {
      cookie: await as('mediator3'),
      body,
    })
    expect(byOutsider.status).toBe(404)
    const unknown = await sys.call('POST', `/api/cases/${c.id}/follow-ups/d99/record`, {
      cookie: await as('mediator1'),
      body,
    })
    expect(unknown.status).toBe(404)
    expect((await unknown.json()).error.code).toBe('follow_up.not_found')
  })
})

describe('the work list', () => {
  const queued = async (id: string) => {
    const res = await sys.call('GET', '/api/queue', { cookie: await as('mediator1') })
    expect(res.status).toBe(200)
    const body = await res.json()
    return (body.followUps as { caseId: string; followUpId: string; awaiting: string[] }[]).filter(
      (f) => f.caseId === id,
    )
  }

  it('shows a follow-up due soon, then sent and awaiting answers, until both parties answered', async () => {
    const signedAt = sys.clock.now()
    const c = await signedCase()
    sys.clock.set(new Date(signedAt.getTime() + 5 * DAY))
    expect((await queued(c.id)).map((f) => f.followUpId)).toContain('d7')
    await runAt(new Date(signedAt.getTime() + 7 * DAY + 60_000))
    const token = lastLink(c.applicantPhone)
    const other = lastLink(c.respondentPhone)
    const sent = (await queued(c.id)).filter((f) => f.awaiting.length === 2)
    expect(sent.length).toBeGreaterThanOrEqual(1)
    expect(sent[0]?.awaiting).toEqual(['applicant', 'respondent'])
    // Both answer at the same moment: each answer is kept, neither is refused.
    const both = await Promise.all([
      answer(token, { carriedOut: 'yes', satisfaction: 4 }),
      answer(other, { carriedOut: 'partly', satisfaction: 3 }),
    ])
    expect(both.map((r) => r.status)).toEqual([200, 200])
    const done = (await followUps(await as('mediator1'), c.id)).filter(
      (f: { answeredBy: string[] }) => f.answeredBy.length === 2,
    )
    expect(done).toHaveLength(1)
    expect((await queued(c.id)).map((f) => f.followUpId)).not.toContain(done[0].id)
  })

  it('a party already reached by phone is not texted the link', async () => {
    const signedAt = sys.clock.now()
    const c = await signedCase()
    const rec = await sys.call('POST', `/api/cases/${c.id}/follow-ups/d7/record`, {
      cookie: await as('mediator1'),
      body: { party: 'applicant', carriedOut: 'yes', satisfaction: 5 },
    })
    expect(rec.status).toBe(200)
    await runAt(new Date(signedAt.getTime() + 7 * DAY + 60_000))
    const d7 = (await followUps(await as('mediator1'), c.id)).find((f: { id: string }) => f.id === 'd7')
    expect(d7.status).toBe('sent')
    expect(d7.answeredBy).toEqual(['applicant'])
    // The respondent got the d7 link (and maybe an instalment's); the applicant got only other follow-ups'.
    const applicantTexts = sys.outbox.read(c.applicantPhone).filter((m) => m.text.includes('/follow-up/'))
    expect(applicantTexts.every((m) => m.text.includes('应付的'))).toBe(true)
    expect(links(c.respondentPhone).length).toBeGreaterThanOrEqual(1)
  })
})

describe('figures', () => {
  it('after the answers above, the supervisor figures still equal a recount', async () => {
    const check = await rebuildAggregates(sys.db, sys.tableName, '滨河区', { check: true })
    expect(check.differences).toEqual([])
    const res = await sys.call('GET', '/api/insight/summary?from=2026-11&to=2027-12', {
      cookie: await sys.staffSignIn('supervisor1'),
    })
    expect(res.status).toBe(200)
    const fu = (await res.json()).results.followUps
    expect(fu.answered).toBeGreaterThanOrEqual(4)
    expect(fu.relapsed).toBeGreaterThanOrEqual(2)
  })
})
