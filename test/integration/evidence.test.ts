import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { verifyEvidence } from '../../functions/domain/evidence.ts'
import { hasGpsLatitude, withGpsExif } from '../support/exif-fixture.ts'
import { makeSystem, newKey, validCase } from './harness.ts'

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../fixtures/${name}`, import.meta.url)))
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')

type System = Awaited<ReturnType<typeof makeSystem>>

async function fileCase(sys: System, phone: string) {
  const cookie = await sys.signIn(phone)
  const res = await sys.call('POST', '/api/cases', {
    cookie,
    body: validCase(),
    headers: { 'idempotency-key': newKey() },
  })
  return { cookie, caseId: (await res.json()).id as string }
}

/** What the portal does: ask for a ticket, POST the form to S3 (file last), say complete. */
async function upload(
  sys: System,
  cookie: string,
  caseId: string,
  file: { name: string; type: string; bytes: Uint8Array; declaredSize?: number },
) {
  const ticketRes = await sys.call('POST', `/api/cases/${caseId}/evidence`, {
    cookie,
    body: {
      fileName: file.name,
      contentType: file.type,
      size: file.declaredSize ?? file.bytes.length,
      description: '说明',
    },
  })
  if (ticketRes.status !== 201) return { ticketRes }
  const ticket = await ticketRes.json()
  const form = new FormData()
  for (const [k, v] of Object.entries(ticket.upload.fields as Record<string, string>)) form.append(k, v)
  form.append('file', new Blob([Buffer.from(file.bytes)], { type: file.type }), file.name)
  const s3 = await fetch(ticket.upload.url, { method: 'POST', body: form })
  expect(s3.status).toBeLessThan(300)
  const complete = await sys.call('POST', `/api/cases/${caseId}/evidence/${ticket.evidenceId}/complete`, {
    cookie,
  })
  return { ticketRes, ticket, complete, item: complete.status === 200 ? await complete.json() : undefined }
}

/** Follows the API's redirect to the presigned GET and returns the bytes served. */
async function download(sys: System, cookie: string, caseId: string, evidenceId: string) {
  const res = await sys.call('GET', `/api/cases/${caseId}/evidence/${evidenceId}`, { cookie })
  expect(res.status).toBe(302)
  const location = res.headers.get('location') ?? ''
  const file = await fetch(location)
  return {
    location,
    status: file.status,
    bytes: new Uint8Array(await file.arrayBuffer()),
    type: file.headers.get('content-type'),
  }
}

const timeline = async (sys: System, cookie: string, caseId: string) =>
  (await (await sys.call('GET', `/api/cases/${caseId}`, { cookie })).json()).timeline as {
    type: string
    evidenceId?: string
    actorRole?: string
    by?: string
  }[]

let sys: System
beforeAll(async () => {
  sys = await makeSystem()
})

describe('evidence goes from the phone straight to S3 and is verified', () => {
  it('a photo: verified, GPS removed, fingerprint equals the file served', async () => {
    const { cookie, caseId } = await fileCase(sys, '13200000001')
    const photo = withGpsExif(fixture('photo.jpg'))
    const { item } = await upload(sys, cookie, caseId, {
      name: '工地照片.jpg',
      type: 'image/jpeg',
      bytes: photo,
    })
    expect(item).toMatchObject({
      status: 'verified',
      gpsRemoved: true,
      fileName: '工地照片.jpg',
      uploadedBy: 'me',
      withdrawn: false,
    })

    const served = await download(sys, cookie, caseId, item.evidenceId)
    expect(served.status).toBe(200)
    expect(served.type).toBe('image/jpeg')
    expect(sha256(served.bytes)).toBe(item.sha256)
    expect(hasGpsLatitude(served.bytes)).toBe(false)
    expect(served.bytes.length).toBe(photo.length)
  })

  it.each([
    ['payslip.pdf', 'application/pdf'],
    ['voice.m4a', 'audio/x-m4a'],
  ])('%s: verified with the SHA-256 of the original file', async (name, type) => {
    const { cookie, caseId } = await fileCase(sys, '13200000002')
    const bytes = fixture(name)
    const { item } = await upload(sys, cookie, caseId, { name, type, bytes })
    expect(item.status).toBe('verified')
    expect(item.sha256).toBe(sha256(bytes))
    expect(item.gpsRemoved).toBe(false)
    expect(sha256((await download(sys, cookie, caseId, item.evidenceId)).bytes)).toBe(sha256(bytes))
  })

  it('lists items with status and fingerprint, and records the addition on the timeline', async () => {
    const { cookie, caseId } = await fileCase(sys, '13200000003')
    const { item } = await upload(sys, cookie, caseId, {
      name: 'payslip.pdf',
      type: 'application/pdf',
      bytes: fixture('payslip.pdf'),
    })
    const list = await (await sys.call('GET', `/api/cases/${caseId}/evidence`, { cookie })).json()
    expect(list.items).toEqual([
      expect.objectContaining({
        evidenceId: item.evidenceId,
        status: 'verified',
        sha256: item.sha256,
        description: '说明',
        canWithdraw: true,
      }),
    ])
    expect(await timeline(sys, cookie, caseId)).toContainEqual(
      expect.objectContaining({ type: 'evidence.added', actorRole: 'citizen', evidenceId: item.evidenceId }),
    )
  })

  it('every view by someone other than the uploader is on the timeline, with who it was', async () => {
    const staffed = await makeSystem({ seedStaff: true })
    const { cookie, caseId } = await fileCase(staffed, '13200000004')
    const mediator = await staffed.staffSignIn('mediator1')
    const { item } = await upload(staffed, cookie, caseId, {
      name: 'p.pdf',
      type: 'application/pdf',
      bytes: fixture('payslip.pdf'),
    })
    await download(staffed, cookie, caseId, item.evidenceId)
    await download(staffed, mediator, caseId, item.evidenceId)
    // Staff see who looked; the parties see that it was looked at, not by whom.
    const staffViews = (await timeline(staffed, mediator, caseId)).filter((e) => e.type === 'evidence.viewed')
    expect(staffViews).toEqual([
      expect.objectContaining({ actorRole: 'staff', by: 'mediator1', evidenceId: item.evidenceId }),
    ])
    const partyViews = (await timeline(staffed, cookie, caseId)).filter((e) => e.type === 'evidence.viewed')
    expect(partyViews).toEqual([expect.objectContaining({ actorRole: 'staff', evidenceId: item.evidenceId })])
    expect(partyViews[0]?.by).toBeUndefined()
  })

  it('the presigned POST fixes key, type and size range, and lives five minutes at most', async () => {
    const { cookie, caseId } = await fileCase(sys, '13200000005')
    const res = await sys.call('POST', `/api/cases/${caseId}/evidence`, {
      cookie,
      body: { fileName: '我的身份证 13812345678.jpg', contentType: 'image/jpeg', size: 1000 },
    })
    const ticket = await res.json()
    const policy = JSON.parse(Buffer.from(ticket.upload.fields.Policy, 'base64').toString('utf8'))
    const key = ticket.upload.fields.key as string
    expect(key).toBe(`cases/${caseId}/evidence/${ticket.evidenceId}/upload`)
    expect(key).not.toMatch(/1381|身份证|jpg/)
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ['content-length-range', 1, 50 * 1024 * 1024],
        ['eq', '$Content-Type', 'image/jpeg'],
        { key },
      ]),
    )
    const lifetime = Date.parse(policy.expiration) - Date.now()
    expect(lifetime).toBeGreaterThan(0)
    expect(lifetime).toBeLessThanOrEqual(5 * 60 * 1000)
  })

  it('the download link is short-lived', async () => {
    const { cookie, caseId } = await fileCase(sys, '13200000006')
    const { item } = await upload(sys, cookie, caseId, {
      name: 'p.pdf',
      type: 'application/pdf',
      bytes: fixture('payslip.pdf'),
    })
    const { location } = await download(sys, cookie, caseId, item.evidenceId)
    expect(Number(new URL(location).searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(300)
  })
})

describe('verification refuses what is not what it claims', () => {
  it('rejects bytes that do not match the declared type, and gives the budget back', async () => {
    const small = await makeSystem({ limits: { maxFileBytes: 50 * 1024 * 1024, maxCaseBytes: 1000 } })
    const cookie = await small.signIn('13200000010')
    const caseId = (
      await (
        await small.call('POST', '/api/cases', {
          cookie,
          body: validCase(),
          headers: { 'idempotency-key': newKey() },
        })
      ).json()
    ).id
    const fake = new TextEncoder().encode('<html><script>alert(1)</script></html>'.padEnd(900, ' '))
    const { item } = await upload(small, cookie, caseId, {
      name: 'fake.jpg',
      type: 'image/jpeg',
      bytes: fake,
    })
    expect(item).toMatchObject({ status: 'rejected', rejectReason: 'evidence.type_mismatch' })
    expect(item.sha256).toBeUndefined()
    // The 900 bytes reserved for it are free again: another 900-byte file fits the 1000-byte budget.
    const again = await upload(small, cookie, caseId, {
      name: 'p.pdf',
      type: 'application/pdf',
      bytes: fixture('payslip.pdf'),
      declaredSize: 900,
    })
    expect(again.ticketRes.status).toBe(201)
  })

  it('a rejected item cannot be viewed', async () => {
    const { cookie, caseId } = await fileCase(sys, '13200000011')
    const { item } = await upload(sys, cookie, caseId, {
      name: 'x.pdf',
      type: 'application/pdf',
      bytes: fixture('photo.jpg'),
    })
    expect(item.rejectReason).toBe('evidence.type_mismatch')
    const res = await sys.call('GET', `/api/cases/${caseId}/evidence/${item.evidenceId}`, { cookie })
    expect(res.status).toBe(404)
  })

  it('refuses an oversized file before handing out a URL', async () => {
    const { cookie, caseId } = await fileCase(sys, '13200000012')
    const res = await sys.call('POST', `/api/cases/${caseId}/evidence`, {
      cookie,
      body: { fileName: 'big.mp4', contentType: 'video/mp4', size: 50 * 1024 * 1024 + 1 },
    })
    expect(res.status).toBe(413)
    expect((await res.json()).error.code).toBe('evidence.too_large')
  })

  it('rejects a stored file larger than the limit even if the upload lied (the local S3 server does not enforce the policy)', async () => {
    const small = await makeSystem({ limits: { maxFileBytes: 3000, maxCaseBytes: 100_000 } })
    const cookie = await small.signIn('13200000013')
    const caseId = (
      await (
        await small.call('POST', '/api/cases', {
          cookie,
          body: validCase(),
          headers: { 'idempotency-key': newKey() },
        })
      ).json()
    ).id
    const { item } = await upload(small, cookie, caseId, {
      name: 'photo.jpg',
      type: 'image/jpeg',
      bytes: fixture('photo.jpg'),
      declaredSize: 2000,
    })
    expect(item).toMatchObject({ status: 'rejected', rejectReason: 'evidence.too_large' })
  })

  it('rejects a stored file larger than declared', async () => {
    const { cookie, caseId } = await fileCase(sys, '13200000014')
    const { item } = await upload(sys, cookie, caseId, {
      name: 'photo.jpg',
      type: 'image/jpeg',
      bytes: fixture('photo.jpg'),
      declaredSize: 100,
    })
    expect(item).toMatchObject({ status: 'rejected', rejectReason: 'evidence.size_mismatch' })
  })

  it('keeps to the 200 MB case budget across files', async () => {
    const { cookie, caseId } = await fileCase(sys, '13200000015')
    const ask = (size: number) =>
      sys.call('POST', `/api/cases/${caseId}/evidence`, {
        cookie,
        body: { fileName: 'v.mp4', contentType: 'video/mp4', size },
      })
    for (let i = 0; i < 4; i++) expect((await ask(50 * 1024 * 1024)).status).toBe(201)
    const over = await ask(1)
    expect(over.status).toBe(413)
    expect((await over.json()).error.code).toBe('evidence.case_quota')
  })

  it('says so when the browser calls complete before uploading', async () => {
    const { cookie, caseId } = await fileCase(sys, '13200000016')
    const ticket = await (
      await sys.call('POST', `/api/cases/${caseId}/evidence`, {
        cookie,
        body: { fileName: 'a.pdf', contentType: 'application/pdf', size: 300 },
      })
    ).json()
    const res = await sys.call('POST', `/api/cases/${caseId}/evidence/${ticket.evidenceId}/complete`, {
      cookie,
    })
    expect(res.status).toBe(409)
    expect((await res.json()).error.code).toBe('evidence.not_uploaded')
  })

  it('verifies once when the S3 notification and the complete call race', async () => {
    const { cookie, caseId } = await fileCase(sys, '13200000017')
    const bytes = fixture('payslip.pdf')
    const ticket = await (
      await sys.call('POST', `/api/cases/${caseId}/evidence`, {
        cookie,
        body: { fileName: 'a.pdf', contentType: 'application/pdf', size: bytes.length },
      })
    ).json()
    const form = new FormData()
    for (const [k, v] of Object.entries(ticket.upload.fields as Record<string, string>)) form.append(k, v)
    form.append('file', new Blob([Buffer.from(bytes)]), 'a.pdf')
    await fetch(ticket.upload.url, { method: 'POST', body: form })
    await Promise.all([
      verifyEvidence(sys.deps, caseId, ticket.evidenceId),
      verifyEvidence(sys.deps, caseId, ticket.evidenceId),
      sys.call('POST', `/api/cases/${caseId}/evidence/${ticket.evidenceId}/complete`, { cookie }),
    ])
    const final = await verifyEvidence(sys.deps, caseId, ticket.evidenceId)
    expect(final?.status).toBe('verified')
    expect((await timeline(sys, cookie, caseId)).filter((e) => e.type === 'evidence.added')).toHaveLength(1)
  })

  it.each([
    [
      { fileName: 'a.exe', contentType: 'application/x-msdownload', size: 10 },
      'contentType',
      'evidence.type_not_accepted',
    ],
    [
      { fileName: 'a.jpg', contentType: 'image/jpeg', size: 10, path: '/etc' },
      'path',
      'validation.unknown_field',
    ],
    [{ fileName: 'a.jpg', contentType: 'image/jpeg', size: '10' }, 'size', 'validation.number'],
    [{ contentType: 'image/jpeg', size: 10 }, 'fileName', 'validation.required'],
  ])('refuses a bad upload request %#', async (body, field, code) => {
    const { cookie, caseId } = await fileCase(sys, '13200000018')
    const res = await sys.call('POST', `/api/cases/${caseId}/evidence`, { cookie, body })
    expect(res.status).toBe(400)
    expect((await res.json()).error.fields[field]).toBe(code)
  })
})

describe('withdrawal', () => {
  it('marks the item withdrawn, keeps the file, and puts it on the timeline', async () => {
    const { cookie, caseId } = await fileCase(sys, '13200000020')
    const { item } = await upload(sys, cookie, caseId, {
      name: 'p.pdf',
      type: 'application/pdf',
      bytes: fixture('payslip.pdf'),
    })
    const res = await sys.call('POST', `/api/cases/${caseId}/evidence/${item.evidenceId}/withdraw`, {
      cookie,
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ withdrawn: true, canWithdraw: false, status: 'verified' })
    expect((await download(sys, cookie, caseId, item.evidenceId)).status).toBe(200)
    expect(await timeline(sys, cookie, caseId)).toContainEqual(
      expect.objectContaining({ type: 'evidence.withdrawn', evidenceId: item.evidenceId }),
    )
  })
})

describe('only people who may see the case reach its evidence', () => {
  let alice: { cookie: string; caseId: string }
  let evidenceId: string
  let bob: string
  beforeAll(async () => {
    alice = await fileCase(sys, '13200000030')
    evidenceId = (
      await upload(sys, alice.cookie, alice.caseId, {
        name: 'p.pdf',
        type: 'application/pdf',
        bytes: fixture('payslip.pdf'),
      })
    ).item.evidenceId
    bob = await sys.signIn('13200000031')
  })

  it.each([
    [
      'POST',
      () => `/api/cases/${alice.caseId}/evidence`,
      { fileName: 'a.pdf', contentType: 'application/pdf', size: 300 },
    ],
    ['GET', () => `/api/cases/${alice.caseId}/evidence`, undefined],
    ['GET', () => `/api/cases/${alice.caseId}/evidence/${evidenceId}`, undefined],
    ['POST', () => `/api/cases/${alice.caseId}/evidence/${evidenceId}/complete`, undefined],
    ['POST', () => `/api/cases/${alice.caseId}/evidence/${evidenceId}/withdraw`, undefined],
  ])('another citizen gets 404 from %s %s', async (method, path, body) => {
    const res = await sys.call(method, path(), { cookie: bob, body })
    expect(res.status).toBe(404)
    expect((await res.json()).error.code).toBe('case.not_found')
  })

  it('an anonymous caller gets 401', async () => {
    expect((await sys.call('GET', `/api/cases/${alice.caseId}/evidence`)).status).toBe(401)
    expect((await sys.call('GET', `/api/cases/${alice.caseId}/evidence/${evidenceId}`)).status).toBe(401)
  })

  it('an item id from another case is not found', async () => {
    const other = await fileCase(sys, '13200000032')
    const res = await sys.call('GET', `/api/cases/${other.caseId}/evidence/${evidenceId}`, {
      cookie: other.cookie,
    })
    expect(res.status).toBe(404)
    expect((await res.json()).error.code).toBe('evidence.not_found')
  })
})
