import { createHash } from 'node:crypto'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { noSidewaysScroll, shot, usePhoneLab } from './support.ts'

const lab = usePhoneLab()

/** A wage-arrears case filed by the signed-in citizen, through the API from inside the page. */
async function fileCase(page: Page): Promise<string> {
  const created = await page.evaluate(async () => {
    const res = await fetch('/api/cases', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
      body: JSON.stringify({
        disputeType: 'wage_arrears',
        description: '包工头欠我三个月工资九千元，一直拖着不给，我已经回老家了。',
        location: { district: '滨河区', street: '城关镇' },
        respondent: { name: '李某（包工头）' },
        amountInDispute: 9000,
        desiredOutcome: '结清拖欠的九千元工资',
        meetingPreference: 'video',
      }),
    })
    return { status: res.status, body: (await res.json()) as { id?: string } }
  })
  expect(created.status).toBe(201)
  if (!created.body.id) throw new Error(`no case id: ${JSON.stringify(created.body)}`)
  return created.body.id
}

/** A real baseline JPEG, drawn by the browser: a pay slip someone photographed. */
async function drawPhoto(page: Page): Promise<Buffer> {
  const base64 = await page.evaluate(async () => {
    const canvas = document.createElement('canvas')
    canvas.width = 320
    canvas.height = 240
    const g = canvas.getContext('2d')
    if (!g) throw new Error('no 2d context')
    g.fillStyle = '#f6ecd9'
    g.fillRect(0, 0, 320, 240)
    g.fillStyle = '#0b4a9e'
    g.fillRect(16, 16, 288, 56)
    g.fillStyle = '#ffffff'
    g.font = 'bold 28px sans-serif'
    g.fillText('工资条 2025-12', 32, 54)
    g.fillStyle = '#1b2430'
    g.font = '22px sans-serif'
    g.fillText('应发 3000.00', 32, 120)
    g.fillText('实发 0.00', 32, 160)
    const blob = await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('no blob'))), 'image/jpeg', 0.9),
    )
    const bytes = new Uint8Array(await blob.arrayBuffer())
    let binary = ''
    for (const b of bytes) binary += String.fromCharCode(b)
    return btoa(binary)
  })
  return Buffer.from(base64, 'base64')
}

/**
 * The same JPEG with an EXIF block that says where it was taken (39°54′N), as a phone camera
 * writes it: APP1 after the JFIF header, IFD0 pointing at a GPS IFD.
 */
function withGpsExif(jpeg: Buffer): Buffer {
  const tiff = Buffer.alloc(80)
  tiff.write('II', 0, 'latin1')
  tiff.writeUInt16LE(42, 2)
  tiff.writeUInt32LE(8, 4)
  tiff.writeUInt16LE(1, 8) // IFD0: one entry, the GPS pointer
  tiff.writeUInt16LE(0x8825, 10)
  tiff.writeUInt16LE(4, 12)
  tiff.writeUInt32LE(1, 14)
  tiff.writeUInt32LE(26, 18)
  tiff.writeUInt32LE(0, 22)
  tiff.writeUInt16LE(2, 26) // GPS IFD: latitude reference and latitude
  tiff.writeUInt16LE(1, 28)
  tiff.writeUInt16LE(2, 30)
  tiff.writeUInt32LE(2, 32)
  tiff.write('N\0', 36, 'latin1')
  tiff.writeUInt16LE(2, 40)
  tiff.writeUInt16LE(5, 42)
  tiff.writeUInt32LE(3, 44)
  tiff.writeUInt32LE(56, 48)
  tiff.writeUInt32LE(0, 52)
  for (const [i, degrees] of [39, 54, 0].entries()) {
    tiff.writeUInt32LE(degrees, 56 + i * 8)
    tiff.writeUInt32LE(1, 60 + i * 8)
  }
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, 0, 0]), Buffer.from('Exif\0\0', 'latin1'), tiff])
  app1.writeUInt16BE(app1.length - 2, 2)
  const afterJfif = jpeg[3] === 0xe0 ? 4 + jpeg.readUInt16BE(4) : 2
  return Buffer.concat([jpeg.subarray(0, afterJfif), app1, jpeg.subarray(afterJfif)])
}

async function pickFiles(page: Page, files: { name: string; mimeType: string; buffer: Buffer }[]) {
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: '选择文件' }).click(),
  ])
  expect(chooser.isMultiple()).toBe(true)
  await chooser.setFiles(files)
}

describe('evidence on the case page', () => {
  it('uploads photos with progress, shows them checked with a fingerprint, refuses a fake, and withdraws', async () => {
    const page = await lab.openPhone()
    const { url, s3Endpoint } = lab.system

    // Prepare: a citizen signed in through the portal, with a wage case.
    await page.goto(`${url}/sign-in`)
    await lab.signInThroughForm(page, '13787654321')
    await page.getByRole('heading', { name: '我的案件' }).waitFor()
    const caseId = await fileCase(page)
    const ticketRequests: string[] = []
    page.on('request', (r) => {
      if (r.method() === 'POST' && /\/api\/cases\/[0-9A-Z]{26}\/evidence$/.test(r.url()))
        ticketRequests.push(r.url())
    })

    // The case page says what helps for a wage dispute, and has nothing uploaded yet.
    await page.goto(`${url}/cases/${caseId}`)
    await page.getByRole('heading', { name: '证据材料' }).waitFor()
    const main = page.locator('main')
    expect(await main.getByText('哪些材料有帮助').isVisible()).toBe(true)
    expect(await main.getByText(/劳动合同，或任何能证明您在那里干过活的材料/).isVisible()).toBe(true)
    expect(await main.getByText(/工资发放记录：银行流水/).isVisible()).toBe(true)
    expect(await main.getByText(/聊天记录截图最好有原手机里的记录/).isVisible()).toBe(true)
    await main.getByText('还没有上传证据。').waitFor()
    const camera = page.locator('input[type=file][capture=environment]')
    expect(await camera.getAttribute('accept')).toBe('image/*')
    expect(await noSidewaysScroll(page)).toBe(true)
    await shot(page, '20-evidence-empty')

    // A text file is refused on the phone, in Chinese, before the API is asked anything; a voice
    // note the browser gives no type for is known by its extension.
    await pickFiles(page, [
      { name: '说明.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') },
      { name: '老板的语音.amr', mimeType: '', buffer: Buffer.from('#!AMR\n\u0000\u0000') },
    ])
    const refused = page.locator('.upload-item', { hasText: '说明.txt' })
    const voice = page.locator('.upload-item', { hasText: '老板的语音.amr' })
    await refused.getByText('不支持此文件类型：请上传照片、PDF、录音或视频').waitFor()
    expect(await voice.getByText(/^录音 · 1 KB$/).isVisible()).toBe(true)
    expect(await voice.getByLabel('这份材料说明什么').isVisible()).toBe(true)
    expect(await page.getByRole('button', { name: /^上传 \d+ 个文件$/ }).textContent()).toBe('上传 1 个文件')
    await shot(page, '21-evidence-refused-type')
    await refused.getByRole('button', { name: '移除 说明.txt' }).click()
    await voice.getByRole('button', { name: '移除 老板的语音.amr' }).click()
    expect(await page.locator('.upload-item').count()).toBe(0)
    expect(ticketRequests).toHaveLength(0)

    // Two files at once: a real photo with its position in it, and a text file called fake.jpg.
    const jpeg = await drawPhoto(page)
    expect([...jpeg.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff])
    expect(jpeg.includes(Buffer.from([0xff, 0xc0]))).toBe(true) // baseline (SOF0)
    const photo = withGpsExif(jpeg)
    const fake = Buffer.from('这不是照片，只是一段文字。'.repeat(20))
    await pickFiles(page, [
      { name: 'gongzi.jpg', mimeType: 'image/jpeg', buffer: photo },
      { name: 'fake.jpg', mimeType: 'image/jpeg', buffer: fake },
    ])
    const photoJob = page.locator('.upload-item', { hasText: 'gongzi.jpg' })
    const fakeJob = page.locator('.upload-item', { hasText: 'fake.jpg' })
    expect(await photoJob.getByText(/^照片 · \d+ KB$/).isVisible()).toBe(true)
    await photoJob.getByLabel('这份材料说明什么').fill('12月工资条，一分没发')
    await shot(page, '22-evidence-picked')

    // Storage is slow for the photo's first try and then says its ticket expired; the fake's
    // first try loses the connection. Everything else goes through.
    let storagePosts = 0
    let release: () => void = () => undefined
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    await page.route(`${s3Endpoint}/**`, async (route) => {
      if (route.request().method() !== 'POST') return route.continue()
      storagePosts += 1
      if (storagePosts === 1) {
        await held
        return route.fulfill({
          status: 403,
          contentType: 'application/xml',
          headers: { 'access-control-allow-origin': '*' },
          body: '<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>Invalid according to Policy: Policy expired.</Message></Error>',
        })
      }
      if (storagePosts === 3) return route.abort('internetdisconnected')
      return route.continue()
    })
    await page.evaluate(() => {
      const seen: string[] = []
      Object.assign(window, { progressSeen: seen })
      new MutationObserver((records) => {
        for (const r of records) seen.push((r.target as Element).getAttribute('aria-valuenow') ?? '')
      }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['aria-valuenow'] })
    })

    await page.getByRole('button', { name: '上传 2 个文件' }).click()
    const bar = page.getByRole('progressbar', { name: 'gongzi.jpg 的上传进度' })
    await bar.waitFor()
    const now = Number(await bar.getAttribute('aria-valuenow'))
    expect(now).toBeGreaterThanOrEqual(0)
    expect(now).toBeLessThanOrEqual(100)
    expect(await bar.getAttribute('aria-valuemax')).toBe('100')
    expect(await photoJob.getByText(/^已上传 \d+%$/).isVisible()).toBe(true)
    expect(await fakeJob.getByText('等待上传').isVisible()).toBe(true)
    expect(await page.locator('.uploader [aria-live="polite"]').textContent()).toContain('gongzi.jpg')
    await shot(page, '23-evidence-uploading')
    release()

    // The photo goes up with a fresh ticket and is checked; the fake's connection drops.
    const results = page.locator('.upload-results')
    await results.getByText('“gongzi.jpg”已上传并通过核验').waitFor()
    await fakeJob.getByText('网络中断，文件没有传完').waitFor()
    const progressSeen = await page.evaluate(
      () => (window as unknown as { progressSeen: string[] }).progressSeen,
    )
    expect(progressSeen).toContain('100')
    expect(ticketRequests).toHaveLength(3) // the photo's expired ticket was replaced once

    const photoItem = page.locator('.evidence-item', { hasText: 'gongzi.jpg' })
    await photoItem.getByText('已核验', { exact: true }).waitFor()
    const photoText = (await photoItem.textContent()) ?? ''
    expect(photoText).toContain('12月工资条，一分没发')
    expect(photoText).toContain('上传人：我')
    expect(photoText).toMatch(/上传时间：\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}/)
    expect(photoText).toMatch(/照片 · \d+ KB/)
    expect(await photoItem.getByText('已去除照片位置信息').isVisible()).toBe(true)

    // The fingerprint: short on the card, whole when opened, and that of the file as served.
    const summary = photoItem.locator('.fingerprint summary')
    const short = /指纹 ([0-9a-f]{8})…([0-9a-f]{8})/.exec((await summary.textContent()) ?? '')
    expect(short).not.toBeNull()
    await summary.click()
    const full = ((await photoItem.locator('.fingerprint-full').textContent()) ?? '').trim()
    expect(full).toMatch(/^[0-9a-f]{64}$/)
    expect(full.startsWith(short?.[1] ?? '-')).toBe(true)
    expect(full.endsWith(short?.[2] ?? '-')).toBe(true)
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ')
    const items = (await (
      await fetch(`${url}/api/cases/${caseId}/evidence`, { headers: { cookie } })
    ).json()) as {
      items: { evidenceId: string; fileName: string; status: string }[]
    }
    const photoId = items.items.find(
      (i) => i.fileName === 'gongzi.jpg' && i.status === 'verified',
    )?.evidenceId
    const served = await fetch(`${url}/api/cases/${caseId}/evidence/${photoId}`, { headers: { cookie } })
    expect(served.status).toBe(200)
    expect(
      createHash('sha256')
        .update(Buffer.from(await served.arrayBuffer()))
        .digest('hex'),
    ).toBe(full)

    // The thumbnail really loads from storage.
    const thumb = photoItem.locator('img.evidence-thumb')
    await thumb.scrollIntoViewIfNeeded()
    await expect
      .poll(() =>
        thumb.evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth),
      )
      .toBe(320)
    expect(await thumb.getAttribute('alt')).toBe('照片：gongzi.jpg')
    await shot(page, '24-evidence-verified-and-network-error')

    // Retried without picking the file again: the same ticket, and the verdict on the content.
    await fakeJob.getByRole('button', { name: '重试' }).click()
    await results.getByText('“fake.jpg”未通过核验：文件内容与类型不符，请上传原始文件').waitFor()
    expect(ticketRequests).toHaveLength(3)
    expect(storagePosts).toBe(4)
    const fakeItem = page.locator('.evidence-item', { hasText: 'fake.jpg' })
    await fakeItem.getByText('未通过：文件内容与类型不符，请上传原始文件').waitFor()
    expect(await fakeItem.locator('img').count()).toBe(0)
    // A rejected file can be withdrawn to tidy the list (it never counted as evidence).
    expect(await fakeItem.getByRole('button', { name: /撤回/ }).count()).toBe(1)
    expect(await page.locator('.upload-item').count()).toBe(0)
    // The ticket given up for a new one never gets a file: it is not listed.
    expect(await page.locator('.evidence-item').count()).toBe(2)
    expect(await main.getByText('共 2 份').isVisible()).toBe(true)
    await shot(page, '25-evidence-rejected')

    // Every control is big enough for a thumb.
    const heights = await page
      .locator(
        '.evidence button, .evidence summary, .evidence-list button, .evidence-list a, .evidence-list summary',
      )
      .evaluateAll((els) =>
        els.filter((el) => el.getClientRects().length).map((el) => el.getBoundingClientRect().height),
      )
    expect(heights.length).toBeGreaterThan(5)
    expect(Math.min(...heights)).toBeGreaterThanOrEqual(44)

    // Withdrawing asks first; cancelling changes nothing.
    await photoItem.getByRole('button', { name: '撤回 gongzi.jpg' }).click()
    await photoItem.getByText('确定撤回“gongzi.jpg”吗？').waitFor()
    await photoItem.getByRole('button', { name: '取消' }).click()
    expect(await photoItem.getByText('已撤回', { exact: true }).count()).toBe(0)
    await photoItem.getByRole('button', { name: '撤回 gongzi.jpg' }).click()
    await shot(page, '26-evidence-withdraw-confirm')
    await photoItem.getByRole('button', { name: '确定撤回' }).click()
    await photoItem.getByText('已撤回', { exact: true }).waitFor()
    expect(await photoItem.getByText('您已撤回这份证据').isVisible()).toBe(true)
    expect(await photoItem.getByRole('button', { name: /撤回/ }).count()).toBe(0)
    expect(await photoItem.locator('img').count()).toBe(0)

    // The record tells the story, without a line for every thumbnail shown.
    const timeline = (await page.locator('.timeline').textContent()) ?? ''
    expect(timeline).toContain('您上传了一份证据')
    expect(timeline).toContain('一份证据未通过核验')
    expect(timeline).toContain('您撤回了一份证据')
    expect(await page.locator('.timeline li').count()).toBe(4)
    await shot(page, '27-evidence-withdrawn')

    // No sideways scrolling on a 320px phone.
    await page.setViewportSize({ width: 320, height: 640 })
    expect(await noSidewaysScroll(page)).toBe(true)
    await shot(page, '28-evidence-320')

    expect(lab.problems).toEqual([])
  })

  it('shows the evidence section in English, with the checklist for the dispute type', async () => {
    const page = await lab.openPhone()
    const { url } = lab.system
    await page.goto(`${url}/sign-in`)
    await lab.signInThroughForm(page, '13787650000')
    await page.getByRole('heading', { name: '我的案件' }).waitFor()
    const caseId = await fileCase(page)
    await page.goto(`${url}/cases/${caseId}`)
    await page.getByRole('heading', { name: '证据材料' }).waitFor()

    await page.getByRole('button', { name: 'English' }).click()
    await page.getByRole('heading', { name: 'Evidence', exact: true }).waitFor()
    expect(await page.getByText(/A labour contract, or anything showing you worked there/).isVisible()).toBe(
      true,
    )
    expect(await page.getByRole('button', { name: 'Choose files' }).isVisible()).toBe(true)
    expect(await page.getByText('No evidence uploaded yet.').isVisible()).toBe(true)
    expect(await page.getByText('证据材料').count()).toBe(0)
    await shot(page, '29-evidence-english')
    expect(lab.problems).toEqual([])
  })
})
