import { OpenAPIHono } from '@hono/zod-openapi'
import { z } from 'zod'
import type { Actor } from '../domain/actor.ts'
import { VisibleError } from '../domain/errors.ts'
import type { Locale } from '../domain/messages.ts'
import type { Deps } from '../domain/ports.ts'
import { fieldErrors } from '../domain/validation.ts'

export interface AppEnv {
  Variables: {
    deps: Deps
    actor: Actor
    locale: Locale
    /** The caller's network address for per-address limits (see source.ts), worked out on demand. */
    source: () => Promise<string | undefined>
  }
}

/**
 * Every router is made here, so every one turns a failed zod check into the same VisibleError
 * with field codes (which are i18n keys).
 */
export function router() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (result.success) return
      const fields = fieldErrors(result.error.issues)
      const first = Object.values(fields)[0] ?? 'validation.failed'
      // A malformed id in the path is simply a resource that does not exist.
      if (result.target === 'param') throw new VisibleError('not_found', first)
      const code = result.target === 'header' ? first : 'validation.failed'
      throw new VisibleError('input', code, undefined, fields)
    },
  })
}

/** The JSON error body every failure answers with. Documented once, referenced by every route. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().meta({ example: 'validation.failed' }),
      message: z.string(),
      fields: z.record(z.string(), z.string()).optional(),
    }),
  })
  .meta({ id: 'Error' })

export const errorResponses = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((s) => [
      s,
      { description: 'Error', content: { 'application/json': { schema: ErrorBody } } },
    ]),
  )
