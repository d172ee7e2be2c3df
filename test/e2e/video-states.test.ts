import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeEach, describe, expect, it } from 'vitest'
import type { VideoService } from '../../functions/domain/ports.ts'
import { caseInMediation, type MediationCase, schedule, useCookie } from './mediation.ts'
import { closedPort, noSidewaysScroll, screenshots, shot, usePhoneLab } from './support.ts'

/**
 * What a party's page shows as the mediator drives the session through the API alone: private
 * talks, notes, the recording light, removal and the end. No LiveKit server runs here: the
 * browser's video cannot connect (the room says so), and the server's calls to LiveKit go to a
 * stand-in that records them, so the roster and the pages are what is tested.
 */
const lab = usePhoneLab({
  fakeMedia: true,
  system: async () => ({
    video: { url: `ws://127.0.0.1:${await closedPort()}`, apiKey: 'devkey', apiSecret: 'secret' },
  }),
})
const { openPhone, staffCookie, apiCall, signInOverApi } = lab

/** Room control calls LiveKit after the roster is written: here they succeed and are counted. */
const liveKitCalls: string[] = []
beforeEach(() => {
  liveKitCalls.length = 0
  const deps = lab.system.deps
  const real = deps.video as VideoService & { standIn?: true }
  if (real.standIn) return
  deps.video = Object.assign(
    {
      ...real,
      async setPermission() {
        liveKitCalls.push('setPermission')
      },
      async remove() {
        liveKitCalls.push('remove')
      },
      async mute() {
        liveKitCalls.push('mute')
      },
      async endRoom() {
        liveKitCalls.push('endRoom')
      },
      async startRecording() {
        liveKitCalls.push('startRecording')
        return 'EG_standin'
      },
      async stopRecording() {
        liveKitCalls.push('stopRecording')
      },
    } satisfies VideoService,
    { standIn: true as const },
  )
})

interface Participant {
  id: string
  role: string
  side?: string
}

/**
 * The respondent's phone in the room: signed in, past the device check and the waiting room,
 * let in by the mediator over the API. Returns the page and the mediator's session cookie.
 */
async function respondentInRoom(c: MediationCase, sessionId: string) {
  const mediator = await staffCookie('mediator1')
  const party = await openPhone()
  await useCookie(lab, party, await signInOverApi(c.respondentPhone))
  await party.goto(`${lab.system.url}/sessions/${sessionId}`)
  await party.getByRole('button', { name: '进入等候室' }).click()
  await party.getByRole('heading', { name: '等候室' }).waitFor()
  const respondent = (await participants(mediator, sessionId)).find(
    (p) => p.role === 'party' && p.side === 'respondent',
  )
  if (!respondent) throw new Error('no respondent in the roster')
  await drive(mediator, sessionId, { action: 'admit', participantId: respondent.id })
  await party.getByRole('heading', { name: '调解室' }).waitFor()
  return { party, mediator, respondent }
}

async function participants(cookie: string, sessionId: string): Promise<Participant[]> {
  const res = await apiCall(cookie, 'GET', `/api/sessions/${sessionId}`)
  expect(res.status).toBe(200)
  return ((await res.json()) as { participants: Participant[] }).participants
}

/** The mediator's controls, from another computer. */
async function drive(cookie: string, sessionId: string, body: Record<string, string>) {
  const res = await apiCall(cookie, 'POST', `/api/sessions/${sessionId}/control`, body)
  expect(res.status, await res.clone().text()).toBe(200)
}

/** The party's page polls every 3 s: what the mediator did shows within a few polls. */
const soon = { timeout: 15_000 }

const notice = (page: Page, text: string) => page.locator('.room-notices').getByText(text)

describe('a party’s video page follows what the mediator does', () => {
  it('tells a party held out of a private talk to wait, and the one in it that the other side cannot hear', async () => {
    const c = await caseInMediation(lab, '13630000001', '13730000001')
    const sessionId = await schedule(lab, c.id, 5)
    const { party, mediator } = await respondentInRoom(c, sessionId)
    const held = notice(party, '调解员正在与另一方单独沟通，请稍候。')
    const mine = notice(party, '您正在与调解员单独沟通，另一方听不到。')
    expect(await held.count()).toBe(0)

    await drive(mediator, sessionId, { action: 'caucus', side: 'applicant' })
    await held.waitFor(soon)
    expect(await mine.count()).toBe(0)
    expect(await noSidewaysScroll(party)).toBe(true)
    await shot(party, 'v07-held-during-caucus')

    await drive(mediator, sessionId, { action: 'caucus', side: 'respondent' })
    await mine.waitFor(soon)
    expect(await held.count()).toBe(0)

    await drive(mediator, sessionId, { action: 'end_caucus' })
    await mine.waitFor({ state: 'detached', ...soon })
    expect(await held.count()).toBe(0)
    expect(lab.problems).toEqual([])
  })

  it('shows the party what the mediator writes in the notes, with the time', async () => {
    const c = await caseInMediation(lab, '13630000002', '13730000002')
    const sessionId = await schedule(lab, c.id, 5)
    const { party, mediator } = await respondentInRoom(c, sessionId)
    const notes = party.locator('.notes-card')
    await notes.getByText('调解员还没有写记录。').waitFor()
    // The party cannot write in them.
    expect(await notes.locator('textarea').count()).toBe(0)

    const text = '1. 刘某承认拖欠工资八千元。\n2. 双方同意分两次付清。'
    const saved = await apiCall(mediator, 'PUT', `/api/sessions/${sessionId}/notes`, { text })
    expect(saved.status).toBe(200)
    await notes.locator('.shared-notes').waitFor(soon)
    expect(await notes.locator('.shared-notes').innerText()).toBe(text)
    expect(await notes.getByText(/^更新于 \d{2}:\d{2}$/).count()).toBe(1)
    expect(lab.problems).toEqual([])
  })

  it('lights the recording indicator for the party while recording, and puts it out when stopped', async () => {
    const c = await caseInMediation(lab, '13630000003', '13730000003')
    const sessionId = await schedule(lab, c.id, 5)
    // Both parties agree on their own phones (over the API here).
    for (const phone of [c.applicantPhone, c.respondentPhone]) {
      const res = await apiCall(await signInOverApi(phone), 'POST', `/api/sessions/${sessionId}/consent`, {
        recording: true,
      })
      expect(res.status).toBe(200)
    }
    const { party, mediator } = await respondentInRoom(c, sessionId)
    const light = party.locator('.recording-light')
    expect(await light.count()).toBe(0)

    await drive(mediator, sessionId, { action: 'start_recording' })
    await light.waitFor(soon)
    expect(await light.getAttribute('role')).toBe('status')
    expect(await light.innerText()).toBe('正在录像')
    expect(liveKitCalls).toContain('startRecording')
    await shot(party, 'v08-recording-light')

    await drive(mediator, sessionId, { action: 'stop_recording' })
    await light.waitFor({ state: 'detached', ...soon })
    expect(liveKitCalls).toContain('stopRecording')
    expect(lab.problems).toEqual([])
  })

  it('tells a removed party they were removed, and lets them back to their case only', async () => {
    const c = await caseInMediation(lab, '13630000004', '13730000004')
    const sessionId = await schedule(lab, c.id, 5)
    const { party, mediator, respondent } = await respondentInRoom(c, sessionId)

    await drive(mediator, sessionId, { action: 'remove', participantId: respondent.id })
    await party.getByRole('heading', { name: '您已被请出调解室' }).waitFor(soon)
    expect(await party.getByRole('alert').filter({ hasText: '如有疑问，请联系调解员。' }).count()).toBe(1)
    expect(await party.locator('video').count()).toBe(0)
    expect(await party.getByRole('link', { name: '查看案件' }).getAttribute('href')).toBe(`/cases/${c.id}`)
    expect(liveKitCalls).toContain('remove')
    // Coming back does not lead in again.
    await party.reload()
    await party.getByRole('heading', { name: '您已被请出调解室' }).waitFor()
    expect(await party.getByRole('button', { name: '进入等候室' }).count()).toBe(0)
    expect(lab.problems).toEqual([])
  })

  it('shows the end to the party, and the case timeline tells the session in words', async () => {
    const c = await caseInMediation(lab, '13630000005', '13730000005')
    const sessionId = await schedule(lab, c.id, 5)
    const { party, mediator } = await respondentInRoom(c, sessionId)
    await drive(mediator, sessionId, { action: 'caucus', side: 'applicant' })
    await drive(mediator, sessionId, { action: 'end_caucus' })

    await drive(mediator, sessionId, { action: 'end' })
    await party.getByRole('heading', { name: '调解已结束' }).waitFor(soon)
    expect(await party.getByRole('status').filter({ hasText: '本次视频调解已经结束' }).count()).toBe(1)
    expect(await party.locator('video').count()).toBe(0)
    expect(liveKitCalls).toContain('endRoom')
    await shot(party, 'v09-session-ended')

    await party.getByRole('link', { name: '查看案件' }).click()
    await party.waitForURL(`${lab.system.url}/cases/${c.id}`)
    const timeline = party.locator('.timeline')
    await timeline.waitFor()
    const lines = await timeline.locator('.timeline-text').allInnerTexts()
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^工作人员安排了视频调解：\d{4}年\d{1,2}月\d{1,2}日.* \d{2}:\d{2}（北京时间）$/,
        ),
        '工作人员请被申请人进入调解室',
        '工作人员开始与申请人单独沟通',
        '工作人员结束了单独沟通',
        '工作人员结束了视频调解',
      ]),
    )
    // Nothing fell through to the catch-all words.
    expect(lines).not.toContain('案件有新的进展')
    await timeline.screenshot({ path: join(screenshots, 'v10-case-timeline-video.png') })

    // The same in English.
    await party.getByRole('button', { name: 'Switch to English' }).click()
    await timeline.getByText('Staff let the respondent into the room').waitFor()
    expect(await timeline.getByText('Staff began a private talk with the applicant').count()).toBe(1)
    expect(lab.problems).toEqual([])
  })
})
