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
}

const STAGE = /^[a-z][a-z0-9-]{1,20}$/

/**
 * All of Jiefen's stacks for one stage, in dependency order: data ← api ← web. Exported so tests
 * synthesise exactly what `cdk synth` does, without the CLI.
 */
export function buildApp(app: App, options: BuildOptions) {
  const { stage, env } = options
  if (!STAGE.test(stage)) throw new Error(`stage must match ${STAGE}, not "${stage}"`)
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
    description: `Jiefen ${stage}: HTTP API, its Lambda function and the evidence verifier`,
    table: data.table,
    secret: data.secret,
    evidenceBucket: data.evidenceBucket,
    evidenceBucketArnExport: data.evidenceBucketArnExport,
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
