import { QueryCommand } from '@aws-sdk/lib-dynamodb'
import { beforeAll, describe, expect, it } from 'vitest'
import { makeSystem, newKey, validCase } from './harness.ts'

let sys: Awaited<ReturnType<typeof makeSystem>>
beforeAll(async () => {
  sys = await makeSystem()
})

describe('Idempotency-Key on filing', () => {
  it('20 concurrent duplicates make exactly one case', async () => {
    const cookie = await sys.signIn('13400000001')
    const key = newKey()
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        sys.call('POST', '/api/cases', { cookie, body: validCase(), headers: { 'idempotency-key': key } }),
      ),
    )
    const bodies = await Promise.all(answers.map((a) => a.json()))
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201))
    expect(new Set(bodies.map((b) => b.id)).size).toBe(1)
    expect(new Set(bodies.map((b) => b.number)).size).toBe(1)

    const list = await (await sys.call('GET', '/api/cases', { cookie })).json()
    expect(list.items).toHaveLength(1)
    const events = await sys.db.send(
      new QueryCommand({
        TableName: sys.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `CASE#${bodies[0].id}` },
      }),
    )
    expect(events.Items?.filter((i) => i.entity === 'event')).toHaveLength(1)
  })

  it('a retry answers with the same case and says it is a replay', async () => {
    const cookie = await sys.signIn('13400000002')
    const key = newKey()
    const first = await sys.call('POST', '/api/cases', {
      cookie,
      body: validCase(),
      headers: { 'idempotency-key': key },
    })
    const again = await sys.call('POST', '/api/cases', {
      cookie,
      body: validCase(),
      headers: { 'idempotency-key': key },
    })
    expect(again.status).toBe(201)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(first.headers.get('idempotent-replayed')).toBeNull()
    expect(await again.json()).toEqual(await first.json())
  })

  it('treats the same body with keys in another order as the same request', async () => {
    const cookie = await sys.signIn('13400000003')
    const key = newKey()
    const body = validCase()
    const reordered = Object.fromEntries(Object.entries(body).reverse())
    const first = await (
      await sys.call('POST', '/api/cases', { cookie, body, headers: { 'idempotency-key': key } })
    ).json()
    const again = await sys.call('POST', '/api/cases', {
      cookie,
      body: reordered,
      headers: { 'idempotency-key': key },
    })
    expect(again.status).toBe(201)
    expect((await again.json()).id).toBe(first.id)
  })

  it('refuses the same key with a different body (422) and files nothing', async () => {
    const cookie = await sys.signIn('13400000004')
    const key = newKey()
    await sys.call('POST', '/api/cases', { cookie, body: validCase(), headers: { 'idempotency-key': key } })
    const res = await sys.call('POST', '/api/cases', {
      cookie,
      body: { ...validCase(), amountInDispute: 7000 },
      headers: { 'idempotency-key': key },
    })
    expect(res.status).toBe(422)
    expect((await res.json()).error.code).toBe('request.idempotency_mismatch')
    expect((await (await sys.call('GET', '/api/cases', { cookie })).json()).items).toHaveLength(1)
  })

  it('keys are per citizen: the same key from two people makes two cases', async () => {
    const a = await sys.signIn('13400000005')
    const b = await sys.signIn('13400000006')
    const key = newKey()
    const ca = await (
      await sys.call('POST', '/api/cases', {
        cookie: a,
        body: validCase(),
        headers: { 'idempotency-key': key },
      })
    ).json()
    const cb = await (
      await sys.call('POST', '/api/cases', {
        cookie: b,
        body: validCase(),
        headers: { 'idempotency-key': key },
      })
    ).json()
    expect(ca.id).not.toBe(cb.id)
  })
})
