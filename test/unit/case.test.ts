import { describe, expect, it } from 'vitest'
import { CreateCaseInput, caseNumber, caseView, fileCase } from '../../functions/domain/case.ts'
import { VisibleError } from '../../functions/domain/errors.ts'
import { fieldErrors } from '../../functions/domain/validation.ts'

const valid = {
  disputeType: 'neighbour',
  description: '楼上漏水，把我家厨房的吊顶泡坏了。',
  location: { district: '滨河区' },
  respondent: { name: '楼上住户' },
  desiredOutcome: '赔偿维修费用',
  meetingPreference: 'either',
}

const errors = (input: unknown) => {
  const parsed = CreateCaseInput.safeParse(input)
  return parsed.success ? {} : fieldErrors(parsed.error.issues)
}

describe('CreateCaseInput', () => {
  it('accepts a minimal neighbour dispute without an amount or respondent phone', () => {
    expect(CreateCaseInput.safeParse(valid).success).toBe(true)
  })

  it('trims text and normalises the respondent phone', () => {
    const parsed = CreateCaseInput.parse({
      ...valid,
      desiredOutcome: '  赔偿  ',
      respondent: { name: '张三', phone: '+86 139-0013-9000' },
    })
    expect(parsed.desiredOutcome).toBe('赔偿')
    expect(parsed.respondent.phone).toBe('13900139000')
  })

  it.each(['wage_arrears', 'contract_debt'])('requires the amount for %s', (disputeType) => {
    expect(errors({ ...valid, disputeType })).toEqual({ amountInDispute: 'validation.amount_required' })
  })

  it('does not require the amount for a family dispute', () => {
    expect(errors({ ...valid, disputeType: 'family' })).toEqual({})
  })

  it('refuses blank required text after trimming', () => {
    expect(errors({ ...valid, location: { district: '   ' } })).toEqual({
      'location.district': 'validation.required',
    })
  })

  it('refuses impossible dates', () => {
    expect(errors({ ...valid, occurredOn: '2026-13-45' })).toEqual({ occurredOn: 'validation.date' })
    expect(errors({ ...valid, occurredOn: '昨天' })).toEqual({ occurredOn: 'validation.date' })
  })

  it('refuses an unknown meeting preference', () => {
    expect(errors({ ...valid, meetingPreference: 'phone' })).toEqual({
      meetingPreference: 'validation.option',
    })
  })
})

describe('fileCase', () => {
  const args = {
    id: '01JF0000000000000000000000',
    number: 'TJ-2026-000001',
    applicantId: 'c1',
    applicantPhone: '13800138000',
    now: new Date('2026-11-23T08:00:00Z'),
  }

  it('files as submitted, version 1, with a filing event', () => {
    const { record, event } = fileCase({ ...args, input: CreateCaseInput.parse(valid) })
    expect(record).toMatchObject({ status: 'submitted', version: 1, createdAt: '2026-11-23T08:00:00.000Z' })
    expect(event).toEqual({
      at: '2026-11-23T08:00:00.000Z',
      type: 'case.filed',
      actorRole: 'citizen',
      to: 'submitted',
    })
  })

  it('refuses a date after today', () => {
    const input = CreateCaseInput.parse({ ...valid, occurredOn: '2026-11-24' })
    expect(() => fileCase({ ...args, input })).toThrow(VisibleError)
  })

  it("accepts today's date in China even while it is still yesterday in UTC", () => {
    const earlyMorningBeijing = new Date('2026-11-23T17:30:00Z') // 01:30 on the 24th in Beijing
    const input = CreateCaseInput.parse({ ...valid, occurredOn: '2026-11-24' })
    expect(fileCase({ ...args, now: earlyMorningBeijing, input }).record.input.occurredOn).toBe('2026-11-24')
  })

  it('says required, not too short, for an empty answer', () => {
    expect(errors({ ...valid, description: '' })).toEqual({ description: 'validation.required' })
  })

  it('accepts today', () => {
    const input = CreateCaseInput.parse({ ...valid, occurredOn: '2026-11-23' })
    expect(fileCase({ ...args, input }).record.input.occurredOn).toBe('2026-11-23')
  })

  it('shows the respondent phone masked', () => {
    const input = CreateCaseInput.parse({ ...valid, respondent: { name: '张三', phone: '13900139000' } })
    const view = caseView(fileCase({ ...args, input }).record, [], {
      relation: 'applicant',
      allowedActions: [],
      staff: false,
      now: args.now,
    })
    expect(view.respondent.phone).toBe('139****9000')
    expect(JSON.stringify(view)).not.toContain('13800138000')
  })
})

describe('caseNumber', () => {
  it('pads to six digits', () => {
    expect(caseNumber(2026, 123)).toBe('TJ-2026-000123')
  })
  it('grows past a million rather than wrapping', () => {
    expect(caseNumber(2026, 1234567)).toBe('TJ-2026-1234567')
  })
})
