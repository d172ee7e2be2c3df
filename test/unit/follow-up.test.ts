import { describe, expect, it } from 'vitest'
import type { CaseRecord } from '../../functions/domain/case.ts'
import {
  awaitsAnswers,
  FollowUpAnswerInput,
  queueFollowUp,
  scheduleFollowUps,
} from '../../functions/domain/follow-up.ts'
import { allowedActions, transition } from '../../functions/domain/workflow.ts'

const signedAt = new Date('2026-11-23T15:30:00Z')
const schedule = (instalments: { amount: number; dueOn: string }[] = []) =>
  scheduleFollowUps({
    caseId: 'C1',
    caseNumber: 'TJ-2026-000001',
    orgId: 'room',
    jurisdiction: '滨河区',
    signedAt,
    content: instalments.length ? { payment: { payer: 'respondent', total: 1, instalments } } : {},
  })

describe('scheduling follow-ups', () => {
  it('without payment terms: 7 and 30 days after signing, to the minute', () => {
    expect(schedule().map((f) => [f.id, f.dueAt])).toEqual([
      ['d7', '2026-11-30T15:30:00.000Z'],
      ['d30', '2026-12-23T15:30:00.000Z'],
    ])
  })

  it('instalments are asked about at 20:00 China time on their due date, in date order', () => {
    const list = schedule([
      { amount: 100, dueOn: '2026-12-01' },
      { amount: 200, dueOn: '2027-02-01' },
    ])
    expect(list.map((f) => f.id)).toEqual(['d7', 'i1', 'd30', 'i2'])
    expect(list.find((f) => f.id === 'i1')?.dueAt).toBe('2026-12-01T12:00:00.000Z')
  })

  it('an instalment already due at signing is not asked about', () => {
    const list = schedule([
      { amount: 100, dueOn: '2026-11-23' },
      { amount: 200, dueOn: '2026-12-23' },
    ])
    expect(list.map((f) => f.id)).toEqual(['d7', 'i2', 'd30'])
  })

  it('a sent follow-up awaits answers until every texted party answered', () => {
    const [f] = schedule()
    if (!f) throw new Error('none')
    const sent = { ...f, status: 'sent' as const, parties: ['applicant' as const, 'respondent' as const] }
    expect(awaitsAnswers(sent)).toBe(true)
    expect(queueFollowUp({ ...sent, answeredBy: ['respondent'] }).awaiting).toEqual(['applicant'])
    expect(awaitsAnswers({ ...sent, answeredBy: ['respondent', 'applicant'] })).toBe(false)
    expect(awaitsAnswers({ ...sent, status: 'skipped' })).toBe(false)
  })
})

describe('the answer', () => {
  it('takes a score from 1 to 5 and no other fields', () => {
    expect(FollowUpAnswerInput.safeParse({ carriedOut: 'partly', satisfaction: 3 }).success).toBe(true)
    for (const bad of [
      { carriedOut: 'partly', satisfaction: 3.5 },
      { carriedOut: 'partly', satisfaction: 6 },
      { carriedOut: 'maybe', satisfaction: 3 },
      { carriedOut: 'yes', satisfaction: 3, phone: '13800138000' },
    ])
      expect(FollowUpAnswerInput.safeParse(bad).success).toBe(false)
  })
})

describe('reopening (反弹)', () => {
  const resolved = {
    id: 'C1',
    number: 'TJ-2026-000001',
    status: 'resolved',
    version: 7,
    riskLevel: 'yellow',
    riskSince: '2026-10-01T00:00:00.000Z',
    orgId: 'room',
    mediatorId: 'mediator1',
    outcome: { kind: 'resolved', reason: '各方已签署' },
    input: { respondent: { name: '王某' }, disputeType: 'wage_arrears', location: { district: '滨河区' } },
  } as unknown as CaseRecord
  const system = { kind: 'system' as const, name: 'follow-up' }

  it('the system takes a resolved case back to mediation at orange risk, on the timeline as the system', () => {
    const now = new Date('2026-12-01T00:00:00Z')
    const { next, event } = transition(
      system,
      'handling_org',
      resolved,
      { action: 'reopen', expectedVersion: 7, reason: '回访反映协议未履行' },
      { now, actorId: 'system' },
    )
    expect(next).toMatchObject({
      status: 'in_mediation',
      version: 8,
      riskLevel: 'orange',
      outcome: undefined,
    })
    expect(next.riskSince).toBe(now.toISOString())
    expect(event).toMatchObject({
      type: 'case.reopen',
      actorRole: 'system',
      from: 'resolved',
      to: 'in_mediation',
    })
  })

  it('a red case stays red', () => {
    const { next } = transition(
      system,
      'handling_org',
      { ...resolved, riskLevel: 'red' },
      { action: 'reopen', expectedVersion: 7, reason: '回访反映协议未履行' },
      { now: new Date(), actorId: 'system' },
    )
    expect(next.riskLevel).toBe('red')
  })

  it('only resolved cases reopen, and parties may not reopen them', () => {
    expect(allowedActions(system, 'handling_org', { ...resolved, status: 'failed' })).not.toContain('reopen')
    const citizen = { kind: 'citizen' as const, citizenId: 'x', phone: '13800138000' }
    expect(allowedActions(citizen, 'applicant', resolved)).not.toContain('reopen')
  })
})
