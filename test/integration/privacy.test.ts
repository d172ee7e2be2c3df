import { describe, expect, it } from 'vitest'
import { freePort } from '../../infra/local/dynamodb-local.ts'
import { makeSystem, newKey, validCase } from './harness.ts'

const ID_NUMBER = '110105194912310021'

describe('what we hold about me (data export)', () => {
  it('gives a citizen their cases as they see them, their evidence list and the retention rules', async () => {
    const sys = await makeSystem({ seedStaff: true })
    const cookie = await sys.signIn('13300000011')
    const filed = await sys.call('POST', '/api/cases', {
      cookie,
      body: { ...validCase(), description: `老板欠我工资，我的身份证号${ID_NUMBER}，请帮忙调解。` },
      headers: { 'idempotency-key': newKey() },
    })
    const { id, number } = await filed.json()
    await sys.call('POST', `/api/cases/${id}/evidence`, {
      cookie,
      body: { fileName: '工资条.pdf', contentType: 'application/pdf', size: 1000 },
    })
    // Staff look at the numbers: that is recorded, but it is an internal step the export leaves out.
    const mediator = await sys.staffSignIn('mediator1')
    expect((await sys.call('POST', `/api/cases/${id}/reveal`, { cookie: mediator })).status).toBe(200)
    const other = await sys.signIn('13300000012')
    await sys.call('POST', '/api/cases', {
      cookie: other,
      body: validCase(),
      headers: { 'idempotency-key': newKey() },
    })

    const res = await sys.call('GET', '/api/me/export', { cookie, headers: { 'accept-language': 'en' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="jiefen-my-data-\d{4}-\d{2}-\d{2}\.json"$/,
    )
    const data = await res.json()
    expect(data.subject.phone).toBe('13300000011')
    expect(data.cases.map((c: { number: string }) => c.number)).toEqual([number])
    expect(data.cases[0].evidence).toEqual([expect.objectContaining({ fileName: '工资条.pdf' })])
    expect(data.cases[0].timeline.map((e: { type: string }) => e.type)).not.toContain(
      'case.contacts_revealed',
    )
    expect(JSON.stringify(data)).not.toContain('13900139000') // the other party's number stays masked
    expect(data.retention).toMatch(/10 years/)

    expect((await sys.call('GET', '/api/me/export')).status).toBe(401)
    expect((await sys.call('GET', '/api/me/export', { cookie: mediator })).status).toBe(403)
  })
})

describe('logs', () => {
  it('carry no phone number, ID number or evidence link, even when things fail', async () => {
    const logs: string[] = []
    const sys = await makeSystem({ seedStaff: true, logs })
    const cookie = await sys.signIn('13300000021')
    const filed = await sys.call('POST', '/api/cases', {
      cookie,
      body: { ...validCase(), description: `对方电话13900139000，我的身份证号${ID_NUMBER}，欠薪三个月。` },
      headers: { 'idempotency-key': newKey() },
    })
    const { id } = await filed.json()
    const ticket = await (
      await sys.call('POST', `/api/cases/${id}/evidence`, {
        cookie,
        body: { fileName: 'a.pdf', contentType: 'application/pdf', size: 1000 },
      })
    ).json()
    expect(ticket.upload.url).toBeTruthy()
    // Bad input, unknown routes, an outsider, and a dependency outage: every path that logs.
    await sys.call('POST', '/api/cases', {
      cookie,
      body: { phone: '13300000021' },
      headers: { 'idempotency-key': newKey() },
    })
    await sys.call('GET', `/api/cases/${id}/nothing-here?phone=13300000021`, { cookie })
    await sys.call('GET', `/api/cases/${id}`, { cookie: await sys.signIn('13300000022') })
    const down = await makeSystem({ endpoint: `http://127.0.0.1:${await freePort()}`, logs })
    await down.call('POST', '/api/auth/otp', { body: { phone: '13300000021' } })
    await down.call('POST', '/api/auth/otp/verify', { body: { phone: '13300000021', code: '123456' } })

    expect(logs.length).toBeGreaterThan(0)
    const all = logs.join('\n')
    for (const secret of [
      '13300000021',
      '13300000022',
      '13900139000',
      ID_NUMBER,
      'X-Amz-Signature',
      'x-amz-signature',
    ])
      expect(all).not.toContain(secret)
  })
})
