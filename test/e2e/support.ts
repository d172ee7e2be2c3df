import { mkdirSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import { DEFAULT_DEMO_PASSWORD } from '../../infra/local/seed.ts'
import { type RunningSystem, type SystemOptions, startSystem } from '../../infra/local/system.ts'

export const webDist = fileURLToPath(new URL('../../web/dist', import.meta.url))
export const screenshots = fileURLToPath(new URL('./screenshots', import.meta.url))

/** A port nothing listens on: a video service that cannot be reached. */
export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const address = server.address()
  await new Promise((done) => server.close(done))
  if (!address || typeof address === 'string') throw new Error('no port')
  return address.port
}

export interface LabOptions {
  /** Fake camera and microphone, and no permission prompt (video tests). */
  fakeMedia?: boolean
  /** Extra options for the system, decided when it starts. */
  system?: () => Promise<Partial<SystemOptions>>
}

/**
 * The browser tests' bench, one per test file: the whole system in memory, Chromium, and a fresh
 * phone per test. Registers the vitest hooks that start and stop them.
 */
export function usePhoneLab(options: LabOptions = {}) {
  let system: RunningSystem | undefined
  let browser: Browser | undefined
  /** Every phone opened in the current test: several people can take part in one story. */
  let contexts: BrowserContext[] = []
  /** Problems the browser reported: CSP refusals, uncaught errors. Every test ends with none. */
  let problems: string[] = []

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true })
    system = await startSystem({ webDist, print: () => undefined, ...(await options.system?.()) })
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        ...(options.fakeMedia
          ? ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']
          : []),
      ],
    })
  })

  afterEach(async () => {
    await Promise.all(contexts.map((c) => c.close()))
    contexts = []
    problems = []
  })

  afterAll(async () => {
    await browser?.close()
    await system?.stop()
  })

  const running = (): RunningSystem => {
    if (!system) throw new Error('the system is not running: use the lab inside a test')
    return system
  }

  /** The newest sign-in code texted to a phone, read from the local SMS outbox. */
  const latestCode = (phone: string): string => {
    const messages = running().outbox.read(phone)
    const code = messages.at(-1)?.text.match(/\d{6}/)?.[0]
    if (!code) throw new Error(`no SMS code for ${phone}: ${JSON.stringify(messages)}`)
    return code
  }

  return {
    get system(): RunningSystem {
      return running()
    },
    get problems(): string[] {
      return problems
    },

    /**
     * A fresh phone: its own cookies and storage, Chinese, 390×844. A test may open several (one per
     * person); problems from all of them are collected.
     */
    async openPhone(): Promise<Page> {
      if (!browser) throw new Error('the browser is not running')
      const context = await browser.newContext({
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
      })
      contexts.push(context)
      const page = await context.newPage()
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
      page.on('console', (m) => {
        if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text()))
          problems.push(m.text())
      })
      return page
    },

    latestCode,

    /** Signs in through the page the app is showing (the sign-in form). */
    async signInThroughForm(page: Page, phone: string): Promise<void> {
      await page.getByRole('heading', { name: '手机号登录' }).waitFor()
      await page.getByLabel('手机号码').fill(phone)
      await page.getByRole('button', { name: '获取验证码' }).click()
      await page.getByLabel('短信验证码').waitFor()
      await page.getByLabel('短信验证码').fill(latestCode(phone))
      await page.getByRole('button', { name: '登录', exact: true }).click()
    },

    /** Signs a member of staff in through the staff sign-in page the app is showing. */
    async staffSignIn(page: Page, username: string): Promise<void> {
      await page.getByRole('heading', { name: '工作人员登录' }).waitFor()
      await page.getByLabel('用户名').fill(username)
      await page.getByLabel('密码').fill(DEFAULT_DEMO_PASSWORD)
      await page.getByRole('button', { name: '登录', exact: true }).click()
    },

    /** A staff session over HTTP, as another computer would have. */
    async staffCookie(username: string): Promise<string> {
      const res = await fetch(`${running().url}/api/auth/staff/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: DEFAULT_DEMO_PASSWORD }),
      })
      expect(res.status).toBe(200)
      const cookie = res.headers.get('set-cookie')?.split(';')[0]
      if (!cookie) throw new Error('no session cookie')
      return cookie
    },

    /** One API call with a session cookie, from the portal's origin (as the same-origin check wants). */
    apiCall(
      cookie: string,
      method: string,
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) {
      const { url } = running()
      return fetch(`${url}${path}`, {
        method,
        headers: { cookie, 'content-type': 'application/json', origin: url, ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
    },

    /** Signs a citizen in over HTTP and returns the session cookie, as another phone would. */
    async signInOverApi(phone: string): Promise<string> {
      const { url } = running()
      const sent = await fetch(`${url}/api/auth/otp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ phone }),
      })
      expect(sent.status).toBe(200)
      const verified = await fetch(`${url}/api/auth/otp/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ phone, code: latestCode(phone) }),
      })
      expect(verified.status).toBe(200)
      const cookie = verified.headers.get('set-cookie')?.split(';')[0]
      if (!cookie) throw new Error('no session cookie')
      return cookie
    },
  }
}

export const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true })

export const noSidewaysScroll = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)
