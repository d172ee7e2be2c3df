import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { beforeAll, describe, expect, it } from 'vitest'
import { manualClock } from '../../functions/adapters/clock.ts'
import { idCheckChar } from '../../functions/domain/agreement.ts'
import { runJobs } from '../../functions/domain/jobs.ts'
import { noSidewaysScroll, shot, usePhoneLab } from './support.ts'

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/** The system's clock, moved a week on so the first follow-up falls due. */
const clock = manualClock(new Date('2026-11-23T02:00:00Z'))
const lab = usePhoneLab({ system: async () => ({ clock }) })
const { openPhone, signInOverApi, staffCookie, apiCall, latestCode } = lab

const APPLICANT = '13512349001'
const RESPONDENT = '13912349002'
const withCheck = (first17: string) => first17 + idCheckChar(first17)

/** A wage case mediated to a signed agreement over HTTP: filed, accepted, agreed, drafted, signed by all three. */
async function signedCase(): Promise<string> {
  const applicant = await signInOverApi(APPLICANT)
  const filed = await apiCall(
    applicant,
    'POST',
    '/api/cases',
    {
      disputeType: 'wage_arrears',
      description: '我在饭店做服务员，老板拖欠8月、9月两个月工资共6000元，我已经回老家了。',
      location: { district: '滨河区', street: '城东街道' },
      respondent: { name: '王某', phone: RESPONDENT },
      amountInDispute: 6000,
      desiredOutcome: '结清工资',
      meetingPreference: 'video',
    },
    { 'idempotency-key': 'e2e-follow-up-case' },
  )
  expect(filed.status).toBe(201)
  const { id } = (await filed.json()) as { id: string }
  const mediator = await staffCookie('mediator1')
  const v = (await (await apiCall(mediator, 'GET', `/api/cases/${id}`)).json()) as { version: number }
  const accepted = await apiCall(mediator, 'POST', `/api/cases/${id}/actions`, {
    action: 'accept',
    expectedVersion: v.version,
    mediatorId: 'mediator1',
  })
  expect(accepted.status).toBe(200)
  const respondent = await signInOverApi(RESPONDENT)
  const agreed = await apiCall(respondent, 'POST', `/api/cases/${id}/actions`, {
    action: 'respond',
    expectedVersion: ((await accepted.json()) as { version: number }).version,
    agreed: true,
  })
  expect(agreed.status).toBe(200)
  const drafted = await apiCall(mediator, 'PUT', `/api/cases/${id}/agreement`, {
    expectedRevision: 0,
    content: {
      template: 'general',
      applicant: { name: '李小红', idNumber: withCheck('11010519880312421') },
      respondent: { name: '王某', idNumber: withCheck('44030419750601123') },
      facts: '被申请人拖欠申请人2026年8月、9月工资共计6000元。',
      terms: ['被申请人于十日内一次性支付申请人工资6000元。'],
      performanceCheck: '申请人收款后告知调解员。',
    },
  })
  expect(drafted.status).toBe(200)
  const { documentHash } = (await drafted.json()) as { documentHash: string }
  for (const [cookie, phone, name] of [
    [applicant, APPLICANT, '李小红'],
    [respondent, RESPONDENT, '王某'],
  ] as const) {
    expect((await apiCall(cookie, 'POST', `/api/cases/${id}/agreement/sign-code`)).status).toBe(200)
    const signed = await apiCall(cookie, 'POST', `/api/cases/${id}/agreement/sign`, {
      documentHash,
      code: latestCode(phone),
      signature: { method: 'typed', name },
    })
    expect(signed.status).toBe(200)
  }
  const last = await apiCall(mediator, 'POST', `/api/cases/${id}/agreement/sign`, {
    documentHash,
    signature: { method: 'typed', name: '张调解员' },
  })
  expect(last.status).toBe(200)
  return id
}

/** The follow-up link last texted to a phone. */
function linkFor(phone: string): string {
  const text = lab.system.outbox.read(phone).at(-1)?.text ?? ''
  const link = /\/follow-up\/[A-Za-z0-9_-]+/.exec(text)?.[0]
  if (!link) throw new Error(`no follow-up link in: ${text}`)
  return link
}

describe('a follow-up answered on a phone', () => {
  let id: string
  beforeAll(async () => {
    id = await signedCase()
    clock.set(new Date(clock.now().getTime() + 7 * 86400_000 + 60_000))
    await runJobs(lab.system.deps)
  })

  it('the party opens the SMS link, is told what is missing, answers "not carried out", and the case reopens', async () => {
    const link = linkFor(APPLICANT)

    const page = await openPhone()
    await page.goto(`${lab.system.url}${link}`)
    await page.getByRole('heading', { name: '调解回访' }).waitFor()
    await page.getByRole('button', { name: '提交回访' }).click()
    await page.getByText('此项为必填').waitFor()
    await page.getByRole('radio', { name: /没有履行/ }).check()
    await page.getByRole('radio', { name: '2', exact: true }).check()
    await page.getByLabel(/还有什么想说的吗/).fill('对方一分钱都没有付')
    expect(await noSidewaysScroll(page)).toBe(true)
    await shot(page, 'f01-follow-up-form')
    await page.getByRole('button', { name: '提交回访' }).click()
    await page.getByText('谢谢您的回答。').waitFor()
    await page.getByText('我们已通知调解员').waitFor()
    await shot(page, 'f02-follow-up-answered')

    // Opened again, the link says it was answered.
    await page.reload()
    await page.getByText('您已经回答过这次回访').waitFor()

    const mediator = await staffCookie('mediator1')
    const seen = (await (await apiCall(mediator, 'GET', `/api/cases/${id}`)).json()) as {
      status: string
      riskLevel: string
    }
    expect(seen.status).toBe('in_mediation')
    expect(seen.riskLevel).toBe('orange')
    expect(lab.problems).toEqual([])
  })

  it('in English, the other party’s link reads in English and axe finds nothing serious', async () => {
    const link = linkFor(RESPONDENT)
    const page = await openPhone()
    await page.context().addInitScript(() => localStorage.setItem('jiefen.locale', 'en'))
    await page.goto(`${lab.system.url}${link}`)
    await page.getByRole('heading', { name: 'Follow-up' }).waitFor()
    await page.getByText('Has the agreement been carried out?').waitFor()
    await page.waitForLoadState('networkidle')
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en')
    await page.evaluate(axeSource)
    const serious = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: typeof import('axe-core') }).axe
      const result = await axe.run(document, { resultTypes: ['violations'] })
      if (result.passes.length < 10) throw new Error(`axe checked only ${result.passes.length} rules`)
      return result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
    })
    expect(serious).toEqual([])
    expect(await noSidewaysScroll(page)).toBe(true)
    await shot(page, 'f03-follow-up-en')
    expect(lab.problems).toEqual([])
  })
})
