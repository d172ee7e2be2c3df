import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { deflateSync } from 'node:zlib'
import type { Plugin } from 'vite'

/**
 * Makes the portal an installable web app at build time, with nothing downloaded: the manifest,
 * PNG icons drawn here, and the service worker (web/sw.js) with the list of the citizen pages'
 * files to keep. Staff and video chunks are left out: staff pages are never kept on a phone,
 * and the video code is large and useless offline.
 */
export function installableApp(): Plugin {
  return {
    name: 'jiefen-installable-app',
    apply: 'build',
    generateBundle() {
      const icons = ICONS.map((icon) => ({ ...icon, file: `icons/${icon.name}.png` }))
      for (const icon of icons)
        this.emitFile({ type: 'asset', fileName: icon.file, source: drawIcon(icon.size, icon.maskable) })
      this.emitFile({
        type: 'asset',
        fileName: 'manifest.webmanifest',
        source: JSON.stringify(manifest(icons), null, 2),
      })
    },
    // The list of files is taken once they are written: file names seen in generateBundle can
    // still change (Vite 8 rewrites some chunks after it), and a stale name would make the
    // worker's install fail on a 404.
    writeBundle(options, bundle) {
      const chunks = Object.values(bundle).filter((f) => f.type === 'chunk')
      const byName = new Map(chunks.map((c) => [c.fileName, c]))
      const keep = new Set<string>()
      const visit = (fileName: string) => {
        const chunk = byName.get(fileName)
        if (
          !chunk ||
          keep.has(fileName) ||
          NOT_OFFLINE.test(chunk.facadeModuleId ?? '') ||
          NOT_OFFLINE.test(chunk.name)
        )
          return
        keep.add(fileName)
        for (const css of chunk.viteMetadata?.importedCss ?? []) keep.add(css)
        for (const next of [...chunk.imports, ...chunk.dynamicImports]) visit(next)
      }
      for (const chunk of chunks) if (chunk.isEntry) visit(chunk.fileName)
      const outDir = options.dir ?? ''
      const missing = [...keep].filter((f) => !existsSync(join(outDir, f)))
      if (missing.length)
        throw new Error(`service worker would keep files not written: ${missing.join(', ')}`)

      const precache = [...keep].sort().map((f) => `/${f}`)
      const version = createHash('sha256').update(precache.join('\n')).digest('hex').slice(0, 12)
      const source = readFileSync(new URL('./sw.js', import.meta.url), 'utf8')
        .replace('__JIEFEN_VERSION__', version)
        .replace("'__JIEFEN_PRECACHE__'", JSON.stringify(JSON.stringify(precache)))
      writeFileSync(join(outDir, 'sw.js'), source)
    },
  }
}

/**
 * Chunks that are not kept on the phone: the staff portal and video mediation (never), and what
 * cannot be used offline anyway: the application form with its validation (zod) and the
 * evidence tools. Offline, a case page shows its status and timeline; its evidence section says
 * it could not load.
 */
const NOT_OFFLINE = /[\\/]pages[\\/](staff[\\/]|session|apply|case-evidence|evidence)|livekit|^zod$/

const ICONS = [
  { name: 'icon-192', size: 192, maskable: false },
  { name: 'icon-512', size: 512, maskable: false },
  { name: 'icon-maskable-512', size: 512, maskable: true },
  { name: 'apple-touch-icon', size: 180, maskable: true },
] as const

const BRAND = [0x0b, 0x4a, 0x9e] as const
const WHITE = [0xff, 0xff, 0xff] as const
const RED = [0xc8, 0x10, 0x2e] as const

function manifest(icons: { file: string; size: number; maskable: boolean; name: string }[]) {
  return {
    name: '解纷 · 警民联调在线调解',
    short_name: '解纷',
    description: '在线申请调解、上传证据、视频调解，不用来回跑。',
    lang: 'zh-CN',
    dir: 'ltr',
    id: '/',
    start_url: '/',
    scope: '/',
    display: 'standalone',
    background_color: '#f1f4f8',
    theme_color: '#0b4a9e',
    icons: icons
      .filter((i) => i.name !== 'apple-touch-icon')
      .map((i) => ({
        src: `/${i.file}`,
        sizes: `${i.size}x${i.size}`,
        type: 'image/png',
        purpose: i.maskable ? 'maskable' : 'any',
      })),
  }
}

/**
 * The icon: two people (two heads) on a shared bench, underlined in the header's red, white on
 * the brand blue. Maskable icons keep the picture inside the central safe circle; the others
 * have rounded corners. Each pixel is sampled 4×4 times for smooth edges.
 */
function drawIcon(size: number, maskable: boolean): Buffer {
  const scale = maskable ? 0.72 : 0.9
  const inShape = (x: number, y: number): readonly [number, number, number, number] => {
    if (!maskable) {
      const r = 0.18
      const cx = Math.min(Math.max(x, r), 1 - r)
      const cy = Math.min(Math.max(y, r), 1 - r)
      if ((x - cx) ** 2 + (y - cy) ** 2 > r * r) return [0, 0, 0, 0]
    }
    // Motif coordinates: centred, scaled into the safe area.
    const u = (x - 0.5) / scale + 0.5
    const v = (y - 0.5) / scale + 0.5
    const head = (cx: number) => (u - cx) ** 2 + (v - 0.36) ** 2 < 0.1 ** 2
    const body = (cx: number) => Math.abs(u - cx) < 0.13 && v > 0.5 && v < 0.62 && roundTop(u, v, cx)
    const bench = u > 0.18 && u < 0.82 && v > 0.62 && v < 0.68
    const underline = u > 0.3 && u < 0.7 && v > 0.75 && v < 0.8
    if (head(0.33) || head(0.67) || body(0.33) || body(0.67) || bench) return [...WHITE, 255]
    if (underline) return [...RED, 255]
    return [...BRAND, 255]
  }
  const n = 4
  const rows: Buffer[] = []
  for (let py = 0; py < size; py++) {
    const row = Buffer.alloc(1 + size * 4)
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0, 0]
      for (let sy = 0; sy < n; sy++)
        for (let sx = 0; sx < n; sx++) {
          const c = inShape((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size)
          const a = c[3] / 255
          for (let k = 0; k < 3; k++) sum[k] = (sum[k] ?? 0) + (c[k] ?? 0) * a
          sum[3] = (sum[3] ?? 0) + c[3]
        }
      const alpha = (sum[3] ?? 0) / (n * n)
      const o = 1 + px * 4
      for (let k = 0; k < 3; k++)
        row[o + k] = alpha > 0 ? Math.round((sum[k] ?? 0) / (n * n) / (alpha / 255)) : 0
      row[o + 3] = Math.round(alpha)
    }
    rows.push(row)
  }
  return encodePng(size, size, Buffer.concat(rows))
}

/** The shoulders: a rectangle with its top corners rounded off. */
function roundTop(u: number, v: number, cx: number): boolean {
  const r = 0.06
  const top = 0.5
  const dx = Math.abs(u - cx) - (0.13 - r)
  if (dx <= 0 || v >= top + r) return true
  return dx * dx + (v - top - r) ** 2 <= r * r
}

/** RGBA, 8 bits per channel, rows already prefixed with filter byte 0. */
function encodePng(width: number, height: number, raw: Buffer): Buffer {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 6, 0, 0, 0], 8)
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(raw, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ])
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(bytes: Buffer): number {
  let c = 0xffffffff
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
