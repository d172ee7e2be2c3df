#!/usr/bin/env node
// Runs before `npm test`: the tests need a Java runtime (DynamoDB Local), Debian's chromium
// (browser tests) and poppler-utils (agreement PDFs). Where they are missing this installs them
// on Debian as root, and otherwise stops with the exact command to run. Never a silent skip.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

function javaMajor() {
  const out = spawnSync('java', ['-version'], { encoding: 'utf8' })
  if (out.error || out.status !== 0) return 0
  const m = /version "(\d+)(?:\.(\d+))?/.exec(`${out.stderr}${out.stdout}`)
  if (!m) return 0
  return Number(m[1]) === 1 ? Number(m[2]) : Number(m[1])
}

const missing = []
if (javaMajor() < 17)
  missing.push({ what: 'a Java 17+ runtime (for DynamoDB Local)', pkg: 'openjdk-17-jre-headless' })
if (!existsSync(CHROMIUM)) missing.push({ what: 'Chromium (for the browser tests)', pkg: 'chromium' })
// The agreement tests read the signed PDF's text (pdftotext) and render its first page (pdftoppm).
if (!['/usr/bin/pdftotext', '/usr/bin/pdftoppm'].every(existsSync))
  missing.push({
    what: 'poppler-utils (pdftotext, pdftoppm: reading the agreement PDFs)',
    pkg: 'poppler-utils',
  })
// Chinese fonts only make the screenshots readable; no test depends on them, so they are installed
// where we can and otherwise named, never required.
const cjkFont = [
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
].some(existsSync)
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
const isDebian =
  existsSync('/etc/debian_version') ||
  (existsSync('/etc/os-release') && /debian|ubuntu/i.test(readFileSync('/etc/os-release', 'utf8')))
if (!cjkFont) {
  if (isDebian && isRoot)
    missing.push({ what: 'Chinese fonts (for readable screenshots)', pkg: 'fonts-noto-cjk' })
  else
    console.warn(
      'Note: no Chinese font found; screenshots will show boxes. Install fonts-noto-cjk to read them.',
    )
}
if (missing.length === 0) process.exit(0)

const pkgs = missing.map((m) => m.pkg)
console.log(`Jiefen's tests need ${missing.map((m) => m.what).join(' and ')}.`)

if (isDebian && isRoot) {
  console.log(`Installing with apt-get: ${pkgs.join(' ')}`)
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' })
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    })
  } catch {
    console.error(`apt-get failed. Install them by hand: apt-get install -y ${pkgs.join(' ')}`)
    process.exit(1)
  }
  process.exit(0)
}

console.error(
  isDebian
    ? `Run:  sudo apt-get install -y ${pkgs.join(' ')}\nthen npm test again.`
    : `Install ${pkgs.join(' and ')} with your system's package manager (Chromium expected at ${CHROMIUM}, or set CHROMIUM_PATH), then npm test again.`,
)
process.exit(1)
