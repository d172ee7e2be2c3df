import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { serve } from '@hono/node-server'
import { agreementPdf } from '../../functions/adapters/agreement-pdf.ts'
import { systemClock } from '../../functions/adapters/clock.ts'
import { nodeCrypto } from '../../functions/adapters/crypto.ts'
import { s3Client, s3EvidenceStorage } from '../../functions/adapters/evidence-s3.ts'
import { liveKitVideo } from '../../functions/adapters/livekit.ts'
import { createLogger, type Logger } from '../../functions/adapters/log.ts'
import { type S3Notification, uploadedEvidence } from '../../functions/adapters/s3-events.ts'
import { outboxSms } from '../../functions/adapters/sms.ts'
import { contentSecurityPolicy, createApp, PERMISSIONS_POLICY } from '../../functions/api/app.ts'
import {
  DEFAULT_EVIDENCE_LIMITS,
  type EvidenceLimits,
  verifyEvidence,
} from '../../functions/domain/evidence.ts'
import { runJobs } from '../../functions/domain/jobs.ts'
import type { Clock, Deps } from '../../functions/domain/ports.ts'
import { documentClient, dynamoStore } from '../../functions/store/dynamo.ts'
import { ensureTable, LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoLocal } from './dynamodb-local.ts'
import { portalApp } from './portal.ts'
import { LOCAL_S3_CREDENTIALS, startS3Local } from './s3-local.ts'
import { seedDemo } from './seed.ts'

export const LOCAL_TABLE = 'jiefen-local'
export const LOCAL_EVIDENCE_BUCKET = 'jiefen-evidence-local'

export interface SystemOptions {
  /** Where data is kept between runs; omit for an in-memory system (tests). */
  dataDir?: string
  port?: number
  host?: string
  /** The built portal; not served when absent. */
  webDist?: string
  seed?: boolean
  demoPassword?: string
  /** Run the scheduled job this often (npm start: every minute); off when absent. */
  jobsEverySeconds?: number
  evidenceLimits?: EvidenceLimits
  /** LiveKit for video; default LIVEKIT_URL/_API_KEY/_API_SECRET or `livekit-server --dev` on :7880. */
  video?: { url: string; apiKey: string; apiSecret: string }
  clock?: Clock
  log?: Logger
  print?: (line: string) => void
}

export interface RunningSystem {
  url: string
  dynamoEndpoint: string
  s3Endpoint: string
  deps: Deps
  outbox: ReturnType<typeof outboxSms>
  stop(): Promise<void>
  /** Stops and starts the local DynamoDB and S3 on the same ports (fault drills; DynamoDB needs a dataDir). */
  faults: {
    stopDynamo(): Promise<void>
    startDynamo(): Promise<void>
    stopS3(): Promise<void>
    startS3(): Promise<void>
  }
}

/**
 * The whole system in one process, as `npm start` and the browser tests run it: DynamoDB Local,
 * the local S3 server, the API and the built portal on one port. Only endpoints and the SMS sender
 * differ from AWS; the app is the same.
 */
export async function startSystem(options: SystemOptions = {}): Promise<RunningSystem> {
  const print = options.print ?? ((line: string) => console.log(line))
  const log = options.log ?? createLogger('warn')
  const stops: (() => Promise<void>)[] = []
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined)
  }
  try {
    const dbPath = options.dataDir ? join(options.dataDir, 'dynamodb') : undefined
    let dynamo = await startDynamoLocal(dbPath ? { dbPath } : {})
    stops.push(() => dynamo.stop())
    await ensureTable(dynamo.endpoint, LOCAL_TABLE)

    const s3Dir = options.dataDir ? join(options.dataDir, 's3') : mkdtempSync(join(tmpdir(), 'jiefen-s3-'))
    // Filled in once deps exist: the local S3 server's notifications run the same verification
    // that the S3-triggered Lambda runs in AWS.
    let onUpload: (notification: unknown) => void = () => undefined
    const s3Options = {
      directory: s3Dir,
      buckets: [LOCAL_EVIDENCE_BUCKET],
      onEvent: (n: unknown) => onUpload(n),
    }
    let s3 = await startS3Local(s3Options)
    const s3Port = Number(new URL(s3.endpoint).port)
    stops.push(() => s3.stop())

    const outbox = outboxSms(print)
    const db = documentClient({
      tableName: LOCAL_TABLE,
      region: LOCAL_REGION,
      endpoint: dynamo.endpoint,
      credentials: LOCAL_CREDENTIALS,
    })
    const deps: Deps = {
      store: dynamoStore(db, LOCAL_TABLE),
      sms: outbox,
      clock: options.clock ?? systemClock,
      crypto: nodeCrypto(localSecret(options.dataDir)),
      evidence: s3EvidenceStorage(
        s3Client({
          bucket: LOCAL_EVIDENCE_BUCKET,
          region: LOCAL_REGION,
          endpoint: s3.endpoint,
          credentials: LOCAL_S3_CREDENTIALS,
        }),
        LOCAL_EVIDENCE_BUCKET,
      ),
      limits: options.evidenceLimits ?? DEFAULT_EVIDENCE_LIMITS,
      pdf: agreementPdf(),
      video: localVideo(options.video),
      log,
    }
    onUpload = (notification) => {
      for (const { caseId, evidenceId } of uploadedEvidence(notification as S3Notification)) {
        verifyEvidence(deps, caseId, evidenceId).catch((error) =>
          log.error('evidence verification failed', { caseId, evidenceId, error }),
        )
      }
    }
    const app = createApp({ deps, log, secureCookies: false, outbox, evidenceOrigin: s3.endpoint })
    // As behind CloudFront: /api/* goes to the API, everything else to the portal's files.
    const portal =
      options.webDist && existsSync(options.webDist)
        ? portalApp(options.webDist, {
            'Content-Security-Policy': contentSecurityPolicy(s3.endpoint, deps.video?.url),
            'X-Content-Type-Options': 'nosniff',
            'Permissions-Policy': PERMISSIONS_POLICY,
            'Referrer-Policy': 'strict-origin-when-cross-origin',
            'X-Frame-Options': 'DENY',
          })
        : undefined
    const dispatch = (request: Request, env: unknown) =>
      portal && !new URL(request.url).pathname.startsWith('/api/')
        ? portal.fetch(request, env)
        : app.fetch(request, env)

    const server = serve({
      fetch: dispatch,
      port: options.port ?? 0,
      hostname: options.host ?? '127.0.0.1',
    })
    await new Promise<void>((res, rej) => {
      server.once('listening', () => res())
      server.once('error', rej)
    })
    stops.push(() => new Promise<void>((res) => server.close(() => res())))
    const { port } = server.address() as AddressInfo
    const host =
      options.host && options.host !== '127.0.0.1' && options.host !== '0.0.0.0' ? options.host : 'localhost'
    deps.publicUrl = `http://${host}:${port}`
    // Seeded once the address is known, so the demo's SMS (the department's link…) are whole links.
    if (options.seed !== false) await seedDemo(deps, options.demoPassword)
    // Locally a timer stands in for EventBridge Scheduler: reminders, no-response closing, overdue marks.
    if (options.jobsEverySeconds) {
      const timer = setInterval(() => {
        runJobs(deps).catch((error) => log.error('scheduled job failed', { error }))
      }, options.jobsEverySeconds * 1000)
      timer.unref()
      stops.push(async () => clearInterval(timer))
    }
    return {
      url: `http://${host}:${port}`,
      dynamoEndpoint: dynamo.endpoint,
      s3Endpoint: s3.endpoint,
      deps,
      outbox,
      stop,
      faults: {
        async stopDynamo() {
          await dynamo.stop()
        },
        async startDynamo() {
          if (!dbPath) throw new Error('restarting DynamoDB Local keeps data only with a dataDir')
          dynamo = await startDynamoLocal({ dbPath, port: dynamo.port })
        },
        async stopS3() {
          await s3.stop()
        },
        async startS3() {
          s3 = await startS3Local({ ...s3Options, port: s3Port })
        },
      },
    }
  } catch (e) {
    await stop()
    throw e
  }
}

/** Locally the HMAC key is made once and kept with the data, so sessions survive a restart. */
function localSecret(dataDir: string | undefined): string {
  if (!dataDir) return randomBytes(32).toString('base64url')
  mkdirSync(dataDir, { recursive: true })
  const file = join(dataDir, 'secret')
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 })
  return readFileSync(file, 'utf8').trim()
}

function localVideo(given?: { url: string; apiKey: string; apiSecret: string }) {
  const url = given?.url ?? process.env.LIVEKIT_URL ?? 'ws://localhost:7880'
  const apiKey = given?.apiKey ?? process.env.LIVEKIT_API_KEY ?? 'devkey'
  const apiSecret = given?.apiSecret ?? process.env.LIVEKIT_API_SECRET ?? 'secret'
  return liveKitVideo({ url, credentials: async () => ({ apiKey, apiSecret }) })
}
