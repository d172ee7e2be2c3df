import { beforeAll, describe, expect, it } from 'vitest'
import { makeSystem, STAFF_PASSWORD } from './harness.ts'

let sys: Awaited<ReturnType<typeof makeSystem>>
let admin1: string
let sysadmin1: string
let mediator1: string

beforeAll(async () => {
  sys = await makeSystem({ seedStaff: true })
  admin1 = await sys.staffSignIn('admin1')
  sysadmin1 = await sys.staffSignIn('sysadmin1')
  mediator1 = await sys.staffSignIn('mediator1')
})

const newMediator = (username: string, orgId = 'binhe-chengdong-room') => ({
  username,
  name: '新调解员',
  role: 'mediator',
  orgId,
  skills: ['family'],
  languages: ['普通话', '粤语'],
  password: 'a-long-first-password',
})

describe('the mediator pool', () => {
  it('a centre admin adds a mediator to their organisation, who can sign in and joins the pool', async () => {
    const res = await sys.call('POST', '/api/admin/staff', { cookie: admin1, body: newMediator('mediator9') })
    expect(res.status).toBe(201)
    expect(await res.json()).toMatchObject({ username: 'mediator9', active: true, skills: ['family'] })
    expect(
      (
        await sys.call('POST', '/api/auth/staff/login', {
          body: { username: 'mediator9', password: 'a-long-first-password' },
        })
      ).status,
    ).toBe(200)
    const list = await (await sys.call('GET', '/api/admin/staff', { cookie: admin1 })).json()
    expect(list.items.map((s: { username: string }) => s.username)).toContain('mediator9')
    expect(list.items.every((s: { orgId: string }) => s.orgId === 'binhe-chengdong-room')).toBe(true)
  })

  it('a centre admin may not add staff to another organisation or other roles', async () => {
    expect(
      (
        await sys.call('POST', '/api/admin/staff', {
          cookie: admin1,
          body: newMediator('mediator8', 'binhe-centre'),
        })
      ).status,
    ).toBe(403)
    expect(
      (
        await sys.call('POST', '/api/admin/staff', {
          cookie: admin1,
          body: { ...newMediator('boss1'), role: 'supervisor' },
        })
      ).status,
    ).toBe(403)
  })

  it('refuses a taken username, a short password and a bad username', async () => {
    expect(
      (await sys.call('POST', '/api/admin/staff', { cookie: admin1, body: newMediator('mediator1') })).status,
    ).toBe(409)
    const short = await sys.call('POST', '/api/admin/staff', {
      cookie: admin1,
      body: { ...newMediator('mediator7'), password: 'short' },
    })
    expect((await short.json()).error.fields).toEqual({ password: 'admin.password_short' })
    const bad = await sys.call('POST', '/api/admin/staff', { cookie: admin1, body: newMediator('../etc') })
    expect((await bad.json()).error.fields).toEqual({ username: 'admin.username' })
  })

  it('deactivation ends the sessions at once and the account cannot sign in', async () => {
    await sys.call('POST', '/api/admin/staff', { cookie: admin1, body: newMediator('mediator6') })
    const session = await sys.staffSignIn('mediator6', { password: 'a-long-first-password' })
    const res = await sys.call('POST', '/api/admin/staff/mediator6/deactivate', { cookie: admin1 })
    expect(res.status).toBe(200)
    expect((await sys.call('GET', '/api/me', { cookie: session })).status).toBe(401)
    expect(
      (
        await sys.call('POST', '/api/auth/staff/login', {
          body: { username: 'mediator6', password: 'a-long-first-password' },
        })
      ).status,
    ).toBe(401)
  })

  it('a mediator has no admin pages', async () => {
    expect((await sys.call('GET', '/api/admin/staff', { cookie: mediator1 })).status).toBe(403)
    expect(
      (await sys.call('POST', '/api/admin/staff', { cookie: mediator1, body: newMediator('sneaky1') }))
        .status,
    ).toBe(403)
  })
})

describe('organisations', () => {
  it('a system admin adds one, and citizens of its street are routed to it', async () => {
    const org = {
      id: 'binhe-nanhu-room',
      name: '南湖街道调解室',
      tier: 1,
      kind: 'community_room',
      jurisdiction: '滨河区',
      areas: ['南湖街道'],
    }
    expect((await sys.call('POST', '/api/admin/orgs', { cookie: sysadmin1, body: org })).status).toBe(201)
    expect((await sys.call('POST', '/api/admin/orgs', { cookie: sysadmin1, body: org })).status).toBe(409)
    const listed = await (await sys.call('GET', '/api/orgs', { cookie: sysadmin1 })).json()
    expect(listed.items).toContainEqual(
      expect.objectContaining({ id: 'binhe-nanhu-room', areas: ['南湖街道'] }),
    )
    const cookie = await sys.signIn('13000000077')
    const body = {
      disputeType: 'neighbour',
      description: '楼上漏水淹了我家厨房，已经三次了。',
      location: { district: '滨河区', street: '南湖街道' },
      respondent: { name: '楼上' },
      desiredOutcome: '赔偿',
      meetingPreference: 'either',
    }
    const { id } = await (
      await sys.call('POST', '/api/cases', { cookie, body, headers: { 'idempotency-key': 'nanhu-case-1' } })
    ).json()
    await sys.call('POST', '/api/admin/staff', {
      cookie: sysadmin1,
      body: { ...newMediator('nanhu1', 'binhe-nanhu-room'), password: STAFF_PASSWORD.padEnd(12, '!') },
    })
    const nanhu = await sys.staffSignIn('nanhu1', { password: STAFF_PASSWORD.padEnd(12, '!') })
    expect((await (await sys.call('GET', `/api/cases/${id}`, { cookie: nanhu })).json()).orgId).toBe(
      'binhe-nanhu-room',
    )
  })

  it('a centre admin may not add organisations', async () => {
    const res = await sys.call('POST', '/api/admin/orgs', {
      cookie: admin1,
      body: {
        id: 'x-room',
        name: '某室',
        tier: 1,
        kind: 'community_room',
        jurisdiction: '滨河区',
        areas: [],
      },
    })
    expect(res.status).toBe(403)
  })
})
