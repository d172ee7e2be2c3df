import { describe, expect, it } from 'vitest'
import {
  chased,
  type Department,
  dueDate,
  endOfChinaDay,
  isOverdue,
  MAX_CHASES,
  newReferral,
  withReply,
} from '../../functions/domain/referral.ts'

const department: Department = {
  id: 'D1',
  jurisdiction: '滨河区',
  kind: 'court',
  name: '滨河区人民法院',
  contactPhone: '13700137001',
  defaultDays: 15,
  active: true,
  updatedAt: '2026-11-01T00:00:00.000Z',
}
// 16:30 UTC on 23 Nov is 00:30 on the 24th in China.
const now = new Date('2026-11-23T16:30:00.000Z')

const referral = () =>
  newReferral({
    id: 'R1',
    caseId: 'C1',
    caseNumber: 'TJ-2026-000001',
    jurisdiction: '滨河区',
    area: '城东街道',
    department,
    input: { departmentId: 'D1', kind: 'case', message: '请法院协助司法确认。', shareParties: false },
    dueOn: '2026-11-30',
    by: { username: 'mediator1', name: '张调解员' },
    dedupeKey: 'k',
    now,
  })

describe('due dates', () => {
  it('are China dates: the default counts from China’s today, and a due day ends at China midnight', () => {
    expect(dueDate({}, department, now)).toBe('2026-12-09')
    expect(endOfChinaDay('2026-11-30')).toBe('2026-11-30T16:00:00.000Z')
  })

  it('refuses yesterday (in China) and more than 60 days ahead; accepts today', () => {
    expect(() => dueDate({ dueOn: '2026-11-23' }, department, now)).toThrow('referral.due_range')
    expect(dueDate({ dueOn: '2026-11-24' }, department, now)).toBe('2026-11-24')
    expect(dueDate({ dueOn: '2027-01-23' }, department, now)).toBe('2027-01-23')
    expect(() => dueDate({ dueOn: '2027-01-24' }, department, now)).toThrow('referral.due_range')
  })
})

describe('replies and chasing', () => {
  it('the first reply answers, a final one closes, and a closed referral takes no more', () => {
    const r = referral()
    const answered = withReply(r, {
      at: '2026-11-25T01:00:00.000Z',
      outcome: 'in_progress',
      text: '已收到',
      responder: '甲',
    })
    expect(answered).toMatchObject({ status: 'answered', version: 2 })
    expect(answered.facts.answeredAt).toBe('2026-11-25T01:00:00.000Z')
    expect(answered.nextChaseAt).toBeUndefined()
    const closed = withReply(answered, {
      at: '2026-11-26T01:00:00.000Z',
      outcome: 'declined',
      text: '非本院管辖',
      responder: '甲',
    })
    expect(closed.status).toBe('closed')
    // The figures count the first answer, not the last.
    expect(closed.facts.answeredAt).toBe('2026-11-25T01:00:00.000Z')
    expect(() =>
      withReply(closed, { at: '2026-11-27T00:00:00.000Z', outcome: 'done', text: '补充', responder: '甲' }),
    ).toThrow('referral.closed')
  })

  it('overdue means past the due day without any answer', () => {
    const r = referral()
    expect(isOverdue(r, new Date('2026-11-30T15:59:59.000Z'))).toBe(false)
    expect(isOverdue(r, new Date('2026-11-30T16:00:00.000Z'))).toBe(true)
    const answered = withReply(r, {
      at: '2026-12-02T00:00:00.000Z',
      outcome: 'done',
      text: '已办结',
      responder: '甲',
    })
    expect(isOverdue(answered, new Date('2026-12-05T00:00:00.000Z'))).toBe(false)
  })

  it('each chase marks it overdue and schedules the next, until MAX_CHASES', () => {
    let r = referral()
    const at = new Date('2026-11-30T16:01:00.000Z')
    for (let i = 1; i <= MAX_CHASES; i++) {
      r = chased(r, at)
      expect(r.chases).toBe(i)
      expect(r.facts.overdue).toBe(true)
    }
    expect(r.nextChaseAt).toBeUndefined()
    const late = withReply(r, {
      at: '2026-12-10T00:00:00.000Z',
      outcome: 'done',
      text: '已办结',
      responder: '甲',
    })
    expect(late.facts.overdue).toBe(false)
  })
})
