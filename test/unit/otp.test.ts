import { describe, expect, it } from 'vitest'
import { assertMaySend, issued, OTP_POLICY, verify } from '../../functions/domain/otp.ts'

const t0 = new Date('2026-11-23T08:00:00Z')
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000)

describe('OTP rules', () => {
  it('a new code lives five minutes', () => {
    const state = issued(undefined, 'h', t0)
    expect(state.expiresAt).toBe(at(300).toISOString())
    expect(verify(state, 'h', at(299)).ok).toBe(true)
    const late = verify(state, 'h', at(300))
    expect(late.ok).toBe(false)
    expect(!late.ok && late.error.code).toBe('auth.otp_expired')
  })

  it('a resend is refused for 60 seconds with the seconds left', () => {
    const state = issued(undefined, 'h', t0)
    expect(() => assertMaySend(state, at(59))).toThrow(
      expect.objectContaining({ code: 'auth.otp_too_soon', retryAfter: 1 }),
    )
    expect(() => assertMaySend(state, at(60))).not.toThrow()
  })

  it('the fifth wrong code locks for fifteen minutes', () => {
    let state = issued(undefined, 'h', t0)
    for (let i = 1; i <= OTP_POLICY.maxWrongTries; i++) {
      const out = verify(state, 'wrong', at(i))
      expect(out.ok).toBe(false)
      if (!out.ok && out.next) state = out.next
    }
    expect(state.lockedUntil).toBe(at(5 + 900).toISOString())
    expect(verify(state, 'h', at(10)).ok).toBe(false)
  })

  it('a resend during a lock-out keeps the lock and the count', () => {
    const locked = { ...issued(undefined, 'h', t0), wrongTries: 5, lockedUntil: at(900).toISOString() }
    expect(() => assertMaySend(locked, at(100))).toThrow(expect.objectContaining({ code: 'auth.otp_locked' }))
    expect(issued(locked, 'h2', at(100)).wrongTries).toBe(5)
    expect(issued(locked, 'h2', at(901)).wrongTries).toBe(0)
  })

  it('no stored code means invalid, not a crash', () => {
    const out = verify(undefined, 'h', t0)
    expect(!out.ok && out.error.code).toBe('auth.otp_invalid')
  })
})
