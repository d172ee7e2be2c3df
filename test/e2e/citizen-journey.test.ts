import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { DEMO_CITIZEN_PHONE } from '../../infra/local/seed.ts'
import { noSidewaysScroll, shot, usePhoneLab, webDist } from './support.ts'

const CASE_NUMBER = /TJ-\d{4}-\d{6}/

const lab = usePhoneLab()
const { openPhone, latestCode, signInThroughForm, signInOverApi } = lab

describe('the citizen portal on a phone', () => {
  it('lets a citizen apply for mediation, see the case number and follow the case', async () => {
    const page = await openPhone()
    const phone = '13912345678'

    // Home: what Jiefen is, in Chinese, with the two ways in.
    await page.goto(lab.system.url)
    await page.getByRole('heading', { name: '有纠纷，在线申请调解' }).waitFor()
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN')
    expect(await page.getByText('视频参加调解').count()).toBe(1)
    expect(await page.getByRole('link', { name: /查询进度/ }).isVisible()).toBe(true)
    expect(await noSidewaysScroll(page)).toBe(true)
    await shot(page, '01-home')

    // Applying asks for sign-in first, then comes back to the form.
    await page.getByRole('link', { name: /申请调解/ }).click()
    await page.waitForURL(/\/sign-in\?next=%2Fapply$/)
    await shot(page, '02-sign-in')
    await page.getByLabel('手机号码').fill('1391234')
    await page.getByRole('button', { name: '获取验证码' }).click()
    expect(await page.getByText('请输入11位手机号码').isVisible()).toBe(true)
    await page.getByLabel('手机号码').fill(phone)
    await page.getByRole('button', { name: '获取验证码' }).click()
    await page.getByLabel('短信验证码').waitFor()
    const resend = page.getByRole('button', { name: /秒后可重新获取/ })
    expect(await resend.isDisabled()).toBe(true)
    await shot(page, '03-sign-in-code')
    await page.getByLabel('短信验证码').fill('000000')
    await page.getByRole('button', { name: '登录', exact: true }).click()
    await page.getByText('验证码不正确').waitFor()
    await page.getByLabel('短信验证码').fill(latestCode(phone))
    await page.getByRole('button', { name: '登录', exact: true }).click()
    await page.waitForURL(/\/apply$/)
    await page.getByRole('heading', { name: '申请调解', level: 1 }).waitFor()
    await page.getByRole('button', { name: '退出登录' }).waitFor()

    // The form checks answers as they are typed, in Chinese, once a field has been left.
    await page.getByRole('radio', { name: /劳资欠薪/ }).check()
    await page.getByLabel('事情经过').fill('欠工资')
    await page.getByLabel('区/县').focus()
    await page.getByText('内容太短，请多写一些').waitFor()
    expect(await page.getByLabel('事情经过').getAttribute('aria-invalid')).toBe('true')
    expect(await page.getByText('此项为必填').count()).toBe(0)
    await page.getByLabel('对方手机号').fill('12345')
    await page.getByLabel('区/县').focus()
    await page.getByText('请输入11位手机号码').waitFor()
    const description = '饭店老板欠我两个月工资六千元，我已经离职回老家，希望视频调解。'
    await page.getByLabel('事情经过').fill(description)
    expect(await page.getByText(`${description.length}/2000 字`).isVisible()).toBe(true)
    await page.getByLabel('区/县').fill('滨河区')
    await page.getByLabel('对方手机号').fill('139 0013 9001')
    expect(await noSidewaysScroll(page)).toBe(true)
    await shot(page, '04-apply-validation')

    // A reload keeps the draft.
    await page.reload()
    await page.getByText('已恢复您上次没有提交的内容。').waitFor()
    expect(await page.getByLabel('事情经过').inputValue()).toBe(description)
    expect(await page.getByLabel('区/县').inputValue()).toBe('滨河区')
    expect(await page.getByRole('radio', { name: /劳资欠薪/ }).isChecked()).toBe(true)

    // Submitting an incomplete form names what is missing; a wage dispute needs its amount.
    await page.getByRole('button', { name: '提交申请' }).click()
    await page.getByText(/还有 \d+ 项需要修改/).waitFor()
    expect(await page.getByText('涉及金额的纠纷请填写争议金额').isVisible()).toBe(true)
    expect(await page.locator('#desiredOutcome-error').textContent()).toBe('此项为必填')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('respondentName')
    await shot(page, '05-apply-errors')
    await page.getByLabel('对方姓名或称呼').fill('王某（饭店老板）')
    await page.getByLabel('争议金额（元）').fill('6000')
    await page.getByLabel('希望怎样解决').fill('一次性结清拖欠的6000元工资')
    await page.getByRole('radio', { name: /视频调解/ }).check()
    await page.getByLabel('发生日期').fill('2026-01-15')

    // Sends go through a gate: the first is answered with field errors as the API words them,
    // the second reaches the server but its answer is lost, the third goes through.
    const keys: string[] = []
    await page.route('**/api/cases', async (route) => {
      const request = route.request()
      if (request.method() !== 'POST') return route.continue()
      keys.push((await request.headerValue('idempotency-key')) ?? '')
      if (keys.length === 1) {
        const fields = { 'location.district': 'validation.too_long' }
        return route.fulfill({
          status: 400,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'validation.failed', message: '', fields } }),
        })
      }
      if (keys.length === 2) {
        await route.fetch()
        return route.abort('connectionreset')
      }
      return route.continue()
    })
    await page.getByRole('button', { name: '提交申请' }).click()
    await page.getByText('填写的内容有误，请检查标红的项目').waitFor()
    expect(await page.locator('#district-error').textContent()).toBe('内容太长，请精简')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('district')
    await page.getByLabel('区/县').fill('滨河区')
    expect(await page.locator('#district-error').textContent()).toBe('')

    await page.getByRole('button', { name: '提交申请' }).click()
    await page.getByText('网络连接中断，暂时无法确认申请是否已送达').waitFor()
    await shot(page, '06-apply-network-failure')
    await page.getByRole('button', { name: '重新提交' }).click()
    await page.getByRole('heading', { name: '申请已提交' }).waitFor()
    expect(keys).toHaveLength(3)
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/)
    expect(new Set(keys).size).toBe(1)
    await page.unroute('**/api/cases')

    const number = (await page.locator('.case-number').textContent())?.trim() ?? ''
    expect(number).toMatch(CASE_NUMBER)
    expect(await page.getByText('接下来会怎样').isVisible()).toBe(true)
    expect(await page.evaluate(() => localStorage.getItem('jiefen.apply.draft.v1'))).toBeNull()
    await shot(page, '07-apply-done')

    // The case page: status, what happens next, the timeline and the details, phone masked.
    await page.getByRole('link', { name: '查看案件进度' }).click()
    await page.waitForURL(/\/cases\/[0-9A-Z]{26}$/)
    await page.getByRole('heading', { name: new RegExp(number) }).waitFor()
    const main = page.locator('main')
    expect(await main.getByText('已提交', { exact: true }).first().isVisible()).toBe(true)
    expect(await main.getByText('调解组织将审查纠纷是否适合调解').isVisible()).toBe(true)
    expect(await page.locator('.timeline li').count()).toBe(1)
    expect(await page.locator('.timeline').textContent()).toContain('您提交了调解申请')
    expect(await main.getByText('139****9001').isVisible()).toBe(true)
    expect(await main.getByText('6,000 元').isVisible()).toBe(true)
    await shot(page, '08-case')

    // My cases lists it once, with type, status and date, although it was sent twice.
    await page.getByRole('link', { name: '返回我的案件' }).click()
    await page.getByRole('heading', { name: '我的案件' }).waitFor()
    const items = page.locator('.case-list li')
    await items.first().waitFor()
    expect(await items.count()).toBe(1)
    const item = (await items.first().textContent()) ?? ''
    expect(item).toContain(number)
    expect(item).toContain('劳资欠薪')
    expect(item).toContain('已提交')
    expect(item).toMatch(/提交于 \d{4}年\d{1,2}月\d{1,2}日/)
    await shot(page, '09-my-cases')
    await page.setViewportSize({ width: 320, height: 640 })
    expect(await noSidewaysScroll(page)).toBe(true)
    await shot(page, '10-my-cases-320')
    await page.setViewportSize({ width: 390, height: 844 })

    // Signing out ends the session: my cases asks for sign-in again.
    await page.getByRole('button', { name: '退出登录' }).click()
    await page.waitForURL(`${lab.system.url}/`)
    await page.getByRole('link', { name: /查询进度/ }).click()
    await page.waitForURL(/\/sign-in\?next=%2Fcases$/)
    expect(await page.getByRole('button', { name: '退出登录' }).count()).toBe(0)

    expect(lab.problems).toEqual([])
  })

  it('switches the home page to English and remembers the choice', async () => {
    const page = await openPhone()
    await page.goto(lab.system.url)
    await page.getByRole('heading', { name: '有纠纷，在线申请调解' }).waitFor()

    await page.getByRole('button', { name: 'English' }).click()
    await page.getByRole('heading', { name: 'Settle a dispute through mediation, online' }).waitFor()
    expect(await page.getByRole('link', { name: /Apply for mediation/ }).isVisible()).toBe(true)
    expect(await page.getByRole('link', { name: /Check progress/ }).isVisible()).toBe(true)
    expect(await page.getByText('申请调解').count()).toBe(0)
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en')
    await shot(page, '11-home-english')

    await page.reload()
    await page.getByRole('heading', { name: 'Settle a dispute through mediation, online' }).waitFor()
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en')
    expect(await page.evaluate(() => document.title)).toContain('Jiefen')

    await page.getByRole('button', { name: '中文' }).click()
    await page.getByRole('heading', { name: '有纠纷，在线申请调解' }).waitFor()
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN')
    expect(lab.problems).toEqual([])
  })

  it("shows 未找到该案件 for another citizen's case", async () => {
    // Prepare: the demo citizen's case exists and its owner can open it.
    const ownerCookie = await signInOverApi(DEMO_CITIZEN_PHONE)
    const list = await fetch(`${lab.system.url}/api/cases`, { headers: { cookie: ownerCookie } })
    const { items } = (await list.json()) as { items: { id: string }[] }
    const id = items[0]?.id
    if (!id) throw new Error('the demo citizen has no case')
    const owner = await fetch(`${lab.system.url}/api/cases/${id}`, { headers: { cookie: ownerCookie } })
    expect(owner.status).toBe(200)

    // Act: someone else signs in and opens that address.
    const page = await openPhone()
    await page.goto(`${lab.system.url}/cases/${id}`)
    await page.waitForURL(/\/sign-in\?next=/)
    await signInThroughForm(page, '13698765432')
    await page.waitForURL(`${lab.system.url}/cases/${id}`)

    // Assess: told plainly, and nothing of the case shown.
    await page.getByRole('heading', { name: '未找到该案件' }).waitFor()
    expect(await page.getByText('饭店老板').count()).toBe(0)
    expect(await page.getByRole('link', { name: '返回我的案件' }).count()).toBeGreaterThan(0)
    await shot(page, '12-case-not-found')
    expect(lab.problems).toEqual([])
  })

  it('tells a citizen who asks for a second code too soon to wait, and lets the first code work', async () => {
    const page = await openPhone()
    const phone = '13511112222'
    await page.goto(`${lab.system.url}/sign-in`)
    await page.getByLabel('手机号码').fill(phone)
    await page.getByRole('button', { name: '获取验证码' }).click()
    await page.getByLabel('短信验证码').waitFor()

    await page.getByRole('button', { name: '更换手机号' }).click()
    expect(await page.getByLabel('手机号码').inputValue()).toBe(phone)
    await page.getByRole('button', { name: '获取验证码' }).click()
    await page.getByText('刚才已向 135****2222 发送过验证码').waitFor()
    expect(await page.getByLabel('短信验证码').getAttribute('aria-invalid')).toBeNull()
    expect(await page.getByRole('button', { name: /秒后可重新获取/ }).isDisabled()).toBe(true)
    expect(lab.system.outbox.read(phone)).toHaveLength(1)
    await shot(page, '13-sign-in-too-soon')

    await page.getByLabel('短信验证码').fill(latestCode(phone))
    await page.getByRole('button', { name: '登录', exact: true }).click()
    await page.getByRole('heading', { name: '我的案件' }).waitFor()
    // The list loads after the heading: wait for it rather than look once.
    await page.getByText('您还没有提交过调解申请。').waitFor()
    expect(lab.problems).toEqual([])
  })

  it('fits a 320px-wide phone without sideways scrolling', async () => {
    const page = await openPhone()
    await page.setViewportSize({ width: 320, height: 640 })
    await page.goto(lab.system.url)
    await page.getByRole('heading', { name: '有纠纷，在线申请调解' }).waitFor()
    expect(await noSidewaysScroll(page)).toBe(true)
    await shot(page, '14-home-320')
    await page.getByRole('link', { name: /查询进度/ }).click()
    await page.getByRole('heading', { name: '手机号登录' }).waitFor()
    expect(await noSidewaysScroll(page)).toBe(true)
    // Every button and link on the page is at least 44px tall: big enough for a thumb.
    const heights = await page
      .locator('main button, main a, header button, header a')
      .evaluateAll((els) => els.map((el) => el.getBoundingClientRect().height))
    expect(heights.length).toBeGreaterThan(2)
    expect(Math.min(...heights)).toBeGreaterThanOrEqual(44)
  })
})

describe('the built portal', () => {
  const assets = join(webDist, 'assets')
  const js = () => readdirSync(assets).filter((f) => f.endsWith('.js'))

  it('carries no server code: no AWS SDK, no Hono server, no Node modules', () => {
    const files = js()
    expect(files.length).toBeGreaterThan(3)
    for (const file of files) {
      const code = readFileSync(join(assets, file), 'utf8')
      expect(code, file).not.toMatch(/@aws-sdk|DynamoDBClient|OpenAPIHono|@hono\/node-server|node:crypto/)
    }
  })

  it('keeps the first page under 60 KB of gzipped JavaScript', () => {
    const html = readFileSync(join(webDist, 'index.html'), 'utf8')
    const first = [...html.matchAll(/(?:src|href)="\/assets\/([^"]+\.js)"/g)].map((m) => m[1] as string)
    expect(first.length).toBeGreaterThan(0)
    const total = first.reduce((sum, f) => sum + gzipSync(readFileSync(join(assets, f))).length, 0)
    expect(total).toBeLessThanOrEqual(60 * 1024)
    // The form's schema code (zod) is not among them: it loads with the form.
    for (const f of first) expect(readFileSync(join(assets, f), 'utf8')).not.toContain('invalid_type')
  })
})
