import { z } from 'zod'
import { type Actor, assertStaff } from './actor.ts'
import { VisibleError } from './errors.ts'
import { Phone } from './phone.ts'
import type { Deps } from './ports.ts'
import { type Organisation, SKILLS, STAFF_ROLES, type StaffRecord } from './staff.ts'

/**
 * The mediator pool (调解专家库) and the organisations, managed by centre admins (their own
 * organisation's mediators) and system admins (everything). Accounts are deactivated, never
 * deleted: the record keeps who handled which case.
 */
export const NewStaffInput = z
  .strictObject({
    username: z
      .string({ error: 'validation.required' })
      .trim()
      .toLowerCase()
      .regex(/^[a-z][a-z0-9_-]{2,31}$/, { error: 'admin.username' }),
    name: z
      .string({ error: 'validation.required' })
      .trim()
      .min(1, { error: 'validation.required' })
      .max(40, { error: 'validation.too_long' }),
    role: z.enum(STAFF_ROLES, { error: 'validation.option' }),
    orgId: z.string({ error: 'validation.required' }).min(1).max(64),
    skills: z
      .array(z.enum(SKILLS, { error: 'validation.option' }))
      .max(4)
      .default([]),
    languages: z.array(z.string().trim().min(1).max(20)).max(10).default([]),
    phone: Phone.optional(),
    /** A first password the person changes; at least 12 characters. */
    password: z
      .string({ error: 'validation.required' })
      .min(12, { error: 'admin.password_short' })
      .max(200, { error: 'validation.too_long' }),
  })
  .meta({ id: 'NewStaff' })

export const NewOrgInput = z
  .strictObject({
    id: z
      .string({ error: 'validation.required' })
      .trim()
      .regex(/^[a-z0-9][a-z0-9-]{2,63}$/, { error: 'admin.org_id' }),
    name: z
      .string({ error: 'validation.required' })
      .trim()
      .min(2, { error: 'validation.too_short' })
      .max(60, { error: 'validation.too_long' }),
    tier: z.union([z.literal(1), z.literal(2), z.literal(3)], { error: 'validation.option' }),
    kind: z.enum(['community_room', 'police_station', 'court_office', 'district_centre', 'justice_office'], {
      error: 'validation.option',
    }),
    jurisdiction: z.string({ error: 'validation.required' }).trim().min(1).max(40),
    areas: z.array(z.string().trim().min(1).max(60)).max(100).default([]),
  })
  .meta({ id: 'NewOrganisation' })

export const StaffSummary = z
  .object({
    username: z.string(),
    name: z.string(),
    role: z.string(),
    orgId: z.string(),
    skills: z.array(z.string()),
    languages: z.array(z.string()),
    active: z.boolean(),
    openCases: z.number(),
    totp: z.boolean(),
  })
  .meta({ id: 'StaffSummary' })

const summary = (s: StaffRecord) => ({
  username: s.username,
  name: s.name,
  role: s.role,
  orgId: s.orgId,
  skills: s.skills,
  languages: s.languages,
  active: s.active,
  openCases: s.openCases,
  totp: Boolean(s.totpSecret),
})

/** A centre admin sees their organisation's staff; a system admin everyone's. */
export async function listStaff(deps: Deps, actor: Actor) {
  const admin = assertStaff(actor, 'centre_admin', 'system_admin')
  const orgs = admin.role === 'system_admin' ? (await deps.store.listOrgs()).map((o) => o.id) : [admin.orgId]
  const staff = (await Promise.all(orgs.map((o) => deps.store.staffOfOrg(o)))).flat()
  return staff
    .map(summary)
    .sort((a, b) => a.orgId.localeCompare(b.orgId) || a.username.localeCompare(b.username))
}

export async function addStaff(deps: Deps, actor: Actor, input: z.infer<typeof NewStaffInput>) {
  const admin = assertStaff(actor, 'centre_admin', 'system_admin')
  if (admin.role === 'centre_admin' && (input.role !== 'mediator' || input.orgId !== admin.orgId)) {
    throw new VisibleError('forbidden', 'auth.forbidden')
  }
  const org = await deps.store.getOrg(input.orgId)
  if (!org) throw new VisibleError('input', 'org.not_found', undefined, { orgId: 'org.not_found' })
  if (await deps.store.getStaff(input.username))
    throw new VisibleError('conflict', 'admin.username_taken', undefined, {
      username: 'admin.username_taken',
    })
  const record: StaffRecord = {
    username: input.username,
    name: input.name,
    role: input.role,
    orgId: org.id,
    jurisdiction: org.jurisdiction,
    skills: input.skills,
    languages: input.languages,
    phone: input.phone,
    passwordHash: await deps.crypto.hashPassword(input.password),
    failedLogins: 0,
    sessionEpoch: 0,
    active: true,
    openCases: 0,
  }
  if (!(await deps.store.putStaff(record, undefined, { mustBeNew: true }))) {
    throw new VisibleError('conflict', 'admin.username_taken', undefined, {
      username: 'admin.username_taken',
    })
  }
  return summary(record)
}

/** Deactivation also ends every session the person has. */
export async function deactivateStaff(deps: Deps, actor: Actor, username: string) {
  const admin = assertStaff(actor, 'centre_admin', 'system_admin')
  for (let i = 0; i < 3; i++) {
    const staff = await deps.store.getStaff(username)
    if (!staff || (admin.role === 'centre_admin' && staff.orgId !== admin.orgId))
      throw new VisibleError('not_found', 'admin.staff_not_found')
    if (staff.username === admin.username) throw new VisibleError('conflict', 'admin.not_yourself')
    const next = { ...staff, active: false, sessionEpoch: staff.sessionEpoch + 1 }
    if (await deps.store.putStaff(next, staff)) return summary(next)
  }
  throw new VisibleError('conflict', 'case.version_conflict')
}

export async function addOrganisation(
  deps: Deps,
  actor: Actor,
  input: z.infer<typeof NewOrgInput>,
): Promise<Organisation> {
  assertStaff(actor, 'system_admin')
  if (await deps.store.getOrg(input.id))
    throw new VisibleError('conflict', 'admin.org_taken', undefined, { id: 'admin.org_taken' })
  await deps.store.putOrg(input)
  return input
}
