/**
 * `npm run proof` (or `npm run proof -- load faults timeout fuzz` for pieces): drives the whole local
 * system over loopback HTTP as citizens and mediators would, breaks its parts on purpose, and writes
 * what held to test/bench/proof.md. Figures and invariants, not timed assertions: a broken
 * invariant makes the script exit non-zero; latencies are reported, never judged.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { QueryCommand } from '@aws-sdk/lib-dynamodb'
import { createLogger } from '../../functions/adapters/log.ts'
import { documentClient } from '../../functions/store/dynamo.ts'
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../infra/local/dynamodb-local.ts'
import { LOCAL_TABLE, type RunningSystem, startSystem } from '../../infra/local/system.ts'
import { type FuzzSend, fuzzRoutes } from '../support/fuzz.ts'

const root = resolve(import.meta.dirname, '../..')
/** The drills break things on purpose; their expected warnings would drown the report. */
const quiet = createLogger('error', () => undefined)
const photo = readFileSync(join(root, 'test/fixtures/photo.jpg'))
const lines: string[] = []
const failures: string[] = []
const say = (line = '') => {
  console.log(line)
  lines.push(line)
}
const check = (ok: boolean, what: string) => {
  say(`- ${ok ? '✅' : '❌'} ${what}`)
  if (!ok) failures.push(what)
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN

/** Every request the drivers make, by route template, with its status and time. */
class Recorder {
  readonly samples = new Map<string, { ms: number; status: number }[]>()
  add(route: string, ms: number, status: number) {
    const list = this.samples.get(route) ?? []
    list.push({ ms, status })
    this.samples.set(route, list)
  }
  all() {
    return [...this.samples.values()].flat()
  }
  table() {
    say('| route | requests | 2xx | 4xx | 5xx | p50 | p95 | p99 |')
    say('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
    for (const [route, list] of [...this.samples.entries()].sort()) {
      const t = list.map((s) => s.ms).sort((a, b) => a - b)
      const count = (lo: number) => list.filter((s) => s.status >= lo && s.status < lo + 100).length
      say(
        `| ${route} | ${list.length} | ${count(200)} | ${count(400)} | ${count(500)} | ${quantile(t, 0.5).toFixed(0)} ms | ${quantile(t, 0.95).toFixed(0)} ms | ${quantile(t, 0.99).toFixed(0)} ms |`,
      )
    }
  }
}

/** A browser-like client: same-origin header, cookie jar of one, per-request timeout so nothing hangs. */
function client(base: string, rec: Recorder) {
  let cookie = ''
  const call = async (
    method: string,
    route: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const started = performance.now()
    let status = 0
    try {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: {
          origin: base,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(cookie ? { cookie } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        redirect: 'manual',
        signal: AbortSignal.timeout(15_000),
      })
      status = res.status
      const set = res.headers.get('set-cookie')
      if (set) cookie = set.split(';')[0] ?? ''
      const text = await res.text()
      return {
        status,
        retryAfter: res.headers.get('retry-after'),
        body: text ? safeJson(text) : undefined,
        text,
      }
    } catch (e) {
      status = (e as Error).name === 'TimeoutError' ? 599 : 598
      return { status, retryAfter: null, body: undefined, text: String(e) }
    } finally {
      rec.add(`${method} ${route}`, performance.now() - started, status)
    }
  }
  return { call, cookie: () => cookie }
}

/**
 * Raw requests for the fuzzer: any body text, any content type, as one caller. A connection reset
 * (seen once under heavy load while a large body was refused) is retried once and counted.
 */
let transportRetries = 0
function rawSender(base: string, cookie: string): FuzzSend {
  const once = () => async (req: Parameters<FuzzSend>[0]) => {
    const res = await fetch(`${base}${req.path}`, {
      method: req.method,
      headers: {
        origin: base,
        ...(req.contentType ? { 'content-type': req.contentType } : {}),
        ...(cookie ? { cookie } : {}),
      },
      body: req.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(15_000),
    })
    return { status: res.status, text: await res.text() }
  }
  return async (req) => {
    try {
      return await once()(req)
    } catch {
      transportRetries++
      try {
        return await once()(req)
      } catch (e) {
        return { status: 599, text: `transport failure: ${(e as Error).message}` }
      }
    }
  }
}

const safeJson = (text: string) => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

async function citizenSignIn(sys: RunningSystem, rec: Recorder, phone: string) {
  const c = client(sys.url, rec)
  const sent = await c.call('POST', '/api/auth/otp', '/api/auth/otp', { phone })
  if (sent.status !== 200) throw new Error(`otp ${phone}: ${sent.status} ${sent.text}`)
  const code = /(\d{6})/.exec(sys.outbox.read(phone).at(-1)?.text ?? '')?.[1]
  const verified = await c.call('POST', '/api/auth/otp/verify', '/api/auth/otp/verify', { phone, code })
  if (verified.status !== 200) throw new Error(`verify ${phone}: ${verified.status}`)
  return c
}

async function staffSignIn(sys: RunningSystem, rec: Recorder, username: string) {
  const c = client(sys.url, rec)
  const res = await c.call('POST', '/api/auth/staff/login', '/api/auth/staff/login', {
    username,
    password: process.env.DEMO_PASSWORD || 'jiefen-demo-2026',
  })
  if (res.status !== 200) throw new Error(`staff ${username}: ${res.status} ${res.text}`)
  return c
}

const caseBody = (i: number, phone: string) => ({
  disputeType: i % 3 === 0 ? 'neighbour' : 'wage_arrears',
  description: `压测案件${i}：饭店老板拖欠工资两个月，多次催讨未果，希望调解。`,
  location: { district: '滨河区', street: '城东街道', address: `幸福路${i % 200}号` },
  respondent: { name: `被申请人${i % 97}`, phone: `139${String(20000000 + (i % 97)).padStart(8, '0')}` },
  amountInDispute: 1000 + (i % 50) * 100,
  desiredOutcome: '结清工资',
  meetingPreference: 'video',
  ...(phone ? {} : {}),
})

async function uploadPhoto(c: ReturnType<typeof client>, caseId: string) {
  const ticket = await c.call('POST', '/api/cases/{id}/evidence', `/api/cases/${caseId}/evidence`, {
    fileName: 'photo.jpg',
    contentType: 'image/jpeg',
    size: photo.length,
  })
  if (ticket.status !== 201) return ticket.status
  const form = new FormData()
  for (const [k, v] of Object.entries(ticket.body.upload.fields as Record<string, string>)) form.append(k, v)
  form.append('file', new Blob([photo], { type: 'image/jpeg' }), 'photo.jpg')
  const s3 = await fetch(ticket.body.upload.url, {
    method: 'POST',
    body: form,
    signal: AbortSignal.timeout(15_000),
  })
  if (s3.status >= 300) return s3.status
  const done = await c.call(
    'POST',
    '/api/cases/{id}/evidence/{evidenceId}/complete',
    `/api/cases/${caseId}/evidence/${ticket.body.evidenceId}/complete`,
  )
  return done.status
}

/** 50 citizens file 2,000 cases (a photo with every fourth) while 5 mediators work the queue. */
async function load() {
  const CITIZENS = 50
  const CASES = 2000
  const MEDIATORS = ['mediator1', 'mediator2', 'admin1', 'mediator4', 'mediator5']
  const deadline = Date.now() + 10 * 60_000
  const sys = await startSystem({ print: () => undefined, log: quiet })
  try {
    await addMediators(sys)
    const rec = new Recorder()
    const phones = Array.from({ length: CITIZENS }, (_, i) => `135${String(30000000 + i)}`)
    const citizens = await Promise.all(phones.map((p) => citizenSignIn(sys, rec, p)))
    const mediators = await Promise.all(MEDIATORS.map((m) => staffSignIn(sys, rec, m)))
    const acknowledged = new Map<string, Set<string>>(phones.map((p) => [p, new Set()]))
    let filed = 0
    let next = 0
    let accepted = 0
    let conflicts = 0
    let stopMediators = false
    const started = performance.now()

    const citizenLoop = async (k: number) => {
      const c = citizens[k] as ReturnType<typeof client>
      const phone = phones[k] as string
      while (Date.now() < deadline) {
        const i = next++
        if (i >= CASES) return
        const res = await c.call('POST', '/api/cases', '/api/cases', caseBody(i, phone), {
          'idempotency-key': `proof-load-${i}`,
        })
        if (res.status !== 201) continue
        filed++
        acknowledged.get(phone)?.add(res.body.id)
        if (i % 4 === 0) await uploadPhoto(c, res.body.id)
        await c.call('GET', '/api/cases/{id}', `/api/cases/${res.body.id}`)
      }
    }
    const mediatorLoop = async (m: number) => {
      const c = mediators[m] as ReturnType<typeof client>
      const username = MEDIATORS[m] as string
      while (!stopMediators && Date.now() < deadline) {
        const queue = await c.call('GET', '/api/queue', '/api/queue')
        const items = (queue.body?.items ?? []) as { id: string; status: string }[]
        const open = items.filter((x) => x.status === 'submitted')
        const pick = open[Math.floor(Math.random() * Math.min(open.length, 10))]
        if (!pick) {
          await new Promise((r) => setTimeout(r, 200))
          continue
        }
        const view = await c.call('GET', '/api/cases/{id}', `/api/cases/${pick.id}`)
        if (view.status !== 200) continue
        const res = await c.call('POST', '/api/cases/{id}/actions', `/api/cases/${pick.id}/actions`, {
          action: 'accept',
          expectedVersion: view.body.version,
          mediatorId: username === 'admin1' ? 'mediator1' : username,
        })
        if (res.status === 200) accepted++
        else if (res.status === 409) conflicts++
      }
    }
    const mediatorsDone = Promise.all(MEDIATORS.map((_, m) => mediatorLoop(m)))
    await Promise.all(citizens.map((_, k) => citizenLoop(k)))
    stopMediators = true
    await mediatorsDone
    const seconds = (performance.now() - started) / 1000

    say('## Load: 50 citizens and 5 mediators against the local system')
    say()
    say(
      `${filed} cases filed in ${seconds.toFixed(1)} s (**${(filed / seconds).toFixed(1)} cases/s**, ${(rec.all().length / seconds).toFixed(0)} requests/s overall); mediators accepted ${accepted} (and lost ${conflicts} races with a clean 409).`,
    )
    say()
    rec.table()
    say()
    say('Invariants:')
    const fiveXX = rec.all().filter((s) => s.status >= 500).length
    check(filed === CASES, `every one of the ${CASES} filings was acknowledged (${filed})`)
    check(fiveXX === 0, `no 5xx and no timeout (${fiveXX})`)
    let missing = 0
    let duplicates = 0
    for (const [phone, ids] of acknowledged) {
      const stored = await sys.deps.store.getCases([...ids])
      missing += ids.size - stored.length
      const citizenId = stored[0]?.applicantId
      duplicates += (citizenId ? await countCasesOf(sys, citizenId) : 0) - ids.size
      if (!phone) continue
    }
    check(missing === 0, `every acknowledged case is in the table (missing: ${missing})`)
    check(duplicates === 0, `each exactly once (extra copies: ${duplicates})`)
    let leaks = 0
    for (let k = 0; k < CITIZENS; k++) {
      const c = citizens[k] as ReturnType<typeof client>
      const own = acknowledged.get(phones[k] as string) ?? new Set()
      const list = await c.call('GET', '/api/cases', '/api/cases')
      for (const item of list.body?.items ?? []) if (!own.has(item.id)) leaks++
      const other = [...(acknowledged.get(phones[(k + 1) % CITIZENS] as string) ?? [])][0]
      if (other && (await c.call('GET', '/api/cases/{id}', `/api/cases/${other}`)).status !== 404) leaks++
    }
    check(leaks === 0, `no citizen saw another's case, in lists or by id (${leaks})`)
    say()
  } finally {
    await sys.stop()
  }
}

/** Every case filed by a citizen, counted straight from the applicant index (all pages). */
async function countCasesOf(sys: RunningSystem, applicantId: string) {
  const db = documentClient({
    tableName: LOCAL_TABLE,
    region: LOCAL_REGION,
    endpoint: sys.dynamoEndpoint,
    credentials: LOCAL_CREDENTIALS,
  })
  let count = 0
  let start: Record<string, unknown> | undefined
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: LOCAL_TABLE,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': `APPLICANT#${applicantId}` },
        Select: 'COUNT',
        ExclusiveStartKey: start,
      }),
    )
    count += page.Count ?? 0
    start = page.LastEvaluatedKey
  } while (start)
  return count
}

async function addMediators(sys: RunningSystem) {
  const template = await sys.deps.store.getStaff('mediator2')
  if (!template) throw new Error('demo staff missing')
  for (const username of ['mediator4', 'mediator5'])
    await sys.deps.store.putStaff({ ...template, username, name: username, openCases: 0 })
}

/** Stops DynamoDB Local, then the S3 server, in the middle of filing and uploading. */
async function faults() {
  const dataDir = mkdtempSync(join(tmpdir(), 'jiefen-proof-'))
  const sys = await startSystem({ dataDir, print: () => undefined, log: quiet })
  try {
    say('## Faults')
    say()
    const rec = new Recorder()
    const phones = Array.from({ length: 10 }, (_, i) => `135${String(40000000 + i)}`)
    const citizens = await Promise.all(phones.map((p) => citizenSignIn(sys, rec, p)))
    const attempts = new Map<string, { k: number; i: number; ok: boolean; id?: string }>()
    const during: { status: number; ms: number; retryAfter: string | null }[] = []
    let outage = false
    let stop = false
    let i = 0
    const loop = async (k: number) => {
      const c = citizens[k] as ReturnType<typeof client>
      while (!stop) {
        const n = i++
        const key = `proof-fault-${n}`
        const t = performance.now()
        const res = await c.call('POST', '/api/cases', '/api/cases', caseBody(n, ''), {
          'idempotency-key': key,
        })
        if (outage) during.push({ status: res.status, ms: performance.now() - t, retryAfter: res.retryAfter })
        attempts.set(key, { k, i: n, ok: res.status === 201, id: res.body?.id })
        await new Promise((r) => setTimeout(r, 20))
      }
    }
    const running = Promise.all(citizens.map((_, k) => loop(k)))
    await new Promise((r) => setTimeout(r, 3000))
    outage = true
    await sys.faults.stopDynamo()
    await new Promise((r) => setTimeout(r, 5000))
    await sys.faults.startDynamo()
    outage = false
    await new Promise((r) => setTimeout(r, 3000))
    stop = true
    await running

    const statuses = [...new Set(during.map((d) => d.status))].sort()
    const slowest = Math.max(0, ...during.map((d) => d.ms))
    say(`### DynamoDB Local stopped for 5 s while 10 citizens filed cases`)
    say(
      `${attempts.size} filings attempted, ${during.length} during the outage (statuses: ${statuses.join(', ')}).`,
    )
    check(
      during.length > 0 && during.every((d) => d.status === 503 || d.status === 201),
      'every request during the outage answered 503 (or succeeded), never 500',
    )
    check(
      during.filter((d) => d.status === 503).every((d) => Number(d.retryAfter) > 0),
      'every 503 carried a Retry-After hint',
    )
    check(slowest < 15_000, `none hung: slowest answer during the outage ${slowest.toFixed(0)} ms`)
    // Retry every unacknowledged filing with its idempotency key, as the portal does.
    let retried = 0
    for (const [key, a] of attempts) {
      if (a.ok) continue
      const c = citizens[a.k] as ReturnType<typeof client>
      const res = await c.call('POST', '/api/cases', '/api/cases', caseBody(a.i, ''), {
        'idempotency-key': key,
      })
      if (res.status === 201) {
        a.ok = true
        a.id = res.body.id
        retried++
      }
    }
    const ids = [...attempts.values()].map((a) => a.id).filter((x): x is string => !!x)
    const stored = await sys.deps.store.getCases(ids)
    let total = 0
    for (const phone of phones) {
      const citizenId = stored.find((r) => r.applicantPhone === phone)?.applicantId
      total += citizenId ? await countCasesOf(sys, citizenId) : 0
    }
    check(
      [...attempts.values()].every((a) => a.ok),
      `after the restart all ${attempts.size} filings succeeded (${retried} on retry with the same key)`,
    )
    check(stored.length === new Set(ids).size, `every acknowledged case is there (${stored.length})`)
    check(total === attempts.size, `no duplicates: ${total} cases in the table for ${attempts.size} keys`)
    say()

    // S3: uploads while the local S3 server is down.
    const c = citizens[0] as ReturnType<typeof client>
    const caseId = [...attempts.values()].find((a) => a.k === 0 && a.id)?.id as string
    await sys.faults.stopS3()
    const ticket = await c.call('POST', '/api/cases/{id}/evidence', `/api/cases/${caseId}/evidence`, {
      fileName: 'photo.jpg',
      contentType: 'image/jpeg',
      size: photo.length,
    })
    if (ticket.status !== 201) {
      check(false, `the upload ticket during the S3 outage: ${ticket.status} ${ticket.text.slice(0, 200)}`)
      await sys.faults.startS3()
      return
    }
    let s3Refused = false
    try {
      const form = new FormData()
      for (const [k, v] of Object.entries(ticket.body.upload.fields as Record<string, string>))
        form.append(k, v)
      form.append('file', new Blob([photo], { type: 'image/jpeg' }), 'photo.jpg')
      await fetch(ticket.body.upload.url, { method: 'POST', body: form, signal: AbortSignal.timeout(5000) })
    } catch {
      s3Refused = true
    }
    const completeDown = await c.call(
      'POST',
      '/api/cases/{id}/evidence/{evidenceId}/complete',
      `/api/cases/${caseId}/evidence/${ticket.body.evidenceId}/complete`,
    )
    await sys.faults.startS3()
    const form = new FormData()
    for (const [k, v] of Object.entries(ticket.body.upload.fields as Record<string, string>))
      form.append(k, v)
    form.append('file', new Blob([photo], { type: 'image/jpeg' }), 'photo.jpg')
    const again = await fetch(ticket.body.upload.url, { method: 'POST', body: form })
    const completeUp = await c.call(
      'POST',
      '/api/cases/{id}/evidence/{evidenceId}/complete',
      `/api/cases/${caseId}/evidence/${ticket.body.evidenceId}/complete`,
    )
    const items =
      (await c.call('GET', '/api/cases/{id}/evidence', `/api/cases/${caseId}/evidence`)).body?.items ?? []
    say('### Local S3 stopped during an upload')
    check(ticket.status === 201, 'the upload ticket is still issued (it needs no call to S3)')
    check(s3Refused, 'the upload itself fails at the browser, which keeps the file and offers a retry')
    check(
      [503, 409, 422].includes(completeDown.status),
      `"complete" during the outage answers ${completeDown.status} (not 500) and loses nothing`,
    )
    check(
      again.status < 300 && completeUp.status === 200,
      'after S3 is back the same ticket uploads and verifies',
    )
    check(
      items.filter((x: { evidenceId: string }) => x.evidenceId === ticket.body.evidenceId).length === 1,
      'one evidence item, not two',
    )
    say()
  } finally {
    await sys.stop()
  }
}

/**
 * A Lambda invocation that times out in the middle of a transition: the process is frozen and the
 * write never lands, or lands whole. Either way the case is never half-written.
 */
async function timeout() {
  const sys = await startSystem({ print: () => undefined, log: quiet })
  try {
    const rec = new Recorder()
    const citizen = await citizenSignIn(sys, rec, '13540000099')
    const mediator = await staffSignIn(sys, rec, 'mediator1')
    const filed = await citizen.call('POST', '/api/cases', '/api/cases', caseBody(1, ''), {
      'idempotency-key': 'proof-timeout-1',
    })
    const id = filed.body.id as string
    const store = sys.deps.store
    const real = store.applyTransition.bind(store)
    const before = await store.getCase(id)
    const eventsBefore = (await store.timeline(id)).length
    // 1. Frozen before the write is sent.
    store.applyTransition = async () => {
      throw Object.assign(new Error('Task timed out after 3.00 seconds'), { name: 'TimeoutError' })
    }
    const frozen = await mediator.call('POST', '/api/cases/{id}/actions', `/api/cases/${id}/actions`, {
      action: 'accept',
      expectedVersion: before?.version,
      mediatorId: 'mediator1',
    })
    const afterFrozen = await store.getCase(id)
    const eventsAfterFrozen = (await store.timeline(id)).length
    // 2. Frozen after the write landed, before the answer: the client retries.
    store.applyTransition = async (...args) => {
      await real(...args)
      throw Object.assign(new Error('Task timed out after 3.00 seconds'), { name: 'TimeoutError' })
    }
    await mediator.call('POST', '/api/cases/{id}/actions', `/api/cases/${id}/actions`, {
      action: 'accept',
      expectedVersion: before?.version,
      mediatorId: 'mediator1',
    })
    store.applyTransition = real
    const retry = await mediator.call('POST', '/api/cases/{id}/actions', `/api/cases/${id}/actions`, {
      action: 'accept',
      expectedVersion: before?.version,
      mediatorId: 'mediator1',
    })
    const after = await store.getCase(id)
    const events = await store.timeline(id)
    say('## A Lambda timeout in the middle of a transition')
    check(
      frozen.status >= 500 && afterFrozen?.version === before?.version && eventsAfterFrozen === eventsBefore,
      `frozen before the write: answered ${frozen.status}, case and timeline untouched`,
    )
    check(
      after?.version === (before?.version ?? 0) + 1 && after?.status === 'awaiting_consent',
      'frozen after the write: the case moved exactly once',
    )
    check(
      events.filter((e) => e.type === 'case.accept').length === 1,
      'its timeline event is there exactly once (case and event are one transaction)',
    )
    check(retry.status === 409, `the client's retry is refused cleanly (${retry.status}), not applied twice`)
    say()
  } finally {
    await sys.stop()
  }
}

/** Every route in the OpenAPI document with malformed, oversized, wrongly typed and hostile values. */
async function fuzz() {
  const sys = await startSystem({ print: () => undefined, log: quiet })
  try {
    const rec = new Recorder()
    const citizen = await citizenSignIn(sys, rec, '13540000100')
    const staff = await staffSignIn(sys, rec, 'mediator1')
    const doc = await (await fetch(`${sys.url}/api/openapi.json`)).json()
    const result = await fuzzRoutes({
      doc,
      runsPerRoute: Number(process.env.FUZZ_RUNS ?? 150),
      senders: {
        anonymous: rawSender(sys.url, ''),
        citizen: rawSender(sys.url, citizen.cookie()),
        staff: rawSender(sys.url, staff.cookie()),
      },
    })
    say('## Fuzz: every route × hostile input')
    say(`${result.requests} requests over ${result.routes} operations (fast-check; seed ${result.seed}).`)
    check(
      result.serverErrors.length === 0,
      `no 5xx (${result.serverErrors.length}) ${result.serverErrors.slice(0, 3).join('; ')}`,
    )
    check(
      result.traces.length === 0,
      `no stack trace or internal error text in any answer (${result.traces.length})`,
    )
    say(`- connection resets retried once: ${transportRetries}`)
    say()
  } finally {
    await sys.stop()
  }
}

const PIECES = { load, faults, timeout, fuzz } as const
const wanted = process.argv.slice(2).filter((a): a is keyof typeof PIECES => a in PIECES)
const run = wanted.length ? wanted : (Object.keys(PIECES) as (keyof typeof PIECES)[])
say(`# Proof (${new Date().toISOString().slice(0, 10)}, loopback, pieces: ${run.join(', ')})`)
say()
say(
  `Machine: ${cpus().length} cores, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ')} at the start — latencies are from a shared machine; the invariants are what counts.`,
)
say()
for (const piece of run) await PIECES[piece]()
say(failures.length ? `**${failures.length} invariant(s) broken.**` : '**Every invariant held.**')
writeFileSync(join(root, 'test/bench/proof.md'), `${lines.join('\n')}\n`)
process.exit(failures.length ? 1 : 0)
