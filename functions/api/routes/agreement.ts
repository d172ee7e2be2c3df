import { createRoute } from '@hono/zod-openapi'
import { z } from 'zod'
import { AgreementView, DraftAgreementInput, SignAgreementInput } from '../../domain/agreement.ts'
import {
  agreementPdfFile,
  draftAgreement,
  getAgreement,
  requestSigningCode,
  signAgreement,
  verifyAgreement,
} from '../../domain/agreement-service.ts'
import { errorResponses, router } from '../env.ts'
import { CaseIdParam } from '../params.ts'

const json = <T extends z.ZodType>(schema: T) => ({
  content: { 'application/json': { schema } },
  required: true,
})
const agreement = { description: 'The agreement', content: { 'application/json': { schema: AgreementView } } }

/** The mediation agreement of a case: read, draft, sign, download. Mounted under /api/cases. */
export function agreementRoutes() {
  return router()
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}/agreement',
        summary: "The case's mediation agreement (ID numbers masked), for anyone who may see the case",
        request: { params: CaseIdParam },
        responses: { 200: agreement, ...errorResponses(401, 404) },
      }),
      async (c) => c.json(await getAgreement(c.var.deps, c.var.actor, c.req.valid('param').id), 200),
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/{id}/agreement',
        summary:
          'Assigned mediator: draft or revise the agreement; a change voids every signature given so far',
        request: { params: CaseIdParam, body: json(DraftAgreementInput) },
        responses: { 200: agreement, ...errorResponses(400, 401, 403, 404, 409) },
      }),
      async (c) =>
        c.json(
          await draftAgreement(c.var.deps, c.var.actor, c.req.valid('param').id, c.req.valid('json')),
          200,
        ),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/agreement/sign-code',
        summary: 'Party: send the SMS code that confirms my signature on the current text',
        request: { params: CaseIdParam },
        responses: {
          200: {
            description: 'Code sent',
            content: { 'application/json': { schema: z.object({ resendAfter: z.number().int() }) } },
          },
          ...errorResponses(401, 403, 404, 409, 429),
        },
      }),
      async (c) =>
        c.json(await requestSigningCode(c.var.deps, c.var.actor, c.req.valid('param').id, c.var.locale), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/agreement/sign',
        summary:
          'Sign: a party with the SMS code, in any order; the assigned mediator last, which resolves the case',
        request: { params: CaseIdParam, body: json(SignAgreementInput) },
        responses: { 200: agreement, ...errorResponses(400, 401, 403, 404, 409, 429) },
      }),
      async (c) =>
        c.json(
          await signAgreement(c.var.deps, c.var.actor, c.req.valid('param').id, c.req.valid('json')),
          200,
        ),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}/agreement/pdf',
        summary: 'The signed agreement as PDF, for anyone who may see the case',
        request: { params: CaseIdParam },
        responses: {
          200: {
            description: 'PDF',
            content: { 'application/pdf': { schema: z.string().meta({ format: 'binary' }) } },
          },
          ...errorResponses(401, 404, 409),
        },
      }),
      async (c) => {
        const file = await agreementPdfFile(c.var.deps, c.var.actor, c.req.valid('param').id)
        return c.body(file.bytes as Uint8Array<ArrayBuffer>, 200, {
          'Content-Type': 'application/pdf',
          'Content-Disposition': `attachment; filename="${file.asciiName}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
        })
      },
    )
}

/** Public: check a signed agreement by its verification code. Mounted under /api/verify. */
export function verifyRoutes() {
  return router().openapi(
    createRoute({
      method: 'get',
      path: '/{code}',
      summary:
        "Check an agreement: the code's date, organisation and signature count, and whether a fingerprint matches",
      request: {
        params: z.object({
          code: z
            .string()
            .max(20)
            .meta({ param: { name: 'code', in: 'path' }, example: '7K2M-9QXA-R4TB' }),
        }),
        query: z.object({
          sha256: z
            .string()
            .regex(/^[0-9a-fA-F]{64}$/, { error: 'agreement.hash' })
            .optional()
            .meta({ description: "The file's SHA-256, or the content fingerprint printed on it" }),
        }),
      },
      responses: {
        200: {
          description: 'Found',
          content: {
            'application/json': {
              schema: z
                .object({
                  code: z.string(),
                  signedOn: z.string(),
                  organisation: z.string(),
                  signatures: z.number().int(),
                  match: z.enum(['file', 'content', 'none']).optional(),
                })
                .meta({ id: 'Verification' }),
            },
          },
        },
        ...errorResponses(400, 404),
      },
    }),
    async (c) =>
      c.json(await verifyAgreement(c.var.deps, c.req.valid('param').code, c.req.valid('query').sha256), 200),
  )
}
