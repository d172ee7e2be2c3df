import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import solid from 'vite-plugin-solid'
import { installableApp } from './pwa.ts'

/**
 * The citizen portal. Paths are resolved from this file, so the build works the same from the
 * repo root (`vite build --config web/vite.config.ts`) and from `build({ configFile })` in
 * infra/local/start.ts and the e2e global setup.
 */
const root = fileURLToPath(new URL('.', import.meta.url))

export default defineConfig({
  root,
  base: '/',
  plugins: [solid(), installableApp()],
  // The API's schemas, imported from functions/, get zod without its eval-based fast path (see src/zod.ts).
  resolve: {
    alias: [{ find: /^zod$/, replacement: fileURLToPath(new URL('./src/zod.ts', import.meta.url)) }],
  },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // Cheap Android phones often run WebViews a few years old: keep the syntax they understand.
    target: ['chrome87', 'edge88', 'firefox78', 'safari14'],
    // Every browser in that list supports <link rel="modulepreload">: no polyfill needed.
    modulePreload: { polyfill: false },
    // Everything is a file: the CSP allows no inline scripts or styles, not even data: URLs for them.
    assetsInlineLimit: 0,
    reportCompressedSize: false,
    rolldownOptions: {
      output: {
        // Named, stable chunks: the framework every page needs, and zod, which only the forms need.
        codeSplitting: {
          groups: [
            { name: 'framework', test: /node_modules[\\/](solid-js|@solidjs|hono)[\\/]/ },
            { name: 'zod', test: /node_modules[\\/]zod[\\/]|web[\\/]src[\\/]zod\.ts$/ },
          ],
        },
      },
    },
  },
})
