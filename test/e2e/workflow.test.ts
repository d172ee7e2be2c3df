import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { DEFAULT_DEMO_PASSWORD } from '../../infra/local/seed.ts'
import { noSidewaysScroll, shot, usePhoneLab } from './support.ts'

const CASE_NUMBER = /TJ-\d{4}-\d{6}/
const CASE_LINK = /\/cases\/([0-9A-HJKMNP-TV-Z]{26})/

const lab = usePhoneLab()
const { openPhone, signInThroughForm } = lab

/** Signs a member of staff in through the staff sign-in page the app is showing. */
async function staffSignIn(page: Page, username: string): Promise<void> {
  await page.getByRole('heading', { name: '工作人员登录' }).waitFor()
  await page.getByLabel('用户名').fill(username)
  await page.getByLabel('密码').fill(DEFAULT_DEMO_PASSWORD)
  await page.getByRole('button', { name: '登录', exact: true }).click()
}

/** Staff session over HTTP, as another computer would have. */
async function staffCookie(username: string): Promise<string> {
  const res = await fetch(`${lab.system.url}/api/auth/staff/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEFAULT_DEMO_PASSWORD }),
  })
  expect(res.status).toBe(200)
  const cookie = res.headers.get('set-cookie')?.split(';')[0]
  if (!cookie) throw new Error('no session cookie')
  return cookie
}

async function apiCall(cookie: string, method: string, path: string, body?: unknown, headers = {}) {
  return fetch(`${lab.system.url}${path}`, {
    method,
    headers: { cookie, 'content-type': 'application/json', origin: lab.system.url, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
}

/** A transfer intake registered by police1 over the API; returns the case id. */
async function registerOverApi(
  respondentPhone: string,
  description = '楼上装修每天早上七点开始电钻施工，噪音很大，双方在楼道里争吵。',
): Promise<string> {
  const police = await staffCookie('police1')
  const res = await apiCall(
    police,
    'POST',
    '/api/intake',
    {
      route: 'transfer',
      call: {
        number: `110-${respondentPhone}`,
        time: '2026-10-05T20:15:00+08:00',
        callerName: '周女士',
        callerPhone: '13655556666',
      },
      dispute: {
        disputeType: 'neighbour',
        description,
        location: { district: '滨河区', street: '城东街道', address: '幸福路20号' },
        respondent: { name: '楼上业主', phone: respondentPhone },
        desiredOutcome: '按规定时间施工',
        meetingPreference: 'either',
      },
    },
    { 'idempotency-key': `e2e-${respondentPhone}` },
  )
  expect(res.status).toBe(201)
  return ((await res.json()) as { id: string }).id
}

describe('the case workflow in the staff portal and on the parties’ phones', () => {
  it('police register a 110 call, a mediator accepts it, the respondent agrees', async () => {
    const respondentPhone = '13722223333'

    // The officer signs in and registers the call as a transfer (移送).
    const police = await openPhone()
    await police.goto(`${lab.system.url}/staff`)
    await shot(police, 'w01-staff-sign-in')
    await police.getByLabel('用户名').fill('police1')
    await police.getByLabel('密码').fill('wrong-password')
    await police.getByRole('button', { name: '登录', exact: true }).click()
    await police.getByText('用户名或密码不正确').waitFor()
    await staffSignIn(police, 'police1')
    await police.waitForURL(/\/staff\/queue$/)
    await police.getByRole('heading', { name: '待办案件' }).waitFor()
    expect(await police.getByText('李警官').isVisible()).toBe(true)
    expect(await police.getByRole('button', { name: '退出所有设备' }).isVisible()).toBe(true)
    await police.getByRole('link', { name: '登记警情' }).click()
    await police.getByRole('heading', { name: '登记110警情' }).waitFor()
    expect(await police.getByText('可由当事人自行和解的民间纠纷').isVisible()).toBe(true)
    await police.getByRole('radio', { name: /移送/ }).check()
    // Not entrusted: the exclusion checklist is not asked for.
    expect(await police.getByText('不得治安调解的情形').count()).toBe(0)
    await police.getByRole('button', { name: '登记并转交' }).click()
    await police.getByText('填写的内容有误，请检查标红的项目').waitFor()
    expect(await police.locator('#callNumber-error').textContent()).toBe('此项为必填')
    await police.getByLabel('警情编号').fill('110-20261005-0042')
    await police.getByLabel('报警人姓名').fill('周女士')
    await police.getByLabel('报警人手机号').fill('13611112222')
    await police.getByRole('radio', { name: '邻里纠纷', exact: true }).check()
    await police
      .getByLabel('事情经过')
      .fill('楼上住户装修每天早上七点就开始电钻施工，报警人上门沟通时双方发生争吵，经民警劝解已平息。')
    await police.getByLabel('区/县').fill('滨河区')
    await police.getByLabel('街道/乡镇').fill('城东街道')
    await police.getByLabel('对方当事人姓名').fill('楼上业主孙某')
    await police.getByLabel('对方当事人手机号').fill(respondentPhone)
    await police.getByLabel('当事人诉求').fill('按规定时间施工，不再早上七点开工')
    expect(await noSidewaysScroll(police)).toBe(true)
    await shot(police, 'w02-intake-form')
    await police.getByRole('button', { name: '登记并转交' }).click()
    await police.getByRole('heading', { name: '警情已登记并转交' }).waitFor()
    const number = (await police.locator('.case-number').textContent())?.trim() ?? ''
    expect(number).toMatch(CASE_NUMBER)
    await shot(police, 'w03-intake-done')
    await police.getByRole('link', { name: '查看案件' }).click()
    await police.getByRole('heading', { name: new RegExp(number) }).waitFor()
    expect(await police.locator('main').getByText('110 转来 · 移送').isVisible()).toBe(true)
    // The officer only follows the case: no accept/return buttons.
    expect(await police.getByRole('button', { name: '受理并指派调解员' }).count()).toBe(0)
    await shot(police, 'w04-police-case')

    // The committee's mediator signs in on another device and finds the case in the work list.
    const mediator = await openPhone()
    await mediator.goto(`${lab.system.url}/staff/queue`)
    await mediator.waitForURL(/\/staff\?next=%2Fstaff%2Fqueue$/)
    await staffSignIn(mediator, 'mediator1')
    await mediator.waitForURL(/\/staff\/queue$/)
    const row = mediator.locator('.queue-row', { hasText: number })
    await row.waitFor()
    expect(await row.textContent()).toContain('邻里纠纷')
    expect(await row.textContent()).toContain('已提交')
    expect(await row.locator('.risk-chip').count()).toBe(1)
    expect(await noSidewaysScroll(mediator)).toBe(true)
    await shot(mediator, 'w05-mediator-queue')
    await mediator.getByRole('link', { name: number }).click()
    await mediator.getByRole('heading', { name: new RegExp(number) }).waitFor()
    const timeline = mediator.locator('.timeline')
    expect(await timeline.textContent()).toContain('登记110警情并移送人民调解')
    expect(await mediator.getByText('136****2222').isVisible()).toBe(true)
    expect(await mediator.getByRole('button', { name: '调解成功' }).count()).toBe(0)
    await shot(mediator, 'w06-mediator-case')
    await mediator.getByRole('button', { name: '受理并指派调解员' }).click()
    await mediator.getByRole('radio', { name: /王调解员/ }).waitFor()
    await mediator.getByLabel('按专长筛选').selectOption('labour')
    await mediator.getByRole('radio', { name: /张调解员/ }).check()
    await shot(mediator, 'w07-accept-form')
    await mediator.getByRole('button', { name: '提交', exact: true }).click()
    await mediator.getByText('已提交，案件已更新。').waitFor()
    await mediator.locator('.case-head').getByText('等待对方同意').waitFor()
    expect(await mediator.locator('main').getByText('mediator1').first().isVisible()).toBe(true)

    // The respondent gets an SMS with the case link, signs in with that phone and agrees.
    const sms = lab.system.outbox.read(respondentPhone).at(-1)?.text ?? ''
    expect(sms).toContain(number)
    const id = sms.match(CASE_LINK)?.[1]
    if (!id) throw new Error(`no case link in the invitation: ${sms}`)
    const respondent = await openPhone()
    await respondent.goto(`${lab.system.url}/cases/${id}`)
    await signInThroughForm(respondent, respondentPhone)
    await respondent.waitForURL(`${lab.system.url}/cases/${id}`)
    await respondent.getByRole('heading', { name: '是否同意参加调解' }).waitFor()
    expect(await respondent.getByRole('button', { name: '撤回申请' }).count()).toBe(0)
    expect(await respondent.locator('.timeline').textContent()).toContain('工作人员受理了案件')
    await shot(respondent, 'w08-respondent-invited')
    await respondent.getByRole('button', { name: '同意调解' }).click()
    await respondent.getByText('确认同意参加调解吗？').waitFor()
    await shot(respondent, 'w09-respondent-confirm')
    await respondent.getByRole('button', { name: '确认', exact: true }).click()
    await respondent.locator('.case-head').getByText('调解中').waitFor()
    expect(await respondent.getByRole('heading', { name: '是否同意参加调解' }).count()).toBe(0)
    expect(await respondent.locator('.timeline').textContent()).toContain('您同意参加调解')
    await shot(respondent, 'w10-respondent-agreed')

    // The mediator reloads: in mediation, and the record says who did what.
    await mediator.reload()
    await mediator.locator('.case-head').getByText('调解中').waitFor()
    const record = (await mediator.locator('.timeline').textContent()) ?? ''
    expect(record).toContain('被申请人同意参加调解')
    expect(record).toContain('mediator1受理了案件')
    expect(record).toContain('等待对方同意 → 调解中')
    expect(await mediator.getByRole('button', { name: '调解成功' }).isVisible()).toBe(true)
    await shot(mediator, 'w11-mediator-in-mediation')

    // Resolved by hand, then the dispute flares up again (反弹): the mediator takes it back.
    await mediator.getByRole('button', { name: '调解成功' }).click()
    await mediator.getByLabel(/调解结果/).fill('双方当面达成口头协议，对方三日内付清。')
    await mediator.getByRole('button', { name: '提交', exact: true }).click()
    await mediator.locator('.case-head').getByText('调解成功').waitFor()
    await mediator.getByRole('button', { name: '协议未履行，重新调解' }).click()
    await mediator.getByRole('button', { name: '提交', exact: true }).click()
    await mediator.getByText('此项为必填').waitFor()
    await mediator.getByLabel(/重新调解的原因/).fill('申请人来电反映对方到期未付款。')
    await mediator.getByRole('button', { name: '提交', exact: true }).click()
    await mediator.locator('.case-head').getByText('调解中').waitFor()
    expect(await mediator.locator('.timeline').textContent()).toContain(
      '协议未履行，案件重新进入调解（反弹）',
    )
    await shot(mediator, 'w11b-mediator-reopened')

    expect(lab.problems).toEqual([])
  })

  it('tells a mediator plainly when someone else changed the case first', async () => {
    const id = await registerOverApi('13744445555')
    const page = await openPhone()
    await page.goto(`${lab.system.url}/staff/cases/${id}`)
    await staffSignIn(page, 'mediator2')
    await page.waitForURL(`${lab.system.url}/staff/cases/${id}`)
    await page.getByRole('button', { name: '受理并指派调解员' }).click()
    await page.getByRole('radio', { name: /王调解员/ }).check()

    // Meanwhile the committee's admin accepts it on another computer.
    const admin = await staffCookie('admin1')
    const accepted = await apiCall(admin, 'POST', `/api/cases/${id}/actions`, {
      action: 'accept',
      expectedVersion: 1,
      mediatorId: 'mediator1',
    })
    expect(accepted.status).toBe(200)

    await page.getByRole('button', { name: '提交', exact: true }).click()
    await page.getByText('案件刚被他人更新，页面已刷新为最新内容').waitFor()
    await page.locator('.case-head').getByText('等待对方同意').waitFor()
    expect(await page.getByRole('button', { name: '受理并指派调解员' }).count()).toBe(0)
    await shot(page, 'w12-version-conflict')
    expect(lab.problems).toEqual([])
  })

  it('holds an entrusted call whose account suggests an exclusion until the officer has checked', async () => {
    const page = await openPhone()
    await page.goto(`${lab.system.url}/staff/intake`)
    await staffSignIn(page, 'police1')
    await page.waitForURL(/\/staff\/intake$/)
    await page.getByRole('radio', { name: /委托/ }).check()
    await page.getByText('不得治安调解的情形').waitFor()
    await page.getByLabel('警情编号').fill('110-20261006-0007')
    await page.getByLabel('报警人姓名').fill('吴先生')
    await page.getByLabel('报警人手机号').fill('13633334444')
    await page.getByRole('radio', { name: '轻微治安', exact: true }).check()
    await page
      .getByLabel('事情经过')
      .fill('因停车位发生口角，对方推搡报警人致手臂擦伤，对方还带了一帮人到场起哄，现场已被民警控制。')
    await page.getByLabel('区/县').fill('滨河区')
    await page.getByLabel('对方当事人姓名').fill('郑某')
    await page.getByLabel('当事人诉求').fill('赔礼道歉并赔偿医药费')

    // Ticking an exclusion refuses the case, with the rule.
    await page.getByRole('checkbox', { name: '结伙斗殴' }).check()
    await page.getByRole('button', { name: '登记并转交' }).click()
    await page.getByText('该案件不能委托调解').waitFor()
    expect(await page.getByText('结伙斗殴的案件不适用治安调解').isVisible()).toBe(true)
    await shot(page, 'w13-intake-excluded')

    // Without the tick, the words still hold it until the officer confirms none applies.
    await page.getByRole('checkbox', { name: '结伙斗殴' }).uncheck()
    await page.getByRole('button', { name: '登记并转交' }).click()
    await page.getByText('案情描述中可能涉及以下情形，请核实').waitFor()
    await shot(page, 'w14-intake-suspected')
    await page.getByRole('button', { name: '核实无上述情形，继续提交' }).click()
    await page.getByRole('heading', { name: '警情已登记并转交' }).waitFor()
    expect((await page.locator('.case-number').textContent())?.trim()).toMatch(CASE_NUMBER)
    expect(lab.problems).toEqual([])
  })

  it('shows the work list as a table on a desk screen', async () => {
    await registerOverApi('13766667777', '楼下邻居因噪音上门理论，扬言要拿刀砍死报警人一家，情绪非常激动。')
    const page = await openPhone()
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.goto(`${lab.system.url}/staff`)
    await staffSignIn(page, 'mediator1')
    await page.waitForURL(/\/staff\/queue$/)
    await page.locator('.queue-row').first().waitFor()
    expect(await page.getByRole('columnheader', { name: '办理期限' }).isVisible()).toBe(true)
    await shot(page, 'w15-queue-desktop')
    const all = await page.locator('.queue-row').count()
    await page.getByLabel('风险').selectOption('red')
    await page.waitForURL(/risk=red/)
    await page.locator('.queue-count', { hasText: '共 1 件' }).waitFor()
    expect(all).toBeGreaterThan(1)
    expect(await page.locator('.queue-row .risk-chip').textContent()).toBe('红色')
    expect(lab.problems).toEqual([])
  })

  it('refuses the staff pages to a citizen', async () => {
    const page = await openPhone()
    await page.goto(`${lab.system.url}/sign-in`)
    await signInThroughForm(page, '13811110000')
    await page.getByRole('heading', { name: '我的案件' }).waitFor()
    await page.goto(`${lab.system.url}/staff/queue`)
    await page.getByRole('heading', { name: '仅限工作人员' }).waitFor()
    expect(await page.locator('.queue-table').count()).toBe(0)
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ')
    expect((await apiCall(cookie, 'GET', '/api/queue')).status).toBe(403)
    await shot(page, 'w16-citizen-refused')
    expect(lab.problems).toEqual([])
  })
})
