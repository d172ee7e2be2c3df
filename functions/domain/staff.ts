import { z } from 'zod'
import { VisibleError } from './errors.ts'

export const STAFF_ROLES = ['police', 'mediator', 'centre_admin', 'supervisor', 'system_admin'] as const
export const StaffRole = z.enum(STAFF_ROLES)
export type StaffRole = z.infer<typeof StaffRole>

export const SKILLS = ['law', 'labour', 'family', 'psychology'] as const
export const Skill = z.enum(SKILLS)
export type Skill = z.infer<typeof Skill>

/** Tier 1: village/community room; tier 2: police station, court office; tier 3: district centre. */
export type Tier = 1 | 2 | 3

export interface Organisation {
  id: string
  name: string
  tier: Tier
  kind: 'community_room' | 'police_station' | 'court_office' | 'district_centre' | 'justice_office'
  /** The district (区/县) whose supervisor sees it. */
  jurisdiction: string
  /** Streets or towns it serves (tier 1 rooms); citizens' cases from there go to it. */
  areas: string[]
}

export interface StaffRecord {
  username: string
  name: string
  role: StaffRole
  orgId: string
  jurisdiction: string
  skills: Skill[]
  languages: string[]
  passwordHash: string
  totpSecret?: string
  /** Demo accounts in local mode only sign in without TOTP. */
  totpExempt?: boolean
  failedLogins: number
  lockedUntil?: string
  /** Bumped by "log out everywhere": sessions made under an older epoch stop working. */
  sessionEpoch: number
  active: boolean
  /** For urgent notices (red cases to supervisors). */
  phone?: string
  /** Open cases assigned: the screening pool prefers mediators with fewer. */
  openCases: number
}

/** Supervisors and admins see or change a lot: they must use a second factor. */
export const NEEDS_TOTP: ReadonlySet<StaffRole> = new Set(['supervisor', 'centre_admin', 'system_admin'])

export const LOGIN_POLICY = { maxFailures: 5, lockSeconds: 15 * 60 } as const

export const StaffLoginInput = z
  .strictObject({
    username: z
      .string({ error: 'validation.required' })
      .trim()
      .min(1, { error: 'validation.required' })
      .max(64, { error: 'validation.too_long' }),
    password: z
      .string({ error: 'validation.required' })
      .min(1, { error: 'validation.required' })
      .max(200, { error: 'validation.too_long' }),
    totp: z
      .string()
      .regex(/^\d{6}$/, { error: 'validation.otp_format' })
      .optional(),
  })
  .meta({ id: 'StaffLoginInput' })

/** Throws while the account is locked; says for how long. */
export function assertNotLocked(staff: StaffRecord, now: Date): void {
  if (staff.lockedUntil && new Date(staff.lockedUntil) > now) {
    const seconds = Math.ceil((new Date(staff.lockedUntil).getTime() - now.getTime()) / 1000)
    throw new VisibleError('rate_limited', 'auth.staff_locked', undefined, undefined, seconds)
  }
}

/** The record after a failed attempt: the fifth failure in a row locks the account for 15 minutes. */
export function afterFailure(staff: StaffRecord, now: Date): StaffRecord {
  const failedLogins = staff.failedLogins + 1
  if (failedLogins >= LOGIN_POLICY.maxFailures) {
    return {
      ...staff,
      failedLogins: 0,
      lockedUntil: new Date(now.getTime() + LOGIN_POLICY.lockSeconds * 1000).toISOString(),
    }
  }
  return { ...staff, failedLogins }
}

/**
 * Picks the organisation that screens a citizen's online request: the tier-1 room serving the
 * street, else any tier-1 room of the district, else its tier-2 station, else its district centre.
 */
export function screeningOrg(
  orgs: Organisation[],
  district: string,
  street?: string,
): Organisation | undefined {
  const local = orgs.filter((o) => o.jurisdiction === district)
  const byTier = (t: Tier) => local.filter((o) => o.tier === t && o.kind !== 'justice_office')
  return (
    byTier(1).find((o) => street && o.areas.includes(street)) ??
    byTier(1)[0] ??
    byTier(2).find((o) => o.kind !== 'police_station') ??
    byTier(2)[0] ??
    byTier(3)[0]
  )
}

/** The next tier up in the same jurisdiction, for escalation. */
export function nextTierOrg(orgs: Organisation[], current: Organisation): Organisation | undefined {
  if (current.tier >= 3) return undefined
  const up = orgs.filter(
    (o) =>
      o.jurisdiction === current.jurisdiction &&
      o.tier > current.tier &&
      o.kind !== 'police_station' &&
      o.kind !== 'justice_office',
  )
  return up.sort((a, b) => a.tier - b.tier)[0]
}

/** Mediators of an organisation who fit the case: skill first, then language, then the lightest load. */
export function rankMediators(
  pool: StaffRecord[],
  wanted: { skill?: Skill; language?: string },
): StaffRecord[] {
  const score = (s: StaffRecord) =>
    (wanted.skill && s.skills.includes(wanted.skill) ? 100 : 0) +
    (wanted.language && s.languages.includes(wanted.language) ? 10 : 0) -
    s.openCases
  return pool.filter((s) => s.active && s.role === 'mediator').sort((a, b) => score(b) - score(a))
}
