import { createRoute } from '@hono/zod-openapi'
import { z } from 'zod'
import {
  addOrganisation,
  addStaff,
  deactivateStaff,
  listStaff,
  NewOrgInput,
  NewStaffInput,
  StaffSummary,
} from '../../domain/admin.ts'
import { errorResponses, router } from '../env.ts'

const json = <T extends z.ZodType>(schema: T) => ({
  content: { 'application/json': { schema } },
  required: true,
})
const Username = z.object({
  username: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{2,31}$/, { error: 'admin.staff_not_found' })
    .meta({ param: { name: 'username', in: 'path' } }),
})

/** Centre admins manage their organisation's mediators; system admins all staff and organisations. */
export function adminRoutes() {
  return router()
    .openapi(
      createRoute({
        method: 'get',
        path: '/staff',
        summary: 'Staff an admin manages',
        responses: {
          200: {
            description: 'Staff',
            content: { 'application/json': { schema: z.object({ items: z.array(StaffSummary) }) } },
          },
          ...errorResponses(401, 403),
        },
      }),
      async (c) => c.json({ items: await listStaff(c.var.deps, c.var.actor) }, 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/staff',
        summary: 'Add a member of staff (centre admins: mediators of their organisation)',
        request: { body: json(NewStaffInput) },
        responses: {
          201: { description: 'Added', content: { 'application/json': { schema: StaffSummary } } },
          ...errorResponses(400, 401, 403, 409),
        },
      }),
      async (c) => c.json(await addStaff(c.var.deps, c.var.actor, c.req.valid('json')), 201),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/staff/{username}/deactivate',
        summary: 'Deactivate an account and end its sessions (never deleted: the record keeps who did what)',
        request: { params: Username },
        responses: {
          200: { description: 'Deactivated', content: { 'application/json': { schema: StaffSummary } } },
          ...errorResponses(401, 403, 404, 409),
        },
      }),
      async (c) => c.json(await deactivateStaff(c.var.deps, c.var.actor, c.req.valid('param').username), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/orgs',
        summary: 'System admins: add an organisation',
        request: { body: json(NewOrgInput) },
        responses: {
          201: {
            description: 'Added',
            content: {
              'application/json': {
                schema: z.object({
                  id: z.string(),
                  name: z.string(),
                  tier: z.number(),
                  kind: z.string(),
                  jurisdiction: z.string(),
                  areas: z.array(z.string()),
                }),
              },
            },
          },
          ...errorResponses(400, 401, 403, 409),
        },
      }),
      async (c) => c.json(await addOrganisation(c.var.deps, c.var.actor, c.req.valid('json')), 201),
    )
}
