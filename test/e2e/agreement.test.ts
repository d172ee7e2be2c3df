import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { idCheckChar } from '../../functions/domain/agreement.ts'
import { DEFAULT_DEMO_PASSWORD } from '../../infra/local/seed.ts'
import { noSidewaysScroll, screenshots, shot, usePhoneLab } from './support.ts'

const lab = usePhoneLab()
const { openPhone, signInThroughForm, signInOverApi, latestCode } = lab

const APPLICANT = '13512340001'
const RESPONDENT = '13912340002'
const APPLICANT_ID = `11010519880312421${idCheckChar('11010519880312421')}`
const RESPONDENT_ID = `44030419750601123${idCheckChar('44030419750601123')}`

async function api(cookie: string, method: string, path: string, body?: unknown, headers = {}) {
  return fetch(`${lab.system.url}${path}`, {
    method,
    headers: { cookie, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
}

/** A wage case filed by the applicant, accepted by mediator1 and agreed to by the respondent, over HTTP. */
async function caseInMediation(): Promise<string> {
  const applicant = await signInOverApi(APPLICANT)
  const filed = await api(
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
    { 'idempotency-key': 'e2e-agreement-case' },
  )
  expect(filed.status).toBe(201)
  const { id } = (await filed.json()) as { id: string }
  const login = await fetch(`${lab.system.url}/api/auth/staff/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'mediator1', password: DEFAULT_DEMO_PASSWORD }),
  })
  const mediator = login.headers.get('set-cookie')?.split(';')[0] ?? ''
  const v = (await (await api(mediator, 'GET', `/api/cases/${id}`)).json()) as { version: number }
  const accepted = await api(mediator, 'POST', `/api/cases/${id}/actions`, {
    action: 'accept',
    expectedVersion: v.version,
    mediatorId: 'mediator1',
  })
  expect(accepted.status).toBe(200)
  const respondent = await signInOverApi(RESPONDENT)
  const agreed = await api(respondent, 'POST', `/api/cases/${id}/actions`, {
    action: 'respond',
    expectedVersion: ((await accepted.json()) as { version: number }).version,
    agreed: true,
  })
  expect(agreed.status).toBe(200)
  return id
}

/** Draws a signature-like zigzag in the signature box with the pointer. */
async function drawSignature(page: Page) {
  const box = await page.locator('#sign-pad').boundingBox()
  if (!box) throw new Error('no signature box')
  await page.mouse.move(box.x + 30, box.y + 100)
  await page.mouse.down()
  for (let i = 1; i <= 12; i++)
    await page.mouse.move(box.x + 30 + i * 22, box.y + (i % 2 ? 40 : 120), { steps: 3 })
  await page.mouse.up()
}

/** A party opens the case from the SMS link, signs in, reads and signs. */
async function partySigns(phone: string, id: string, how: 'drawn' | 'typed', name: string, prefix: string) {
  const page = await openPhone()
  await page.goto(`${lab.system.url}/cases/${id}`)
  await signInThroughForm(page, phone)
  await page.getByRole('heading', { name: '调解协议书' }).waitFor()
  expect(await page.getByText(`身份证号 ${phone === APPLICANT ? '110105' : '440304'}********`).count()).toBe(
    1,
  )
  await page.getByRole('button', { name: '获取短信确认码' }).click()
  await page.getByText('请先勾选“已阅读并同意”').waitFor()
  await page.getByLabel('我已阅读协议全文，同意协议内容').check()
  if (how === 'drawn') await drawSignature(page)
  else {
    await page.getByRole('radio', { name: /输入姓名/ }).check()
    await page.getByRole('textbox', { name: /您的姓名/ }).fill(name)
  }
  expect(await noSidewaysScroll(page)).toBe(true)
  await shot(page, `${prefix}-sign`)
  await page.locator('.sign-panel').screenshot({ path: join(screenshots, `${prefix}-sign-panel.png`) })
  await page.getByRole('button', { name: '获取短信确认码' }).click()
  await page.getByText('确认码已发送到您的手机').waitFor()
  await page.getByLabel(/短信确认码/).fill(latestCode(phone))
  await page.getByRole('button', { name: '确认签署' }).click()
  await page
    .getByText('您已签署。')
    .waitFor({ timeout: 10_000 })
    .catch(async (e) => {
      await shot(page, `${prefix}-failed`)
      throw new Error(`${e}: ${await page.locator('.notice, .field-error').allTextContents()}`)
    })
  await shot(page, `${prefix}-signed`)
  return page
}

describe('the mediation agreement, drafted, signed on phones and downloaded', () => {
  it('the mediator drafts, both parties sign on their phones, the mediator signs last and the PDF downloads', async () => {
    const id = await caseInMediation()

    // The mediator drafts from the wage template, on a phone-sized screen.
    const mediator = await openPhone()
    await mediator.goto(`${lab.system.url}/staff/cases/${id}`)
    await mediator.getByLabel('用户名').fill('mediator1')
    await mediator.getByLabel('密码').fill(DEFAULT_DEMO_PASSWORD)
    await mediator.getByRole('button', { name: '登录', exact: true }).click()
    await mediator.getByRole('button', { name: '起草协议' }).click()
    await mediator.getByRole('heading', { name: '起草调解协议书' }).waitFor()
    expect(await mediator.locator('#ag-payment-total').inputValue()).toBe('6000')
    await mediator.getByRole('button', { name: '保存协议' }).click()
    await mediator.getByText('填写的内容有误，请检查标红的项目').waitFor()
    await mediator.locator('#ag-applicant-name').fill('李小红')
    await mediator.locator('#ag-applicant-idNumber').fill(APPLICANT_ID)
    await mediator.locator('#ag-respondent-idNumber').fill(RESPONDENT_ID)
    await mediator.locator('#ag-payment-instalments-0-amount').fill('3000')
    await mediator.locator('#ag-payment-instalments-0-dueOn').fill('2026-12-10')
    await mediator.getByRole('button', { name: '增加一期' }).click()
    await mediator.locator('#ag-payment-instalments-1-amount').fill('3000')
    await mediator.locator('#ag-payment-instalments-1-dueOn').fill('2027-01-10')
    expect(await noSidewaysScroll(mediator)).toBe(true)
    await shot(mediator, 'a01-mediator-drafts')
    await mediator.locator('.agreement-form').screenshot({ path: join(screenshots, 'a01-mediator-form.png') })
    await mediator.getByRole('button', { name: '保存协议' }).click()
    await mediator.getByText('等待双方当事人签署后，您再签署。').waitFor()
    expect(await mediator.getByText(/分2期支付/).count()).toBe(1)
    await shot(mediator, 'a02-mediator-draft-saved')

    // Both parties sign on their own phones: one draws, one types.
    const applicant = await partySigns(APPLICANT, id, 'drawn', '李小红', 'a03-applicant')
    await partySigns(RESPONDENT, id, 'typed', '王某', 'a04-respondent')

    // The mediator signs last; the case resolves and the PDF is there.
    await mediator.reload()
    await mediator.getByRole('button', { name: '签署并生效' }).click()
    await mediator.getByRole('heading', { name: '协议已生效' }).waitFor()
    const code = ((await mediator.locator('.verify-code').textContent()) ?? '').trim()
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/)
    await shot(mediator, 'a05-mediator-signed')
    const [download] = await Promise.all([
      mediator.waitForEvent('download'),
      mediator.getByRole('link', { name: '下载协议书（PDF）' }).click(),
    ])
    const pdfPath = join(screenshots, 'agreement.pdf')
    await download.saveAs(pdfPath)
    expect(download.suggestedFilename()).toMatch(/^(调解协议书|agreement)-TJ-\d{4}-\d{6}\.pdf$/)
    const pdf = readFileSync(pdfPath)
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    // The first page as a picture, to look at: Chinese must render, not boxes.
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '110',
      '-f',
      '1',
      '-l',
      '1',
      '-singlefile',
      pdfPath,
      join(screenshots, 'agreement-page1'),
    ])
    expect(statSync(join(screenshots, 'agreement-page1.png')).size).toBeGreaterThan(20_000)
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdfPath, '-'], { encoding: 'utf8' }).replace(
      /\s+/g,
      '',
    )
    expect(text).toContain('人民调解协议书')
    expect(text).toContain('李小红')
    expect(text).toContain(code)

    // The applicant's page: in force, the download, the judicial-confirmation reminder.
    await applicant.reload()
    await applicant.getByRole('heading', { name: '协议已生效' }).waitFor()
    await applicant.getByRole('heading', { name: '申请司法确认' }).waitFor()
    expect(await applicant.getByText(/30日内/).count()).toBe(1)
    expect(await noSidewaysScroll(applicant)).toBe(true)
    await shot(applicant, 'a06-applicant-in-force')
    await applicant.locator('.done-box').screenshot({ path: join(screenshots, 'a06-applicant-done-box.png') })
    await applicant
      .locator('.confirm-card')
      .screenshot({ path: join(screenshots, 'a06-applicant-confirm.png') })

    // The same page in English, still at phone width.
    await applicant.locator('.header-button[lang="en"]').click()
    await applicant.getByRole('heading', { name: 'The agreement is in force' }).waitFor()
    await applicant.getByRole('heading', { name: 'Judicial confirmation' }).waitFor()
    expect(await applicant.getByRole('link', { name: 'Download the agreement (PDF)' }).count()).toBe(1)
    expect(await noSidewaysScroll(applicant)).toBe(true)
    await applicant.locator('.agreement-card').screenshot({ path: join(screenshots, 'a06-applicant-en.png') })

    // Anyone checks the downloaded file at /verify; a changed copy does not pass.
    const checker = await openPhone()
    await checker.goto(`${lab.system.url}/verify/${code}`)
    await checker.locator('#verify-file').setInputFiles(pdfPath)
    await checker.getByRole('button', { name: '核验' }).click()
    await checker.getByText('文件一致：该文件与签署时的协议书完全相同。').waitFor()
    expect(await checker.getByText('城东街道人民调解委员会').count()).toBe(1)
    await shot(checker, 'a07-verify-match')
    const tampered = Buffer.from(pdf)
    tampered.writeUInt8(tampered.readUInt8(tampered.length >> 1) ^ 1, tampered.length >> 1)
    await checker
      .locator('#verify-file')
      .setInputFiles({ name: 'copy.pdf', mimeType: 'application/pdf', buffer: tampered })
    await checker.getByRole('button', { name: '核验' }).click()
    await checker.getByText(/不一致/).waitFor()
    await shot(checker, 'a08-verify-tampered')
    expect(createHash('sha256').update(pdf).digest('hex')).not.toBe(
      createHash('sha256').update(tampered).digest('hex'),
    )

    expect(lab.problems).toEqual([])
  })
})
