import { beforeAll, describe, expect, it } from 'vitest'
import { runJobs } from '../../functions/domain/jobs.ts'
import { DEMO_SUPERVISOR_PHONE } from '../../infra/local/seed.ts'
import { makeSystem, newKey, validCase } from './harness.ts'

type System = Awaited<ReturnType<typeof makeSystem>>

async function accepted(sys: System, phone: string) {
  const cookie = await sys.signIn(phone)
  const { id } = await (
    await sys.call('POST', '/api/cases', {
      cookie,
      body: validCase(),
      headers: { 'idempotency-key': newKey() },
    })
  ).json()
  const mediator = await sys.staffSignIn('mediator1')
  const v = await (await sys.call('GET', `/api/cases/${id}`, { cookie: mediator })).json()
  const res = await sys.call('POST', `/api/cases/${id}/actions`, {
    cookie: mediator,
    body: { action: 'accept', expectedVersion: v.version, mediatorId: 'mediator1' },
  })
  expect(res.status).toBe(200)
  return { id, cookie, mediator }
}

describe('the scheduled job', () => {
  let sys: System
  beforeAll(async () => {
    sys = await makeSystem({ seedStaff: true })
  })

  it('reminds a silent respondent on days 1, 3 and 7, then closes the case as no response', async () => {
    const { id } = await accepted(sys, '13500001001')
    const respondentTexts = () => sys.outbox.read('13900139000').length
    const invited = respondentTexts()
    await runJobs(sys.deps)
    expect(respondentTexts()).toBe(invited) // nothing due yet
    for (const day of [1, 3, 7]) {
      sys.clock.set(new Date(new Date('2026-11-23T08:00:00Z').getTime() + day * 86400_000 + 1000))
      const report = await runJobs(sys.deps)
      expect(report.reminders).toBeGreaterThanOrEqual(1)
    }
    expect(respondentTexts()).toBe(invited + 3)
    sys.clock.set(new Date(new Date('2026-11-23T08:00:00Z').getTime() + 8 * 86400_000 + 1000))
    expect((await runJobs(sys.deps)).closedNoResponse).toBeGreaterThanOrEqual(1)
    const cookie = await sys.signIn('13500001001') // a week on, the first session has expired
    const view = await (await sys.call('GET', `/api/cases/${id}`, { cookie })).json()
    expect(view).toMatchObject({
      status: 'closed',
      outcome: { kind: 'no_response', guidance: 'labour_arbitration' },
    })
    expect(view.timeline.filter((e: { type: string }) => e.type === 'case.consent_reminder')).toHaveLength(3)
    expect(sys.outbox.read('13500001001').map((m) => m.text)).toContainEqual(
      expect.stringContaining('申请劳动仲裁'),
    )
  })

  it('a second run at the same moment sends nothing twice', async () => {
    const local = await makeSystem({ seedStaff: true })
    await accepted(local, '13500001002')
    local.clock.advance(86400 + 1)
    await runJobs(local.deps)
    const after = local.outbox.read('13900139000').length
    await runJobs(local.deps)
    expect(local.outbox.read('13900139000').length).toBe(after)
  })

  it('marks an overdue screening stage once, on the timeline', async () => {
    const local = await makeSystem({ seedStaff: true })
    const cookie = await local.signIn('13500001003')
    const { id } = await (
      await local.call('POST', '/api/cases', {
        cookie,
        body: validCase(),
        headers: { 'idempotency-key': newKey() },
      })
    ).json()
    local.clock.advance(3 * 86400 + 60)
    expect((await runJobs(local.deps)).markedOverdue).toBe(1)
    expect((await runJobs(local.deps)).markedOverdue).toBe(0)
    const mediator = await local.staffSignIn('mediator1')
    const view = await (await local.call('GET', `/api/cases/${id}`, { cookie: mediator })).json()
    expect(view.overdue).toBe(true)
    expect(view.timeline.filter((e: { type: string }) => e.type === 'case.overdue')).toHaveLength(1)
    const overdueOnly = await (
      await local.call('GET', '/api/queue?overdue=true', { cookie: mediator })
    ).json()
    expect(overdueOnly.items.map((i: { id: string }) => i.id)).toEqual([id])
  })
})

describe('red cases', () => {
  it('notify the jurisdiction supervisor at once', async () => {
    const sys = await makeSystem({ seedStaff: true })
    const cookie = await sys.signIn('13500001004')
    const body = {
      ...validCase(),
      description: '老板欠了我三万块钱工资一直不给，我实在没办法了，再不给我就从他们公司楼顶跳下去。',
    }
    const { id, number } = await (
      await sys.call('POST', '/api/cases', { cookie, body, headers: { 'idempotency-key': newKey() } })
    ).json()
    expect(sys.outbox.read(DEMO_SUPERVISOR_PHONE).at(-1)?.text).toContain(number)
    const supervisor = await sys.staffSignIn('supervisor1')
    const view = await (await sys.call('GET', `/api/cases/${id}`, { cookie: supervisor })).json()
    expect(view.timeline.map((e: { type: string }) => e.type)).toContain('case.supervisor_notified')
  })

  it('a calm case does not', async () => {
    const sys = await makeSystem({ seedStaff: true })
    const cookie = await sys.signIn('13500001005')
    await sys.call('POST', '/api/cases', {
      cookie,
      body: validCase(),
      headers: { 'idempotency-key': newKey() },
    })
    expect(sys.outbox.read(DEMO_SUPERVISOR_PHONE)).toHaveLength(0)
  })
})

describe('stage time limits', () => {
  it('follow the configured days', async () => {
    const sys = await makeSystem({ seedStaff: true })
    sys.deps.stageDays = { submitted: 1, awaiting_consent: 2 }
    const cookie = await sys.signIn('13500001006')
    const { id } = await (
      await sys.call('POST', '/api/cases', {
        cookie,
        body: validCase(),
        headers: { 'idempotency-key': newKey() },
      })
    ).json()
    const mediator = await sys.staffSignIn('mediator1')
    const v = await (await sys.call('GET', `/api/cases/${id}`, { cookie: mediator })).json()
    expect(v.stageDeadline).toBe('2026-11-24T08:00:00.000Z')
    const after = await (
      await sys.call('POST', `/api/cases/${id}/actions`, {
        cookie: mediator,
        body: { action: 'accept', expectedVersion: v.version, mediatorId: 'mediator1' },
      })
    ).json()
    expect(after.stageDeadline).toBe('2026-11-25T08:00:00.000Z')
  })
})
