import { describe, expect, it } from 'vitest'
import { maskText } from '../../functions/adapters/log.ts'
import { loadConfig } from '../../functions/config.ts'
import { stableJson } from '../../functions/domain/cases.ts'
import { errorMessage, errorMessages, localeFrom } from '../../functions/domain/messages.ts'
import { maskPhone, normalizePhone } from '../../functions/domain/phone.ts'

describe('phone numbers', () => {
  it.each([
    ['138 0013 8000', '13800138000'],
    ['+8613800138000', '13800138000'],
    ['0086-138-0013-8000', '13800138000'],
  ])('normalises %s', (raw, expected) => {
    expect(normalizePhone(raw)).toBe(expected)
  })
  it('masks the middle four digits', () => {
    expect(maskPhone('13800138000')).toBe('138****8000')
  })
})

describe('logs never carry personal data', () => {
  it('masks mobile numbers and ID numbers inside any text', () => {
    const line = '{"msg":"call from 13800138000 about 11010519491231002X and 110105194912310021"}'
    const masked = maskText(line)
    expect(masked).not.toContain('13800138000')
    expect(masked).not.toContain('11010519491231002X')
    expect(masked).toContain('138****8000')
    expect(masked).toContain('110105********002X')
  })
  it('leaves ordinary numbers alone', () => {
    expect(maskText('took 1234 ms, case TJ-2026-000123')).toBe('took 1234 ms, case TJ-2026-000123')
  })
})

describe('messages', () => {
  it('every error code has both languages', () => {
    expect(Object.keys(errorMessages.en).sort()).toEqual(Object.keys(errorMessages['zh-CN']).sort())
  })
  it('picks the language from Accept-Language, Chinese by default', () => {
    expect(localeFrom(undefined)).toBe('zh-CN')
    expect(localeFrom('en-US,en;q=0.9')).toBe('en')
    expect(localeFrom('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN')
  })
  it('an unknown code falls back to the generic message', () => {
    expect(errorMessage('no.such.code', 'en')).toBe(errorMessages.en.internal)
  })
})

describe('stableJson', () => {
  it('is the same whatever the key order', () => {
    expect(stableJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: 'x' } })).toBe(
      stableJson({ a: { c: 'x', d: [1, { x: 1, y: 2 }] }, b: 1 }),
    )
  })
  it('differs when a value differs', () => {
    expect(stableJson({ a: 1 })).not.toBe(stableJson({ a: 2 }))
  })
})

describe('configuration', () => {
  const base = { TABLE_NAME: 'jiefen', JIEFEN_SECRET: 'x'.repeat(40), EVIDENCE_BUCKET: 'bucket' }
  it('reads stage time limits', () => {
    expect(loadConfig({ ...base, STAGE_DAYS: 'submitted=2,in_mediation=45' }).stageDays).toEqual({
      submitted: 2,
      in_mediation: 45,
    })
  })
  it('refuses a malformed setting by name, without its value', () => {
    expect(() => loadConfig({ ...base, STAGE_DAYS: 'submitted=soon' })).toThrow(/STAGE_DAYS/)
    expect(() => loadConfig({ ...base, JIEFEN_SECRET: 'short-secret-value' })).toThrow(
      /^(?!.*short-secret-value)/,
    )
  })
  it('needs the table name', () => {
    expect(() => loadConfig({ JIEFEN_SECRET: 'x'.repeat(40), EVIDENCE_BUCKET: 'b' })).toThrow(/TABLE_NAME/)
  })
})
