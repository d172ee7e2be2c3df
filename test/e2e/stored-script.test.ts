import { describe, expect, it } from 'vitest'
import { usePhoneLab } from './support.ts'

/**
 * Stored script: what a citizen types is shown to staff and to the other party. Hostile text is
 * stored as given and shown as text — it never runs in anybody's portal.
 */
const lab = usePhoneLab()
const { openPhone, signInThroughForm, staffSignIn, signInOverApi } = lab

const ATTACK = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'

describe('hostile text in a case', () => {
  it('is shown literally to the applicant and to the mediator, and runs nowhere', async () => {
    const phone = '13922220001'
    const cookie = await signInOverApi(phone)
    const res = await fetch(`${lab.system.url}/api/cases`, {
      method: 'POST',
      headers: {
        cookie,
        'content-type': 'application/json',
        origin: lab.system.url,
        'idempotency-key': 'stored-script-1',
      },
      body: JSON.stringify({
        disputeType: 'neighbour',
        description: `楼上漏水。${ATTACK}`,
        location: { district: '滨河区', street: '城东街道', address: ATTACK.slice(0, 100) },
        respondent: { name: '<b onmouseover=alert(1)>王</b>' },
        desiredOutcome: `修好${ATTACK}`.slice(0, 400),
        meetingPreference: 'either',
      }),
    })
    expect(res.status).toBe(201)
    const { id } = await res.json()

    const citizen = await openPhone()
    const dialogs: string[] = []
    citizen.on('dialog', (d) => {
      dialogs.push(d.message())
      void d.dismiss()
    })
    await citizen.goto(`${lab.system.url}/cases/${id}`)
    await signInThroughForm(citizen, phone)
    await citizen.getByText('window.__pwned=2', { exact: false }).first().waitFor()
    expect(await citizen.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined()
    expect(await citizen.locator('main img[src="x"], main script').count()).toBe(0)

    const staff = await openPhone()
    staff.on('dialog', (d) => {
      dialogs.push(d.message())
      void d.dismiss()
    })
    await staff.goto(`${lab.system.url}/staff/cases/${id}`)
    await staffSignIn(staff, 'mediator1')
    await staff.getByText('window.__pwned=2', { exact: false }).first().waitFor()
    await staff.getByText('<b onmouseover=alert(1)>王</b>', { exact: false }).first().hover()
    expect(await staff.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined()
    expect(await staff.locator('main img[src="x"], main script, main b').count()).toBe(0)
    expect(dialogs).toEqual([])
    expect(lab.problems).toEqual([])
  })
})
