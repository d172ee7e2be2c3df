import { z } from 'zod'

/** Ids are ULIDs; anything else in the path is a resource that does not exist (404, not 400). */
export const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/

export const CaseIdParam = z.object({
  id: z
    .string()
    .regex(ULID, { error: 'case.not_found' })
    .meta({ param: { name: 'id', in: 'path' }, example: '01JF0000000000000000000000' }),
})

/** Create calls carry a client-made key, so a retried request never makes a second record. */
export const IdempotencyKeyHeader = z.object({
  'idempotency-key': z
    .string({ error: 'request.idempotency_key' })
    .regex(/^[A-Za-z0-9_-]{8,128}$/, { error: 'request.idempotency_key' })
    .meta({
      description:
        'A client-made unique key (e.g. a UUID); repeats of the same request return the same result',
    }),
})
