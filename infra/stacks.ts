import { resolve } from 'node:path'
import type { App, Environment } from 'aws-cdk-lib'
import { ApiStack } from './api.ts'
import { DataStack, evidenceOrigin } from './data.ts'
import { REPO_ROOT } from './function.ts'
import { WebStack } from './web.ts'

export interface BuildOptions {
  /** Separates deployments in one account: `dev`, `staging`, `prod`. */
  stage: string
  env?: Environment
  /**
   * Where the portal's presigned evidence uploads may come from (e.g. `https://jiefen.example.cn`).
   * Until a custom domain exists, any CloudFront host: the POST policy is what guards uploads.
   */
  siteOrigins?: string[]
  /** The built portal; `null` to never deploy it (tests). Defaults to web/dist when it exists. */
  webDist?: string | null
  /**
   * The portal's address as citizens type it (`https://jiefen.example.cn`, or the distribution's
   * `https://d….cloudfront.net` from the web stack's SiteUrl output), given to the API and the
   * scheduled job as PUBLIC_URL for the links in SMS. It cannot be read from the distribution
   * itself: the web stack depends on the API stack, so the API referring back would be a cycle.
   * Hence a first deploy without it (links are bare paths), then again with it.
   */
  publicUrl?: string
}

/** An https origin with nothing after the host: SMS links are built as `${publicUrl}/cases/…`. */
const PUBLIC_URL = /^https:\/\/[a-z0-9.-]+(:\d+)?$/i

const STAGE = /^[a-z][a-z0-9-]{1,20}$/

/**
 * All of Jiefen's stacks for one stage, in dependency order: data ← api ← web. Exported so tests
 * synthesise exactly what `cdk synth` does, without the CLI.
 */
export function buildApp(app: App, options: BuildOptions) {
  const { stage, env } = options
  if (!STAGE.test(stage)) throw new Error(`stage must match ${STAGE}, not "${stage}"`)
  if (options.publicUrl !== undefined && !PUBLIC_URL.test(options.publicUrl))
    throw new Error(
      `publicUrl must be an https origin without a path or trailing slash, not "${options.publicUrl}"`,
    )
  const prefix = `Jiefen-${stage}`
  const tags = { project: 'jiefen', stage }

  const data = new DataStack(app, `${prefix}-Data`, {
    env,
    tags,
    stage,
    description: `Jiefen ${stage}: case table, evidence bucket, keys and secrets`,
    siteOrigins: options.siteOrigins ?? ['https://*.cloudfront.net'],
  })
  const api = new ApiStack(app, `${prefix}-Api`, {
    env,
    tags,
    stage,
    description: `Jiefen ${stage}: HTTP API, its Lambda function, the evidence verifier and the scheduled job`,
    table: data.table,
    secret: data.secret,
    evidenceBucket: data.evidenceBucket,
    evidenceBucketArnExport: data.evidenceBucketArnExport,
    publicUrl: options.publicUrl,
  })
  const web = new WebStack(app, `${prefix}-Web`, {
    env,
    tags,
    stage,
    description: `Jiefen ${stage}: portal bucket and CloudFront distribution`,
    apiDomain: api.apiDomain,
    evidenceOrigin: evidenceOrigin(data.evidenceBucket),
    webDist: options.webDist === null ? undefined : (options.webDist ?? resolve(REPO_ROOT, 'web/dist')),
  })
  return { data, api, web }
}
