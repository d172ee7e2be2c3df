/**
 * `npm run bench`: measures what the foundation issue sets targets for and writes results.md.
 * `npm run bench -- cold-start dashboard …` runs only the sections named (printed, results.md left
 * alone); `npm run bench -- cold-start --against <git ref>` compares the API's cold start with
 * another commit's, interleaved (test/bench/cold-start.ts).
 * Figures, not assertions: these machines are shared and noisy, so we quote medians and ratios.
 *  - first-page JS of the portal, gzip (target ≤ 60 KB)
 *  - Lighthouse (mobile, simulated slow 4G) on the home, apply and case status pages:
 *    performance, accessibility, best practices (targets ≥ 95 each)
 *  - API cold start: time to import the bundled Lambda handler in a fresh Node process (target ≤ 150 ms)
 *  - POST /api/cases p50/p99 at 20 concurrent clients over DynamoDB Local, beside raw PutItem as the floor
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb'
import { build as viteBuild } from 'vite'
import { documentClient } from '../../functions/store/dynamo.ts'
import { caseIndexKeys, Keys } from '../../functions/store/keys.ts'
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../infra/local/dynamodb-local.ts'
import { LOCAL_TABLE, startSystem } from '../../infra/local/system.ts'
import { coldStart, coldStartAgainst } from './cold-start.ts'
import { dashboardScaling } from './dashboard.ts'

const root = resolve(import.meta.dirname, '../..')
const lines: string[] = []
const say = (line = '') => {
  console.log(line)
  lines.push(line)
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN
const ms = (n: number) => `${n.toFixed(1)} ms`

async function portalSize() {
  await viteBuild({ configFile: join(root, 'web/vite.config.ts'), logLevel: 'warn' })
  const dist = join(root, 'web/dist')
  const html = readFileSync(join(dist, 'index.html'), 'utf8')
  const refs = [
    ...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="([^"]+\.js)"/g),
  ].map((m) => m[1] ?? '')
  const css = [...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)].map((m) => m[1] ?? '')
  const gz = (file: string) => gzipSync(readFileSync(join(dist, file.replace(/^\//, '')))).length
  const js = refs.reduce((sum, f) => sum + gz(f), 0)
  const styles = css.reduce((sum, f) => sum + gz(f), 0)
  say('## Portal: first page')
  say(
    `- JavaScript loaded by \`/\` (entry + modulepreloads, ${refs.length} files): **${(js / 1024).toFixed(1)} KB gzip** (target ≤ 60 KB)`,
  )
  say(
    `- CSS: ${(styles / 1024).toFixed(1)} KB gzip; HTML: ${(gzipSync(html).length / 1024).toFixed(1)} KB gzip`,
  )
  // The service worker and what it keeps are fetched after the page has loaded, not before it shows.
  const sw = readFileSync(join(dist, 'sw.js'), 'utf8')
  const kept = JSON.parse(JSON.parse(/JSON\.parse\((".*?")\)/.exec(sw)?.[1] ?? '"[]"')) as string[]
  const keptBytes = kept.reduce((sum, f) => sum + gz(f), 0)
  say(
    `- Installable app: service worker ${(gzipSync(sw).length / 1024).toFixed(1)} KB gzip, registered after \`load\`; it keeps ${kept.length} files of the citizen pages for offline use (${(keptBytes / 1024).toFixed(1)} KB gzip, most of it the first page's own; staff, video, application-form and evidence code excluded)`,
  )
  say()
}

interface LighthouseResult {
  lhr: {
    runtimeError?: { message: string }
    categories: Record<string, { score: number | null }>
    audits: Record<string, { score: number | null; title: string; numericValue?: number }>
  }
}
type Lighthouse = (url: string, flags: Record<string, unknown>) => Promise<LighthouseResult | undefined>
interface ChromeLauncher {
  launch(options: { chromePath: string; chromeFlags: string[] }): Promise<{ port: number; kill(): void }>
}

const CATEGORIES = ['performance', 'accessibility', 'best-practices'] as const

/**
 * Lighthouse 12 through its node API, against the built portal served by the local system. Its
 * defaults are what the issue asks for: a mobile phone (Moto G Power screen, 4× CPU slowdown)
 * on simulated slow 4G. The case pages need a signed-in citizen: the session cookie goes in as
 * an extra header, since Lighthouse clears the browser's storage before each run. Each page is
 * measured three times; the median performance score is quoted (it moves between runs).
 */
async function lighthouseScores(runs = 3) {
  say('## Portal: Lighthouse (mobile, simulated slow 4G)')
  let lighthouse: Lighthouse
  let launcher: ChromeLauncher
  try {
    // Named through variables: the bench still runs (and typechecks) where they are not installed.
    const lighthouseModule = 'lighthouse'
    const launcherModule = 'chrome-launcher'
    lighthouse = ((await import(lighthouseModule)) as { default: Lighthouse }).default
    launcher = (await import(launcherModule)) as ChromeLauncher
  } catch {
    say('- **Not measured**: `lighthouse@12.8.2` and `chrome-launcher@1.2.1` are not installed.')
    say()
    return
  }
  const system = await startSystem({ webDist: join(root, 'web/dist'), print: () => undefined, seed: false })
  const chrome = await launcher.launch({
    chromePath: '/usr/bin/chromium',
    // Debian's chromium needs the new headless mode for Lighthouse to connect.
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  })
  try {
    const phone = '13988880000'
    await fetch(`${system.url}/api/auth/otp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone }),
    })
    const code = /(\d{6})/.exec(system.outbox.read(phone).at(-1)?.text ?? '')?.[1]
    const signed = await fetch(`${system.url}/api/auth/otp/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone, code }),
    })
    const cookie = signed.headers.get('set-cookie')?.split(';')[0] ?? ''
    const created = await fetch(`${system.url}/api/cases`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie,
        origin: system.url,
        'idempotency-key': `bench-lighthouse-${Date.now()}`,
      },
      body: JSON.stringify({
        disputeType: 'wage_arrears',
        description: '饭店老板欠我两个月工资六千元，我已经离职回老家了，希望能视频调解。',
        location: { district: '滨河区', street: '城东街道' },
        respondent: { name: '王某' },
        amountInDispute: 6000,
        desiredOutcome: '结清工资',
        meetingPreference: 'video',
      }),
    })
    const caseId = ((await created.json()) as { id: string }).id
    const pages: [string, string, boolean][] = [
      ['Home `/`', '/', false],
      ['Apply `/apply` (signed in)', '/apply', true],
      ['Case status `/cases/:id` (signed in)', `/cases/${caseId}`, true],
    ]
    say(`- ${runs} runs per page; performance is the median run, the other categories its run.`)
    say('| Page | Performance | Accessibility | Best practices | LCP | TBT | CLS |')
    say('| --- | --- | --- | --- | --- | --- | --- |')
    const below: string[] = []
    for (const [name, path, signedIn] of pages) {
      const results: LighthouseResult['lhr'][] = []
      const errors: string[] = []
      // Lighthouse sometimes fails to record a trace on a busy machine (NO_NAVSTART): such a run is
      // repeated, up to twice as many attempts as runs, and the failures are reported.
      for (let attempt = 0; results.length < runs && attempt < runs * 2; attempt++) {
        const result = await lighthouse(`${system.url}${path}`, {
          port: chrome.port,
          output: 'json',
          logLevel: 'error',
          onlyCategories: [...CATEGORIES],
          ...(signedIn ? { extraHeaders: { Cookie: cookie } } : {}),
        })
        if (!result || result.lhr.runtimeError)
          errors.push(result?.lhr.runtimeError?.message.slice(0, 60) ?? 'no result')
        else results.push(result.lhr)
      }
      if (!results.length) {
        say(`| ${name} | not measured: ${errors.join(', ')} | | | | | |`)
        below.push(`${name}: not measured`)
        continue
      }
      const score = (lhr: LighthouseResult['lhr'], c: string) =>
        Math.round((lhr.categories[c]?.score ?? 0) * 100)
      results.sort((a, b) => score(a, 'performance') - score(b, 'performance'))
      const lhr = results[Math.floor(results.length / 2)] as LighthouseResult['lhr']
      const metric = (id: string) => lhr.audits[id]?.numericValue ?? Number.NaN
      say(
        `| ${name} | **${score(lhr, 'performance')}** | **${score(lhr, 'accessibility')}** | **${score(lhr, 'best-practices')}** | ${(metric('largest-contentful-paint') / 1000).toFixed(2)} s | ${metric('total-blocking-time').toFixed(0)} ms | ${metric('cumulative-layout-shift').toFixed(3)} |`,
      )
      for (const c of CATEGORIES) if (score(lhr, c) < 95) below.push(`${name}: ${c} ${score(lhr, c)}`)
      // What cost points, so the next person knows where to look.
      const failing = Object.values(lhr.audits)
        .filter((a) => a.score !== null && a.score < 0.9)
        .map((a) => a.title)
      if (failing.length) say(`|  | ${failing.slice(0, 6).join('; ')} | | | | | |`)
      if (errors.length) say(`|  | ${errors.length} run(s) repeated: ${errors.join(', ')} | | | | | |`)
    }
    say(
      below.length
        ? `- Below the target of 95: ${below.join(', ')}.`
        : '- Every page meets the target of 95 in every category.',
    )
    say()
  } finally {
    chrome.kill()
    await system.stop()
  }
}

async function createLatency(concurrency = 20, perClient = 25) {
  const system = await startSystem({ print: () => undefined, seed: false })
  try {
    const db = documentClient({
      tableName: LOCAL_TABLE,
      region: LOCAL_REGION,
      endpoint: system.dynamoEndpoint,
      credentials: LOCAL_CREDENTIALS,
    })
    // Floor: raw PutItem of a case-sized item at the same concurrency.
    const item = {
      description: '饭店老板欠我两个月工资六千元，我已经离职回老家了。'.repeat(3),
      status: 'submitted',
      version: 1,
    }
    const putTimes = await clients(concurrency, perClient, async (c, i) => {
      const t = performance.now()
      await db.send(
        new PutCommand({ TableName: LOCAL_TABLE, Item: { pk: `BENCH#${c}-${i}`, sk: 'X', ...item } }),
      )
      return performance.now() - t
    })

    const cookies: string[] = []
    for (let c = 0; c < concurrency; c++) {
      const phone = `1390000${String(c).padStart(4, '0')}`
      await fetch(`${system.url}/api/auth/otp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ phone }),
      })
      const code = /(\d{6})/.exec(system.outbox.read(phone).at(-1)?.text ?? '')?.[1]
      const res = await fetch(`${system.url}/api/auth/otp/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ phone, code }),
      })
      cookies.push(res.headers.get('set-cookie')?.split(';')[0] ?? '')
    }
    const body = JSON.stringify({
      disputeType: 'wage_arrears',
      description: '饭店老板欠我两个月工资六千元，我已经离职回老家了，希望能视频调解。',
      location: { district: '滨河区', street: '城东街道' },
      respondent: { name: '王某', phone: '13900139000' },
      amountInDispute: 6000,
      desiredOutcome: '结清工资',
      meetingPreference: 'video',
    })
    let failures = 0
    const started = performance.now()
    const createTimes = await clients(concurrency, perClient, async (c, i) => {
      const t = performance.now()
      const res = await fetch(`${system.url}/api/cases`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          cookie: cookies[c] ?? '',
          'idempotency-key': `bench-${c}-${i}-${Date.now()}`,
        },
        body,
      })
      await res.arrayBuffer()
      if (res.status !== 201) failures++
      return performance.now() - t
    })
    const elapsed = (performance.now() - started) / 1000
    const p = (xs: number[], q: number) => quantile(xs, q)
    say(`## POST /api/cases at ${concurrency} concurrent clients (DynamoDB Local, loopback)`)
    say(
      `- ${createTimes.length} requests, ${failures} not 201, ${(createTimes.length / elapsed).toFixed(0)} req/s`,
    )
    say('| | p50 | p95 | p99 |')
    say('| --- | --- | --- | --- |')
    say(
      `| POST /api/cases (HTTP, full stack) | ${ms(p(createTimes, 0.5))} | ${ms(p(createTimes, 0.95))} | ${ms(p(createTimes, 0.99))} |`,
    )
    say(
      `| raw PutItem (floor) | ${ms(p(putTimes, 0.5))} | ${ms(p(putTimes, 0.95))} | ${ms(p(putTimes, 0.99))} |`,
    )
    say(
      `- Ratio p50 create / p50 PutItem: **${(p(createTimes, 0.5) / p(putTimes, 0.5)).toFixed(1)}×**. A create reads the session, the idempotency record, the organisations (cached) and earlier cases for repeat detection, bumps the counter and writes one transaction (case, number, event, idempotency record, links): about eight round trips, so several times the floor is what the design costs.`,
    )
    say()
  } finally {
    await system.stop()
  }
}

/** Upload-to-verified for a 10 MB video: presigned POST to the local S3 server, then verification. */
async function evidenceToVerified(runs = 5) {
  const system = await startSystem({ print: () => undefined, seed: false })
  try {
    const phone = '13911110000'
    await fetch(`${system.url}/api/auth/otp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone }),
    })
    const code = /(\d{6})/.exec(system.outbox.read(phone).at(-1)?.text ?? '')?.[1]
    const signed = await fetch(`${system.url}/api/auth/otp/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone, code }),
    })
    const cookie = signed.headers.get('set-cookie')?.split(';')[0] ?? ''
    const json = { 'content-type': 'application/json', cookie }
    const created = await fetch(`${system.url}/api/cases`, {
      method: 'POST',
      headers: { ...json, 'idempotency-key': `bench-evidence-${Date.now()}` },
      body: JSON.stringify({
        disputeType: 'neighbour',
        description: '楼上漏水淹了我家厨房，已经三次了。',
        location: { district: '滨河区' },
        respondent: { name: '楼上' },
        desiredOutcome: '赔偿',
        meetingPreference: 'video',
      }),
    })
    const caseId = (await created.json()).id
    const video = new Uint8Array(10 * 1024 * 1024)
    for (let i = 0; i < video.length; i += 4096) video[i] = (i * 31) & 0xff
    video.set([0, 0, 0, 24, ...Buffer.from('ftypmp42'), 0, 0, 0, 0, ...Buffer.from('isommp42')])
    const totals: number[] = []
    const uploads: number[] = []
    const verifies: number[] = []
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now()
      const ticket = await (
        await fetch(`${system.url}/api/cases/${caseId}/evidence`, {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ fileName: 'site.mp4', contentType: 'video/mp4', size: video.length }),
        })
      ).json()
      const form = new FormData()
      for (const [k, v] of Object.entries(ticket.upload.fields as Record<string, string>)) form.append(k, v)
      form.append('file', new Blob([video], { type: 'video/mp4' }), 'site.mp4')
      const s3 = await fetch(ticket.upload.url, { method: 'POST', body: form })
      await s3.arrayBuffer()
      const t1 = performance.now()
      // As the portal does: say complete, then ask again while the S3 event's verification runs.
      let item = await (
        await fetch(`${system.url}/api/cases/${caseId}/evidence/${ticket.evidenceId}/complete`, {
          method: 'POST',
          headers: json,
        })
      ).json()
      for (let i = 0; item.status === 'verifying' && i < 200; i++) {
        await new Promise((r) => setTimeout(r, 25))
        const list = await (
          await fetch(`${system.url}/api/cases/${caseId}/evidence`, { headers: json })
        ).json()
        item = list.items.find((x: { evidenceId: string }) => x.evidenceId === ticket.evidenceId)
      }
      if (item.status !== 'verified') throw new Error(`not verified: ${JSON.stringify(item)}`)
      const t2 = performance.now()
      totals.push(t2 - t0)
      uploads.push(t1 - t0)
      verifies.push(t2 - t1)
    }
    const med = (xs: number[]) =>
      quantile(
        [...xs].sort((a, b) => a - b),
        0.5,
      )
    say('## Evidence: 10 MB video, upload to verified (local S3 server, loopback)')
    say(
      `- ${runs} runs, medians: total **${ms(med(totals))}** = ticket + POST to S3 ${ms(med(uploads))} + complete/verify ${ms(med(verifies))} (read, magic bytes, SHA-256, copy to the verified key)`,
    )
    say(
      "- The local S3 server writes to disk and runs in the same process; in AWS the upload is bounded by the phone's uplink, and verification by S3 read/write within the region.",
    )
    say()
  } finally {
    await system.stop()
  }
}

/**
 * The mediator queue must not slow down as the table grows (no scans): the same organisation's
 * queue of 50 open cases, read with 1,000 and then 100,000 cases in the table.
 */
async function queueScaling(runs = 200) {
  const system = await startSystem({ print: () => undefined, seed: false })
  try {
    const db = documentClient({
      tableName: LOCAL_TABLE,
      region: LOCAL_REGION,
      endpoint: system.dynamoEndpoint,
      credentials: LOCAL_CREDENTIALS,
    })
    const store = system.deps.store
    const base = {
      status: 'submitted' as const,
      version: 1,
      applicantId: 'bench',
      applicantPhone: '13900000000',
      input: {
        disputeType: 'neighbour' as const,
        description: '楼上漏水，已经三次了，需要调解。',
        location: { district: '滨河区' },
        respondent: { name: '楼上' },
        desiredOutcome: '赔偿',
        meetingPreference: 'either' as const,
      },
      createdAt: '2026-11-01T00:00:00.000Z',
      updatedAt: '2026-11-01T00:00:00.000Z',
      jurisdiction: '滨河区',
      tier: 1 as const,
    }
    let written = 0
    const fill = async (total: number) => {
      const items = []
      for (; written < total; written++) {
        const orgId = written < 50 ? 'bench-target' : `bench-org-${written % 500}`
        const id = `BENCH${String(written).padStart(21, '0')}`
        const deadline = new Date(Date.UTC(2026, 11, 1) + (written % 1000) * 60_000).toISOString()
        items.push({
          ...Keys.case(id),
          ...caseIndexKeys({ ...base, id, orgId, stageDeadline: deadline }, true),
          entity: 'case',
          ...base,
          id,
          number: `TJ-2026-${id.slice(-6)}`,
          orgId,
          stageDeadline: deadline,
        })
      }
      for (let i = 0; i < items.length; i += 25) {
        await db.send(
          new BatchWriteCommand({
            RequestItems: { [LOCAL_TABLE]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
          }),
        )
      }
    }
    const time = async () => {
      const times: number[] = []
      for (let i = 0; i < runs; i++) {
        const t = performance.now()
        const cases = await store.casesOfOrg('bench-target', true)
        times.push(performance.now() - t)
        if (cases.length !== 50) throw new Error(`queue returned ${cases.length}`)
      }
      return quantile(
        times.sort((a, b) => a - b),
        0.5,
      )
    }
    await fill(1_000)
    const small = await time()
    const started = performance.now()
    await fill(100_000)
    const fillSeconds = (performance.now() - started) / 1000
    const large = await time()
    say('## Mediator queue: 1,000 vs 100,000 cases in the table (DynamoDB Local)')
    say(
      `- One organisation's queue of 50 open cases by deadline (gsi2 query), ${runs} reads each: median **${ms(small)}** at 1,000 cases, **${ms(large)}** at 100,000 cases`,
    )
    say(
      `- Ratio 100k / 1k: **${(large / small).toFixed(2)}** (target ≤ 1.5: no scans). Filling 99,000 cases took ${fillSeconds.toFixed(0)} s.`,
    )
    say()
  } finally {
    await system.stop()
  }
}

async function clients(
  n: number,
  each: number,
  work: (client: number, i: number) => Promise<number>,
): Promise<number[]> {
  const all: number[] = []
  await Promise.all(
    Array.from({ length: n }, async (_, c) => {
      for (let i = 0; i < each; i++) all.push(await work(c, i))
    }),
  )
  return all.sort((a, b) => a - b)
}

const SECTIONS = {
  'portal-size': portalSize,
  // Without portal-size (which builds the portal), it builds first rather than measure a stale web/dist.
  lighthouse: async () => {
    if (named.length && !named.includes('portal-size'))
      await viteBuild({ configFile: join(root, 'web/vite.config.ts'), logLevel: 'warn' })
    await lighthouseScores()
  },
  'cold-start': () => coldStart(root, say),
  'create-latency': () => createLatency(),
  evidence: () => evidenceToVerified(),
  queue: () => queueScaling(),
  dashboard: () => dashboardScaling(say),
}
const args = process.argv.slice(2)
const against = args.includes('--against') ? args[args.indexOf('--against') + 1] : undefined
const named = args.filter((a): a is keyof typeof SECTIONS => a in SECTIONS)
const unknown = args.filter((a, i) => !(a in SECTIONS) && a !== '--against' && args[i - 1] !== '--against')
if (unknown.length)
  throw new Error(`unknown sections ${unknown.join(', ')}; known: ${Object.keys(SECTIONS).join(', ')}`)

const cpu = cpus()[0]?.model ?? 'unknown CPU'
say('# Jiefen benchmarks')
say()
say(
  `Run ${new Date().toISOString()} on ${cpus().length}× ${cpu}, Node ${process.version}. Shared machine: quote medians and ratios, not single numbers.`,
)
say()
if (against) await coldStartAgainst(root, against, 15, say)
else
  for (const section of named.length ? named : Object.keys(SECTIONS))
    await SECTIONS[section as keyof typeof SECTIONS]()
if (!against && !named.length) {
  writeFileSync(join(root, 'test/bench/results.md'), `${lines.join('\n')}\n`)
  console.log('Wrote test/bench/results.md')
}
