import { z } from 'zod'

/**
 * The environment, read and checked once at load. A missing or malformed setting stops the process
 * with the names of what is wrong (never their values, which may be secrets).
 */
const Env = z
  .object({
    JIEFEN_MODE: z.enum(['local', 'aws']).default('aws'),
    TABLE_NAME: z.string().min(3),
    AWS_REGION: z.string().min(1).default('ap-east-1'),
    DYNAMODB_ENDPOINT: z.url().optional(),
    /** HMAC key for phone keys, OTP hashes. Locally generated into .data/; in AWS from Secrets Manager. */
    JIEFEN_SECRET: z.string().min(32).optional(),
    JIEFEN_SECRET_ARN: z.string().startsWith('arn:').optional(),
    SMS_SENDER: z.enum(['outbox', 'sns']).optional(),
    EVIDENCE_BUCKET: z.string().min(3),
    S3_ENDPOINT: z.url().optional(),
    EVIDENCE_MAX_FILE_MB: z.coerce.number().int().positive().max(5000).default(50),
    EVIDENCE_MAX_CASE_MB: z.coerce.number().int().positive().max(50000).default(200),
    PUBLIC_URL: z.url().optional(),
    /** Stage time limits in days, e.g. "submitted=3,awaiting_consent=7,in_mediation=30". */
    STAGE_DAYS: z
      .string()
      .regex(
        /^(submitted|awaiting_consent|in_mediation)=\d{1,3}(,(submitted|awaiting_consent|in_mediation)=\d{1,3})*$/,
      )
      .optional(),
    /** Where clients connect to LiveKit; locally `livekit-server --dev` by default. Unset in AWS = no video. */
    LIVEKIT_URL: z.url().optional(),
    LIVEKIT_API_KEY: z.string().min(1).optional(),
    LIVEKIT_API_SECRET: z.string().min(1).optional(),
    /** In AWS: a secret whose value is {"apiKey": …, "apiSecret": …}. */
    LIVEKIT_SECRET_ARN: z.string().startsWith('arn:').optional(),
    /** In AWS: the secret CloudFront sends in x-jiefen-origin (see functions/api/source.ts). */
    ORIGIN_SECRET_ARN: z.string().startsWith('arn:').optional(),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    /** The CJK font for agreement PDFs; in Lambda a file copied beside the bundle, locally the npm package's. */
    AGREEMENT_FONT_PATH: z.string().startsWith('/').optional(),
  })
  .refine((e) => e.JIEFEN_SECRET || e.JIEFEN_SECRET_ARN, {
    path: ['JIEFEN_SECRET'],
    message: 'set JIEFEN_SECRET or JIEFEN_SECRET_ARN',
  })

export type Config = ReturnType<typeof loadConfig>

export function loadConfig(env: Record<string, string | undefined> = process.env) {
  const parsed = Env.safeParse(env)
  if (!parsed.success) {
    const names = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
    throw new Error(`Jiefen configuration is invalid: ${names}`)
  }
  const e = parsed.data
  return {
    mode: e.JIEFEN_MODE,
    tableName: e.TABLE_NAME,
    region: e.AWS_REGION,
    dynamoEndpoint: e.DYNAMODB_ENDPOINT,
    secret: e.JIEFEN_SECRET,
    secretArn: e.JIEFEN_SECRET_ARN,
    smsSender: e.SMS_SENDER ?? (e.JIEFEN_MODE === 'local' ? 'outbox' : 'sns'),
    logLevel: e.LOG_LEVEL,
    publicUrl: e.PUBLIC_URL,
    stageDays: e.STAGE_DAYS
      ? Object.fromEntries(
          e.STAGE_DAYS.split(',').map((pair) => [pair.split('=')[0], Number(pair.split('=')[1])]),
        )
      : undefined,
    evidenceBucket: e.EVIDENCE_BUCKET,
    s3Endpoint: e.S3_ENDPOINT,
    evidenceLimits: {
      maxFileBytes: e.EVIDENCE_MAX_FILE_MB * 1024 * 1024,
      maxCaseBytes: e.EVIDENCE_MAX_CASE_MB * 1024 * 1024,
    },
    video: videoConfig(e),
    /** Cookies are Secure in AWS (HTTPS only); locally the portal runs on http://localhost. */
    secureCookies: e.JIEFEN_MODE === 'aws',
    agreementFontPath: e.AGREEMENT_FONT_PATH,
    originSecretArn: e.ORIGIN_SECRET_ARN,
  }
}

/** LiveKit settings; locally the defaults of `livekit-server --dev` (ws://localhost:7880, devkey/secret). */
function videoConfig(e: {
  JIEFEN_MODE: 'local' | 'aws'
  LIVEKIT_URL?: string
  LIVEKIT_API_KEY?: string
  LIVEKIT_API_SECRET?: string
  LIVEKIT_SECRET_ARN?: string
}) {
  const local = e.JIEFEN_MODE === 'local'
  const url = e.LIVEKIT_URL ?? (local ? 'ws://localhost:7880' : undefined)
  if (!url) return undefined
  if (e.LIVEKIT_API_KEY && e.LIVEKIT_API_SECRET)
    return { url, apiKey: e.LIVEKIT_API_KEY, apiSecret: e.LIVEKIT_API_SECRET }
  const secretArn = e.LIVEKIT_SECRET_ARN
  if (secretArn) return { url, secretArn }
  if (local) return { url, apiKey: 'devkey', apiSecret: 'secret' }
  return undefined
}
