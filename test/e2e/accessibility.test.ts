import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { caseInMediation, schedule, uploadPhoto, useCookie } from './mediation.ts'
import { closedPort, shot, usePhoneLab } from './support.ts'

/**
 * axe-core on every page of the portal, in Chinese and in English: no serious or critical
 * violations. axe is put into the page through the DevTools protocol (page.evaluate), which the
 * page's CSP (`script-src 'self'`) does not govern; a <script> tag would be refused, and rightly.
 */
const lab = usePhoneLab({
  fakeMedia: true,
  system: async () => ({
    video: { url: `ws://127.0.0.1:${await closedPort()}`, apiKey: 'devkey', apiSecret: 'secret' },
  }),
})
const { openPhone, signInOverApi, staffCookie, apiCall } = lab

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

type Locale = 'zh-CN' | 'en'

interface Finding {
  page: string
  rule: string
  impact: string
  help: string
  targets: string[]
}

/** A phone in the given language (the portal's own switch, remembered in localStorage). */
async function phoneIn(locale: Locale): Promise<Page> {
  const page = await openPhone()
  await page.context().addInitScript((l) => localStorage.setItem('jiefen.locale', l), locale)
  return page
}

/**
 * Waits for the page to settle: its heading drawn, no request in flight, nothing loading (but
 * the waiting room, whose spinner turns until the mediator lets the party in).
 */
async function settled(page: Page) {
  await page.locator('h1').first().waitFor()
  await page.waitForLoadState('networkidle')
  await page.waitForFunction(
    () => document.querySelectorAll('.loading:not(.waiting-status .loading)').length === 0,
  )
}

/** Runs axe on what the page shows now; returns the serious and critical violations. */
async function audit(page: Page, name: string, locale: Locale): Promise<Finding[]> {
  await settled(page)
  expect(await page.evaluate(() => document.documentElement.lang)).toBe(locale)
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource)
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: typeof import('axe-core') }).axe
    const result = await axe.run(document, { resultTypes: ['violations'] })
    // A run that checked nothing would pass vacuously: axe must have looked at the page.
    if (result.passes.length < 10) throw new Error(`axe checked only ${result.passes.length} rules`)
    return result.violations.map((v) => ({
      rule: v.id,
      impact: v.impact ?? 'unknown',
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }))
  })
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ page: `${name} (${locale})`, ...v }))
}

/** Audits each page in turn, then fails once with everything found, page by page. */
async function auditAll(pages: [string, (page: Page) => Promise<void>][], page: Page, locale: Locale) {
  const findings: Finding[] = []
  const audited: string[] = []
  for (const [name, open] of pages) {
    await open(page)
    findings.push(...(await audit(page, name, locale)))
    audited.push(name)
  }
  expect(audited).toEqual(pages.map(([name]) => name))
  expect(findings).toEqual([])
  expect(lab.problems).toEqual([])
}

const ENTER_WAITING: Record<Locale, string> = { 'zh-CN': '进入等候室', en: 'Go to the waiting room' }

describe.each<Locale>(['zh-CN', 'en'])('axe finds no serious or critical problem (%s)', (locale) => {
  const n = locale === 'en' ? 1 : 0

  it('on the citizen pages: home, sign-in, apply, my cases, a case with evidence, not found', async () => {
    const phone = `1396600000${n}`
    const cookie = await signInOverApi(phone)
    const filed = await apiCall(
      cookie,
      'POST',
      '/api/cases',
      {
        disputeType: 'wage_arrears',
        description: '饭店老板欠我两个月工资六千元，我已经离职回老家了，希望能视频调解。',
        location: { district: '滨河区', street: '城东街道' },
        respondent: { name: '王某', phone: '13900139000' },
        amountInDispute: 6000,
        desiredOutcome: '结清工资',
        meetingPreference: 'video',
      },
      { 'idempotency-key': `axe-${phone}` },
    )
    expect(filed.status).toBe(201)
    const { id } = (await filed.json()) as { id: string }
    await uploadPhoto(lab, cookie, id)

    const page = await phoneIn(locale)
    const go = (path: string) => async (p: Page) => {
      await p.goto(`${lab.system.url}${path}`)
    }
    await auditAll(
      [
        ['home', go('/')],
        ['sign-in', go('/sign-in')],
        [
          'apply',
          async (p) => {
            await useCookie(lab, p, cookie)
            await p.goto(`${lab.system.url}/apply`)
          },
        ],
        ['my cases', go('/cases')],
        [
          'case with evidence',
          async (p) => {
            await p.goto(`${lab.system.url}/cases/${id}`)
            await p.locator('.evidence-item').first().waitFor()
          },
        ],
        ['not found', go('/no-such-page')],
        [
          'home in large text',
          async (p) => {
            await p.evaluate(() => localStorage.setItem('jiefen.largeText', '1'))
            await p.goto(`${lab.system.url}/`)
            await p.waitForFunction(() => document.documentElement.classList.contains('large-text'))
          },
        ],
      ],
      page,
      locale,
    )
    if (locale === 'en') await shot(page, 'x01-axe-clean-case-en')
  })

  it('on the video session page: device check and waiting room', async () => {
    const c = await caseInMediation(lab, `1366600000${n}`, `1376600000${n}`)
    const sessionId = await schedule(lab, c.id, 5)
    const page = await phoneIn(locale)
    await useCookie(lab, page, await signInOverApi(c.respondentPhone))
    await auditAll(
      [
        [
          'session: device check',
          async (p) => {
            await p.goto(`${lab.system.url}/sessions/${sessionId}`)
            await p.getByRole('button', { name: ENTER_WAITING[locale] }).waitFor()
            await p.waitForFunction(() => !!document.querySelector('video.preview'))
          },
        ],
        [
          'session: waiting room',
          async (p) => {
            await p.getByRole('button', { name: ENTER_WAITING[locale] }).click()
            await p.locator('.waiting').waitFor()
          },
        ],
      ],
      page,
      locale,
    )
  })

  it('on the staff pages: sign-in, queue, case, intake, admin', async () => {
    const c = await caseInMediation(lab, `1356600000${n}`, `1346600000${n}`)
    const page = await phoneIn(locale)
    const go = (path: string) => async (p: Page) => {
      await p.goto(`${lab.system.url}${path}`)
    }
    await auditAll(
      [
        ['staff sign-in', go('/staff')],
        [
          'queue',
          async (p) => {
            await useCookie(lab, p, await staffCookie('mediator1'))
            await p.goto(`${lab.system.url}/staff/queue`)
            await p.locator(`a[href="/staff/cases/${c.id}"]`).waitFor()
          },
        ],
        ['staff case', go(`/staff/cases/${c.id}`)],
        [
          'intake',
          async (p) => {
            await useCookie(lab, p, await staffCookie('police1'))
            await p.goto(`${lab.system.url}/staff/intake`)
          },
        ],
        [
          'admin',
          async (p) => {
            await useCookie(lab, p, await staffCookie('admin1'))
            await p.goto(`${lab.system.url}/staff/admin`)
          },
        ],
      ],
      page,
      locale,
    )
  })
})
