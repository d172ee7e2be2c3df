import { readFileSync } from 'node:fs'
import { expect } from 'vitest'
import type { usePhoneLab } from './support.ts'

type Lab = ReturnType<typeof usePhoneLab>

export const MINUTE = 60_000

export interface MediationCase {
  id: string
  applicantPhone: string
  respondentPhone: string
}

/**
 * A case in mediation, made over the API as the staff and parties would: police register a 110
 * call, the committee accepts it for mediator1, the respondent agrees.
 */
export async function caseInMediation(
  lab: Lab,
  applicantPhone: string,
  respondentPhone: string,
): Promise<MediationCase> {
  const { staffCookie, apiCall, signInOverApi } = lab
  const police = await staffCookie('police1')
  const registered = await apiCall(
    police,
    'POST',
    '/api/intake',
    {
      route: 'transfer',
      call: {
        number: `110-${respondentPhone}`,
        time: '2026-10-05T20:15:00+08:00',
        callerName: '周女士',
        callerPhone: applicantPhone,
      },
      dispute: {
        disputeType: 'wage_arrears',
        description: '在工地干了三个月，老板一直拖欠工资八千元，多次讨要没有结果，双方在工地争吵。',
        location: { district: '滨河区', street: '城东街道', address: '幸福路20号' },
        respondent: { name: '包工头刘某', phone: respondentPhone },
        amountInDispute: 8000,
        desiredOutcome: '结清拖欠的工资',
        meetingPreference: 'either',
      },
    },
    { 'idempotency-key': `video-${respondentPhone}` },
  )
  expect(registered.status, await registered.clone().text()).toBe(201)
  const { id } = (await registered.json()) as { id: string }
  const admin = await staffCookie('admin1')
  const accepted = await apiCall(admin, 'POST', `/api/cases/${id}/actions`, {
    action: 'accept',
    expectedVersion: 1,
    mediatorId: 'mediator1',
  })
  expect(accepted.status).toBe(200)
  const { version } = (await accepted.json()) as { version: number }
  const respondent = await signInOverApi(respondentPhone)
  const agreed = await apiCall(respondent, 'POST', `/api/cases/${id}/actions`, {
    action: 'respond',
    expectedVersion: version,
    agreed: true,
  })
  expect(agreed.status).toBe(200)
  expect(((await agreed.json()) as { status: string }).status).toBe('in_mediation')
  return { id, applicantPhone, respondentPhone }
}

/** mediator1 schedules a session starting this many minutes from now; returns its id. */
export async function schedule(lab: Lab, caseId: string, inMinutes: number): Promise<string> {
  const mediator = await lab.staffCookie('mediator1')
  const res = await lab.apiCall(mediator, 'POST', `/api/cases/${caseId}/sessions`, {
    startsAt: new Date(Date.now() + inMinutes * MINUTE).toISOString(),
    durationMinutes: 60,
  })
  expect(res.status).toBe(201)
  return ((await res.json()) as { id: string }).id
}

/** A photo uploaded to a case over the API, as the portal does it, and checked by the server. */
export async function uploadPhoto(lab: Lab, cookie: string, caseId: string): Promise<string> {
  const photo = readFileSync(new URL('../fixtures/photo.jpg', import.meta.url))
  const ticketRes = await lab.apiCall(cookie, 'POST', `/api/cases/${caseId}/evidence`, {
    fileName: 'gongzi.jpg',
    contentType: 'image/jpeg',
    size: photo.length,
  })
  expect(ticketRes.status, await ticketRes.clone().text()).toBe(201)
  const ticket = (await ticketRes.json()) as {
    evidenceId: string
    upload: { url: string; fields: Record<string, string> }
  }
  const form = new FormData()
  for (const [k, v] of Object.entries(ticket.upload.fields)) form.append(k, v)
  form.append('file', new Blob([photo], { type: 'image/jpeg' }), 'gongzi.jpg')
  const stored = await fetch(ticket.upload.url, { method: 'POST', body: form })
  expect(stored.status).toBeLessThan(300)
  await lab.apiCall(cookie, 'POST', `/api/cases/${caseId}/evidence/${ticket.evidenceId}/complete`)
  for (let i = 0; i < 100; i++) {
    const list = (await (await lab.apiCall(cookie, 'GET', `/api/cases/${caseId}/evidence`)).json()) as {
      items: { evidenceId: string; status: string }[]
    }
    const item = list.items.find((x) => x.evidenceId === ticket.evidenceId)
    if (item?.status === 'verified') return ticket.evidenceId
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error('the photo was not verified')
}

/** Puts a session cookie ("name=value") into a phone's browser, as if it had signed in there. */
export async function useCookie(lab: Lab, page: import('playwright-core').Page, cookie: string) {
  const [name, value] = cookie.split('=') as [string, string]
  await page.context().addCookies([{ name, value, url: lab.system.url }])
}
