import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { Actor } from '../../functions/domain/actor.ts'
import type { CreateCaseInput, DisputeType } from '../../functions/domain/case.ts'
import { createCase } from '../../functions/domain/cases.ts'
import type { Deps } from '../../functions/domain/ports.ts'
import { act } from '../../functions/domain/workflow-service.ts'
import { DEFAULT_DEMO_PASSWORD } from '../../infra/local/seed.ts'
import { noSidewaysScroll, screenshots, shot, usePhoneLab } from './support.ts'

const lab = usePhoneLab()

async function staffActor(deps: Deps, username: string): Promise<Actor> {
  const s = await deps.store.getStaff(username)
  const org = s && (await deps.store.getOrg(s.orgId))
  if (!s || !org) throw new Error(`no ${username}`)
  return {
    kind: 'staff',
    username,
    name: s.name,
    role: s.role,
    orgId: s.orgId,
    tier: org.tier,
    jurisdiction: org.jurisdiction,
  }
}

const DESCRIPTIONS: Record<string, string> = {
  neighbour: '楼上装修把我家卫生间的防水弄坏了，一直漏水，找他几次都不理。',
  wage_arrears: '工地包工头拖欠我三个月工资，一直说下个月给，现在电话也不接了。',
  family: '丈夫长期酗酒后吵闹，孩子抚养和家里的房子怎么分一直谈不拢。',
  property: '物业公司一直不修小区电梯，还要求我们先交清物业费。',
  consumer: '健身房突然关门，预付卡里还有三千多元没有退。',
}

/** Seeds a month of cases through the domain: several types and streets, some resolved, some failed, one red. */
async function seed(deps: Deps) {
  const mediator = await staffActor(deps, 'mediator1')
  const admin = await staffActor(deps, 'admin1')
  const plan: [DisputeType, string, 'resolved' | 'failed' | 'open' | 'accepted'][] = []
  const types: DisputeType[] = ['neighbour', 'wage_arrears', 'family', 'property', 'consumer']
  const streets = ['城东街道', '城东街道', '滨江街道', '江南街道', '']
  for (let i = 0; i < 24; i++) {
    const type = types[i % types.length] as DisputeType
    plan.push([
      type,
      streets[(i * 3) % streets.length] as string,
      i % 4 === 0 ? 'failed' : i % 3 === 0 ? 'open' : i % 5 === 0 ? 'accepted' : 'resolved',
    ])
  }
  for (const [i, [type, street, end]] of plan.entries()) {
    const phone = `1381000${String(1000 + i)}`
    const citizenId = await deps.store.citizenFor(
      deps.crypto.hmac(`phone:${phone}`),
      deps.crypto.id(),
      deps.clock.now(),
    )
    const input: CreateCaseInput = {
      disputeType: type,
      description:
        i === 6
          ? '对方扬言要拿刀上门报复，还说要和我同归于尽，我很害怕，孩子也不敢出门。'
          : (DESCRIPTIONS[type] ?? ''),
      location: { district: '滨河区', ...(street ? { street } : {}) },
      respondent: { name: '对方', phone: `1391000${String(1000 + i)}` },
      ...(type === 'wage_arrears' ? { amountInDispute: 9000 } : {}),
      desiredOutcome: '希望调解解决',
      meetingPreference: 'either',
    }
    const { id } = await createCase(deps, { kind: 'citizen', citizenId, phone }, input, `e2e-insight-${i}`)
    if (end === 'open') continue
    let v = (
      await act(deps, admin, id, {
        action: 'accept',
        expectedVersion: 1,
        mediatorId: i % 2 ? 'mediator1' : 'mediator2',
      })
    ).version
    if (end === 'accepted') continue
    const who = i % 2 ? mediator : await staffActor(deps, 'mediator2')
    v = (
      await act(deps, who, id, {
        action: 'record_consent',
        expectedVersion: v,
        agreed: true,
        note: '电话确认同意调解',
      })
    ).version
    if (end === 'resolved')
      await act(deps, who, id, { action: 'resolve', expectedVersion: v, summary: '双方达成协议' })
    else
      await act(deps, who, id, {
        action: 'fail',
        expectedVersion: v,
        reason: '双方分歧较大',
        guidance: 'litigation',
      })
  }
}

async function staffSignIn(page: Page, username: string): Promise<void> {
  await page.getByRole('heading', { name: '工作人员登录' }).waitFor()
  await page.getByLabel('用户名').fill(username)
  await page.getByLabel('密码').fill(DEFAULT_DEMO_PASSWORD)
  await page.getByRole('button', { name: '登录', exact: true }).click()
}

describe('the supervisor dashboard', () => {
  it('shows the jurisdiction’s figures, risk board and charts with their numbers, on a phone and a desk', async () => {
    await seed(lab.system.deps)
    const page = await lab.openPhone()
    await page.goto(`${lab.system.url}/staff`)
    await staffSignIn(page, 'supervisor1')
    await page.waitForURL(/\/staff\/queue$/)
    await page.getByRole('link', { name: '辖区统计' }).click()
    await page.getByRole('heading', { name: '辖区统计', level: 1 }).waitFor()
    await page.getByRole('heading', { name: '风险看板' }).waitFor()
    await page.getByRole('heading', { name: '调解员绩效' }).waitFor()

    // The results agree with what was seeded (24 here plus the 3 demo cases of npm start's seed).
    const kpi = (label: string) =>
      page
        .locator('.kpi')
        .filter({ has: page.getByText(label, { exact: true }) })
        .locator('dd')
        .textContent()
    expect(await kpi('新收纠纷')).toBe('27')
    expect(Number(await kpi('调解成功'))).toBeGreaterThan(0)
    expect(await kpi('回访满意度')).toBe('—')
    // Red first on the board, with how long it has been flagged.
    const first = page.locator('.board-item').first()
    expect(await first.locator('.risk-chip').textContent()).toBe('红色')
    expect(await first.locator('.board-since').textContent()).toMatch(/已标记 \d+ 小时/)
    // Every chart has its numbers as a table for screen readers.
    expect(await page.locator('figure.chart table.visually-hidden').count()).toBeGreaterThanOrEqual(5)
    expect(await page.locator('.area-tile').count()).toBeGreaterThanOrEqual(3)
    expect(await noSidewaysScroll(page)).toBe(true)
    await shot(page, 'i01-insight-phone')
    // The whole page is tall; each part is also kept on its own, at readable size.
    for (const [part, name] of [
      ['kpi-title', 'i01a-results'],
      ['board-title', 'i01b-board'],
      ['ww-title', 'i01c-where-when'],
      ['med-title', 'i01d-mediators'],
    ])
      await page
        .locator(`section[aria-labelledby="${part}"]`)
        .screenshot({ path: join(screenshots, `${name}.png`) })

    // An area narrows the figures; the address keeps the filter.
    await page.getByLabel('区域（街道）').selectOption('滨江街道')
    await page.waitForURL(/area=/)
    await page.waitForFunction(() => document.querySelector('.kpi dd')?.textContent !== '27')
    expect(Number(await kpi('新收纠纷'))).toBeLessThan(27)

    // The downloads answer with files.
    const pdf = await page.request.get(
      `${lab.system.url}${await page.getByRole('link', { name: '月报 PDF' }).getAttribute('href')}`,
    )
    expect(pdf.headers()['content-type']).toBe('application/pdf')
    const csv = await page.request.get(
      `${lab.system.url}${await page.getByRole('link', { name: '案件清单 CSV' }).getAttribute('href')}`,
    )
    expect(await csv.text()).toContain('number,createdAt')

    await page.setViewportSize({ width: 1280, height: 900 })
    await page.getByLabel('区域（街道）').selectOption('')
    await page.waitForFunction(() => document.querySelector('.kpi dd')?.textContent === '27')
    await shot(page, 'i02-insight-desk')
    expect(lab.problems).toEqual([])
  })

  it('a mediator is told the page is not for them', async () => {
    const page = await lab.openPhone()
    await page.goto(`${lab.system.url}/staff`)
    await staffSignIn(page, 'mediator1')
    await page.waitForURL(/\/staff\/queue$/)
    expect(await page.getByRole('link', { name: '辖区统计' }).count()).toBe(0)
    await page.goto(`${lab.system.url}/staff/insight`)
    await page.getByText('只有司法所督导和管理员可以查看辖区统计。').waitFor()
  })
})
