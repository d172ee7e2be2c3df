import { createRoute } from '@hono/zod-openapi'
import { z } from 'zod'
import {
  completeUpload,
  EvidenceView,
  evidenceLink,
  listEvidence,
  RequestUploadInput,
  requestUpload,
  UploadTicket,
  withdrawEvidence,
} from '../../domain/evidence.ts'
import { errorResponses, router } from '../env.ts'
import { CaseIdParam, ULID } from '../params.ts'

const ItemParams = CaseIdParam.extend({
  evidenceId: z
    .string()
    .regex(ULID, { error: 'evidence.not_found' })
    .meta({ param: { name: 'evidenceId', in: 'path' } }),
})
const one = { content: { 'application/json': { schema: EvidenceView } } }

/** Evidence of a case: presigned upload straight to S3, verification, listing, viewing, withdrawal. */
export function evidenceRoutes() {
  return router()
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/evidence',
        summary: 'Ask for a presigned S3 POST to upload one file (valid 5 minutes)',
        request: {
          params: CaseIdParam,
          body: { content: { 'application/json': { schema: RequestUploadInput } }, required: true },
        },
        responses: {
          201: { description: 'Upload ticket', content: { 'application/json': { schema: UploadTicket } } },
          ...errorResponses(400, 401, 404, 409, 413),
        },
      }),
      async (c) =>
        c.json(
          await requestUpload(c.var.deps, c.var.actor, c.req.valid('param').id, c.req.valid('json')),
          201,
        ),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}/evidence',
        summary: "A case's evidence the caller may see",
        request: { params: CaseIdParam },
        responses: {
          200: {
            description: 'Items',
            content: { 'application/json': { schema: z.object({ items: z.array(EvidenceView) }) } },
          },
          ...errorResponses(401, 404),
        },
      }),
      async (c) =>
        c.json({ items: await listEvidence(c.var.deps, c.var.actor, c.req.valid('param').id) }, 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/evidence/{evidenceId}/complete',
        summary: 'The upload finished: verify it now (type, size, SHA-256, GPS removed)',
        request: { params: ItemParams },
        responses: {
          200: { description: 'The item after verification', ...one },
          ...errorResponses(401, 404, 409),
        },
      }),
      async (c) => {
        const { id, evidenceId } = c.req.valid('param')
        return c.json(await completeUpload(c.var.deps, c.var.actor, id, evidenceId), 200)
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}/evidence/{evidenceId}',
        summary: 'View the file: redirects to a presigned GET valid for minutes; the view is recorded',
        request: { params: ItemParams },
        responses: { 302: { description: 'Redirect to the file' }, ...errorResponses(401, 404) },
      }),
      async (c) => {
        const { id, evidenceId } = c.req.valid('param')
        return c.redirect(await evidenceLink(c.var.deps, c.var.actor, id, evidenceId), 302)
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/evidence/{evidenceId}/withdraw',
        summary:
          'Withdraw your own item before the session (kept for the record, hidden from the other party)',
        request: { params: ItemParams },
        responses: { 200: { description: 'The withdrawn item', ...one }, ...errorResponses(401, 404, 409) },
      }),
      async (c) => {
        const { id, evidenceId } = c.req.valid('param')
        return c.json(await withdrawEvidence(c.var.deps, c.var.actor, id, evidenceId), 200)
      },
    )
}
