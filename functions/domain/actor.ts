import { VisibleError } from './errors.ts'
import type { StaffRole, Tier } from './staff.ts'

/**
 * Who is calling, resolved once per request from the session cookie: a citizen (applicant or
 * respondent, by phone), a member of staff with role and organisation, or the system (jobs).
 */
export type Actor =
  | { kind: 'anonymous' }
  | { kind: 'citizen'; citizenId: string; phone: string }
  | {
      kind: 'staff'
      username: string
      name: string
      role: StaffRole
      orgId: string
      tier: Tier
      jurisdiction: string
    }
  | { kind: 'system'; name: string }

export type Citizen = Extract<Actor, { kind: 'citizen' }>
export type Staff = Extract<Actor, { kind: 'staff' }>

export function assertCitizen(actor: Actor): Citizen {
  if (actor.kind === 'citizen') return actor
  if (actor.kind === 'anonymous') throw new VisibleError('unauthorized', 'auth.required')
  throw new VisibleError('forbidden', 'auth.forbidden')
}

export function assertStaff(actor: Actor, ...roles: StaffRole[]): Staff {
  if (actor.kind === 'anonymous') throw new VisibleError('unauthorized', 'auth.required')
  if (actor.kind !== 'staff' || (roles.length > 0 && !roles.includes(actor.role))) {
    throw new VisibleError('forbidden', 'auth.forbidden')
  }
  return actor
}

/** The role name written on the timeline. */
export function actorRole(actor: Actor): 'citizen' | 'respondent' | 'staff' | 'system' {
  if (actor.kind === 'staff') return 'staff'
  if (actor.kind === 'system') return 'system'
  return 'citizen'
}
