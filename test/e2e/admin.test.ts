import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { DEFAULT_DEMO_PASSWORD } from '../../infra/local/seed.ts'
import { noSidewaysScroll, shot, usePhoneLab } from './support.ts'

const lab = usePhoneLab()
const { openPhone } = lab

async function staffSignIn(page: Page, username: string): Promise<void> {
  await page.getByRole('heading', { name: '工作人员登录' }).waitFor()
  await page.getByLabel('用户名').fill(username)
  await page.getByLabel('密码').fill(DEFAULT_DEMO_PASSWORD)
  await page.getByRole('button', { name: '登录', exact: true }).click()
}

describe('the mediator pool in the staff portal', () => {
  it('a centre admin adds a mediator and deactivates them after confirming', async () => {
    const page = await openPhone()
    await page.goto(`${lab.system.url}/staff`)
    await staffSignIn(page, 'admin1')
    await page.waitForURL(/\/staff\/queue$/)
    await page.getByRole('link', { name: '专家库' }).click()
    await page.getByRole('heading', { name: '调解专家库', level: 1 }).waitFor()
    await page.getByText('王调解员').waitFor()
    // A centre admin sees only their organisation's staff.
    expect(await page.getByText('赵律师').count()).toBe(0)
    expect(await page.getByText('组织机构').count()).toBe(0)
    expect(await noSidewaysScroll(page)).toBe(true)
    await shot(page, 'a01-admin-pool')

    await page.getByRole('button', { name: '添加调解员' }).click()
    // A centre admin adds mediators to their own organisation only: no role or organisation to choose.
    expect(await page.getByLabel('角色').count()).toBe(0)
    await page.getByRole('button', { name: '添加', exact: true }).click()
    await page.getByText('填写的内容有误，请检查标红的项目').waitFor()
    expect(await page.locator('#staff-name-error').textContent()).toBe('此项为必填')
    await page.getByLabel('姓名').fill('孙调解员')
    await page.getByLabel('用户名').fill('Bad Name')
    await page.getByLabel('初始密码').fill('short')
    expect(await page.locator('#staff-username-error').textContent()).toContain('用户名为3–32位')
    expect(await page.locator('#staff-password-error').textContent()).toBe('初始密码至少12位')
    // A taken username is the server's answer, shown next to the field.
    await page.getByLabel('用户名').fill('mediator1')
    await page.getByLabel('初始密码').fill('a-long-first-password')
    await page.getByRole('button', { name: '添加', exact: true }).click()
    await page.locator('#staff-username-error').getByText('该用户名已被使用').waitFor()
    await page.getByLabel('用户名').fill('mediator9')
    await page.getByLabel('婚姻家庭').check()
    await page.getByLabel('心理疏导').check()
    await page.getByLabel('调解语言').fill('普通话、粤语')
    expect(await noSidewaysScroll(page)).toBe(true)
    await shot(page, 'a02-admin-add-form')
    await page.getByRole('button', { name: '添加', exact: true }).click()
    await page.getByText('已添加 孙调解员（mediator9）').waitFor()

    const card = page.locator('.staff-card', { hasText: 'mediator9' })
    await card.getByText('在用').waitFor()
    expect(await card.locator('.chip').allTextContents()).toEqual(['婚姻家庭', '心理疏导'])
    expect(await card.getByText('普通话、粤语').isVisible()).toBe(true)
    await shot(page, 'a03-admin-added')

    // The new mediator can sign in with the first password.
    const signIn = await fetch(`${lab.system.url}/api/auth/staff/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'mediator9', password: 'a-long-first-password' }),
    })
    expect(signIn.status).toBe(200)

    await card.getByRole('button', { name: '停用 孙调解员' }).click()
    await card.getByText('将立即退出所有设备').waitFor()
    await shot(page, 'a04-admin-confirm')
    // Cancelling changes nothing.
    await card.getByRole('button', { name: '取消' }).click()
    expect(await card.getByText('在用').isVisible()).toBe(true)
    await card.getByRole('button', { name: '停用 孙调解员' }).click()
    await card.getByRole('button', { name: '确认停用' }).click()
    await card.getByText('已停用', { exact: true }).waitFor()
    await page.getByText('已停用 孙调解员（mediator9）。').waitFor()
    expect(await card.getByRole('button', { name: /停用/ }).count()).toBe(0)
    // Admins cannot deactivate themselves.
    expect(
      await page.locator('.staff-card', { hasText: 'admin1' }).getByRole('button', { name: /停用/ }).count(),
    ).toBe(0)
    await shot(page, 'a05-admin-deactivated')

    const again = await fetch(`${lab.system.url}/api/auth/staff/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'mediator9', password: 'a-long-first-password' }),
    })
    expect(again.status).toBe(401)
    expect(lab.problems).toEqual([])
  })

  it('a system admin also sees the organisations and can add one', async () => {
    const page = await openPhone()
    await page.goto(`${lab.system.url}/staff?next=${encodeURIComponent('/staff/admin')}`)
    await staffSignIn(page, 'sysadmin1')
    await page.getByRole('heading', { name: '调解专家库', level: 1 }).waitFor()
    await page.getByText('赵律师').waitFor()
    await page.getByRole('heading', { name: '组织机构' }).waitFor()
    await page.getByRole('button', { name: '添加组织' }).click()
    await page.getByLabel('组织编号').fill('binhe-nanhu-room')
    await page.getByLabel('组织名称').fill('南湖街道调解室')
    await page.getByLabel('层级').selectOption('1')
    await page.getByLabel('类型').selectOption('community_room')
    await page.getByLabel('所属区县').fill('滨河区')
    await page.getByLabel('负责的街道/乡镇').fill('南湖街道')
    expect(await noSidewaysScroll(page)).toBe(true)
    await shot(page, 'a06-admin-org-form')
    await page.getByRole('button', { name: '添加组织' }).click()
    await page.getByText('已添加组织 南湖街道调解室。').waitFor()
    await page.locator('.org-card', { hasText: 'binhe-nanhu-room' }).waitFor()
    await shot(page, 'a07-admin-orgs')
    expect(lab.problems).toEqual([])
  })

  it('a mediator cannot open the admin page', async () => {
    const page = await openPhone()
    await page.goto(`${lab.system.url}/staff`)
    await staffSignIn(page, 'mediator1')
    await page.waitForURL(/\/staff\/queue$/)
    expect(await page.getByRole('link', { name: '专家库' }).count()).toBe(0)
    await page.goto(`${lab.system.url}/staff/admin`)
    await page.getByText('只有调解组织管理员和系统管理员可以管理调解专家库。').waitFor()
    expect(await page.getByRole('button', { name: '添加调解员' }).count()).toBe(0)
    await shot(page, 'a08-admin-refused')
    expect(lab.problems).toEqual([])
  })
})
