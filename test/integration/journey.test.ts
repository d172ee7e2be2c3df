import { beforeAll, describe, expect, it } from 'vitest'
import { makeSystem, newKey, validCase } from './harness.ts'

type System = Awaited<ReturnType<typeof makeSystem>>
let sys: System
beforeAll(async () => {
  sys = await makeSystem()
})

describe('a citizen files a mediation request and checks it later', () => {
  it('signs in with an SMS code and gets an HttpOnly session cookie', async () => {
    await sys.call('POST', '/api/auth/otp', { body: { phone: '13800000001' } })
    const res = await sys.call('POST', '/api/auth/otp/verify', {
      body: { phone: '13800000001', code: sys.lastCode('13800000001') },
    })
    expect(res.status).toBe(200)
    const cookie = res.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/^jf_session=[\w-]{40,};/)
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('SameSite=Lax')
    expect(await res.json()).toMatchObject({ kind: 'citizen', phone: '138****0001' })
  })

  it('files a case and gets a readable case number', async () => {
    const cookie = await sys.signIn('13800000002')
    const res = await sys.call('POST', '/api/cases', {
      cookie,
      body: validCase(),
      headers: { 'idempotency-key': newKey() },
    })
    expect(res.status).toBe(201)
    const created = await res.json()
    expect(created).toMatchObject({ status: 'submitted', version: 1 })
    expect(created.number).toMatch(/^TJ-2026-\d{6}$/)
    expect(created.id).toMatch(/^[0-9A-Z]{26}$/)
  })

  it('lists the case and shows it with its timeline, the respondent phone masked', async () => {
    const cookie = await sys.signIn('13800000003')
    const created = await (
      await sys.call('POST', '/api/cases', {
        cookie,
        body: validCase(),
        headers: { 'idempotency-key': newKey() },
      })
    ).json()

    const list = await (await sys.call('GET', '/api/cases', { cookie })).json()
    expect(list.items.map((c: { id: string }) => c.id)).toEqual([created.id])

    const view = await (await sys.call('GET', `/api/cases/${created.id}`, { cookie })).json()
    expect(view).toMatchObject({
      number: created.number,
      status: 'submitted',
      disputeType: 'wage_arrears',
      amountInDispute: 6000,
    })
    expect(view.respondent.phone).toBe('139****9000')
    expect(view.timeline).toEqual([
      expect.objectContaining({ type: 'case.filed', actorRole: 'citizen', to: 'submitted' }),
    ])
  })

  it('numbers cases in sequence without repeats', async () => {
    const cookie = await sys.signIn('13800000004')
    const numbers: string[] = []
    for (let i = 0; i < 3; i++) {
      const res = await sys.call('POST', '/api/cases', {
        cookie,
        body: validCase(),
        headers: { 'idempotency-key': newKey() },
      })
      numbers.push((await res.json()).number)
    }
    expect(new Set(numbers).size).toBe(3)
    const seq = numbers.map((n) => Number(n.slice(-6)))
    expect(seq[1]).toBe((seq[0] ?? 0) + 1)
    expect(seq[2]).toBe((seq[0] ?? 0) + 2)
  })

  it('lists newest first', async () => {
    const cookie = await sys.signIn('13800000005')
    const first = await (
      await sys.call('POST', '/api/cases', {
        cookie,
        body: validCase(),
        headers: { 'idempotency-key': newKey() },
      })
    ).json()
    sys.clock.advance(60)
    const second = await (
      await sys.call('POST', '/api/cases', {
        cookie,
        body: validCase(),
        headers: { 'idempotency-key': newKey() },
      })
    ).json()
    const list = await (await sys.call('GET', '/api/cases', { cookie })).json()
    expect(list.items.map((c: { id: string }) => c.id)).toEqual([second.id, first.id])
  })
})

describe('sessions end on the server', () => {
  it('logout makes the old cookie useless', async () => {
    const cookie = await sys.signIn('13800000011')
    expect((await sys.call('GET', '/api/me', { cookie })).status).toBe(200)
    const out = await sys.call('POST', '/api/auth/logout', { cookie })
    expect(out.status).toBe(204)
    expect(out.headers.get('set-cookie')).toMatch(/jf_session=;.*Max-Age=0/)
    expect((await sys.call('GET', '/api/me', { cookie })).status).toBe(401)
  })

  it('a session expires after seven days', async () => {
    const cookie = await sys.signIn('13800000012')
    sys.clock.advance(7 * 24 * 3600 - 10)
    expect((await sys.call('GET', '/api/me', { cookie })).status).toBe(200)
    sys.clock.advance(20)
    expect((await sys.call('GET', '/api/me', { cookie })).status).toBe(401)
  })

  it('a made-up cookie is not a session', async () => {
    const res = await sys.call('GET', '/api/me', {
      cookie: 'jf_session=not-a-real-session-token-at-all-aaaaaaaaaaaa',
    })
    expect(res.status).toBe(401)
    expect((await res.json()).error.code).toBe('auth.required')
  })
})

describe('the service describes itself', () => {
  it('health is ok when DynamoDB answers', async () => {
    const res = await sys.call('GET', '/api/health')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok' })
  })

  it('publishes an OpenAPI document generated from the route schemas', async () => {
    const doc = await (await sys.call('GET', '/api/openapi.json')).json()
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/health',
        '/api/auth/otp',
        '/api/auth/otp/verify',
        '/api/auth/logout',
        '/api/me',
        '/api/cases',
        '/api/cases/{id}',
      ]),
    )
    const create = doc.paths['/api/cases'].post
    expect(create.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'idempotency-key', in: 'header' })]),
    )
    expect(doc.components.schemas.CreateCaseInput.properties.disputeType.enum).toContain('wage_arrears')
  })

  it('serves a docs page without external scripts', async () => {
    const res = await sys.call('GET', '/api/docs')
    const html = await res.text()
    expect(res.status).toBe(200)
    expect(html).toContain('/api/cases/{id}')
    expect(html).not.toMatch(/<script/i)
  })

  it('sends security headers on API answers', async () => {
    const res = await sys.call('GET', '/api/health')
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
    expect(res.headers.get('x-frame-options')).toBe('DENY')
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toMatch(/script-src 'self'(;|$)/)
    expect(csp).not.toContain('unsafe-inline')
    // Camera and microphone for video, on our own origin only; nothing else.
    const features = Object.fromEntries(
      (res.headers.get('permissions-policy') ?? '').split(', ').map((f) => f.split('=')),
    )
    expect(features).toMatchObject({ camera: '(self)', microphone: '(self)', geolocation: '()' })
  })
})
