/**
 * The API's cold start: the bundled Lambda handler imported in fresh Node processes. Part of
 * `npm run bench`; alone with `npm run bench -- cold-start`, and as an A/B against another commit
 * with `npm run bench -- cold-start --against <git ref>`: both handlers are bundled the same way and
 * imported alternately, so a busy machine slows both alike and the ratio of the medians holds.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { HANDLER_MAIN_FIELDS, REQUIRE_BANNER } from '../../infra/function.ts'

/** What the handler reads at load; a literal secret, so no Secrets Manager call is timed. */
const HANDLER_ENV = {
  JIEFEN_MODE: 'aws',
  TABLE_NAME: 'bench',
  AWS_REGION: 'ap-east-1',
  JIEFEN_SECRET: 'x'.repeat(40),
  EVIDENCE_BUCKET: 'bench-evidence',
  AWS_SDK_JS_SUPPRESS_NODE_DEPRECATION_WARNING: '1',
}

/**
 * functions/handlers/api.ts under `root`, bundled with the options infra/function.ts gives
 * NodejsFunction (ESM, node22, minified, module-first main fields, the require banner, an external
 * source map without sources); returns the path of index.mjs.
 */
export async function bundleApiHandler(root: string): Promise<string> {
  const out = join(mkdtempSync(join(tmpdir(), 'jiefen-bench-')), 'index.mjs')
  await build({
    entryPoints: [join(root, 'functions/handlers/api.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: [...HANDLER_MAIN_FIELDS],
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    banner: { js: REQUIRE_BANNER },
    outfile: out,
    logLevel: 'error',
  })
  return out
}

/** Milliseconds to import `file` in a fresh Node process. */
function importTime(file: string, nodeOptions = ''): number {
  const probe = `const t=performance.now();await import(${JSON.stringify(file)});console.log(performance.now()-t)`
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], {
    encoding: 'utf8',
    env: { ...process.env, ...HANDLER_ENV, NODE_OPTIONS: nodeOptions },
  })
  if (r.status !== 0) throw new Error(`handler import failed: ${r.stderr}`)
  return Number(r.stdout.trim().split('\n').at(-1))
}

/** Each variant imported `runs` times, alternating (and reversing the order every other round). */
export function interleavedImportTimes(variants: { file: string; nodeOptions?: string }[], runs: number) {
  const times = variants.map(() => [] as number[])
  for (let i = 0; i < runs; i++) {
    const order = variants.map((_, j) => j)
    if (i % 2) order.reverse()
    for (const j of order) times[j]?.push(importTime(variants[j]!.file, variants[j]!.nodeOptions))
  }
  return times.map((t) => t.sort((a, b) => a - b))
}

const median = (sorted: number[]) => sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
const ms = (n: number) => `${n.toFixed(1)} ms`
const kb = (file: string) => {
  const code = readFileSync(file)
  return `${(code.length / 1024).toFixed(0)} KB (${(gzipSync(code).length / 1024).toFixed(0)} KB gzip)`
}

/**
 * The section of results.md: the handler of this tree, imported as the bench always has (plain
 * `node`) and as Lambda runs it (infra/function.ts sets NODE_OPTIONS=--enable-source-maps, which
 * makes Node read and parse the source map while loading the bundle), interleaved.
 */
export async function coldStart(root: string, say: (line?: string) => void, runs = 15) {
  const file = await bundleApiHandler(root)
  const [plain = [], mapped = []] = interleavedImportTimes(
    [{ file }, { file, nodeOptions: '--enable-source-maps' }],
    runs,
  )
  say('## API cold start')
  say(`- Bundle: ${kb(file)}, bundled as infra/function.ts does`)
  say(
    `- Import of the bundled handler in a fresh Node ${process.version} process, ${runs} runs: median **${ms(median(plain))}**, min ${ms(plain[0] ?? 0)}, max ${ms(plain.at(-1) ?? 0)} (target ≤ 150 ms)`,
  )
  say(
    `- The same with \`--enable-source-maps\`, as Lambda runs it (NODE_OPTIONS from infra/function.ts), interleaved with the above: median ${ms(median(mapped))}`,
  )
  say(
    '- This is module load only (what Lambda INIT adds on top of the runtime start); Lambda runs Node 22 on ARM64, this machine x86-64.',
  )
  say()
}

/**
 * A/B: the handler at `ref` (bundled from `git archive` of its functions/, with this tree's
 * node_modules) against this tree's, imported alternately in fresh processes.
 */
export async function coldStartAgainst(
  root: string,
  ref: string,
  runs: number,
  say: (line?: string) => void,
) {
  const dir = mkdtempSync(join(tmpdir(), 'jiefen-bench-ref-'))
  try {
    mkdirSync(join(dir, 'src'))
    const archive = execFileSync('git', ['-C', root, 'archive', ref, 'functions', 'tsconfig.json'])
    execFileSync('tar', ['-x', '-C', join(dir, 'src')], { input: archive })
    symlinkSync(join(root, 'node_modules'), join(dir, 'src/node_modules'))
    const before = await bundleApiHandler(join(dir, 'src'))
    const after = await bundleApiHandler(root)
    const [a = [], b = []] = interleavedImportTimes([{ file: before }, { file: after }], runs)
    const [am = [], bm = []] = interleavedImportTimes(
      [
        { file: before, nodeOptions: '--enable-source-maps' },
        { file: after, nodeOptions: '--enable-source-maps' },
      ],
      runs,
    )
    say(`## API cold start: ${ref} against this tree, ${runs} interleaved fresh processes each`)
    say(`- Bundles: ${ref} ${kb(before)}; this tree ${kb(after)}`)
    say(
      `- Median: ${ref} **${ms(median(a))}**, this tree **${ms(median(b))}**; ratio ${(median(b) / median(a)).toFixed(2)}`,
    )
    say(
      `- With \`--enable-source-maps\` (as Lambda runs it): ${ref} ${ms(median(am))}, this tree ${ms(median(bm))}; ratio ${(median(bm) / median(am)).toFixed(2)}`,
    )
    say()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
