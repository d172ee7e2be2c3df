import { describe, expect, it } from 'vitest'
import { freePort } from '../../infra/local/dynamodb-local.ts'
import { makeSystem, newKey, validCase } from './harness.ts'

describe('when DynamoDB cannot be reached', () => {
  it('health says 503, filing says 503 with a retry hint, and nothing personal is logged', async () => {
    const sys = await makeSystem()
    const cookie = await sys.signIn('13300000001')
    const logs: string[] = []
    // The same table, reached through a port where nothing listens.
    const down = await makeSystem({ endpoint: `http://127.0.0.1:${await freePort()}`, logs })
    const health = await down.call('GET', '/api/health')
    expect(health.status).toBe(503)
    expect((await health.json()).error.code).toBe('service.unavailable')

    const res = await down.call('POST', '/api/auth/otp', { body: { phone: '13300000001' } })
    expect(res.status).toBe(503)
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
    const body = await res.json()
    expect(body.error.code).toBe('service.unavailable')

    const filed = await down.call('POST', '/api/cases', {
      cookie,
      body: validCase(),
      headers: { 'idempotency-key': newKey() },
    })
    expect([401, 503]).toContain(filed.status)
    expect(logs.length).toBeGreaterThan(0)
    expect(logs.join('\n')).not.toContain('13300000001')
  })
})
