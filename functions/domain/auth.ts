import { type Actor, assertStaff } from './actor.ts'
import { VisibleError } from './errors.ts'
import { assertMaySend, issued, OTP_POLICY, verify } from './otp.ts'
import { maskPhone } from './phone.ts'
import type { Deps } from './ports.ts'
import { afterFailure, assertNotLocked, NEEDS_TOTP } from './staff.ts'

/** How long a citizen stays signed in without signing in again. */
export const SESSION_TTL_SECONDS = 7 * 24 * 3600

/**
 * Per source address, per hour: bounds someone spraying codes at many phones, on top of the
 * per-phone rules. Generous, because mobile carriers put many people behind one address.
 */
export const SOURCE_LIMITS = { otp_send: 60, otp_verify: 120 } as const

export async function assertSourceLimit(
  deps: Deps,
  kind: keyof typeof SOURCE_LIMITS,
  source: string | undefined,
) {
  if (!source) return
  const now = deps.clock.now()
  const hourStart = Math.floor(now.getTime() / 3_600_000) * 3_600_000
  const bucket = `${kind}#${deps.crypto.hmac(`ip:${source}`)}#${hourStart}`
  if (!(await deps.store.withinLimit(bucket, SOURCE_LIMITS[kind], new Date(hourStart + 7_200_000))))
    throw new VisibleError(
      'rate_limited',
      'auth.source_limited',
      undefined,
      undefined,
      Math.ceil((hourStart + 3_600_000 - now.getTime()) / 1000),
    )
}

/** Sends a sign-in code, within the resend and lock-out rules. */
export async function requestOtp(
  deps: Deps,
  phone: string,
  locale: 'zh-CN' | 'en',
  source?: string,
): Promise<{ resendAfter: number }> {
  await assertSourceLimit(deps, 'otp_send', source)
  const now = deps.clock.now()
  const key = deps.crypto.hmac(`phone:${phone}`)
  const previous = await deps.store.getOtp(key)
  assertMaySend(previous, now)
  const code = deps.crypto.otpCode()
  const next = issued(previous, codeHash(deps, phone, code), now)
  if (!(await deps.store.putOtp(key, next, previous))) {
    throw new VisibleError(
      'rate_limited',
      'auth.otp_too_soon',
      undefined,
      undefined,
      OTP_POLICY.resendAfterSeconds,
    )
  }
  await deps.sms.send(phone, smsText(code, locale))
  return { resendAfter: OTP_POLICY.resendAfterSeconds }
}

function smsText(code: string, locale: 'zh-CN' | 'en'): string {
  return locale === 'en'
    ? `[Jiefen] Your sign-in code is ${code}. It expires in 5 minutes. Never share it.`
    : `【解纷】您的登录验证码为${code}，5分钟内有效。请勿告诉他人。`
}

const codeHash = (deps: Deps, phone: string, code: string) => deps.crypto.hmac(`otp:${phone}:${code}`)

/**
 * Checks a code and opens a session. Wrong tries are counted with a conditional write, so parallel
 * guesses cannot slip past the limit of five.
 */
export async function verifyOtp(
  deps: Deps,
  phone: string,
  code: string,
  source?: string,
): Promise<{ token: string; expiresAt: Date }> {
  await assertSourceLimit(deps, 'otp_verify', source)
  const key = deps.crypto.hmac(`phone:${phone}`)
  for (let attempt = 0; attempt < 5; attempt++) {
    const now = deps.clock.now()
    const state = await deps.store.getOtp(key)
    const outcome = verify(state, codeHash(deps, phone, code), now)
    if (outcome.ok && state) {
      if (!(await deps.store.consumeOtp(key, state))) throw new VisibleError('input', 'auth.otp_invalid')
      return openSession(deps, phone, key, now)
    }
    if (!outcome.ok) {
      if (!outcome.next || outcome.next === state) throw outcome.error
      if (await deps.store.putOtp(key, outcome.next, state)) throw outcome.error
    }
  }
  throw new VisibleError('rate_limited', 'auth.otp_too_soon', undefined, undefined, 1)
}

async function openSession(deps: Deps, phone: string, phoneKey: string, now: Date) {
  const citizenId = await deps.store.citizenFor(phoneKey, deps.crypto.id(), now)
  const token = deps.crypto.randomToken()
  const expiresAt = new Date(now.getTime() + SESSION_TTL_SECONDS * 1000)
  await deps.store.putSession(deps.crypto.sha256(token), {
    citizenId,
    phone,
    expiresAt: expiresAt.toISOString(),
  })
  return { token, expiresAt }
}

/** The actor behind a session token; expired or unknown tokens are anonymous. */
export async function actorFromToken(deps: Deps, token: string | undefined): Promise<Actor> {
  if (!token || token.length > 200) return { kind: 'anonymous' }
  const session = await deps.store.getSession(deps.crypto.sha256(token))
  if (!session || new Date(session.expiresAt) <= deps.clock.now()) return { kind: 'anonymous' }
  if (session.kind !== 'staff') return { kind: 'citizen', citizenId: session.citizenId, phone: session.phone }
  // Staff are re-read on every request: a deactivated account or "log out everywhere" takes effect at once.
  const staff = await deps.store.getStaff(session.username)
  if (!staff?.active || staff.sessionEpoch !== session.epoch) return { kind: 'anonymous' }
  const org = await deps.store.getOrg(staff.orgId)
  if (!org) return { kind: 'anonymous' }
  return {
    kind: 'staff',
    username: staff.username,
    name: staff.name,
    role: staff.role,
    orgId: staff.orgId,
    tier: org.tier,
    jurisdiction: staff.jurisdiction,
  }
}

/** Staff sessions are shorter: a shared office computer should not stay signed in for a week. */
export const STAFF_SESSION_TTL_SECONDS = 12 * 3600

/**
 * Staff sign-in: password (scrypt), then TOTP for supervisors and admins. Five failures in a row
 * lock the account for 15 minutes; the same answer for an unknown user and a wrong password.
 */
export async function staffLogin(
  deps: Deps,
  input: { username: string; password: string; totp?: string },
  options: { demoTotpExempt: boolean },
): Promise<{ token: string; expiresAt: Date }> {
  const now = deps.clock.now()
  const staff = await deps.store.getStaff(input.username.toLowerCase())
  if (!staff || !staff.active) {
    // Spend the same time as a real check, so response time does not reveal which usernames exist.
    await deps.crypto.verifyPassword(input.password, DUMMY_HASH)
    throw new VisibleError('unauthorized', 'auth.staff_invalid')
  }
  assertNotLocked(staff, now)
  const passwordOk = await deps.crypto.verifyPassword(input.password, staff.passwordHash)
  const needsTotp = NEEDS_TOTP.has(staff.role) && !(options.demoTotpExempt && staff.totpExempt)
  if (passwordOk && needsTotp && !input.totp) throw new VisibleError('unauthorized', 'auth.totp_required')
  const totpOk =
    !needsTotp ||
    Boolean(staff.totpSecret && input.totp && deps.crypto.verifyTotp(staff.totpSecret, input.totp, now))
  if (!passwordOk || !totpOk) {
    await deps.store.putStaff(afterFailure(staff, now), staff)
    throw new VisibleError('unauthorized', passwordOk ? 'auth.totp_invalid' : 'auth.staff_invalid')
  }
  if (staff.failedLogins > 0 || staff.lockedUntil)
    await deps.store.putStaff({ ...staff, failedLogins: 0, lockedUntil: undefined }, staff)
  const token = deps.crypto.randomToken()
  const expiresAt = new Date(now.getTime() + STAFF_SESSION_TTL_SECONDS * 1000)
  await deps.store.putSession(deps.crypto.sha256(token), {
    kind: 'staff',
    username: staff.username,
    epoch: staff.sessionEpoch,
    expiresAt: expiresAt.toISOString(),
  })
  return { token, expiresAt }
}

/** scrypt hash of a random password nobody knows; checked against when the username is unknown. */
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'

/** Ends every session of a member of staff, on every device. */
export async function logoutEverywhere(deps: Deps, actor: Actor): Promise<void> {
  const me = assertStaff(actor)
  for (let i = 0; i < 3; i++) {
    const staff = await deps.store.getStaff(me.username)
    if (!staff) return
    if (await deps.store.putStaff({ ...staff, sessionEpoch: staff.sessionEpoch + 1 }, staff)) return
  }
}

export async function signOut(deps: Deps, token: string | undefined): Promise<void> {
  if (token && token.length <= 200) await deps.store.deleteSession(deps.crypto.sha256(token))
}

/** What a signed-in citizen sees about themselves. */
export function me(actor: Actor) {
  if (actor.kind === 'staff') {
    const { username, name, role, orgId, tier, jurisdiction } = actor
    return { kind: 'staff' as const, username, name, role, orgId, tier, jurisdiction }
  }
  if (actor.kind !== 'citizen') throw new VisibleError('unauthorized', 'auth.required')
  return { kind: 'citizen' as const, id: actor.citizenId, phone: maskPhone(actor.phone) }
}
