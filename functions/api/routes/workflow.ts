import { createRoute } from '@hono/zod-openapi'
import { z } from 'zod'
import { CaseView, CreatedCase } from '../../domain/case.ts'
import { QueueFollowUp } from '../../domain/follow-up.ts'
import { QueueReferral } from '../../domain/referral.ts'
import { ReferredCaseInput, registerReferredCase } from '../../domain/referred-intake.ts'
import { Skill } from '../../domain/staff.ts'
import { ActionInput } from '../../domain/workflow.ts'
import {
  act,
  IntakeInput,
  mediatorPool,
  organisations,
  QueueItem,
  QueueQuery,
  queue,
  registerIntake,
  revealContacts,
} from '../../domain/workflow-service.ts'
import { errorResponses, router } from '../env.ts'
import { CaseIdParam, IdempotencyKeyHeader } from '../params.ts'

/** Every transition of a case goes through one route; the state machine decides. */
export function actionRoutes() {
  return router()
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/actions',
        summary:
          'Take a workflow action (accept, return, transfer, escalate, consent, resolve, fail, withdraw, override_risk)',
        request: {
          params: CaseIdParam,
          body: { content: { 'application/json': { schema: ActionInput } }, required: true },
        },
        responses: {
          200: {
            description: 'The case after the action',
            content: { 'application/json': { schema: CaseView } },
          },
          ...errorResponses(400, 401, 403, 404, 409),
        },
      }),
      async (c) =>
        c.json(await act(c.var.deps, c.var.actor, c.req.valid('param').id, c.req.valid('json')), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/reveal',
        summary: "Staff: show the parties' full phone numbers (the reveal is recorded on the timeline)",
        request: { params: CaseIdParam },
        responses: {
          200: {
            description: 'Numbers',
            content: {
              'application/json': {
                schema: z.object({ applicantPhone: z.string(), respondentPhone: z.string().optional() }),
              },
            },
          },
          ...errorResponses(401, 403, 404),
        },
      }),
      async (c) => c.json(await revealContacts(c.var.deps, c.var.actor, c.req.valid('param').id), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}/mediators',
        summary: "The receiving organisation's mediator pool for this case, best fit first",
        request: {
          params: CaseIdParam,
          query: z.object({ skill: Skill.optional(), language: z.string().max(20).optional() }),
        },
        responses: {
          200: {
            description: 'Mediators',
            content: {
              'application/json': {
                schema: z.object({
                  items: z.array(
                    z.object({
                      username: z.string(),
                      name: z.string(),
                      skills: z.array(z.string()),
                      languages: z.array(z.string()),
                      openCases: z.number(),
                    }),
                  ),
                }),
              },
            },
          },
          ...errorResponses(401, 403, 404),
        },
      }),
      async (c) =>
        c.json(
          {
            items: await mediatorPool(c.var.deps, c.var.actor, c.req.valid('param').id, c.req.valid('query')),
          },
          200,
        ),
    )
}

export function staffRoutes() {
  return router()
    .openapi(
      createRoute({
        method: 'post',
        path: '/intake',
        summary: 'Police: register a dispute from a 110 call and hand it over (transfer / entrust / joint)',
        request: {
          headers: IdempotencyKeyHeader,
          body: { content: { 'application/json': { schema: IntakeInput } }, required: true },
        },
        responses: {
          201: { description: 'Registered', content: { 'application/json': { schema: CreatedCase } } },
          ...errorResponses(400, 401, 403, 422),
        },
      }),
      async (c) => {
        const { replayed, ...created } = await registerIntake(
          c.var.deps,
          c.var.actor,
          c.req.valid('json'),
          c.req.valid('header')['idempotency-key'],
        )
        if (replayed) c.header('Idempotent-Replayed', 'true')
        return c.json(created, 201)
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/intake/referral',
        summary:
          'Mediators and centre admins: register a case a partner department referred in (its file number); the department hears the result',
        request: {
          headers: IdempotencyKeyHeader,
          body: { content: { 'application/json': { schema: ReferredCaseInput } }, required: true },
        },
        responses: {
          201: { description: 'Registered', content: { 'application/json': { schema: CreatedCase } } },
          ...errorResponses(400, 401, 403, 422),
        },
      }),
      async (c) => {
        const { replayed, ...created } = await registerReferredCase(
          c.var.deps,
          c.var.actor,
          c.req.valid('json'),
          c.req.valid('header')['idempotency-key'],
        )
        if (replayed) c.header('Idempotent-Replayed', 'true')
        return c.json(created, 201)
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/queue',
        summary: 'Staff work list, soonest deadline first (organisation, jurisdiction or sent)',
        request: { query: QueueQuery },
        responses: {
          200: {
            description: 'Cases',
            content: {
              'application/json': {
                schema: z.object({
                  items: z.array(QueueItem),
                  followUps: z
                    .array(QueueFollowUp)
                    .optional()
                    .meta({ description: "The organisation's follow-ups due soon or awaiting answers" }),
                  referrals: z.array(QueueReferral).optional().meta({
                    description: "The organisation's referrals awaiting a department's answer, overdue first",
                  }),
                }),
              },
            },
          },
          ...errorResponses(401, 403),
        },
      }),
      async (c) => c.json(await queue(c.var.deps, c.var.actor, c.req.valid('query')), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/orgs',
        summary: 'Organisations (for transfers and intake)',
        responses: {
          200: {
            description: 'Organisations',
            content: {
              'application/json': {
                schema: z.object({
                  items: z.array(
                    z.object({
                      id: z.string(),
                      name: z.string(),
                      tier: z.number(),
                      kind: z.string(),
                      jurisdiction: z.string(),
                      areas: z.array(z.string()).meta({ description: 'Streets or towns it serves' }),
                    }),
                  ),
                }),
              },
            },
          },
          ...errorResponses(401, 403),
        },
      }),
      async (c) => c.json({ items: await organisations(c.var.deps, c.var.actor) }, 200),
    )
}
