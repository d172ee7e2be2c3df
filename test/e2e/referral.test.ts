import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { manualClock } from '../../functions/adapters/clock.ts'
import { DEMO_DEPARTMENTS } from '../../infra/local/seed.ts'
import { caseInMediation, useCookie } from './mediation.ts'
import { noSidewaysScroll, shot, usePhoneLab } from './support.ts'

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/** The system's clock: the department's hour of access runs out when the test says so. */
const clock = manualClock(new Date())
const lab = usePhoneLab({ system: async () => ({ clock }) })
const LABOUR = DEMO_DEPARTMENTS.find((d) => d.kind === 'labour_inspection')
if (!LABOUR) throw new Error('demo departments changed')

async function seriousAxeViolations(page: Page) {
  await page.evaluate(axeSource)
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: typeof import('axe-core') }).axe
    const result = await axe.run(document, { resultTypes: ['violations'] })
    if (result.passes.length < 10) throw new Error(`axe checked only ${result.passes.length} rules`)
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
  })
}

/** The code last texted to a phone (read once the page shows the code field, so it has been sent). */
const codeFor = (phone: string) => {
  const text = lab.system.outbox.read(phone).at(-1)?.text ?? ''
  if (!text.includes('验证码')) throw new Error(`no code in: ${text}`)
  return text.match(/\d{6}/)?.[0] ?? ''
}

/** The referral link last texted to the department's registered phone. */
function linkFor(phone: string): string {
  const text = lab.system.outbox.read(phone).at(-1)?.text ?? ''
  const link = /\/referrals\/[A-Za-z0-9_-]+/.exec(text)?.[0]
  if (!link) throw new Error(`no referral link in: ${text}`)
  return link
}

describe('a referral to a partner department, answered on a phone', () => {
  it('the mediator refers a clue, the department answers by link and code, the mediator reads the answer', async () => {
    const c = await caseInMediation(lab, '13512348001', '13912348002')
    const mediatorCookie = await lab.staffCookie('mediator1')

    // The mediator, on a phone, refers a clue from the case page.
    const mediator = await lab.openPhone()
    await useCookie(lab, mediator, mediatorCookie)
    await mediator.goto(`${lab.system.url}/staff/cases/${c.id}`)
    await mediator.getByRole('heading', { name: '部门转介与线索推送' }).waitFor()
    await mediator.getByText('尚未向其他部门转介或推送线索').waitFor()
    await mediator.getByText('转介或推送线索', { exact: true }).click()
    await mediator.getByRole('button', { name: '发送给部门' }).click()
    await mediator.getByText('此项为必填').first().waitFor()
    await mediator.getByLabel(/接收部门/).selectOption({ label: LABOUR?.name ?? '' })
    await mediator.getByText(/不填则按该部门默认期限（5天）/).waitFor()
    await mediator.getByRole('radio', { name: /推送线索/ }).check()
    await mediator
      .getByLabel(/需要对方做什么/)
      .fill('调解中了解到该工地另有十余名工人被拖欠工资，请劳动保障监察核查处理。')
    expect(await noSidewaysScroll(mediator)).toBe(true)
    await shot(mediator, 'r01-referral-form')
    await mediator.getByRole('button', { name: '发送给部门' }).click()
    await mediator.getByText('已发送，对方登记的手机会收到链接').waitFor()
    const item = mediator.locator('.referral-list li').first()
    await item.getByText('等待反馈').waitFor()
    await item.getByText(LABOUR?.name ?? '').waitFor()
    // The contact says the SMS never came: the mediator sends the link again.
    await item.getByRole('button', { name: /重新发送链接/ }).click()
    await mediator.getByText(`已重新发送链接给${LABOUR?.name}`).waitFor()
    expect(lab.system.outbox.read(LABOUR?.contactPhone ?? '').at(-1)?.text).toContain('提醒')

    // The department's contact opens the SMS link on a phone: nothing about the case until the code.
    const link = linkFor(LABOUR?.contactPhone ?? '')
    const department = await lab.openPhone()
    await department.goto(`${lab.system.url}${link}`)
    await department.getByRole('heading', { name: '部门反馈' }).waitFor()
    await department.getByText(/137\*\*\*\*7004/).waitFor()
    expect(await department.getByText('被申请人').count()).toBe(0)
    await department.getByRole('button', { name: '发送验证码' }).click()
    await department.getByLabel(/短信验证码/).waitFor()
    await department.getByLabel(/短信验证码/).fill(codeFor(LABOUR?.contactPhone ?? ''))
    await department.getByRole('button', { name: '查看事项' }).click()
    await department.getByText('十余名工人被拖欠工资').waitFor()
    // Parties masked: the mediator did not tick "share".
    await department.getByText(/139\*\*\*\*8002/).waitFor()
    await department.getByRole('button', { name: '提交反馈' }).click()
    await department.getByText('此项为必填').waitFor()
    await department.getByRole('radio', { name: '已办结' }).check()
    await department
      .getByLabel(/反馈内容/)
      .fill('经核查，该工地拖欠12名工人工资共9.6万元，已下达限期整改指令书。')
    await department.getByLabel(/经办人/).fill('刘监察员')
    expect(await noSidewaysScroll(department)).toBe(true)
    await shot(department, 'r02-department-answer')
    await department.getByRole('button', { name: '提交反馈' }).click()
    await department.getByText('反馈已送达调解组织，谢谢。').waitFor()
    await department.getByText('该事项已办结').waitFor()
    await shot(department, 'r03-department-answered')

    // Back with the mediator: the answer is on the card and the timeline.
    await mediator.reload()
    await mediator
      .locator('.referral-list li')
      .first()
      .getByText(/推送线索 · 已办结/)
      .waitFor()
    await mediator
      .getByText(/已下达限期整改指令书/)
      .first()
      .waitFor()
    await mediator.getByText(`${LABOUR?.name}反馈：已办结`).waitFor()
    await shot(mediator, 'r04-referral-answered')

    // The applicant never sees the referral.
    const applicant = await lab.openPhone()
    await useCookie(lab, applicant, await lab.signInOverApi(c.applicantPhone))
    await applicant.goto(`${lab.system.url}/cases/${c.id}`)
    await applicant.getByRole('heading', { level: 1 }).waitFor()
    await applicant.waitForLoadState('networkidle')
    expect(await applicant.getByText(LABOUR?.name ?? '').count()).toBe(0)
    expect(lab.problems).toEqual([])
  })

  it('the department page reads in English and axe finds nothing serious, before and after the code', async () => {
    const c = await caseInMediation(lab, '13512348003', '13912348004')
    const mediator = await lab.staffCookie('mediator1')
    const sent = await lab.apiCall(mediator, 'POST', `/api/cases/${c.id}/referrals`, {
      departmentId: LABOUR?.id,
      kind: 'case',
      message: '当事人申请劳动仲裁，请人社部门指导立案。',
    })
    expect(sent.status).toBe(201)
    const page = await lab.openPhone()
    await page.context().addInitScript(() => localStorage.setItem('jiefen.locale', 'en'))
    await page.goto(`${lab.system.url}${linkFor(LABOUR?.contactPhone ?? '')}`)
    await page.getByRole('heading', { name: "Department's answer" }).waitFor()
    await page.waitForLoadState('networkidle')
    expect(await seriousAxeViolations(page)).toEqual([])
    await page.getByRole('button', { name: 'Send code' }).click()
    await page.getByLabel(/Code from the SMS/).waitFor()
    await page.getByLabel(/Code from the SMS/).fill(codeFor(LABOUR?.contactPhone ?? ''))
    await page.getByRole('button', { name: 'Open' }).click()
    await page.getByRole('heading', { name: 'Answer', exact: true }).waitFor()
    expect(await seriousAxeViolations(page)).toEqual([])
    expect(await noSidewaysScroll(page)).toBe(true)
    await shot(page, 'r05-department-en')
    expect(lab.problems).toEqual([])
  })

  it('a long answer survives the hour running out and a reload on the way back from the SMS app', async () => {
    const c = await caseInMediation(lab, '13512348005', '13912348006')
    const sent = await lab.apiCall(
      await lab.staffCookie('mediator1'),
      'POST',
      `/api/cases/${c.id}/referrals`,
      {
        departmentId: LABOUR?.id,
        kind: 'clue',
        message: '请核查该工地其他工人的工资发放情况。',
      },
    )
    expect(sent.status).toBe(201)
    const link = linkFor(LABOUR?.contactPhone ?? '')
    const page = await lab.openPhone()
    await page.goto(`${lab.system.url}${link}`)
    await page.getByRole('button', { name: '发送验证码' }).click()
    await page.getByLabel(/短信验证码/).waitFor()
    // Off to the SMS app and back: the page reloads. The code already sent can still be typed.
    const code = codeFor(LABOUR?.contactPhone ?? '')
    await page.reload()
    await page.getByRole('button', { name: '发送验证码' }).click()
    await page.getByLabel(/短信验证码/).fill(code)
    await page.getByRole('button', { name: '查看事项' }).click()
    await page.getByRole('heading', { name: '填写反馈' }).waitFor()

    await page.getByRole('radio', { name: '已受理，正在办理' }).check()
    await page.getByLabel(/反馈内容/).fill('已派两名监察员到现场，正在调取考勤和工资表，预计两周内出结果。')
    await page.getByLabel(/经办人/).fill('刘监察员')
    // The hour runs out while typing.
    clock.set(new Date(clock.now().getTime() + 61 * 60_000))
    await page.getByRole('button', { name: '提交反馈' }).click()
    await page.getByText('查看时间已到，请重新接收验证码。').waitFor()
    await page.getByRole('button', { name: '发送验证码' }).click()
    await page.getByLabel(/短信验证码/).waitFor()
    await page.getByLabel(/短信验证码/).fill(codeFor(LABOUR?.contactPhone ?? ''))
    await page.getByRole('button', { name: '查看事项' }).click()
    // Nothing typed was lost.
    await expect.poll(() => page.getByLabel(/反馈内容/).inputValue()).toContain('调取考勤和工资表')
    expect(await page.getByLabel(/经办人/).inputValue()).toBe('刘监察员')
    expect(await page.getByRole('radio', { name: '已受理，正在办理' }).isChecked()).toBe(true)
    await page.getByRole('button', { name: '提交反馈' }).click()
    await page.getByText('反馈已送达调解组织，谢谢。').waitFor()
    expect(
      await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.includes('referral-draft'))),
    ).toEqual([])
    expect(lab.problems).toEqual([])
  })

  it('a mediator registers a dispute the court referred in, on a phone; the court hears the result', async () => {
    const court = DEMO_DEPARTMENTS.find((d) => d.kind === 'court')
    const page = await lab.openPhone()
    await useCookie(lab, page, await lab.staffCookie('mediator1'))
    await page.goto(`${lab.system.url}/staff/queue`)
    await page.getByRole('link', { name: '登记部门转来' }).click()
    await page.getByRole('heading', { name: '登记部门转来的纠纷' }).waitFor()
    await page.getByRole('button', { name: '登记受理' }).click()
    await page.getByText('此项为必填').first().waitFor()
    await page.getByLabel(/转来部门/).selectOption({ label: court?.name ?? '' })
    await page.getByLabel(/对方的文书编号/).fill('(2026)滨民诉前调0088号')
    await page.getByLabel(/申请人姓名/).fill('陈女士')
    await page.getByLabel(/申请人手机/).fill('13512348009')
    await page.getByRole('radio', { name: '邻里纠纷', exact: true }).check()
    await page
      .getByLabel('事情经过')
      .fill('楼上卫生间漏水导致我家天花板发霉，多次协商未果，已向法院起诉，法院委派调解。')
    await page.getByLabel('区/县').fill('滨河区')
    await page.getByLabel('街道/乡镇').fill('城东街道')
    await page.getByLabel('对方当事人姓名').fill('楼上业主林某')
    await page.getByLabel('当事人诉求').fill('修好防水并赔偿修复天花板的费用')
    expect(await noSidewaysScroll(page)).toBe(true)
    await shot(page, 'r07-referred-intake')
    expect(await seriousAxeViolations(page)).toEqual([])
    await page.getByRole('button', { name: '登记受理' }).click()
    await page.getByRole('heading', { name: '已登记受理' }).waitFor()
    await page.getByRole('link', { name: '查看案件' }).click()
    await page.locator('main').getByText(`部门转来 · ${court?.name}`).waitFor()
    await page.getByText(`${court?.name}转来纠纷，mediator1登记受理`).waitFor()
    await shot(page, 'r08-referred-case')
    expect(lab.system.outbox.read('13512348009').at(-1)?.text).toContain(`${court?.name}转来的纠纷`)
    expect(lab.problems).toEqual([])
  })

  it('a supervisor keeps the list of departments', async () => {
    const page = await lab.openPhone()
    await useCookie(lab, page, await lab.staffCookie('supervisor1'))
    await page.goto(`${lab.system.url}/staff/departments`)
    await page.getByRole('heading', { name: '合作部门', level: 1 }).waitFor()
    await page.getByText(LABOUR?.name ?? '').waitFor()
    const add = page.locator('form', { has: page.getByRole('heading', { name: '添加部门' }) })
    await add.getByRole('button', { name: '保存' }).click()
    await add.getByText('请输入11位手机号码').waitFor()
    await add.getByLabel(/部门类别/).selectOption({ label: '其他部门' })
    await add.getByLabel(/部门名称/).fill('滨河区住房和城乡建设局')
    await add.getByLabel(/联系手机/).fill('13700137088')
    await add.getByRole('button', { name: '保存' }).click()
    await page.getByText('已保存').waitFor()
    const row = page.locator('li', { hasText: '滨河区住房和城乡建设局' })
    await row.getByText('137****7088').waitFor()
    // The contact moved on: a new number, shown masked.
    await row.getByText('修改联系手机或期限').click()
    await row.getByLabel(/新的联系手机/).fill('1370013')
    await row.getByRole('button', { name: '保存' }).click()
    await row.getByText('请输入11位手机号码').waitFor()
    await row.getByLabel(/新的联系手机/).fill('13700137077')
    await row.getByRole('button', { name: '保存' }).click()
    await row.getByText('137****7077').waitFor()
    await row.getByRole('button', { name: /停用/ }).click()
    await row.getByText('已停用').waitFor()
    expect(await seriousAxeViolations(page)).toEqual([])
    expect(await noSidewaysScroll(page)).toBe(true)
    await shot(page, 'r06-departments')
    expect(lab.problems).toEqual([])
  })
})
