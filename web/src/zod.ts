import { config } from 'zod/v4'

/*
 * zod as the portal uses it (web/vite.config.ts points `zod` here): without its compiled fast
 * path. That path builds parsers with `new Function`, which the portal's CSP forbids; zod's probe
 * for it, though caught, is reported as a CSP violation on every page that builds a schema.
 * Set here, before any schema module runs, since the probe happens when a schema is built.
 */
config({ jitless: true })

export * from 'zod/v4'
export { z, z as default } from 'zod/v4'
