import { resolve } from 'node:path'
import { Annotations, type App, type Environment, Token } from 'aws-cdk-lib'
import { ApiStack } from './api.ts'
import { boundCdkFunctionLogs } from './cdk-owned.ts'
import { DataStack, evidenceOrigin } from './data.ts'
import { CLOUDFRONT_WAF_REGION, EdgeStack } from './edge.ts'
import { REPO_ROOT } from './function.ts'
import { stageSettings } from './stage.ts'
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
  /** `wss://…` where browsers reach LiveKit (LIVEKIT_URL); without it video is off. */
  liveKitUrl?: string
  /** An e-mail address subscribed to the alarm topic. */
  alarmEmail?: string
  /**
   * An existing CloudFront-scope web ACL to put in front of the distribution (e.g. one the
   * organisation's security team manages). Without it the app creates its own in an edge stack in
   * us-east-1 (infra/edge.ts).
   */
  webAclArn?: string
}

/** An https origin with nothing after the host: SMS links are built as `${publicUrl}/cases/…`. */
const PUBLIC_URL = /^https:\/\/[a-z0-9.-]+(:\d+)?$/i

const STAGE = /^[a-z][a-z0-9-]{1,20}$/

/** A LiveKit server URL as browsers use it: secure WebSocket only, since the portal is HTTPS. */
const LIVEKIT_URL = /^wss:\/\/[a-z0-9.-]+(:\d+)?(\/[^\s]*)?$/i

const WEB_ACL_ARN = /^arn:aws:wafv2:us-east-1:\d{12}:global\/webacl\/[\w-]+\/[\w-]+$/

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
  if (options.liveKitUrl !== undefined && !LIVEKIT_URL.test(options.liveKitUrl))
    throw new Error(`livekitUrl must be a wss:// URL, not "${options.liveKitUrl}"`)
  if (options.webAclArn !== undefined && !WEB_ACL_ARN.test(options.webAclArn))
    throw new Error(
      `webAclArn must be a CloudFront-scope (global) WAFv2 web ACL ARN, not "${options.webAclArn}"`,
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
    liveKitSecret: data.liveKitSecret,
    originSecret: data.originSecret,
    liveKitUrl: options.liveKitUrl,
    alarmEmail: options.alarmEmail,
  })
  const waf = edgeFirewall(app, prefix, options, tags)
  const web = new WebStack(app, `${prefix}-Web`, {
    env,
    tags,
    stage,
    description: `Jiefen ${stage}: portal bucket and CloudFront distribution`,
    apiDomain: api.apiDomain,
    originSecret: data.originSecret,
    evidenceOrigin: evidenceOrigin(data.evidenceBucket),
    webDist: options.webDist === null ? undefined : (options.webDist ?? resolve(REPO_ROOT, 'web/dist')),
    liveKitUrl: options.liveKitUrl,
    crossRegionReferences: waf.crossRegion,
    webAclArn: waf.arn,
    noWafReason: waf.noWafReason,
  })
  if (waf.warning) Annotations.of(web).addWarningV2('jiefen:wafNotAttached', waf.warning)
  for (const stack of [data, api, web, ...(waf.edge ? [waf.edge] : [])]) {
    boundCdkFunctionLogs(stack, stageSettings(stage))
  }
  return { data, api, web, edge: waf.edge }
}

/**
 * The web ACL for the distribution. CloudFront only takes CLOUDFRONT-scope ACLs, and WAF only
 * creates those in us-east-1, while the rest of the app lives in its own region. So: an ACL given
 * as `webAclArn`, or else an edge stack in us-east-1 whose ACL ARN reaches the web stack through
 * CDK's cross-region references (written to SSM in us-east-1, read back by a custom resource).
 * That needs both regions known at synth time, which they are whenever the CLI can deploy (it sets
 * CDK_DEFAULT_REGION); an offline synth without a region still builds the edge stack but cannot
 * attach it, and says so.
 */
function edgeFirewall(app: App, prefix: string, options: BuildOptions, tags: Record<string, string>) {
  if (options.webAclArn) return { arn: options.webAclArn, crossRegion: false }
  const region = options.env?.region
  const edge = new EdgeStack(app, `${prefix}-Edge`, {
    env: { account: options.env?.account, region: CLOUDFRONT_WAF_REGION },
    tags,
    stage: options.stage,
    description: `Jiefen ${options.stage}: CloudFront web ACL (WAF), which must live in ${CLOUDFRONT_WAF_REGION}`,
  })
  if (!region || Token.isUnresolved(region)) {
    return {
      edge,
      crossRegion: false,
      noWafReason:
        'Synthesised without a region, so the us-east-1 web ACL cannot be referenced; every deploy runs with a region (the CLI sets CDK_DEFAULT_REGION) and attaches it.',
      warning:
        'No region known: the web ACL in the edge stack is not attached to the distribution in this synthesis. Deploy with a region (AWS_REGION or a profile).',
    }
  }
  return { edge, arn: edge.webAcl.attrArn, crossRegion: region !== CLOUDFRONT_WAF_REGION }
}
