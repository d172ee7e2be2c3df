import { fileURLToPath } from 'node:url'
import { build } from 'vite'

/** Builds the portal once for all browser tests, so they never race each other to build it. */
export default async function setup(): Promise<void> {
  await build({
    configFile: fileURLToPath(new URL('../../web/vite.config.ts', import.meta.url)),
    logLevel: 'warn',
  })
}
