import { beforeAll, describe, expect, it } from 'vitest'
import { runJobs } from '../../functions/domain/jobs.ts'
import { makeSystem, newKey, validCase } from './harness.ts'

/**
 * A text that reports a committed write (an invitation, a reminder, a result) may fail at the SMS
 * service. The write stands and the caller hears success: a 500 would make a client retry what
 * already happened, and stop the scheduled job's run for every case after it. Codes someone
 * waits for still fail visibly.
 */
type System = Awaited<ReturnType<typeof makeSystem>>
let sys: System
let failing = false
const RESPONDENT = '13900005555'

beforeAll(async () => {
  sys = await makeSystem({ seedStaff: true })
  const send = sys.deps.sms.send.bind(sys.deps.sms)
  sys.deps.sms.send = async (phone, text) => {
    if (failing && phone === RESPONDENT) throw new Error(`SNS: invalid parameter PhoneNumber ${phone}`)
    return send(phone, text)
  }
})

async function filed() {
  const applicant = await sys.signIn('13300005555')
  const res = await sys.call('POST', '/api/cases', {
    cookie: applicant,
    body: { ...validCase(), respondent: { name: '王某', phone: RESPONDENT } },
    headers: { 'idempotency-key': newKey() },
  })
  expect(res.status).toBe(201)
  return (await res.json()).id as string
}

describe('an SMS that fails after its write', () => {
  it('accepting a case whose invitation cannot be texted still answers 200, and the case moved once', async () => {
    const id = await filed()
    const mediator = await sys.staffSignIn('mediator1')
    const { version } = await (await sys.call('GET', `/api/cases/${id}`, { cookie: mediator })).json()
    failing = true
    try {
      const res = await sys.call('POST', `/api/cases/${id}/actions`, {
        cookie: mediator,
        body: { action: 'accept', expectedVersion: version, mediatorId: 'mediator1' },
      })
      expect(res.status).toBe(200)
      expect((await res.json()).status).toBe('awaiting_consent')
    } finally {
      failing = false
    }
    const line = sys.logs.find((l) => l.includes('SMS failed after its write'))
    expect(line).toContain('invitation')
    // Masked like every log line.
    expect(line).not.toContain(RESPONDENT)
  })

  it('the scheduled job goes on past a reminder it cannot send', async () => {
    failing = true
    try {
      sys.clock.set(new Date(sys.clock.now().getTime() + 86400_000 + 60_000))
      const report = await runJobs(sys.deps)
      expect(report.reminders).toBeGreaterThanOrEqual(1)
    } finally {
      failing = false
    }
    expect(sys.logs.some((l) => l.includes('SMS failed after its write') && l.includes('reminder'))).toBe(
      true,
    )
  })

  it('a sign-in code that cannot be texted still fails visibly: the person is waiting for it', async () => {
    failing = true
    try {
      const res = await sys.call('POST', '/api/auth/otp', { body: { phone: RESPONDENT } })
      expect(res.status).toBeGreaterThanOrEqual(500)
    } finally {
      failing = false
    }
  })
})
