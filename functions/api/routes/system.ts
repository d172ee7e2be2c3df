import { createRoute } from '@hono/zod-openapi'
import { z } from 'zod'
import { VisibleError } from '../../domain/errors.ts'
import { Phone } from '../../domain/phone.ts'
import { errorResponses, router } from '../env.ts'

/** Health: 200 only when DynamoDB answers, so a load balancer or a person sees the truth. */
export function healthRoutes() {
  return router().openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'Health: ok only when the database answers',
      responses: {
        200: {
          description: 'Healthy',
          content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } },
        },
        ...errorResponses(503),
      },
    }),
    async (c) => {
      try {
        await c.var.deps.store.ping()
      } catch (cause) {
        throw new VisibleError(
          'unavailable',
          'service.unavailable',
          String((cause as Error)?.name),
          undefined,
          5,
        )
      }
      return c.json({ status: 'ok' as const }, 200)
    },
  )
}

/** Local mode only: read the SMS outbox instead of a phone. Never mounted in AWS. */
export function devRoutes(outbox: { read(phone: string): { text: string; at: string }[] }) {
  return router().openapi(
    createRoute({
      method: 'get',
      path: '/outbox',
      summary: 'Local mode only: SMS messages sent to a number',
      request: { query: z.object({ phone: Phone }) },
      responses: {
        200: {
          description: 'Messages, oldest first',
          content: {
            'application/json': {
              schema: z.object({ messages: z.array(z.object({ text: z.string(), at: z.string() })) }),
            },
          },
        },
        ...errorResponses(400),
      },
    }),
    (c) => {
      const messages = outbox.read(c.req.valid('query').phone).map(({ text, at }) => ({ text, at }))
      return c.json({ messages }, 200)
    },
  )
}
