import { describe, expect, it } from 'vitest'
import { type FuzzSend, fuzzRoutes } from '../support/fuzz.ts'
import { makeSystem } from './harness.ts'

/**
 * A short fuzz pass over every route in the OpenAPI document on every run of the suite (the long
 * one is `npm run proof -- fuzz`): hostile input never makes a 5xx or shows a stack trace.
 */
describe('every route, hostile input', () => {
  it('answers 4xx with a clean error, never 5xx or a trace', async () => {
    const sys = await makeSystem({ seedStaff: true })
    const citizen = await sys.signIn('13300000031')
    const staff = await sys.staffSignIn('mediator1')
    const sender =
      (cookie: string): FuzzSend =>
      async (req) => {
        const res = await sys.app.request(req.path, {
          method: req.method,
          headers: {
            ...(req.contentType ? { 'content-type': req.contentType } : {}),
            ...(cookie ? { cookie } : {}),
          },
          body: req.body,
        })
        return { status: res.status, text: await res.text() }
      }
    const doc = await (await sys.call('GET', '/api/openapi.json')).json()
    const result = await fuzzRoutes({
      doc,
      runsPerRoute: 8,
      senders: { anonymous: sender(''), citizen: sender(citizen), staff: sender(staff) },
    })
    expect(result.routes).toBeGreaterThan(30)
    expect(result.serverErrors).toEqual([])
    expect(result.traces).toEqual([])
  }, 180_000)
})
