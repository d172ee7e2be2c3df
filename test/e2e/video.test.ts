import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { caseInMediation as inMediation, schedule as scheduleIn } from './mediation.ts'
import { closedPort, noSidewaysScroll, screenshots, shot, usePhoneLab } from './support.ts'

/** No LiveKit server runs here: the video service is a port nobody listens on. */
const lab = usePhoneLab({
  fakeMedia: true,
  system: async () => ({
    video: { url: `ws://127.0.0.1:${await closedPort()}`, apiKey: 'devkey', apiSecret: 'secret' },
  }),
})
const { openPhone, signInThroughForm, staffSignIn, apiCall } = lab
const caseInMediation = (applicantPhone: string, respondentPhone: string) =>
  inMediation(lab, applicantPhone, respondentPhone)
const schedule = (caseId: string, inMinutes: number) => scheduleIn(lab, caseId, inMinutes)

const SESSION_LINK = /\/sessions\/([0-9A-HJKMNP-TV-Z]{26})/

/** The browser plays the fake camera in the preview: frames arrive and the video runs. */
const previewPlays = (page: Page) =>
  page.waitForFunction(() => {
    const video = document.querySelector<HTMLVideoElement>('video.preview')
    return !!video && video.readyState >= 2 && !video.paused && video.videoWidth > 0
  })

describe('video mediation on the phone', () => {
  it('a party checks their devices and waits; the mediator lets them in; the unreachable video service is said plainly', async () => {
    const c = await caseInMediation('13620000001', '13720000001')
    const sessionId = await schedule(c.id, 5)

    // The respondent opens the link from the text message and signs in with that phone.
    const sms = lab.system.outbox.read(c.respondentPhone).at(-1)?.text ?? ''
    expect(sms.match(SESSION_LINK)?.[1]).toBe(sessionId)
    const party = await openPhone()
    await party.goto(`${lab.system.url}/sessions/${sessionId}`)
    await party.getByRole('heading', { name: '请先登录' }).waitFor()
    await party.getByRole('link', { name: '当事人：手机号登录' }).click()
    await signInThroughForm(party, c.respondentPhone)
    await party.waitForURL(`${lab.system.url}/sessions/${sessionId}`)

    // Device check: the fake camera plays, the devices are listed, the network was measured.
    await party.getByRole('heading', { name: '进入前检查设备' }).waitFor()
    await previewPlays(party)
    expect(await party.getByLabel('摄像头').locator('option').count()).toBeGreaterThan(0)
    expect(await party.getByLabel('麦克风').locator('option').count()).toBeGreaterThan(0)
    await party.getByText(/网络(良好|一般|较慢)（往返 \d+ 毫秒）/).waitFor()
    expect(await party.getByRole('button', { name: '播放测试音' }).isEnabled()).toBe(true)
    // The fake microphone beeps: the level meter moves.
    await party.waitForFunction(
      () => Number(document.querySelector('meter.level')?.getAttribute('value')) > 0,
    )
    await party.getByRole('radio', { name: '同意录像', exact: true }).check()
    await party.getByText('已记录您的选择').waitFor()
    expect(await noSidewaysScroll(party)).toBe(true)
    await shot(party, 'v01-device-check')

    await party.getByRole('button', { name: '进入等候室' }).click()
    await party.getByRole('heading', { name: '等候室' }).waitFor()
    await party.getByText('您已在等候室').waitFor()
    // The camera is given back while waiting.
    expect(await party.locator('video').count()).toBe(0)
    await shot(party, 'v02-waiting-room')

    // The mediator comes in from another computer and sees who is waiting.
    const mediator = await openPhone()
    await mediator.goto(`${lab.system.url}/sessions/${sessionId}`)
    await mediator.getByRole('link', { name: '工作人员登录' }).click()
    await staffSignIn(mediator, 'mediator1')
    await mediator.waitForURL(`${lab.system.url}/sessions/${sessionId}`)
    await mediator.getByRole('heading', { name: '进入前检查设备' }).waitFor()
    // The mediator is not asked about recording: only those who are recorded are.
    expect(await mediator.getByRole('radio', { name: '同意录像', exact: true }).count()).toBe(0)
    await mediator.getByRole('button', { name: '进入调解室' }).click()
    await mediator.getByRole('heading', { name: '调解员操作' }).waitFor()
    const admit = mediator.getByRole('button', { name: '请进入：被申请人' })
    await admit.waitFor()
    // Recording waits for the applicant's answer, and says so.
    expect(await mediator.getByRole('button', { name: '开始录像' }).isDisabled()).toBe(true)
    expect(await mediator.locator('#panel-consent-missing').textContent()).toContain('申请人')
    // The mediator's own video cannot connect either; the panel works regardless.
    await mediator.getByRole('alert').filter({ hasText: '无法连接视频服务' }).waitFor()
    expect(await noSidewaysScroll(mediator)).toBe(true)
    await shot(mediator, 'v03-mediator-panel')

    await admit.click()
    await mediator.getByRole('button', { name: '请进入：被申请人' }).waitFor({ state: 'detached' })

    // Let in: the party's page asks for a token and tries LiveKit, which is not there.
    const unreachable = party.getByRole('alert').filter({ hasText: '无法连接视频服务' })
    await unreachable.waitFor({ timeout: 30_000 })
    expect(await party.getByRole('heading', { name: '调解室' }).isVisible()).toBe(true)
    await shot(party, 'v04-video-unreachable')
    // The API agrees the party was let in.
    const partyCookie = (await party.context().cookies()).map((k) => `${k.name}=${k.value}`).join('; ')
    const view = (await (await apiCall(partyCookie, 'GET', `/api/sessions/${sessionId}`)).json()) as {
      me: { state: string; role: string; side: string }
    }
    expect(view.me).toMatchObject({ state: 'admitted', role: 'party', side: 'respondent' })

    // Trying again tries again (a fresh token), and says the same plainly.
    const freshToken = party.waitForRequest(
      (r) => r.method() === 'POST' && r.url().endsWith(`/api/sessions/${sessionId}/token`),
    )
    await party.getByRole('button', { name: '重新连接' }).click()
    await freshToken
    await unreachable.waitFor({ timeout: 30_000 })
    expect(lab.problems).toEqual([])
  })

  it('shows the way into the room on the case page only from 15 minutes before', async () => {
    const c = await caseInMediation('13620000002', '13720000002')
    const later = await schedule(c.id, 180)
    const soon = await schedule(c.id, 10)

    const applicant = await openPhone()
    await applicant.goto(`${lab.system.url}/cases/${c.id}`)
    await signInThroughForm(applicant, c.applicantPhone)
    await applicant.waitForURL(`${lab.system.url}/cases/${c.id}`)
    await applicant.getByRole('heading', { name: '视频调解' }).waitFor()
    const items = applicant.locator('.session-item')
    await items.nth(1).waitFor()
    expect(await items.count()).toBe(2)
    const join = applicant.getByRole('link', { name: '进入调解室' })
    expect(await join.count()).toBe(1)
    expect(await join.getAttribute('href')).toBe(`/sessions/${soon}`)
    expect(await applicant.getByText(/开始前 15 分钟可进入（\d{2}:\d{2} 起）/).count()).toBe(1)
    expect(await applicant.locator(`a[href="/sessions/${later}"]`).count()).toBe(0)
    // Times are China time, and said so.
    expect(await items.first().textContent()).toContain('北京时间')
    await shot(applicant, 'v05-case-sessions')

    // The way in leads to the device check.
    await join.click()
    await applicant.getByRole('heading', { name: '进入前检查设备' }).waitFor()
    expect(lab.problems).toEqual([])
  })

  it('the mediator’s scheduling form says what is wrong with each field, in the user’s language', async () => {
    const c = await caseInMediation('13620000003', '13720000003')
    const page = await openPhone()
    await page.goto(`${lab.system.url}/staff/cases/${c.id}`)
    await staffSignIn(page, 'mediator1')
    await page.waitForURL(`${lab.system.url}/staff/cases/${c.id}`)
    await page.getByRole('button', { name: '安排视频调解' }).click()
    await page.getByLabel(/开始时间/).fill('2020-01-01T09:00')
    await page.getByLabel(/预计时长/).fill('5')
    await page.getByRole('button', { name: '添加人员' }).click()
    await page.getByRole('button', { name: '安排并发送短信' }).click()

    expect(await page.locator('#schedule-startsAt-error').textContent()).toBe('开始时间须晚于现在')
    expect(await page.locator('#schedule-durationMinutes-error').textContent()).toBe(
      '请输入 15 到 240 之间的整数',
    )
    expect(await page.locator('#schedule-extras-0-name-error').textContent()).toBe('此项为必填')
    expect(await page.locator('#schedule-extras-0-phone-error').textContent()).toBe(
      '请填写手机号码，对方会收到短信通知',
    )
    expect(await page.locator('#schedule-extras-0-side-error').textContent()).toBe(
      '翻译和陪同人员须选择陪同哪一方',
    )
    // The first wrong field has the focus.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('schedule-startsAt')
    await page.locator('.schedule-form').screenshot({ path: join(screenshots, 'v06-schedule-errors.png') })

    // The same errors in English.
    await page.getByRole('button', { name: /English/ }).click()
    await page.locator('#schedule-startsAt-error', { hasText: 'The start must be later than now' }).waitFor()
    expect(await page.locator('#schedule-durationMinutes-error').textContent()).toBe(
      'Enter a whole number from 15 to 240',
    )
    await page.getByRole('button', { name: /中文/ }).click()

    // Put right, it is scheduled, and the parties are texted.
    const start = new Date(Date.now() + 8 * 3_600_000 + 2 * 3_600_000).toISOString().slice(0, 16)
    await page.getByLabel(/开始时间/).fill(start)
    await page.getByLabel(/预计时长/).fill('90')
    await page.getByLabel('称呼').fill('李翻译')
    await page.getByLabel('手机号码').fill('13620009999')
    await page.getByLabel('陪同哪一方').selectOption('applicant')
    await page.getByRole('button', { name: '安排并发送短信' }).click()
    await page.getByText('已安排，双方当事人会收到短信通知。').waitFor()
    await page.locator('.session-item').waitFor()
    expect(await page.locator('.session-item').textContent()).toContain('约 90 分钟')
    expect(lab.system.outbox.read(c.applicantPhone).at(-1)?.text).toMatch(SESSION_LINK)
    expect(lab.system.outbox.read('13620009999').at(-1)?.text).toMatch(SESSION_LINK)
    expect(lab.problems).toEqual([])
  })

  it('someone who is not in the session gets the not-found page', async () => {
    const c = await caseInMediation('13620000004', '13720000004')
    const sessionId = await schedule(c.id, 5)
    const stranger = await openPhone()
    await stranger.goto(`${lab.system.url}/sessions/${sessionId}`)
    await stranger.getByRole('link', { name: '当事人：手机号登录' }).click()
    await signInThroughForm(stranger, '13899998888')
    await stranger.waitForURL(`${lab.system.url}/sessions/${sessionId}`)
    await stranger.getByRole('heading', { name: '找不到这场视频调解' }).waitFor()
    expect(await stranger.getByRole('heading', { name: '进入前检查设备' }).count()).toBe(0)
    expect(await stranger.locator('video').count()).toBe(0)
    expect(lab.problems).toEqual([])
  })
})
