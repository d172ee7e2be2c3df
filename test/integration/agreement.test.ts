import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { type AgreementView, idCheckChar } from '../../functions/domain/agreement.ts'
import { makeSystem, newKey, validCase } from './harness.ts'

type System = Awaited<ReturnType<typeof makeSystem>>
let sys: System
let mediator1: string
let mediator2: string
let police1: string

const withCheck = (first17: string) => first17 + idCheckChar(first17)
const APPLICANT_ID = withCheck('11010519880312421')
const RESPONDENT_ID = withCheck('44030419750601123')

beforeAll(async () => {
  sys = await makeSystem({ seedStaff: true })
  mediator1 = await sys.staffSignIn('mediator1')
  mediator2 = await sys.staffSignIn('mediator2')
  police1 = await sys.staffSignIn('police1')
})

let phones = 0
/** A fresh wage case brought to in_mediation: filed, accepted by mediator1, agreed by the respondent. */
async function caseInMediation() {
  const n = String(phones++).padStart(4, '0')
  const applicantPhone = `1310000${n}`
  const respondentPhone = `1390000${n}`
  const applicant = await sys.signIn(applicantPhone)
  const filed = await sys.call('POST', '/api/cases', {
    cookie: applicant,
    body: { ...validCase(), respondent: { name: '王某', phone: respondentPhone } },
    headers: { 'idempotency-key': newKey() },
  })
  expect(filed.status).toBe(201)
  const { id } = await filed.json()
  const v1 = await (await sys.call('GET', `/api/cases/${id}`, { cookie: mediator1 })).json()
  const accepted = await sys.call('POST', `/api/cases/${id}/actions`, {
    cookie: mediator1,
    body: { action: 'accept', expectedVersion: v1.version, mediatorId: 'mediator1' },
  })
  expect(accepted.status).toBe(200)
  const respondent = await sys.signIn(respondentPhone)
  const agreed = await sys.call('POST', `/api/cases/${id}/actions`, {
    cookie: respondent,
    body: { action: 'respond', expectedVersion: (await accepted.json()).version, agreed: true },
  })
  expect((await agreed.json()).status).toBe('in_mediation')
  return { id, applicant, respondent, applicantPhone, respondentPhone }
}

const content = (overrides: Record<string, unknown> = {}) => ({
  template: 'wage_arrears',
  applicant: { name: '李小军', idNumber: APPLICANT_ID },
  respondent: { name: '王某', idNumber: RESPONDENT_ID },
  facts: '申请人在被申请人经营的饭店工作，被申请人拖欠申请人2026年8月、9月工资共计6000元。',
  terms: ['申请人放弃其他请求，双方就本案劳动报酬再无争议。'],
  payment: {
    payer: 'respondent',
    total: 6000,
    instalments: [
      { amount: 3000, dueOn: '2026-12-10' },
      { amount: 3000, dueOn: '2027-01-10' },
    ],
  },
  performanceCheck: '每期款项支付后，申请人三日内向调解员确认收款。',
  ...overrides,
})

const draft = (cookie: string, id: string, expectedRevision: number, body = content()) =>
  sys.call('PUT', `/api/cases/${id}/agreement`, { cookie, body: { expectedRevision, content: body } })

const read = async (cookie: string, id: string) => {
  const res = await sys.call('GET', `/api/cases/${id}/agreement`, { cookie })
  expect(res.status).toBe(200)
  return res.json()
}

/** A party asks for the code and signs with it (typed name). */
async function partySigns(cookie: string, phone: string, id: string, name: string) {
  const a = await read(cookie, id)
  const sent = await sys.call('POST', `/api/cases/${id}/agreement/sign-code`, { cookie })
  expect(sent.status).toBe(200)
  return sys.call('POST', `/api/cases/${id}/agreement/sign`, {
    cookie,
    body: { documentHash: a.documentHash, code: sys.lastCode(phone), signature: { method: 'typed', name } },
  })
}

const mediatorSigns = async (id: string) => {
  const a = await read(mediator1, id)
  return sys.call('POST', `/api/cases/${id}/agreement/sign`, {
    cookie: mediator1,
    body: { documentHash: a.documentHash, signature: { method: 'typed', name: '张调解员' } },
  })
}

const timelineTypes = async (cookie: string, id: string) =>
  ((await (await sys.call('GET', `/api/cases/${id}`, { cookie })).json()).timeline as { type: string }[]).map(
    (e) => e.type,
  )

describe('drafting', () => {
  it('the assigned mediator drafts; parties read it with ID numbers masked and may sign', async () => {
    const c = await caseInMediation()
    const res = await draft(mediator1, c.id, 0)
    expect(res.status).toBe(200)
    const made = await res.json()
    expect(made).toMatchObject({
      revision: 1,
      missing: ['applicant', 'respondent', 'mediator'],
      canEdit: true,
    })
    expect(made.documentHash).toMatch(/^[0-9a-f]{64}$/)
    const seen = await read(c.applicant, c.id)
    expect(seen.content.applicant.idNumber).toBe(`110105********${APPLICANT_ID.slice(-4)}`)
    expect(JSON.stringify(seen)).not.toContain(APPLICANT_ID)
    expect(JSON.stringify(seen)).not.toContain(RESPONDENT_ID)
    expect(seen).toMatchObject({ myRole: 'applicant', canSign: true, canEdit: false })
    expect(await read(c.respondent, c.id)).toMatchObject({ myRole: 'respondent', canSign: true })
    expect(await timelineTypes(c.applicant, c.id)).toContain('agreement.drafted')
  })

  it('a revision may leave the ID numbers out: they are kept from the previous one', async () => {
    const c = await caseInMediation()
    const first = await (await draft(mediator1, c.id, 0)).json()
    const body = content({
      applicant: { name: '李小军' },
      respondent: { name: '王某' },
      terms: ['另付交通费200元。'],
    })
    const res = await draft(mediator1, c.id, 1, body)
    expect(res.status).toBe(200)
    const second = await res.json()
    expect(second.revision).toBe(2)
    expect(second.documentHash).not.toBe(first.documentHash)
    expect(second.content.applicant.idNumber).toBe(first.content.applicant.idNumber)
  })

  it('a first draft without ID numbers is refused field by field', async () => {
    const c = await caseInMediation()
    const res = await draft(mediator1, c.id, 0, content({ respondent: { name: '王某' } }))
    expect(res.status).toBe(400)
    expect((await res.json()).error.fields).toEqual({ 'content.respondent.idNumber': 'validation.required' })
  })

  it('refuses a stale revision with 409', async () => {
    const c = await caseInMediation()
    await draft(mediator1, c.id, 0)
    const res = await draft(mediator1, c.id, 0, content({ terms: ['另一条'] }))
    expect(res.status).toBe(409)
    expect((await res.json()).error.code).toBe('agreement.changed')
  })

  it('only the assigned mediator drafts: a colleague, the police and the parties are refused', async () => {
    const c = await caseInMediation()
    for (const cookie of [mediator2, c.applicant, c.respondent]) {
      const res = await draft(cookie, c.id, 0)
      expect(res.status).toBe(403)
      expect((await res.json()).error.code).toBe('auth.forbidden')
    }
    // The police station has nothing to do with an online case: for it the case does not exist.
    const police = await draft(police1, c.id, 0)
    expect(police.status).toBe(404)
    expect((await police.json()).error.code).toBe('case.not_found')
    expect((await sys.call('GET', `/api/cases/${c.id}/agreement`, { cookie: mediator1 })).status).toBe(404)
  })

  it('no agreement before the case is in mediation', async () => {
    const applicant = await sys.signIn('13100009999')
    const filed = await sys.call('POST', '/api/cases', {
      cookie: applicant,
      body: validCase(),
      headers: { 'idempotency-key': newKey() },
    })
    const { id } = await filed.json()
    const v = await (await sys.call('GET', `/api/cases/${id}`, { cookie: mediator1 })).json()
    await sys.call('POST', `/api/cases/${id}/actions`, {
      cookie: mediator1,
      body: { action: 'accept', expectedVersion: v.version, mediatorId: 'mediator1' },
    })
    const res = await draft(mediator1, id, 0)
    expect(res.status).toBe(409)
    expect((await res.json()).error.code).toBe('agreement.case_not_in_mediation')
  })

  it.each([
    [
      'instalments that do not add up',
      content({
        payment: { payer: 'respondent', total: 6000, instalments: [{ amount: 5000, dueOn: '2026-12-10' }] },
      }),
      'content.payment.instalments',
      'agreement.instalments_sum',
    ],
    [
      'instalments out of order',
      content({
        payment: {
          payer: 'respondent',
          total: 2,
          instalments: [
            { amount: 1, dueOn: '2027-01-10' },
            { amount: 1, dueOn: '2026-12-10' },
          ],
        },
      }),
      'content.payment.instalments.1.dueOn',
      'agreement.instalments_order',
    ],
    [
      'a wage agreement without payment',
      content({ payment: undefined }),
      'content.payment',
      'agreement.payment_required',
    ],
    [
      'a wrong ID check digit',
      content({
        applicant: {
          name: '李小军',
          idNumber: `${APPLICANT_ID.slice(0, 17)}${APPLICANT_ID[17] === '0' ? '1' : '0'}`,
        },
      }),
      'content.applicant.idNumber',
      'agreement.id_number',
    ],
    [
      'a bad date',
      content({
        payment: { payer: 'respondent', total: 1, instalments: [{ amount: 1, dueOn: '2026-13-40' }] },
      }),
      'content.payment.instalments.0.dueOn',
      'validation.date',
    ],
    ['an unknown field', { ...content(), signedBy: 'x' }, 'content.signedBy', 'validation.unknown_field'],
  ])('refuses %s with a field code', async (_name, body, field, code) => {
    const c = await caseInMediation()
    const res = await sys.call('PUT', `/api/cases/${c.id}/agreement`, {
      cookie: mediator1,
      body: { expectedRevision: 0, content: body },
      headers: { 'accept-language': 'en' },
    })
    expect(res.status).toBe(400)
    const { error } = await res.json()
    expect(error.code).toBe('validation.failed')
    expect(error.fields[field]).toBe(code)
  })
})

describe('signing', () => {
  it('parties confirm with an SMS code; a wrong code is refused and counted; each signs once', async () => {
    const c = await caseInMediation()
    const a = await (await draft(mediator1, c.id, 0)).json()
    expect(
      (await sys.call('POST', `/api/cases/${c.id}/agreement/sign-code`, { cookie: c.applicant })).status,
    ).toBe(200)
    const sms = sys.outbox.read(c.applicantPhone).at(-1)?.text ?? ''
    expect(sms).toContain('调解协议书')
    expect(sms).toContain(a.documentHash.slice(0, 8))
    const right = sys.lastCode(c.applicantPhone)
    const wrong = right === '000000' ? '111111' : '000000'
    const sign = (code: string) =>
      sys.call('POST', `/api/cases/${c.id}/agreement/sign`, {
        cookie: c.applicant,
        body: { documentHash: a.documentHash, code, signature: { method: 'typed', name: '李小军' } },
      })
    const refused = await sign(wrong)
    expect(refused.status).toBe(400)
    expect((await refused.json()).error.fields).toEqual({ code: 'auth.otp_invalid' })
    const ok = await sign(right)
    expect(ok.status).toBe(200)
    const after = await ok.json()
    expect(after.signatures).toEqual([
      expect.objectContaining({
        role: 'applicant',
        name: '李小军',
        documentHash: a.documentHash,
        method: 'typed',
        at: '2026-11-23T08:00:00.000Z',
      }),
    ])
    expect(after).toMatchObject({ canSign: false, missing: ['respondent', 'mediator'] })
    const again = await sign(right)
    expect(again.status).toBe(409)
    expect((await again.json()).error.code).toBe('agreement.already_signed')
    expect(await timelineTypes(c.applicant, c.id)).toContain('agreement.signed')
  })

  it('both parties signing at the same moment both count', async () => {
    const c = await caseInMediation()
    const a = await (await draft(mediator1, c.id, 0)).json()
    for (const cookie of [c.applicant, c.respondent])
      expect((await sys.call('POST', `/api/cases/${c.id}/agreement/sign-code`, { cookie })).status).toBe(200)
    const sign = (cookie: string, phone: string, name: string) =>
      sys.call('POST', `/api/cases/${c.id}/agreement/sign`, {
        cookie,
        body: {
          documentHash: a.documentHash,
          code: sys.lastCode(phone),
          signature: { method: 'typed', name },
        },
      })
    const [one, two] = await Promise.all([
      sign(c.applicant, c.applicantPhone, '李小军'),
      sign(c.respondent, c.respondentPhone, '王某'),
    ])
    expect([one.status, two.status]).toEqual([200, 200])
    const after = await read(mediator1, c.id)
    expect(after.signatures.map((s: { role: string }) => s.role).sort()).toEqual(['applicant', 'respondent'])
    expect(after).toMatchObject({ missing: ['mediator'], canSign: true })
  })

  it('a party must sign with a code and with their own name', async () => {
    const c = await caseInMediation()
    const a = await (await draft(mediator1, c.id, 0)).json()
    const noCode = await sys.call('POST', `/api/cases/${c.id}/agreement/sign`, {
      cookie: c.respondent,
      body: { documentHash: a.documentHash, signature: { method: 'typed', name: '王某' } },
    })
    expect(noCode.status).toBe(400)
    expect((await noCode.json()).error.fields).toEqual({ code: 'validation.required' })
    await sys.call('POST', `/api/cases/${c.id}/agreement/sign-code`, { cookie: c.respondent })
    const otherName = await sys.call('POST', `/api/cases/${c.id}/agreement/sign`, {
      cookie: c.respondent,
      body: {
        documentHash: a.documentHash,
        code: sys.lastCode(c.respondentPhone),
        signature: { method: 'typed', name: '李小军' },
      },
    })
    expect(otherName.status).toBe(400)
    expect((await otherName.json()).error.fields).toEqual({ 'signature.name': 'agreement.name_mismatch' })
  })

  it('a drawn signature must be a PNG', async () => {
    const c = await caseInMediation()
    const a = await (await draft(mediator1, c.id, 0)).json()
    const res = await sys.call('POST', `/api/cases/${c.id}/agreement/sign`, {
      cookie: c.applicant,
      body: {
        documentHash: a.documentHash,
        code: '123456',
        signature: {
          method: 'drawn',
          image: `data:image/png;base64,${Buffer.from('GIF89a not a png').toString('base64')}`,
        },
      },
    })
    expect(res.status).toBe(400)
    expect((await res.json()).error.fields).toEqual({ 'signature.image': 'agreement.signature_image' })
  })

  it('the mediator signs last: refused while a party has not signed', async () => {
    const c = await caseInMediation()
    await draft(mediator1, c.id, 0)
    expect((await partySigns(c.applicant, c.applicantPhone, c.id, '李小军')).status).toBe(200)
    const res = await mediatorSigns(c.id)
    expect(res.status).toBe(409)
    expect((await res.json()).error.code).toBe('agreement.parties_first')
    const other = await sys.call('POST', `/api/cases/${c.id}/agreement/sign`, {
      cookie: mediator2,
      body: {
        documentHash: (await read(mediator2, c.id)).documentHash,
        signature: { method: 'typed', name: '王调解员' },
      },
    })
    expect(other.status).toBe(403)
  })

  it('a change after a signature voids it: the timeline says so, the signer is told, the old text cannot be signed', async () => {
    const c = await caseInMediation()
    const first = await (await draft(mediator1, c.id, 0)).json()
    expect((await partySigns(c.applicant, c.applicantPhone, c.id, '李小军')).status).toBe(200)
    // The respondent asks for a code on the first text, then the mediator changes it.
    await sys.call('POST', `/api/cases/${c.id}/agreement/sign-code`, { cookie: c.respondent })
    const staleCode = sys.lastCode(c.respondentPhone)
    const revised = await draft(mediator1, c.id, 2, content({ terms: ['被申请人另付交通费200元。'] }))
    expect(revised.status).toBe(200)
    const after = await revised.json()
    expect(after.signatures).toEqual([])
    expect(after.missing).toEqual(['applicant', 'respondent', 'mediator'])
    const types = await timelineTypes(c.applicant, c.id)
    expect(types.slice(-2)).toEqual(['agreement.revised', 'agreement.signatures_voided'])
    expect(sys.outbox.read(c.applicantPhone).at(-1)?.text).toContain('签名已作废')

    const oldText = await sys.call('POST', `/api/cases/${c.id}/agreement/sign`, {
      cookie: c.respondent,
      body: {
        documentHash: first.documentHash,
        code: staleCode,
        signature: { method: 'typed', name: '王某' },
      },
    })
    expect(oldText.status).toBe(409)
    expect((await oldText.json()).error.code).toBe('agreement.changed')
    // The code was sent for the old text: it does not sign the new one either.
    const newText = await sys.call('POST', `/api/cases/${c.id}/agreement/sign`, {
      cookie: c.respondent,
      body: {
        documentHash: after.documentHash,
        code: staleCode,
        signature: { method: 'typed', name: '王某' },
      },
    })
    expect(newText.status).toBe(400)
    expect((await newText.json()).error.fields).toEqual({ code: 'auth.otp_invalid' })
  })

  it('once a party has signed, the case cannot be resolved by hand; it can still fail', async () => {
    const c = await caseInMediation()
    await draft(mediator1, c.id, 0)
    expect((await partySigns(c.applicant, c.applicantPhone, c.id, '李小军')).status).toBe(200)
    const v = await (await sys.call('GET', `/api/cases/${c.id}`, { cookie: mediator1 })).json()
    const res = await sys.call('POST', `/api/cases/${c.id}/actions`, {
      cookie: mediator1,
      body: { action: 'resolve', expectedVersion: v.version, summary: '双方口头达成一致' },
    })
    expect(res.status).toBe(409)
    expect((await res.json()).error.code).toBe('agreement.pending')
    const fail = await sys.call('POST', `/api/cases/${c.id}/actions`, {
      cookie: mediator1,
      body: {
        action: 'fail',
        expectedVersion: v.version,
        reason: '被申请人反悔，拒绝签署',
        guidance: 'labour_arbitration',
      },
    })
    expect(fail.status).toBe(200)
    const seen = await (await sys.call('GET', `/api/cases/${c.id}`, { cookie: c.applicant })).json()
    expect(seen.outcome).toEqual({
      kind: 'not_resolved',
      reason: '被申请人反悔，拒绝签署',
      guidance: 'labour_arbitration',
    })
    expect((await read(c.applicant, c.id)).canSign).toBe(false)
  })

  it('a draft nobody has signed does not hold the case: it may be resolved by hand', async () => {
    const c = await caseInMediation()
    await draft(mediator1, c.id, 0)
    const v = await (await sys.call('GET', `/api/cases/${c.id}`, { cookie: mediator1 })).json()
    const res = await sys.call('POST', `/api/cases/${c.id}/actions`, {
      cookie: mediator1,
      body: { action: 'resolve', expectedVersion: v.version, summary: '双方当面签署纸质协议' },
    })
    expect(res.status).toBe(200)
    expect((await res.json()).status).toBe('resolved')
  })

  it('saving the same text again changes nothing and keeps the signatures', async () => {
    const c = await caseInMediation()
    await draft(mediator1, c.id, 0)
    expect((await partySigns(c.applicant, c.applicantPhone, c.id, '李小军')).status).toBe(200)
    const same = await draft(mediator1, c.id, 2)
    expect(same.status).toBe(200)
    expect((await same.json()).signatures).toHaveLength(1)
  })
})

describe('the signed agreement', () => {
  let c: Awaited<ReturnType<typeof caseInMediation>>
  let pdf: Buffer
  let done: AgreementView & { completed: NonNullable<AgreementView['completed']> }
  let resolvedBefore: number
  const resolvedThisMonth = async (supervisor: string) =>
    (
      await (
        await sys.call('GET', '/api/insight/summary?from=2026-11&to=2026-11', { cookie: supervisor })
      ).json()
    ).results.resolved as number

  beforeAll(async () => {
    c = await caseInMediation()
    await draft(mediator1, c.id, 0)
    expect((await partySigns(c.respondent, c.respondentPhone, c.id, '王某')).status).toBe(200)
    expect((await partySigns(c.applicant, c.applicantPhone, c.id, '李小军')).status).toBe(200)
    const before = await (await sys.call('GET', `/api/cases/${c.id}`, { cookie: mediator1 })).json()
    expect(before.status).toBe('in_mediation')
    resolvedBefore = await resolvedThisMonth(await sys.staffSignIn('supervisor1'))
    const res = await mediatorSigns(c.id)
    expect(res.status).toBe(200)
    done = await res.json()
    const file = await sys.call('GET', `/api/cases/${c.id}/agreement/pdf`, { cookie: c.respondent })
    expect(file.status).toBe(200)
    expect(file.headers.get('content-type')).toBe('application/pdf')
    expect(file.headers.get('content-disposition')).toContain('attachment')
    pdf = Buffer.from(await file.arrayBuffer())
  })

  it('the last signature resolves the case through the state machine, once', async () => {
    const v = await (await sys.call('GET', `/api/cases/${c.id}`, { cookie: c.applicant })).json()
    expect(v.status).toBe('resolved')
    expect(v.outcome).toMatchObject({ kind: 'resolved' })
    expect(v.timeline.slice(-2)).toEqual([
      expect.objectContaining({ type: 'agreement.signed', actorRole: 'staff' }),
      expect.objectContaining({ type: 'case.resolve', from: 'in_mediation', to: 'resolved' }),
    ])
    expect(done.missing).toEqual([])
    expect(done.signatures.map((s: { role: string }) => s.role)).toEqual([
      'respondent',
      'applicant',
      'mediator',
    ])
    expect(done.completed).toMatchObject({
      orgName: '城东街道人民调解委员会',
      mediatorName: '张调解员',
      confirmBy: '2026-12-23',
    })
    expect(done.completed.verifyCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/)
    const again = await draft(
      mediator1,
      c.id,
      done.revision,
      content({ terms: ['被申请人另付交通费200元。'] }),
    )
    expect(again.status).toBe(409)
    const mediator = await (await sys.call('GET', `/api/cases/${c.id}`, { cookie: mediator1 })).json()
    expect(mediator.allowedActions).not.toContain('resolve')
  })

  it('the supervisor’s figures count the resolution, in the same write', async () => {
    expect(await resolvedThisMonth(await sys.staffSignIn('supervisor1'))).toBe(resolvedBefore + 1)
  })

  it('both parties are told by SMS, with the code and the judicial-confirmation deadline', () => {
    for (const phone of [c.applicantPhone, c.respondentPhone]) {
      const text = sys.outbox.read(phone).at(-1)?.text ?? ''
      expect(text).toContain(done.completed.verifyCode)
      expect(text).toContain('司法确认')
      expect(text).toContain('2026-12-23')
    }
  })

  it('is a small PDF whose text is Chinese, with the case number, masked ID numbers and the code', () => {
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    expect(pdf.length).toBeLessThan(200_000)
    expect(done.completed.pdfBytes).toBe(pdf.length)
    const dir = mkdtempSync(join(tmpdir(), 'jiefen-pdf-'))
    writeFileSync(join(dir, 'a.pdf'), pdf)
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'a.pdf'), '-'], { encoding: 'utf8' })
    const flat = text.replace(/\s+/g, '')
    expect(flat).toContain('人民调解协议书')
    expect(flat).toContain(done.caseNumber)
    expect(flat).toContain(done.completed.verifyCode)
    expect(flat).toContain('被申请人向申请人支付人民币6,000.00元')
    expect(flat).toContain('城东街道人民调解委员会')
    expect(flat).toContain('司法确认')
    expect(flat).toContain(`110105********${APPLICANT_ID.slice(-4)}`)
    expect(flat).not.toContain(APPLICANT_ID)
    expect(flat).not.toContain(RESPONDENT_ID)
  })

  it('its fingerprint verifies at /verify/{code}; the answer names no one', async () => {
    const sha = (await import('node:crypto')).createHash('sha256').update(pdf).digest('hex')
    expect(sha).toBe(done.completed.pdfSha256)
    const res = await sys.call('GET', `/api/verify/${done.completed.verifyCode.toLowerCase()}?sha256=${sha}`)
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body).toEqual({
      code: done.completed.verifyCode,
      signedOn: '2026-11-23',
      organisation: '城东街道人民调解委员会',
      signatures: 3,
      match: 'file',
    })
    for (const personal of ['李小军', '王某', c.applicantPhone, APPLICANT_ID, '6000'])
      expect(JSON.stringify(body)).not.toContain(personal)
    const content = await (
      await sys.call('GET', `/api/verify/${done.completed.verifyCode}?sha256=${done.documentHash}`)
    ).json()
    expect(content.match).toBe('content')
  })

  it('a tampered copy does not verify', async () => {
    const tampered = Buffer.from(pdf)
    // One bit changed in the middle of the file: what an edited amount or name amounts to.
    const i = Math.floor(tampered.length / 2)
    tampered.writeUInt8(tampered.readUInt8(i) ^ 0x01, i)
    const sha = (await import('node:crypto')).createHash('sha256').update(tampered).digest('hex')
    const res = await sys.call('GET', `/api/verify/${done.completed.verifyCode}?sha256=${sha}`)
    expect(res.status).toBe(200)
    expect((await res.json()).match).toBe('none')
  })

  it('an unknown or malformed code is 404, a malformed fingerprint 400', async () => {
    const unknown = await sys.call('GET', '/api/verify/0000-0000-0000')
    expect(unknown.status).toBe(404)
    expect((await unknown.json()).error.code).toBe('verify.not_found')
    expect((await sys.call('GET', '/api/verify/not-a-code')).status).toBe(404)
    const bad = await sys.call('GET', `/api/verify/${done.completed.verifyCode}?sha256=xyz`)
    expect(bad.status).toBe(400)
    expect((await bad.json()).error.fields).toEqual({ sha256: 'agreement.hash' })
  })

  it('the PDF is not there before everyone signed', async () => {
    const other = await caseInMediation()
    await draft(mediator1, other.id, 0)
    const res = await sys.call('GET', `/api/cases/${other.id}/agreement/pdf`, { cookie: other.applicant })
    expect(res.status).toBe(409)
    expect((await res.json()).error.code).toBe('agreement.not_signed')
  })
})
