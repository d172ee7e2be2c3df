import { createRoute } from '@hono/zod-openapi'
import { z } from 'zod'
import {
  FollowUpAnswerInput,
  FollowUpQuestion,
  FollowUpView,
  RecordFollowUpInput,
} from '../../domain/follow-up.ts'
import {
  answerFollowUp,
  followUpQuestion,
  listFollowUps,
  recordFollowUp,
} from '../../domain/follow-up-service.ts'
import { errorResponses, router } from '../env.ts'
import { CaseIdParam } from '../params.ts'

const json = <T extends z.ZodType>(schema: T) => ({
  content: { 'application/json': { schema } },
  required: true,
})
const list = {
  description: "The case's follow-ups, soonest first",
  content: { 'application/json': { schema: z.array(FollowUpView) } },
}
const question = {
  description: 'The question',
  content: { 'application/json': { schema: FollowUpQuestion } },
}

const FollowUpIdParam = CaseIdParam.extend({
  followUpId: z
    .string()
    .regex(/^[di]\d{1,3}$/, { error: 'follow_up.not_found' })
    .meta({ param: { name: 'followUpId', in: 'path' }, example: 'd7' }),
})
const TokenParam = z.object({
  token: z
    .string()
    .max(100, { error: 'follow_up.not_found' })
    .meta({ param: { name: 'token', in: 'path' }, description: 'The token from the SMS link' }),
})

/** A case's follow-up visits (回访), for staff and parties. Mounted under /api/cases. */
export function followUpCaseRoutes() {
  return router()
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}/follow-ups',
        summary: "The case's follow-ups for anyone who may see the case; staff also see the answers",
        request: { params: CaseIdParam },
        responses: { 200: list, ...errorResponses(401, 404) },
      }),
      async (c) => c.json(await listFollowUps(c.var.deps, c.var.actor, c.req.valid('param').id), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/follow-ups/{followUpId}/record',
        summary:
          "Handling organisation's staff: note a party's answer given by phone (once per party); 'no' reopens the case",
        request: { params: FollowUpIdParam, body: json(RecordFollowUpInput) },
        responses: { 200: list, ...errorResponses(400, 401, 403, 404, 409) },
      }),
      async (c) => {
        const { id, followUpId } = c.req.valid('param')
        return c.json(await recordFollowUp(c.var.deps, c.var.actor, id, followUpId, c.req.valid('json')), 200)
      },
    )
}

/** Public, by the link in the follow-up SMS: the token is the credential. Mounted under /api/follow-ups. */
export function followUpLinkRoutes() {
  return router()
    .openapi(
      createRoute({
        method: 'get',
        path: '/{token}',
        summary: 'What the party behind this link is asked, and whether they answered already',
        request: { params: TokenParam },
        responses: { 200: question, ...errorResponses(404) },
      }),
      async (c) => c.json(await followUpQuestion(c.var.deps, c.req.valid('param').token), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{token}',
        summary:
          "Answer: carried out (yes/partly/no), satisfaction 1–5, a comment; once. 'no' reopens the case",
        request: { params: TokenParam, body: json(FollowUpAnswerInput) },
        responses: { 200: question, ...errorResponses(400, 404, 409) },
      }),
      async (c) =>
        c.json(await answerFollowUp(c.var.deps, c.req.valid('param').token, c.req.valid('json')), 200),
    )
}
