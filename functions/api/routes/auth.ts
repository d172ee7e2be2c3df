import { createRoute } from '@hono/zod-openapi'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { z } from 'zod'
import { actorFromToken, me, requestOtp, signOut, verifyOtp } from '../../domain/auth.ts'
import { RequestOtpInput, VerifyOtpInput } from '../../domain/otp.ts'
import { errorResponses, router } from '../env.ts'

export const SESSION_COOKIE = 'jf_session'

const json = <T extends z.ZodType>(schema: T) => ({
  content: { 'application/json': { schema } },
  required: true,
})

const Me = z
  .object({ kind: z.literal('citizen'), id: z.string(), phone: z.string().meta({ description: 'masked' }) })
  .meta({ id: 'Me' })

/** Sign-in by SMS code. The session token lives only in an HttpOnly cookie; the server keeps its hash. */
export function authRoutes(options: { secureCookies: boolean }) {
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
        return c.json(await requestOtp(c.var.deps, phone, c.var.locale), 200)
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
        const session = await verifyOtp(c.var.deps, phone, code)
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
}

export function meRoutes() {
  return router().openapi(
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
}
