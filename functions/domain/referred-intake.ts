import { z } from 'zod'
import { type Actor, assertStaff } from './actor.ts'
import { CreateCaseInput, fileCase, type ReferredIn } from './case.ts'
import { fileOnce, route } from './cases.ts'
import { VisibleError } from './errors.ts'
import { textAfterWrite } from './notify.ts'
import { Phone } from './phone.ts'
import type { Deps } from './ports.ts'

/**
 * Cases referred *in* by a partner department (the other half of 信息互通): a court hands a
 * dispute to pre-litigation mediation (诉前委派), a petition office to a mediation committee
 * (访调对接). A mediator or centre admin registers it in their own organisation, with the
 * department's file number; the department hears the result when the case ends.
 */
export const ReferredCaseInput = z
  .strictObject({
    departmentId: z.string({ error: 'validation.required' }).min(1, { error: 'validation.required' }).max(64),
    reference: z
      .string({ error: 'validation.required' })
      .trim()
      .min(1, { error: 'validation.required' })
      .max(40, { error: 'validation.too_long' }),
    applicant: z.strictObject({
      name: z
        .string({ error: 'validation.required' })
        .trim()
        .min(1, { error: 'validation.required' })
        .max(40, { error: 'validation.too_long' }),
      phone: Phone,
    }),
    dispute: CreateCaseInput,
  })
  .meta({ id: 'ReferredCaseInput' })
export type ReferredCaseInput = z.infer<typeof ReferredCaseInput>

export async function registerReferredCase(
  deps: Deps,
  actor: Actor,
  input: ReferredCaseInput,
  idempotencyKey: string,
) {
  const staff = assertStaff(actor, 'mediator', 'centre_admin')
  const [org, department] = await Promise.all([
    deps.store.getOrg(staff.orgId),
    deps.store.getDepartment(input.departmentId),
  ])
  if (!org) throw new VisibleError('forbidden', 'auth.forbidden')
  if (!department?.active || department.jurisdiction !== org.jurisdiction)
    throw new VisibleError('input', 'referral.department_not_found', undefined, {
      departmentId: 'referral.department_not_found',
    })
  const referredIn: ReferredIn = {
    departmentId: department.id,
    departmentName: department.name,
    reference: input.reference,
    by: staff.username,
    applicantName: input.applicant.name,
  }
  const created = await fileOnce(
    deps,
    { scope: `staff:${staff.username}`, key: idempotencyKey, body: input },
    async (id, number, now) => {
      const { record, event } = fileCase({
        id,
        number,
        applicantId: '',
        applicantPhone: input.applicant.phone,
        input: input.dispute,
        now,
      })
      // The registering organisation received it: it handles it, whatever the street.
      const routed = await route(deps, record, now, org)
      return {
        record: { ...routed, source: 'referral', referredIn },
        event: {
          ...event,
          type: 'case.intake_referral',
          actorRole: 'staff' as const,
          by: staff.username,
          meta: { department: department.name },
        },
        links: [`PARTY#${deps.crypto.hmac(`phone:${input.applicant.phone}`)}`],
      }
    },
  )
  if (!created.replayed)
    await textAfterWrite(
      deps,
      'referred-intake',
      input.applicant.phone,
      `【解纷】${department.name}转来的纠纷已由${org.name}受理登记（案件${created.number}）。用本手机号登录即可查看进度、补充证据：${deps.publicUrl ?? ''}/cases/${created.id}`,
    )
  return created
}
