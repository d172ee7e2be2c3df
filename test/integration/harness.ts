import { inject } from 'vitest'
import { agreementPdf } from '../../functions/adapters/agreement-pdf.ts'
import { manualClock } from '../../functions/adapters/clock.ts'
import { nodeCrypto } from '../../functions/adapters/crypto.ts'
import { s3Client, s3EvidenceStorage } from '../../functions/adapters/evidence-s3.ts'
import { liveKitVideo } from '../../functions/adapters/livekit.ts'
import { createLogger } from '../../functions/adapters/log.ts'
import { outboxSms } from '../../functions/adapters/sms.ts'
import { createApp } from '../../functions/api/app.ts'
import { originCheck } from '../../functions/api/source.ts'
import { DEFAULT_EVIDENCE_LIMITS, type EvidenceLimits } from '../../functions/domain/evidence.ts'
import type { Deps, VideoService } from '../../functions/domain/ports.ts'
import { documentClient, dynamoStore } from '../../functions/store/dynamo.ts'
import { ensureTable, LOCAL_CREDENTIALS, LOCAL_REGION } from '../../infra/local/dynamodb-local.ts'
import { LOCAL_S3_CREDENTIALS } from '../../infra/local/s3-local.ts'
import { seedStaff } from '../../infra/local/seed.ts'

let tables = 0
export const STAFF_PASSWORD = 'test-password-1'
export const TEST_BUCKET = 'jiefen-evidence-test'
export const TEST_LIVEKIT = { apiKey: 'APItestkey', apiSecret: 'test-livekit-secret-test-livekit-secret' }

/**
 * The real app over DynamoDB Local with a fresh table, a clock the test moves and the local SMS
 * outbox. Requests go through `app.request`, the same code path as Lambda and Node.
 */
export async function makeSystem(
  options: {
    endpoint?: string
    s3Endpoint?: string
    logs?: string[]
    limits?: EvidenceLimits
    seedStaff?: boolean
    /** As in AWS: Secure cookies and HSTS. */
    secureCookies?: boolean
    /** As behind CloudFront: requests carrying this in x-jiefen-origin have their viewer address believed. */
    originSecret?: string
    /** The video service; default LiveKit with test keys at a closed port (tokens work, room calls fail). */
    video?: VideoService | null
  } = {},
) {
  const endpoint = options.endpoint ?? inject('dynamoEndpoint')
  const tableName = `jiefen-test-${process.pid}-${Date.now()}-${tables++}`
  await ensureTable(inject('dynamoEndpoint'), tableName)
  const clock = manualClock(new Date('2026-11-23T08:00:00Z'))
  const outbox = outboxSms(() => undefined)
  const db = documentClient({ tableName, region: LOCAL_REGION, endpoint, credentials: LOCAL_CREDENTIALS })
  const evidence = s3EvidenceStorage(
    s3Client({
      bucket: TEST_BUCKET,
      region: LOCAL_REGION,
      endpoint: options.s3Endpoint ?? inject('s3Endpoint'),
      credentials: LOCAL_S3_CREDENTIALS,
    }),
    TEST_BUCKET,
  )
  const deps: Deps = {
    store: dynamoStore(db, tableName),
    sms: outbox,
    clock,
    crypto: nodeCrypto('test-secret-test-secret-test-secret!'),
    evidence,
    limits: options.limits ?? DEFAULT_EVIDENCE_LIMITS,
    pdf: agreementPdf(),
    video:
      options.video === null
        ? undefined
        : (options.video ?? liveKitVideo({ url: 'ws://127.0.0.1:9', credentials: async () => TEST_LIVEKIT })),
  }
  const logs = options.logs ?? []
  const log = createLogger('debug', (l) => logs.push(l))
  deps.log = log
  const app = createApp({
    deps,
    log,
    secureCookies: options.secureCookies ?? false,
    outbox,
    ...(options.originSecret
      ? { fromCloudFront: originCheck(async () => options.originSecret as string) }
      : {}),
  })

  const call = (
    method: string,
    path: string,
    init: { body?: unknown; cookie?: string; headers?: Record<string, string> } = {},
  ) =>
    app.request(path, {
      method,
      headers: {
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(init.cookie ? { cookie: init.cookie } : {}),
        ...init.headers,
      },
      body:
        init.body === undefined
          ? undefined
          : typeof init.body === 'string'
            ? init.body
            : JSON.stringify(init.body),
    })

  /** The last code the outbox holds for a phone. */
  const lastCode = (phone: string) => {
    const texts = outbox.read(phone)
    const match = /(\d{6})/.exec(texts.at(-1)?.text ?? '')
    if (!match?.[1]) throw new Error(`no code sent to ${phone}`)
    return match[1]
  }

  /** Signs a phone in through the API and returns its session cookie. */
  const signIn = async (phone: string) => {
    const sent = await call('POST', '/api/auth/otp', { body: { phone } })
    if (sent.status !== 200) throw new Error(`otp request failed: ${sent.status} ${await sent.text()}`)
    const verified = await call('POST', '/api/auth/otp/verify', { body: { phone, code: lastCode(phone) } })
    if (verified.status !== 200)
      throw new Error(`otp verify failed: ${verified.status} ${await verified.text()}`)
    const cookie = verified.headers.get('set-cookie')?.split(';')[0]
    if (!cookie) throw new Error('no session cookie')
    return cookie
  }

  /** Signs a member of staff in (demo password) and returns the session cookie. */
  const staffSignIn = async (username: string, extra: { password?: string; totp?: string } = {}) => {
    const res = await call('POST', '/api/auth/staff/login', {
      body: {
        username,
        password: extra.password ?? STAFF_PASSWORD,
        ...(extra.totp ? { totp: extra.totp } : {}),
      },
    })
    if (res.status !== 200) throw new Error(`staff login failed: ${res.status} ${await res.text()}`)
    return res.headers.get('set-cookie')?.split(';')[0] ?? ''
  }
  if (options.seedStaff) await seedStaff(deps, STAFF_PASSWORD)

  return { app, deps, clock, outbox, call, lastCode, signIn, staffSignIn, tableName, db, logs }
}

export const validCase = () => ({
  disputeType: 'wage_arrears',
  description: '饭店老板欠我两个月工资六千元，我已经离职回老家了。',
  location: { district: '滨河区', street: '城东街道' },
  occurredOn: '2026-09-30',
  respondent: { name: '王某', phone: '13900139000' },
  amountInDispute: 6000,
  desiredOutcome: '结清工资',
  meetingPreference: 'video',
})

let keys = 0
export const newKey = () => `test-key-${process.pid}-${Date.now()}-${keys++}`
