import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono } from 'hono'
import { compress } from 'hono/compress'

/**
 * The built portal as CloudFront serves it (infra/web.ts, default behaviour): text files
 * compressed, hashed assets cached for a year, everything else revalidated on each load
 * (`no-cache`, which keeps pages eligible for the back/forward cache, unlike the API's
 * `no-store`), client-side routes answered with index.html, and the portal's security headers.
 * It is a separate app from the API, as the CDN's behaviours are: page and file requests do not
 * pass through the API's middleware (session lookup, `no-store`).
 */
export function portalApp(webDist: string, headers: Record<string, string>) {
  const indexHtml = readFileSync(join(webDist, 'index.html'), 'utf8')
  return (
    new Hono<{ Variables: { file: boolean } }>()
      .use('*', async (c, next) => {
        await next()
        for (const [name, value] of Object.entries(headers)) c.header(name, value)
        // Set here: serveStatic's onFound comes too late to change the answer it has made.
        const hashed = c.get('file') && c.req.path.startsWith('/assets/')
        c.header('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache')
      })
      // CloudFront compresses text of 1 KB and more when the browser accepts it (CachingOptimized).
      .use('*', compress())
      .use('*', serveStatic({ root: webDist, onFound: (_path, c) => c.set('file', true) }))
      // Client-side routes (/apply, /cases/…) all load the same page.
      .get('*', (c) => c.html(indexHtml))
  )
}
