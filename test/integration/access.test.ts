import { beforeAll, describe, expect, it } from 'vitest'
import { makeSystem, newKey, validCase } from './harness.ts'

let sys: Awaited<ReturnType<typeof makeSystem>>
let alice: string
let bob: string
let aliceCase: { id: string; number: string }

beforeAll(async () => {
  sys = await makeSystem()
  alice = await sys.signIn('13700000001')
  bob = await sys.signIn('13700000002')
  aliceCase = await (
    await sys.call('POST', '/api/cases', {
      cookie: alice,
      body: validCase(),
      headers: { 'idempotency-key': newKey() },
    })
  ).json()
})

describe('a citizen sees only their own cases', () => {
  it("someone else's case is not found, exactly like a missing one", async () => {
    const other = await sys.call('GET', `/api/cases/${aliceCase.id}`, { cookie: bob })
    const missing = await sys.call('GET', '/api/cases/01ZZZZZZZZZZZZZZZZZZZZZZZZ', { cookie: bob })
    expect(other.status).toBe(404)
    expect(missing.status).toBe(404)
    expect(await other.json()).toEqual(await missing.json())
  })

  it("someone else's cases are not in my list", async () => {
    const list = await (await sys.call('GET', '/api/cases', { cookie: bob })).json()
    expect(list.items).toEqual([])
  })

  it('the owner does see it', async () => {
    expect((await sys.call('GET', `/api/cases/${aliceCase.id}`, { cookie: alice })).status).toBe(200)
  })

  it('a malformed case id is a 404, not a 400 or 500', async () => {
    const res = await sys.call('GET', '/api/cases/..%2F..%2Fetc%2Fpasswd', { cookie: alice })
    expect(res.status).toBe(404)
    expect((await res.json()).error.code).toBe('case.not_found')
  })

  it.each([
    ['GET', '/api/cases'],
    ['GET', '/api/me'],
    ['POST', '/api/cases'],
  ])('%s %s refuses a caller who is not signed in', async (method, path) => {
    const res = await sys.call(
      method,
      path,
      method === 'POST' ? { body: validCase(), headers: { 'idempotency-key': newKey() } } : {},
    )
    expect(res.status).toBe(401)
    expect((await res.json()).error.code).toBe('auth.required')
  })

  it('an anonymous caller is refused before their input is looked at', async () => {
    const res = await sys.call('POST', '/api/cases', { body: {}, headers: { 'idempotency-key': newKey() } })
    expect(res.status).toBe(401)
  })

  it('an anonymous caller cannot read a case by id', async () => {
    expect((await sys.call('GET', `/api/cases/${aliceCase.id}`)).status).toBe(401)
  })
})
