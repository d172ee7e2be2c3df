import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { beforeAll, describe, expect, it } from 'vitest'
import { portalApp } from '../../infra/local/portal.ts'

// The local server serves the built portal the way CloudFront does (infra/web.ts).
describe('the local portal files', () => {
  const script = `export const words = ${JSON.stringify('调解'.repeat(2000))}\n`
  let portal: ReturnType<typeof portalApp>

  beforeAll(() => {
    const dist = mkdtempSync(join(tmpdir(), 'jiefen-portal-'))
    mkdirSync(join(dist, 'assets'))
    writeFileSync(join(dist, 'index.html'), `<!doctype html><title>解纷</title>${'<!-- -->'.repeat(200)}`)
    writeFileSync(join(dist, 'assets', 'index-abc123.js'), script)
    portal = portalApp(dist, { 'X-Frame-Options': 'DENY' })
  })

  it('sends scripts compressed to a browser that accepts it, cached for a year', async () => {
    const res = await portal.request('/assets/index-abc123.js', {
      headers: { 'accept-encoding': 'gzip, br' },
    })
    expect(res.headers.get('content-encoding')).toBe('gzip')
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(gunzipSync(Buffer.from(await res.arrayBuffer())).toString()).toBe(script)
  })

  it('answers a client-side route with index.html, revalidated on each load and with the portal’s headers', async () => {
    const res = await portal.request('/cases/01ABC', { headers: { 'accept-encoding': 'gzip' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/html')
    expect(res.headers.get('content-encoding')).toBe('gzip')
    expect(res.headers.get('cache-control')).toBe('no-cache')
    expect(res.headers.get('x-frame-options')).toBe('DENY')
  })

  it('never marks an answer for a missing asset as cacheable for a year', async () => {
    const res = await portal.request('/assets/index-gone99.js')
    expect(res.headers.get('cache-control')).toBe('no-cache')
  })

  it('sends files uncompressed to a browser that does not accept compression', async () => {
    const res = await portal.request('/assets/index-abc123.js')
    expect(res.headers.get('content-encoding')).toBeNull()
    expect(await res.text()).toBe(script)
  })
})
