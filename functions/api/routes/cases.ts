import { createRoute } from '@hono/zod-openapi'
import { z } from 'zod'
import { CaseSummary, CaseView, CreateCaseInput, CreatedCase } from '../../domain/case.ts'
import { createCase, getCase, listMyCases } from '../../domain/cases.ts'
import { errorResponses, router } from '../env.ts'
import { CaseIdParam, IdempotencyKeyHeader } from '../params.ts'

export function caseRoutes() {
  return router()
    .openapi(
      createRoute({
        method: 'post',
        path: '/',
        summary: 'File a mediation request',
        request: {
          headers: IdempotencyKeyHeader,
          body: { content: { 'application/json': { schema: CreateCaseInput } }, required: true },
        },
        responses: {
          201: {
            description: 'Filed (or the same request repeated)',
            content: { 'application/json': { schema: CreatedCase } },
          },
          ...errorResponses(400, 401, 413, 422, 503),
        },
      }),
      async (c) => {
        const { replayed, ...created } = await createCase(
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
        path: '/',
        summary: "The caller's own cases, newest first",
        responses: {
          200: {
            description: 'Cases',
            content: { 'application/json': { schema: z.object({ items: z.array(CaseSummary) }) } },
          },
          ...errorResponses(401),
        },
      }),
      async (c) => c.json({ items: await listMyCases(c.var.deps, c.var.actor) }, 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}',
        summary: 'One case with its timeline',
        request: { params: CaseIdParam },
        responses: {
          200: { description: 'The case', content: { 'application/json': { schema: CaseView } } },
          ...errorResponses(401, 404),
        },
      }),
      async (c) => c.json(await getCase(c.var.deps, c.var.actor, c.req.valid('param').id), 200),
    )
}
