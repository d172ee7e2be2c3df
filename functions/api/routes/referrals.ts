import { createRoute } from '@hono/zod-openapi'
import { z } from 'zod'
import {
  CreateReferralInput,
  DepartmentView,
  NewDepartmentInput,
  ReferralAbout,
  ReferralCodeInput,
  ReferralForDepartment,
  ReferralReplyInput,
  ReferralView,
  UpdateDepartmentInput,
} from '../../domain/referral.ts'
import {
  addDepartment,
  createReferral,
  listDepartments,
  listReferrals,
  openReferral,
  referralAbout,
  referralForDepartment,
  remindReferral,
  replyToReferral,
  sendReferralCode,
  updateDepartment,
} from '../../domain/referral-service.ts'
import { errorResponses, router } from '../env.ts'
import { CaseIdParam, ULID } from '../params.ts'

const json = <T extends z.ZodType>(schema: T) => ({
  content: { 'application/json': { schema } },
  required: true,
})
const ok = <T extends z.ZodType>(description: string, schema: T) => ({
  description,
  content: { 'application/json': { schema } },
})

const DepartmentIdParam = z.object({
  departmentId: z
    .string()
    .regex(ULID, { error: 'referral.department_not_found' })
    .meta({ param: { name: 'departmentId', in: 'path' }, example: '01JF0000000000000000000000' }),
})
const TokenParam = z.object({
  token: z
    .string()
    .max(100, { error: 'referral.not_found' })
    .meta({ param: { name: 'token', in: 'path' }, description: 'The token from the SMS link' }),
})
const AccessHeader = z.object({
  'x-referral-access': z
    .string()
    .max(100)
    .optional()
    .meta({ description: 'The access token the code opened (POST …/open)' }),
})

const ReferralIdParam = CaseIdParam.extend({
  referralId: z
    .string()
    .regex(ULID, { error: 'referral.not_found' })
    .meta({ param: { name: 'referralId', in: 'path' }, example: '01JF0000000000000000000000' }),
})

/** A case's referrals to partner departments (信息互通), staff only. Mounted under /api/cases. */
export function referralCaseRoutes() {
  return router()
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}/referrals',
        summary: "The case's referrals to departments with their answers; staff related to the case only",
        request: { params: CaseIdParam },
        responses: {
          200: ok('Referrals, oldest first', z.array(ReferralView)),
          ...errorResponses(401, 403, 404),
        },
      }),
      async (c) => c.json(await listReferrals(c.var.deps, c.var.actor, c.req.valid('param').id), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/referrals',
        summary:
          "Refer the case or a clue to a department of the case's jurisdiction with a due date; its registered contact gets a link by SMS",
        request: { params: CaseIdParam, body: json(CreateReferralInput) },
        responses: { 201: ok('The referral', ReferralView), ...errorResponses(400, 401, 403, 404, 409) },
      }),
      async (c) =>
        c.json(
          await createReferral(c.var.deps, c.var.actor, c.req.valid('param').id, c.req.valid('json')),
          201,
        ),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/referrals/{referralId}/remind',
        summary: 'Send the department its link again, fresh (once in 10 minutes; not once closed)',
        request: { params: ReferralIdParam },
        responses: { 200: ok('The referral', ReferralView), ...errorResponses(401, 403, 404, 409, 429) },
      }),
      async (c) => {
        const { id, referralId } = c.req.valid('param')
        return c.json(await remindReferral(c.var.deps, c.var.actor, id, referralId), 200)
      },
    )
}

/** Partner departments of a jurisdiction. Mounted under /api/departments, staff only. */
export function departmentRoutes() {
  return router()
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        summary: "The caller's jurisdiction's departments (a system admin may name another)",
        request: { query: z.object({ jurisdiction: z.string().max(40).optional() }) },
        responses: {
          200: ok('Departments', z.object({ items: z.array(DepartmentView) })),
          ...errorResponses(401, 403),
        },
      }),
      async (c) =>
        c.json(
          { items: await listDepartments(c.var.deps, c.var.actor, c.req.valid('query').jurisdiction) },
          200,
        ),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/',
        summary: 'Supervisor or system admin: register a department and its contact phone',
        request: {
          body: json(
            NewDepartmentInput.extend({ jurisdiction: z.string().trim().min(1).max(40).optional() }),
          ),
        },
        responses: { 201: ok('The department', DepartmentView), ...errorResponses(400, 401, 403) },
      }),
      async (c) => c.json(await addDepartment(c.var.deps, c.var.actor, c.req.valid('json')), 201),
    )
    .openapi(
      createRoute({
        method: 'patch',
        path: '/{departmentId}',
        summary: 'Supervisor or system admin: change a department (name, contact, default days, active)',
        request: { params: DepartmentIdParam, body: json(UpdateDepartmentInput) },
        responses: { 200: ok('The department', DepartmentView), ...errorResponses(400, 401, 403, 404, 409) },
      }),
      async (c) =>
        c.json(
          await updateDepartment(
            c.var.deps,
            c.var.actor,
            c.req.valid('param').departmentId,
            c.req.valid('json'),
          ),
          200,
        ),
    )
}

/** Public, by the link in the department's SMS; the code to its registered phone opens it. */
export function referralLinkRoutes() {
  return router()
    .openapi(
      createRoute({
        method: 'get',
        path: '/{token}',
        summary: 'Whose link this is and where the code goes (masked); nothing about the case',
        request: { params: TokenParam },
        responses: { 200: ok('About the link', ReferralAbout), ...errorResponses(404) },
      }),
      async (c) => c.json(await referralAbout(c.var.deps, c.req.valid('param').token), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{token}/code',
        summary: "Text a code to the department's registered contact",
        request: { params: TokenParam },
        responses: {
          200: ok('Sent', z.object({ resendAfter: z.number(), contactPhone: z.string() })),
          ...errorResponses(404, 429),
        },
      }),
      async (c) =>
        c.json(await sendReferralCode(c.var.deps, c.req.valid('param').token, await c.var.source()), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{token}/open',
        summary: 'Exchange the code for an access token (an hour) and the referral',
        request: { params: TokenParam, body: json(ReferralCodeInput) },
        responses: {
          200: ok(
            'Opened',
            z.object({ access: z.string(), expiresAt: z.string(), referral: ReferralForDepartment }),
          ),
          ...errorResponses(400, 404, 429),
        },
      }),
      async (c) =>
        c.json(
          await openReferral(
            c.var.deps,
            c.req.valid('param').token,
            c.req.valid('json').code,
            await c.var.source(),
          ),
          200,
        ),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{token}/detail',
        summary: 'The referral, with the access token in X-Referral-Access',
        request: { params: TokenParam, headers: AccessHeader },
        responses: { 200: ok('The referral', ReferralForDepartment), ...errorResponses(401, 404) },
      }),
      async (c) =>
        c.json(
          await referralForDepartment(
            c.var.deps,
            c.req.valid('param').token,
            c.req.valid('header')['x-referral-access'],
          ),
          200,
        ),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{token}/replies',
        summary: "The department's answer: in progress, done or declined, with text; lands on the timeline",
        request: { params: TokenParam, headers: AccessHeader, body: json(ReferralReplyInput) },
        responses: { 200: ok('The referral', ReferralForDepartment), ...errorResponses(400, 401, 404, 409) },
      }),
      async (c) =>
        c.json(
          await replyToReferral(
            c.var.deps,
            c.req.valid('param').token,
            c.req.valid('header')['x-referral-access'],
            c.req.valid('json'),
          ),
          200,
        ),
    )
}
