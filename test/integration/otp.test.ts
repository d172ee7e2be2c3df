import { ScanCommand } from '@aws-sdk/lib-dynamodb'
import { beforeEach, describe, expect, it } from 'vitest'
import { ORIGIN_HEADER } from '../../functions/api/source.ts'
import { SOURCE_LIMITS } from '../../functions/domain/auth.ts'
import { makeSystem } from './harness.ts'

/** What CloudFront would send in x-jiefen-origin. */
const ORIGIN_SECRET = 'test-origin-secret-test-origin-secret-0123'
let sys: Awaited<ReturnType<typeof makeSystem>>
beforeEach(async () => {
  sys = await makeSystem({ originSecret: ORIGIN_SECRET })
})

const request = (phone: string) => sys.call('POST', '/api/auth/otp', { body: { phone } })
const verify = (phone: string, code: string) =>
  sys.call('POST', '/api/auth/otp/verify', { body: { phone, code } })
const wrong = (code: string) => (code === '000000' ? '111111' : '000000')

describe('SMS sign-in codes', () => {
  it('are six digits and sent in Chinese by default', async () => {
    await request('13500000001')
    const [message] = sys.outbox.read('13500000001')
    expect(message?.text).toMatch(/^【解纷】您的登录验证码为\d{6}，5分钟内有效/)
  })

  it('work once only', async () => {
    await request('13500000002')
    const code = sys.lastCode('13500000002')
    expect((await verify('13500000002', code)).status).toBe(200)
    const again = await verify('13500000002', code)
    expect(again.status).toBe(400)
    expect((await again.json()).error.code).toBe('auth.otp_invalid')
  })

  it('expire after five minutes', async () => {
    await request('13500000003')
    const code = sys.lastCode('13500000003')
    sys.clock.advance(5 * 60 + 1)
    const res = await verify('13500000003', code)
    expect(res.status).toBe(400)
    expect((await res.json()).error.code).toBe('auth.otp_expired')
  })

  it('still work just before five minutes', async () => {
    await request('13500000004')
    const code = sys.lastCode('13500000004')
    sys.clock.advance(5 * 60 - 2)
    expect((await verify('13500000004', code)).status).toBe(200)
  })

  it('cannot be resent within 60 seconds, and say how long to wait', async () => {
    await request('13500000005')
    sys.clock.advance(30)
    const res = await request('13500000005')
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('30')
    expect((await res.json()).error.code).toBe('auth.otp_too_soon')
    expect(sys.outbox.read('13500000005')).toHaveLength(1)
    sys.clock.advance(30)
    expect((await request('13500000005')).status).toBe(200)
    expect(sys.outbox.read('13500000005')).toHaveLength(2)
  })

  it('lock the phone for 15 minutes after five wrong tries, even for the right code', async () => {
    await request('13500000006')
    const code = sys.lastCode('13500000006')
    for (let i = 0; i < 4; i++) expect((await verify('13500000006', wrong(code))).status).toBe(400)
    const fifth = await verify('13500000006', wrong(code))
    expect(fifth.status).toBe(429)
    expect((await fifth.json()).error.code).toBe('auth.otp_locked')

    const right = await verify('13500000006', code)
    expect(right.status).toBe(429)
    sys.clock.advance(60)
    expect((await request('13500000006')).status).toBe(429) // no new code while locked
  })

  it('unlock after 15 minutes with a fresh code', async () => {
    await request('13500000007')
    const code = sys.lastCode('13500000007')
    for (let i = 0; i < 5; i++) await verify('13500000007', wrong(code))
    sys.clock.advance(15 * 60 + 1)
    expect((await request('13500000007')).status).toBe(200)
    expect((await verify('13500000007', sys.lastCode('13500000007'))).status).toBe(200)
  })

  it('count parallel wrong guesses: 20 at once cannot get past the limit', async () => {
    await request('13500000008')
    const code = sys.lastCode('13500000008')
    const guesses = Array.from({ length: 20 }, (_, i) => String(100000 + i)).filter((g) => g !== code)
    const answers = await Promise.all(guesses.map((g) => verify('13500000008', g)))
    expect(answers.every((a) => a.status === 400 || a.status === 429)).toBe(true)
    expect((await verify('13500000008', code)).status).toBe(429)
  })

  it('a wrong code for one phone does not count against another', async () => {
    await request('13500000009')
    await request('13500000010')
    for (let i = 0; i < 5; i++) await verify('13500000009', '999999')
    expect((await verify('13500000010', sys.lastCode('13500000010'))).status).toBe(200)
  })

  it('are never stored in plain text, nor are phone numbers used as keys', async () => {
    await request('13500000011')
    const code = sys.lastCode('13500000011')
    const items = (await sys.db.send(new ScanCommand({ TableName: sys.tableName }))).Items ?? []
    const dump = JSON.stringify(items)
    expect(items.length).toBeGreaterThan(0)
    expect(dump).not.toContain(code)
    expect(dump).not.toContain('13500000011')
  })
})

describe('per source address', () => {
  /** A request as it arrives over the network from one address (the Node server's socket). */
  const from = (address: string, path: string, body: unknown) =>
    sys.app.request(
      path,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
      { incoming: { socket: { remoteAddress: address } } },
    )

  it('bounds code requests from one address across many phones, and tells when to retry', async () => {
    for (let i = 0; i < SOURCE_LIMITS.otp_send; i++) {
      const res = await from('203.0.113.9', '/api/auth/otp', { phone: `135${String(10000000 + i)}` })
      expect(res.status).toBe(200)
    }
    const refused = await from('203.0.113.9', '/api/auth/otp', { phone: '13599999999' })
    expect(refused.status).toBe(429)
    expect((await refused.json()).error.code).toBe('auth.source_limited')
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(sys.outbox.read('13599999999')).toHaveLength(0)
    // Another address is not affected; the next hour the first one may try again.
    expect((await from('198.51.100.7', '/api/auth/otp', { phone: '13599999999' })).status).toBe(200)
    sys.clock.advance(3600)
    expect((await from('203.0.113.9', '/api/auth/otp', { phone: '13599999998' })).status).toBe(200)
  })

  it('bounds code guesses from one address, even spread over many phones', async () => {
    for (let i = 0; i < SOURCE_LIMITS.otp_verify; i++) {
      const res = await from('203.0.113.10', '/api/auth/otp/verify', {
        phone: `136${String(10000000 + (i % 40))}`,
        code: '000000',
      })
      expect(res.status).not.toBe(500)
    }
    const refused = await from('203.0.113.10', '/api/auth/otp/verify', {
      phone: '13610000001',
      code: '123456',
    })
    expect(refused.status).toBe(429)
    expect((await refused.json()).error.code).toBe('auth.source_limited')
  })

  it('uses the CloudFront viewer address when the request proves it came through CloudFront', async () => {
    const viaCloudFront = (port: number) => ({
      'cloudfront-viewer-address': `192.0.2.44:${port}`,
      [ORIGIN_HEADER]: ORIGIN_SECRET,
    })
    for (let i = 0; i < SOURCE_LIMITS.otp_send; i++)
      await sys.call('POST', '/api/auth/otp', {
        body: { phone: `137${String(10000000 + i)}` },
        headers: viaCloudFront(50123),
      })
    const refused = await sys.call('POST', '/api/auth/otp', {
      body: { phone: '13799999999' },
      headers: viaCloudFront(61000),
    })
    expect(refused.status).toBe(429)
  })

  it('ignores a viewer address written by someone calling the API directly', async () => {
    // One real address spraying codes while claiming a new viewer address each time: still one address.
    const spoofed = (i: number, origin?: string) =>
      sys.app.request(
        '/api/auth/otp',
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'cloudfront-viewer-address': `198.18.0.${i % 250}:443`,
            ...(origin ? { [ORIGIN_HEADER]: origin } : {}),
          },
          body: JSON.stringify({ phone: `138${String(20000000 + i)}` }),
        },
        { incoming: { socket: { remoteAddress: '203.0.113.77' } } },
      )
    for (let i = 0; i < SOURCE_LIMITS.otp_send; i++)
      expect((await spoofed(i, i % 2 ? 'guessed-origin-value' : undefined)).status).toBe(200)
    const refused = await spoofed(SOURCE_LIMITS.otp_send, 'guessed-origin-value')
    expect(refused.status).toBe(429)
    expect((await refused.json()).error.code).toBe('auth.source_limited')
  })
})
