import { createRoute } from '@hono/zod-openapi'
import { z } from 'zod'
import {
  ConsentInput,
  ControlInput,
  consent,
  control,
  getSession,
  handleWebhook,
  issueToken,
  JoinToken,
  NotesInput,
  ScheduleInput,
  SessionSummary,
  SessionView,
  saveNotes,
  scheduleSession,
  sessionsOfCase,
  wait,
} from '../../domain/video.ts'
import { errorResponses, router } from '../env.ts'
import { CaseIdParam, ULID } from '../params.ts'

const SessionIdParam = z.object({
  sessionId: z
    .string()
    .regex(ULID, { error: 'session.not_found' })
    .meta({ param: { name: 'sessionId', in: 'path' }, example: '01JF0000000000000000000000' }),
})

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
})
const body = <T extends z.ZodType>(schema: T) => ({
  content: { 'application/json': { schema } },
  required: true,
})

/** Scheduling and listing a case's video sessions: mounted under /api/cases. */
export function caseSessionRoutes() {
  return router()
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/sessions',
        summary:
          'Mediator: schedule a video session for a consented case (parties get an SMS with the time and link)',
        request: { params: CaseIdParam, body: body(ScheduleInput) },
        responses: {
          201: json(SessionView, 'Scheduled'),
          ...errorResponses(400, 401, 403, 404, 409),
        },
      }),
      async (c) =>
        c.json(
          await scheduleSession(c.var.deps, c.var.actor, c.req.valid('param').id, c.req.valid('json')),
          201,
        ),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}/sessions',
        summary: "A case's video sessions, with whether they can be joined now",
        request: { params: CaseIdParam },
        responses: {
          200: json(z.object({ items: z.array(SessionSummary) }), 'Sessions'),
          ...errorResponses(401, 404),
        },
      }),
      async (c) =>
        c.json({ items: await sessionsOfCase(c.var.deps, c.var.actor, c.req.valid('param').id) }, 200),
    )
}

/** One session, for its participants: mounted under /api/sessions. */
export function sessionRoutes() {
  return router()
    .openapi(
      createRoute({
        method: 'get',
        path: '/{sessionId}',
        summary: 'The session as the caller sees it (the mediator sees who is waiting)',
        request: { params: SessionIdParam },
        responses: { 200: json(SessionView, 'Session'), ...errorResponses(401, 404) },
      }),
      async (c) => c.json(await getSession(c.var.deps, c.var.actor, c.req.valid('param').sessionId), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{sessionId}/wait',
        summary: 'A participant is in the waiting room (repeat every 10 s while waiting)',
        request: { params: SessionIdParam },
        responses: { 200: json(SessionView, 'Session'), ...errorResponses(401, 403, 404, 409) },
      }),
      async (c) => c.json(await wait(c.var.deps, c.var.actor, c.req.valid('param').sessionId), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{sessionId}/token',
        summary: 'A short-lived LiveKit token with the least grants for the caller, once admitted',
        request: { params: SessionIdParam },
        responses: { 200: json(JoinToken, 'Token'), ...errorResponses(401, 403, 404, 409, 503) },
      }),
      async (c) => c.json(await issueToken(c.var.deps, c.var.actor, c.req.valid('param').sessionId), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{sessionId}/consent',
        summary: 'A participant agrees (or not) to the session being recorded',
        request: { params: SessionIdParam, body: body(ConsentInput) },
        responses: { 200: json(SessionView, 'Session'), ...errorResponses(400, 401, 404, 409) },
      }),
      async (c) =>
        c.json(
          await consent(
            c.var.deps,
            c.var.actor,
            c.req.valid('param').sessionId,
            c.req.valid('json').recording,
          ),
          200,
        ),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{sessionId}/control',
        summary: 'Mediator: admit, remove, mute, caucus, recording, end',
        request: { params: SessionIdParam, body: body(ControlInput) },
        responses: { 200: json(SessionView, 'Session'), ...errorResponses(400, 401, 403, 404, 409, 503) },
      }),
      async (c) =>
        c.json(
          await control(c.var.deps, c.var.actor, c.req.valid('param').sessionId, c.req.valid('json')),
          200,
        ),
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/{sessionId}/notes',
        summary: 'Mediator: the shared note of what has been agreed so far (parties read it)',
        request: { params: SessionIdParam, body: body(NotesInput) },
        responses: { 200: json(SessionView, 'Session'), ...errorResponses(400, 401, 403, 404, 409) },
      }),
      async (c) =>
        c.json(
          await saveNotes(c.var.deps, c.var.actor, c.req.valid('param').sessionId, c.req.valid('json').text),
          200,
        ),
    )
}

/** LiveKit's webhook: signed by LiveKit with our API secret; anything else is refused. */
export function liveKitRoutes() {
  return router().openapi(
    createRoute({
      method: 'post',
      path: '/webhook',
      summary: 'LiveKit webhook (participant joined/left, room finished, recording): signature verified',
      responses: {
        200: json(z.object({ result: z.enum(['applied', 'duplicate', 'ignored']) }), 'Received'),
        ...errorResponses(401, 503),
      },
    }),
    async (c) =>
      c.json(
        { result: await handleWebhook(c.var.deps, await c.req.text(), c.req.header('authorization')) },
        200,
      ),
  )
}
