import { readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { DEFAULT_DEMO_PASSWORD } from '../../infra/local/seed.ts'
import { noSidewaysScroll, shot, usePhoneLab } from './support.ts'

const lab = usePhoneLab()
const { openPhone, signInOverApi, apiCall } = lab

const CASE_NUMBER = /TJ-\d{4}-\d{6}/
/** A case just filed online. */
const STATUS = '已提交'

/** A citizen with one filed case, signed in on a fresh phone (the session cookie set in the browser). */
async function citizenWithCase(phone: string): Promise<{ page: Page; caseId: string; number: string }> {
  const cookie = await signInOverApi(phone)
  const filed = await apiCall(
    cookie,
    'POST',
    '/api/cases',
    {
      disputeType: 'neighbour',
      description: '楼上装修噪音太大，每天早上七点就开始，多次沟通没有结果。',
      location: { district: '滨河区', street: '城东街道' },
      respondent: { name: '楼上住户' },
      desiredOutcome: '按规定时间施工',
      meetingPreference: 'video',
    },
    { 'idempotency-key': `phone-app-${phone}` },
  )
  expect(filed.status).toBe(201)
  const { id, number } = (await filed.json()) as { id: string; number: string }
  expect(number).toMatch(CASE_NUMBER)
  const page = await openPhone()
  const [name, value] = cookie.split('=') as [string, string]
  await page.context().addCookies([{ name, value, url: lab.system.url }])
  return { page, caseId: id, number }
}

/** The service worker controls the page and has kept the answer for `path`. */
const keptOffline = (page: Page, path: string) =>
  page.waitForFunction(
    async (p) =>
      !!navigator.serviceWorker.controller && !!(await caches.match(p, { cacheName: 'jiefen-data' })),
    path,
  )

describe('the portal as an app on the phone', () => {
  it('is installable: a manifest with icons in several sizes, and a service worker from its own origin', async () => {
    const page = await openPhone()
    await page.goto(lab.system.url)
    const href = await page.locator('link[rel="manifest"]').getAttribute('href')
    expect(href).toBe('/manifest.webmanifest')
    const res = await fetch(`${lab.system.url}${href}`)
    expect(res.headers.get('content-type')).toContain('application/manifest+json')
    const manifest = (await res.json()) as {
      short_name: string
      theme_color: string
      display: string
      icons: { src: string; sizes: string; purpose: string }[]
    }
    expect(manifest.short_name).toBe('解纷')
    expect(manifest.display).toBe('standalone')
    expect(manifest.theme_color).toBe('#0b4a9e')
    expect(manifest.icons.map((i) => i.sizes)).toEqual(['192x192', '512x512', '512x512'])
    expect(manifest.icons.some((i) => i.purpose === 'maskable')).toBe(true)
    for (const icon of manifest.icons) {
      const png = Buffer.from(await (await fetch(`${lab.system.url}${icon.src}`)).arrayBuffer())
      // A real PNG of the stated size: signature, then IHDR width and height.
      expect(png.subarray(1, 4).toString('ascii')).toBe('PNG')
      expect(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`).toBe(icon.sizes)
    }
    // The worker registers under our CSP and takes control.
    await page.waitForFunction(() => !!navigator.serviceWorker.controller)
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(
      `${lab.system.url}/sw.js`,
    )
    expect(lab.problems).toEqual([])
  })

  it('shows the citizen’s cases and their status offline, saying they are from the last visit', async () => {
    const { page, caseId, number } = await citizenWithCase('13955550001')
    await page.goto(`${lab.system.url}/cases`)
    await page.getByRole('heading', { name: '我的案件' }).waitFor()
    await page.getByText(number).waitFor()
    await keptOffline(page, '/api/cases')
    // Opening the case keeps its status too.
    await page.getByText(number).click()
    await page.locator('h1', { hasText: number }).waitFor()
    await keptOffline(page, `/api/cases/${caseId}`)
    expect(await page.locator('.offline-banner').count()).toBe(0)
    await page.goto(`${lab.system.url}/cases`)
    await page.getByText(number).waitFor()

    await page.context().setOffline(true)
    await page.reload()
    await page.getByRole('heading', { name: '我的案件' }).waitFor()
    const banner = page.locator('.offline-banner')
    await banner.waitFor()
    expect(await banner.textContent()).toMatch(
      /^离线，显示的是上次查看时的状态（\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}）$/,
    )
    const item = page.locator('.case-item', { hasText: number })
    expect(await item.locator('.badge').textContent()).toBe(STATUS)
    expect(await noSidewaysScroll(page)).toBe(true)
    await shot(page, 'p01-offline-cases')

    // The case page too, with its status.
    await item.click()
    await page.locator('h1', { hasText: number }).waitFor()
    await banner.waitFor()
    expect(await page.locator('.case-status .badge').textContent()).toBe(STATUS)

    // Back online, the banner goes with the next fresh answer.
    await page.context().setOffline(false)
    await page.goto(`${lab.system.url}/cases`)
    await page.getByText(number).waitFor()
    await banner.waitFor({ state: 'detached' })
  })

  it('forgets the saved cases when the citizen signs out, and never keeps staff data', async () => {
    const { page, number } = await citizenWithCase('13955550002')
    await page.goto(`${lab.system.url}/cases`)
    await page.getByText(number).waitFor()
    await keptOffline(page, '/api/cases')
    await page.getByRole('button', { name: '退出登录' }).click()
    await page.waitForURL(`${lab.system.url}/`)
    await page.waitForFunction(async () => !(await caches.has('jiefen-data')))

    // A mediator on the same phone: the staff pages and the case they open are not kept.
    await page.goto(`${lab.system.url}/staff`)
    await page.getByLabel('用户名').fill('mediator1')
    await page.getByLabel('密码').fill(DEFAULT_DEMO_PASSWORD)
    await page.getByRole('button', { name: '登录', exact: true }).click()
    await page.waitForURL(/\/staff\/queue/)
    const queueCase = page.locator('a[href^="/staff/cases/"]').first()
    await queueCase.waitFor()
    await queueCase.click()
    await page.locator('.timeline').waitFor()
    const kept = await page.evaluate(async () => {
      const cache = (await caches.has('jiefen-data')) ? await caches.open('jiefen-data') : undefined
      return cache ? (await cache.keys()).map((r) => new URL(r.url).pathname) : []
    })
    expect(kept).toEqual([])
    // And a staff page is never answered from the shell offline.
    await page.context().setOffline(true)
    const failed = await page.goto(`${lab.system.url}/staff/queue`).catch((e: Error) => e)
    expect(failed).toBeInstanceOf(Error)
    await page.context().setOffline(false)
  })

  it('large text (长辈模式) enlarges text and buttons, is remembered, and is there from the first paint', async () => {
    const { page } = await citizenWithCase('13955550003')
    await page.goto(`${lab.system.url}/cases`)
    await page.getByRole('heading', { name: '我的案件' }).waitFor()
    const toggle = page.getByRole('button', { name: /大字模式/ })
    expect(await toggle.getAttribute('aria-pressed')).toBe('false')
    const size = () => page.evaluate(() => getComputedStyle(document.documentElement).fontSize)
    const buttonHeight = () =>
      page.locator('a.button', { hasText: '申请新的调解' }).evaluate((e) => e.getBoundingClientRect().height)
    expect(await size()).toBe('17px')
    const before = await buttonHeight()

    await toggle.click()
    expect(await toggle.getAttribute('aria-pressed')).toBe('true')
    expect(await size()).toBe('22px')
    expect(await buttonHeight()).toBeGreaterThanOrEqual(Math.max(60, before))
    expect(await noSidewaysScroll(page)).toBe(true)
    await shot(page, 'p02-large-text')

    // Remembered, and applied before anything is drawn: in the order of DOM changes on a reload,
    // <html> gets its class before the app puts anything into #root.
    await page.addInitScript(() => {
      const order: string[] = []
      ;(window as unknown as { domOrder: string[] }).domOrder = order
      new MutationObserver((records) => {
        for (const r of records) {
          if (r.type === 'attributes' && r.target === document.documentElement) order.push('class')
          if (r.type === 'childList' && (r.target as Element).id === 'root') order.push('render')
        }
      }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['class'] })
    })
    await page.reload()
    await page.getByRole('heading', { name: '我的案件' }).waitFor()
    expect(await size()).toBe('22px')
    const order = await page.evaluate(() => (window as unknown as { domOrder: string[] }).domOrder)
    expect(order.indexOf('class')).toBeGreaterThanOrEqual(0)
    expect(order.indexOf('class')).toBeLessThan(order.indexOf('render'))
    expect(await page.getByRole('button', { name: /大字模式/ }).getAttribute('aria-pressed')).toBe('true')

    // In English too, and off again.
    await page.getByRole('button', { name: 'Switch to English' }).click()
    const en = page.getByRole('button', { name: /^Large text/ })
    expect(await en.textContent()).toBe('Large text')
    await en.click()
    expect(await size()).toBe('17px')
    expect(await page.evaluate(() => localStorage.getItem('jiefen.largeText'))).toBeNull()
    expect(lab.problems).toEqual([])
  })

  it('lets the citizen download their data from 我的案件, with their case number in it', async () => {
    const { page, number } = await citizenWithCase('13955550004')
    await page.goto(`${lab.system.url}/cases`)
    await page.getByText(number).waitFor()
    const link = page.getByRole('link', { name: '下载我的数据' })
    expect(await link.getAttribute('aria-describedby')).toBe('export-hint')
    expect(await page.locator('#export-hint').textContent()).toContain('JSON')
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()])
    expect(download.suggestedFilename()).toMatch(/^jiefen-my-data-\d{4}-\d{2}-\d{2}\.json$/)
    const path = await download.path()
    const data = JSON.parse(readFileSync(path, 'utf8')) as unknown
    expect(JSON.stringify(data)).toContain(number)
    // Still on the list: the download did not navigate away.
    expect(page.url()).toBe(`${lab.system.url}/cases`)
    expect(lab.problems).toEqual([])
  })
})
