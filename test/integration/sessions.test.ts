import { describe, expect, it } from 'vitest'
import { SESSION_TTL_SECONDS } from '../../functions/domain/auth.ts'
import { makeSystem } from './harness.ts'

/** Session cookies as AWS serves them, and sessions ending on the server, not just in the browser. */
describe('sessions in AWS mode', () => {
  it('cookies are HttpOnly, Secure and SameSite for citizens and staff; HSTS is sent', async () => {
    const sys = await makeSystem({ seedStaff: true, secureCookies: true })
    await sys.call('POST', '/api/auth/otp', { body: { phone: '13300000041' } })
    const citizen = await sys.call('POST', '/api/auth/otp/verify', {
      body: { phone: '13300000041', code: sys.lastCode('13300000041') },
    })
    const staff = await sys.call('POST', '/api/auth/staff/login', {
      body: { username: 'mediator1', password: 'test-password-1' },
    })
    for (const res of [citizen, staff]) {
      expect(res.status).toBe(200)
      const cookie = res.headers.get('set-cookie') ?? ''
      expect(cookie).toMatch(/; HttpOnly/)
      expect(cookie).toMatch(/; Secure/)
      expect(cookie).toMatch(/; SameSite=(Lax|Strict)/)
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d{8}/)
    }
  })

  it('a citizen session ends on the server after its lifetime, whatever the browser keeps', async () => {
    const sys = await makeSystem()
    const cookie = await sys.signIn('13300000042')
    expect((await sys.call('GET', '/api/me', { cookie })).status).toBe(200)
    sys.clock.advance(SESSION_TTL_SECONDS - 60)
    expect((await sys.call('GET', '/api/me', { cookie })).status).toBe(200)
    sys.clock.advance(120)
    expect((await sys.call('GET', '/api/me', { cookie })).status).toBe(401)
    expect((await sys.call('GET', '/api/cases', { cookie })).status).toBe(401)
  })

  it('a cross-site form cannot change anything, even with the victim’s cookie', async () => {
    const sys = await makeSystem()
    const cookie = await sys.signIn('13300000043')
    const res = await sys.call('POST', '/api/auth/logout', {
      cookie,
      headers: { origin: 'https://evil.example' },
    })
    expect(res.status).toBe(403)
    expect((await res.json()).error.code).toBe('request.forbidden_origin')
    expect((await sys.call('GET', '/api/me', { cookie })).status).toBe(200)
  })
})
