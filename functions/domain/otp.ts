import { z } from 'zod'
import { VisibleError } from './errors.ts'
import { Phone } from './phone.ts'

/** The rules the foundation issue sets for SMS codes. */
export const OTP_POLICY = {
  digits: 6,
  ttlSeconds: 5 * 60,
  maxWrongTries: 5,
  lockSeconds: 15 * 60,
  resendAfterSeconds: 60,
} as const

export const RequestOtpInput = z.strictObject({ phone: Phone }).meta({ id: 'RequestOtpInput' })
export const VerifyOtpInput = z
  .strictObject({
    phone: Phone,
    code: z.string({ error: 'validation.required' }).regex(/^\d{6}$/, { error: 'validation.otp_format' }),
  })
  .meta({ id: 'VerifyOtpInput' })

/** What is stored per phone number; the code itself only as a hash. */
export interface OtpState {
  codeHash: string
  sentAt: string
  expiresAt: string
  wrongTries: number
  lockedUntil?: string
}

const seconds = (from: Date, to: Date) => Math.ceil((to.getTime() - from.getTime()) / 1000)

/** May a new code be sent now? Throws the reason when not. */
export function assertMaySend(state: OtpState | undefined, now: Date): void {
  if (!state) return
  if (state.lockedUntil && new Date(state.lockedUntil) > now) {
    throw new VisibleError(
      'rate_limited',
      'auth.otp_locked',
      undefined,
      undefined,
      seconds(now, new Date(state.lockedUntil)),
    )
  }
  const resendAt = new Date(new Date(state.sentAt).getTime() + OTP_POLICY.resendAfterSeconds * 1000)
  if (resendAt > now) {
    throw new VisibleError('rate_limited', 'auth.otp_too_soon', undefined, undefined, seconds(now, resendAt))
  }
}

/** The state after sending a fresh code. A lock-out outlives a resend: wrong tries are not reset by it. */
export function issued(previous: OtpState | undefined, codeHash: string, now: Date): OtpState {
  const lockedOver = !previous?.lockedUntil || new Date(previous.lockedUntil) <= now
  return {
    codeHash,
    sentAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + OTP_POLICY.ttlSeconds * 1000).toISOString(),
    wrongTries: lockedOver ? 0 : (previous?.wrongTries ?? 0),
  }
}

export type VerifyOutcome = { ok: true } | { ok: false; next?: OtpState; error: VisibleError }

/**
 * Checks a code against the stored state. A wrong code counts; the fifth wrong one locks the
 * number for 15 minutes. A used code is deleted by the caller, so it works once.
 */
export function verify(state: OtpState | undefined, codeHash: string, now: Date): VerifyOutcome {
  if (!state) return { ok: false, error: new VisibleError('input', 'auth.otp_invalid') }
  if (state.lockedUntil && new Date(state.lockedUntil) > now) {
    const err = new VisibleError(
      'rate_limited',
      'auth.otp_locked',
      undefined,
      undefined,
      seconds(now, new Date(state.lockedUntil)),
    )
    return { ok: false, next: state, error: err }
  }
  if (new Date(state.expiresAt) <= now) {
    return { ok: false, next: state, error: new VisibleError('input', 'auth.otp_expired') }
  }
  if (state.codeHash === codeHash) return { ok: true }
  const wrongTries = state.wrongTries + 1
  if (wrongTries >= OTP_POLICY.maxWrongTries) {
    const lockedUntil = new Date(now.getTime() + OTP_POLICY.lockSeconds * 1000).toISOString()
    return {
      ok: false,
      next: { ...state, wrongTries, lockedUntil },
      error: new VisibleError(
        'rate_limited',
        'auth.otp_locked',
        undefined,
        undefined,
        OTP_POLICY.lockSeconds,
      ),
    }
  }
  return { ok: false, next: { ...state, wrongTries }, error: new VisibleError('input', 'auth.otp_invalid') }
}
