import { createRoute } from '@hono/zod-openapi'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { z } from 'zod'
import {
  actorFromToken,
  logoutEverywhere,
  me,
  requestOtp,
  signOut,
  staffLogin,
  verifyOtp,
} from '../../domain/auth.ts'
import { exportMyData, PersonalDataExport } from '../../domain/export.ts'
import { RequestOtpInput, VerifyOtpInput } from '../../domain/otp.ts'
import { StaffLoginInput, StaffRole } from '../../domain/staff.ts'
import { errorResponses, router } from '../env.ts'

export const SESSION_COOKIE = 'jf_session'

const json = <T extends z.ZodType>(schema: T) => ({
  content: { 'application/json': { schema } },
  required: true,
})

const CitizenMe = z.object({
  kind: z.literal('citizen'),
  id: z.string(),
  phone: z.string().meta({ description: 'masked' }),
})
const StaffMe = z.object({
  kind: z.literal('staff'),
  username: z.string(),
  name: z.string(),
  role: StaffRole,
  orgId: z.string(),
  tier: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  jurisdiction: z.string(),
})
const Me = z.discriminatedUnion('kind', [CitizenMe, StaffMe]).meta({ id: 'Me' })

/** Sign-in by SMS code. The session token lives only in an HttpOnly cookie; the server keeps its hash. */
export function authRoutes(options: { secureCookies: boolean; demoAccounts: boolean }) {
  return router()
    .openapi(
      createRoute({
        method: 'post',
        path: '/otp',
        summary: 'Send a sign-in code by SMS',
        request: { body: json(RequestOtpInput) },
        responses: {
          200: {
            description: 'Code sent',
            content: { 'application/json': { schema: z.object({ resendAfter: z.number().int() }) } },
          },
          ...errorResponses(400, 429, 503),
        },
      }),
      async (c) => {
        const { phone } = c.req.valid('json')
        return c.json(await requestOtp(c.var.deps, phone, c.var.locale, await c.var.source()), 200)
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/otp/verify',
        summary: 'Check the code and sign in',
        request: { body: json(VerifyOtpInput) },
        responses: {
          200: {
            description: 'Signed in; sets the session cookie',
            content: { 'application/json': { schema: Me } },
          },
          ...errorResponses(400, 429, 503),
        },
      }),
      async (c) => {
        const { phone, code } = c.req.valid('json')
        const session = await verifyOtp(c.var.deps, phone, code, await c.var.source())
        setCookie(c, SESSION_COOKIE, session.token, {
          httpOnly: true,
          secure: options.secureCookies,
          sameSite: 'Lax',
          path: '/',
          expires: session.expiresAt,
        })
        const actor = await actorFromToken(c.var.deps, session.token)
        return c.json(me(actor), 200)
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/logout',
        summary: 'End the session on the server and clear the cookie',
        responses: { 204: { description: 'Signed out' } },
      }),
      async (c) => {
        await signOut(c.var.deps, getCookie(c, SESSION_COOKIE))
        deleteCookie(c, SESSION_COOKIE, { path: '/', secure: options.secureCookies })
        return c.body(null, 204)
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/staff/login',
        summary: 'Staff sign-in: username, password, and TOTP for supervisors and admins',
        request: { body: json(StaffLoginInput) },
        responses: {
          200: {
            description: 'Signed in; sets the session cookie',
            content: { 'application/json': { schema: Me } },
          },
          ...errorResponses(400, 401, 429, 503),
        },
      }),
      async (c) => {
        const session = await staffLogin(c.var.deps, c.req.valid('json'), {
          demoTotpExempt: options.demoAccounts,
        })
        setCookie(c, SESSION_COOKIE, session.token, {
          httpOnly: true,
          secure: options.secureCookies,
          sameSite: 'Lax',
          path: '/',
          expires: session.expiresAt,
        })
        return c.json(me(await actorFromToken(c.var.deps, session.token)), 200)
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/logout-everywhere',
        summary: 'Staff: end every session of this account, on every device',
        responses: { 204: { description: 'All sessions ended' }, ...errorResponses(401, 403) },
      }),
      async (c) => {
        await logoutEverywhere(c.var.deps, c.var.actor)
        deleteCookie(c, SESSION_COOKIE, { path: '/', secure: options.secureCookies })
        return c.body(null, 204)
      },
    )
}

export function meRoutes() {
  return router()
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        summary: 'Who is signed in',
        responses: {
          200: { description: 'The signed-in citizen', content: { 'application/json': { schema: Me } } },
          ...errorResponses(401),
        },
      }),
      (c) => c.json(me(c.var.actor), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/export',
        summary:
          'Citizen: everything Jiefen holds about me (my cases, timelines, evidence list), as a download',
        responses: {
          200: {
            description: 'The export',
            content: { 'application/json': { schema: PersonalDataExport } },
          },
          ...errorResponses(401, 403),
        },
      }),
      async (c) => {
        const data = await exportMyData(c.var.deps, c.var.actor, c.var.locale)
        c.header(
          'Content-Disposition',
          `attachment; filename="jiefen-my-data-${data.generatedAt.slice(0, 10)}.json"`,
        )
        return c.json(data, 200)
      },
    )
}
