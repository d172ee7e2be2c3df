import { describe, expect, it } from 'vitest'
import {
  checkExclusions,
  EXCLUSION_CODES,
  type ExclusionCode,
  ExclusionFlags,
  entrustable,
  exclusionMessages,
} from '../../functions/domain/exclusions.ts'
import { fieldErrors } from '../../functions/domain/validation.ts'

const calm = '双方因为停车位发生口角，对方推了我一下，想调解赔礼道歉。'
const suspectedCodes = (description: string) => checkExclusions({ description }).suspected.map((s) => s.code)

describe('flags the officer ticked: confirmed and authoritative', () => {
  it('nothing ticked and nothing in the text: not excluded, nothing to review', () => {
    const result = checkExclusions({ description: calm })
    expect(result).toEqual({ excluded: false, suspected: [] })
    expect(entrustable(result)).toBe(true)
  })

  it.each([
    ['hiredViolence', 'exclusion.hired_violence'],
    ['gangFight', 'exclusion.gang_fight'],
    ['pickingQuarrels', 'exclusion.picking_quarrels'],
    ['repeatedOffence', 'exclusion.repeated_offence'],
    ['provokedDuringMediation', 'exclusion.provoked_during_mediation'],
  ] as const)('%s excludes with %s, whatever the text says', (flag, code) => {
    const result = checkExclusions({ description: calm, flags: { [flag]: true } })
    expect(result).toEqual({ excluded: true, reasons: [code], suspected: [] })
    expect(entrustable(result)).toBe(false)
  })

  it('other unsuitable carries the officer’s reason', () => {
    expect(checkExclusions({ description: calm, flags: { otherUnsuitable: '一方系在逃人员' } })).toEqual({
      excluded: true,
      reasons: ['exclusion.other_unsuitable'],
      otherReason: '一方系在逃人员',
      suspected: [],
    })
  })

  it('a flag set to false excludes nothing', () => {
    expect(
      checkExclusions({ description: calm, flags: { gangFight: false, hiredViolence: false } }).excluded,
    ).toBe(false)
  })

  it('lists every confirmed reason, in the order of the rules', () => {
    const result = checkExclusions({
      description: calm,
      flags: { repeatedOffence: true, hiredViolence: true, otherUnsuitable: '涉及未成年人犯罪' },
    })
    expect(result.excluded && result.reasons).toEqual([
      'exclusion.hired_violence',
      'exclusion.repeated_offence',
      'exclusion.other_unsuitable',
    ])
  })

  it('the other-unsuitable reason must be a real reason', () => {
    const errors = (flags: unknown) => {
      const parsed = ExclusionFlags.safeParse(flags)
      return parsed.success ? {} : fieldErrors(parsed.error.issues)
    }
    expect(errors({ otherUnsuitable: '  ' })).toEqual({ otherUnsuitable: 'validation.required' })
    expect(errors({ otherUnsuitable: '不宜' })).toEqual({ otherUnsuitable: 'validation.too_short' })
    expect(errors({ gangFight: 'yes' })).toEqual({ gangFight: 'validation.type' })
    expect(errors({ murder: true })).toEqual({ murder: 'validation.unknown_field' })
    expect(errors({ otherUnsuitable: '案情重大复杂', gangFight: true })).toEqual({})
  })
})

describe('words in the description: suspected, for the officer to confirm or dismiss', () => {
  it.each([
    ['他花了两千块钱找了几个社会上的人来打我', 'exclusion.hired_violence'],
    ['对方雇人把我打了一顿', 'exclusion.hired_violence'],
    ['听说是他买凶报复', 'exclusion.hired_violence'],
    ['他请了几个打手在路口堵我', 'exclusion.hired_violence'],
    ['双方各叫了十几个人在村口打了起来', 'exclusion.gang_fight'],
    ['他纠集了几个朋友来我家闹', 'exclusion.gang_fight'],
    ['对方带了一帮人过来', 'exclusion.gang_fight'],
    ['两伙人在烧烤摊打成一团', 'exclusion.gang_fight'],
    ['一个不认识的男子突然冲上来打了我一拳', 'exclusion.picking_quarrels'],
    ['他喝了酒就在街上耍横', 'exclusion.picking_quarrels'],
    ['对方在菜市场无故挑衅，随意殴打摊主', 'exclusion.picking_quarrels'],
    ['派出所说这是寻衅滋事', 'exclusion.picking_quarrels'],
    ['他已经不是第一次打人了', 'exclusion.repeated_offence'],
    ['这个人屡次骚扰我们', 'exclusion.repeated_offence'],
    ['去年他就因为打人被行政处罚过', 'exclusion.repeated_offence'],
    ['昨天他又动手了', 'exclusion.repeated_offence'],
    ['调解时对方又开始骂人', 'exclusion.provoked_during_mediation'],
    ['上次在派出所调解的时候，他突然当场掀了桌子', 'exclusion.provoked_during_mediation'],
  ] as [string, ExclusionCode][])('%s → %s', (description, code) => {
    const result = checkExclusions({ description })
    expect(result.excluded).toBe(false)
    expect(result.suspected.map((s) => s.code)).toContain(code)
    expect(entrustable(result)).toBe(false)
  })

  it.each([
    '我找人打听了一下他的住址',
    '我们雇了人装修厨房',
    '他在打手机，没理我',
    '我多次打电话催他还钱',
    '他又打电话来问赔偿的事',
    '调解时又补充了一份证据',
    '这次不是寻衅滋事，就是邻里之间吵了几句',
    '我们没有找人打他',
    '双方都没有叫人，就是两个人吵架',
    calm,
  ])('nothing suspected in: %s', (description) => {
    expect(suspectedCodes(description)).toEqual([])
  })

  it('gives the words that raised the suspicion', () => {
    expect(checkExclusions({ description: '对方带了一帮人过来' }).suspected).toEqual([
      { code: 'exclusion.gang_fight', evidence: '带了一帮人' },
    ])
  })

  it('text alone never excludes, however many concepts it mentions', () => {
    const result = checkExclusions({ description: '他雇人打我，还纠集了一帮人，调解时又动手了。' })
    expect(result.excluded).toBe(false)
    expect(result.suspected.map((s) => s.code)).toEqual([
      'exclusion.hired_violence',
      'exclusion.gang_fight',
      'exclusion.repeated_offence',
      'exclusion.provoked_during_mediation',
    ])
  })

  it('a suspicion the officer has confirmed is not listed again as suspected', () => {
    const result = checkExclusions({
      description: '对方带了一帮人过来，还说雇人打我',
      flags: { gangFight: true },
    })
    expect(result).toEqual({
      excluded: true,
      reasons: ['exclusion.gang_fight'],
      suspected: [{ code: 'exclusion.hired_violence', evidence: '雇人打' }],
    })
  })
})

describe('messages', () => {
  it('every code has a refusal message in every language', () => {
    for (const table of Object.values(exclusionMessages)) {
      for (const code of EXCLUSION_CODES) expect(table[code].length).toBeGreaterThan(4)
      expect(table['exclusion.review_required'].length).toBeGreaterThan(4)
    }
    expect(exclusionMessages['zh-CN']['exclusion.hired_violence']).toBe('雇凶伤害他人的案件不适用治安调解')
  })
})
