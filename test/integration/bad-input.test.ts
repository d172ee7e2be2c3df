import { beforeAll, describe, expect, it } from 'vitest'
import { makeSystem, newKey, validCase } from './harness.ts'

let sys: Awaited<ReturnType<typeof makeSystem>>
let cookie: string
beforeAll(async () => {
  sys = await makeSystem()
  cookie = await sys.signIn('13600000001')
})

const post = (body: unknown, headers: Record<string, string> = { 'idempotency-key': newKey() }) =>
  sys.call('POST', '/api/cases', { cookie, body, headers })

const errorOf = async (res: Response) => {
  const text = await res.text()
  expect(text).not.toMatch(/\bat .*\.(ts|js):\d+/) // never a stack trace
  return JSON.parse(text).error as { code: string; message: string; fields?: Record<string, string> }
}

describe('filing refuses bad input with field errors in the user language', () => {
  it('names every missing required field', async () => {
    const res = await post({})
    expect(res.status).toBe(400)
    const error = await errorOf(res)
    expect(error.code).toBe('validation.failed')
    expect(error.message).toBe('填写的内容有误，请检查标红的项目')
    expect(Object.keys(error.fields ?? {}).sort()).toEqual(
      ['description', 'desiredOutcome', 'disputeType', 'location', 'meetingPreference', 'respondent'].sort(),
    )
  })

  it('answers in English when asked', async () => {
    const res = await sys.call('POST', '/api/cases', {
      cookie,
      body: {},
      headers: { 'idempotency-key': newKey(), 'accept-language': 'en-GB,en;q=0.9' },
    })
    expect((await errorOf(res)).message).toBe('Some answers need fixing; see the marked fields')
  })

  it('refuses a wrong respondent phone format', async () => {
    const res = await post({ ...validCase(), respondent: { name: '王某', phone: '12345' } })
    expect(res.status).toBe(400)
    expect((await errorOf(res)).fields).toEqual({ 'respondent.phone': 'validation.phone' })
  })

  it('refuses wrong types', async () => {
    const res = await post({ ...validCase(), amountInDispute: '6000元', description: 42 })
    const error = await errorOf(res)
    expect(res.status).toBe(400)
    expect(error.fields).toMatchObject({
      amountInDispute: 'validation.number',
      description: 'validation.required',
    })
  })

  it('refuses a dispute type outside the list', async () => {
    const res = await post({ ...validCase(), disputeType: 'murder' })
    expect((await errorOf(res)).fields).toEqual({ disputeType: 'validation.option' })
  })

  it('refuses unknown fields instead of dropping them', async () => {
    const res = await post({
      ...validCase(),
      status: 'resolved',
      location: { district: '滨河区', gps: '1,2' },
    })
    expect(res.status).toBe(400)
    expect((await errorOf(res)).fields).toEqual({
      status: 'validation.unknown_field',
      'location.gps': 'validation.unknown_field',
    })
  })

  it('asks for the amount in a wage dispute', async () => {
    const { amountInDispute: _omit, ...body } = validCase()
    const res = await post(body)
    expect((await errorOf(res)).fields).toEqual({ amountInDispute: 'validation.amount_required' })
  })

  it('refuses a negative amount or more than two decimals', async () => {
    expect((await errorOf(await post({ ...validCase(), amountInDispute: -5 }))).fields).toEqual({
      amountInDispute: 'validation.amount',
    })
    expect((await errorOf(await post({ ...validCase(), amountInDispute: 10.005 }))).fields).toEqual({
      amountInDispute: 'validation.amount',
    })
  })

  it('refuses a date in the future', async () => {
    const res = await post({ ...validCase(), occurredOn: '2027-01-01' })
    expect(res.status).toBe(400)
    expect((await errorOf(res)).fields).toEqual({ occurredOn: 'validation.date_future' })
  })

  it('refuses a description that is too short or too long', async () => {
    expect((await errorOf(await post({ ...validCase(), description: '太短' }))).fields).toEqual({
      description: 'validation.too_short',
    })
    expect((await errorOf(await post({ ...validCase(), description: '长'.repeat(2001) }))).fields).toEqual({
      description: 'validation.too_long',
    })
  })

  it('refuses a 2 MB body with 413 before reading it', async () => {
    const res = await post({ ...validCase(), description: 'x'.repeat(2 * 1024 * 1024) })
    expect(res.status).toBe(413)
    expect((await errorOf(res)).code).toBe('request.too_large')
  })

  it('refuses malformed JSON', async () => {
    const res = await post('{"disputeType": ')
    expect(res.status).toBe(400)
    expect((await errorOf(res)).code).toBe('request.bad_json')
  })

  it('refuses a body that is not JSON at all', async () => {
    const res = await sys.call('POST', '/api/cases', {
      cookie,
      body: 'disputeType=family',
      headers: { 'idempotency-key': newKey(), 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(res.status).toBe(415)
    expect((await errorOf(res)).code).toBe('request.content_type')
  })

  it('needs an Idempotency-Key', async () => {
    const res = await post(validCase(), {})
    expect(res.status).toBe(400)
    expect((await errorOf(res)).code).toBe('request.idempotency_key')
  })

  it('refuses a malformed Idempotency-Key', async () => {
    const res = await post(validCase(), { 'idempotency-key': 'a b<script>' })
    expect((await errorOf(res)).code).toBe('request.idempotency_key')
  })

  it('refuses a state-changing request from another site', async () => {
    const res = await post(validCase(), { 'idempotency-key': newKey(), origin: 'https://evil.example' })
    expect(res.status).toBe(403)
    expect((await errorOf(res)).code).toBe('request.forbidden_origin')
  })

  it('answers an unknown API path with JSON 404', async () => {
    const res = await sys.call('GET', '/api/does-not-exist')
    expect(res.status).toBe(404)
    expect((await errorOf(res)).code).toBe('route.not_found')
  })

  it('keeps hostile text as text', async () => {
    const hostile = '<img src=x onerror=alert(1)> {"$ne": null} \'; DROP TABLE cases; -- \u202e'
    const created = await (await post({ ...validCase(), description: hostile })).json()
    const view = await (await sys.call('GET', `/api/cases/${created.id}`, { cookie })).json()
    expect(view.description).toBe(hostile.trim())
  })
})

describe('sign-in refuses bad input', () => {
  it.each([['12345'], ['1380013800a'], ['23800138000'], ['138001380001']])(
    'refuses phone %s',
    async (phone) => {
      const res = await sys.call('POST', '/api/auth/otp', { body: { phone } })
      expect(res.status).toBe(400)
      expect((await errorOf(res)).fields).toEqual({ phone: 'validation.phone' })
    },
  )

  it('accepts a phone typed with spaces or +86', async () => {
    const res = await sys.call('POST', '/api/auth/otp', { body: { phone: '+86 138-0013-9999' } })
    expect(res.status).toBe(200)
    expect(sys.outbox.read('13800139999')).toHaveLength(1)
  })

  it('refuses a code that is not six digits', async () => {
    const res = await sys.call('POST', '/api/auth/otp/verify', {
      body: { phone: '13800138000', code: '12ab' },
    })
    expect((await errorOf(res)).fields).toEqual({ code: 'validation.otp_format' })
  })
})
