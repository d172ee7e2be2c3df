import { existsSync } from 'node:fs'
import { join } from 'node:path'
import {
  CfnOutput,
  DefaultStackSynthesizer,
  Duration,
  Stack,
  type StackProps,
  Token,
  Validations,
} from 'aws-cdk-lib'
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as EdgeFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront'
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins'
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3'
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment'
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager'
import { RegionInfo } from 'aws-cdk-lib/region-info'
import type { Construct } from 'constructs'
import { contentSecurityPolicy, PERMISSIONS_POLICY } from '../functions/api/app.ts'
import { ORIGIN_HEADER } from '../functions/api/source.ts'
import { VIEWER_HOST_HEADER } from '../functions/handlers/viewer-host.ts'
import { acknowledgeAutoDelete } from './cdk-owned.ts'
import { stageSettings } from './stage.ts'

export interface WebStackProps extends StackProps {
  stage: string
  /** Host name of the HTTP API (`<id>.execute-api.<region>.amazonaws.com`), the `/api/*` origin. */
  apiDomain: string
  /** Sent to the API in `x-jiefen-origin` on every request, resolved by CloudFormation at deploy. */
  originSecret: ISecret
  /** `https://<bucket>.s3.<region>.amazonaws.com`: where the portal uploads and views evidence. */
  evidenceOrigin: string
  /** The built portal (web/dist). Without it the bucket is left empty: synth must not need a build. */
  webDist?: string
  /** LiveKit's `wss://` URL, which the portal's CSP must let the browser connect to. */
  liveKitUrl?: string
  /** The CloudFront-scope web ACL (infra/edge.ts, or one given as `-c webAclArn=`). */
  webAclArn?: string
  /** Why there is no web ACL, when there is none (recorded as the cdk-nag acknowledgement). */
  noWafReason?: string
}

/** Browser features the portal may use: one definition, shared with the local server. */
export { PERMISSIONS_POLICY }

/**
 * Regions CloudFront cannot deliver standard logs to (AWS CloudFront developer guide, "Choosing an
 * Amazon S3 bucket for your standard logs").
 */
const NO_CLOUDFRONT_LOG_REGIONS = new Set([
  'af-south-1',
  'ap-east-1',
  'ap-south-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ca-west-1',
  'eu-central-2',
  'eu-south-1',
  'eu-south-2',
  'il-central-1',
  'me-central-1',
  'me-south-1',
])

/**
 * Client-side routes (/apply, /cases/…) are all the same page. Rewriting them here, on the site
 * behaviour only, keeps `/api/*` errors intact: a distribution-wide 403/404 → index.html rule
 * would turn an API 404 into a 200 HTML page.
 */
export const SPA_REWRITE_CODE = `function handler(event) {
  var request = event.request;
  var last = request.uri.split('/').pop();
  if (last.indexOf('.') === -1) request.uri = '/index.html';
  return request;
}`

/** Passes the browser's host to the API (see functions/handlers/viewer-host.ts). */
export const VIEWER_HOST_CODE = `function handler(event) {
  var request = event.request;
  request.headers['${VIEWER_HOST_HEADER}'] = { value: request.headers.host.value };
  return request;
}`

/**
 * The portal: a private bucket behind CloudFront, and CloudFront in front of the API too, so the
 * browser sees one origin (session cookies stay first-party, no CORS, one CSP).
 */
export class WebStack extends Stack {
  readonly distribution: Distribution
  readonly siteBucket: Bucket

  constructor(scope: Construct, id: string, props: WebStackProps) {
    super(scope, id, props)
    const settings = stageSettings(props.stage)

    // CloudFront standard logs need ACLs on the target bucket (BUCKET_OWNER_PREFERRED); S3 server
    // access logs need S3-managed encryption. One bucket serves both, under separate prefixes.
    const logs = new Bucket(this, 'Logs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(400) }],
      removalPolicy: settings.removalPolicy,
      autoDeleteObjects: settings.autoDeleteObjects,
    })
    Validations.of(logs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket receives the site bucket and CloudFront logs; logging it too would only log the logging.',
    })

    this.siteBucket = new Bucket(this, 'Site', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'site/',
      // Every file is rebuilt from the repository by a deploy, so nothing here is a record; still
      // retained outside dev like every store (a non-empty bucket would fail the delete anyway).
      removalPolicy: settings.removalPolicy,
      autoDeleteObjects: settings.autoDeleteObjects,
    })
    if (settings.autoDeleteObjects) acknowledgeAutoDelete(this)

    // The same headers the local server and the API send, so the portal behaves the same in
    // both places; contentSecurityPolicy is the one definition in functions/api/app.ts. The
    // evidence bucket's origin is in it so the browser may POST uploads there and show the files.
    const securityHeaders = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: `Jiefen ${props.stage}: security headers`,
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: contentSecurityPolicy(props.evidenceOrigin, props.liveKitUrl),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          override: true,
        },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
        contentTypeOptions: { override: true },
      },
      customHeadersBehavior: {
        customHeaders: [{ header: 'Permissions-Policy', value: PERMISSIONS_POLICY, override: true }],
      },
    })

    const spaRewrite = new EdgeFunction(this, 'SpaRewrite', {
      comment: 'Client-side routes load index.html',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(SPA_REWRITE_CODE),
    })
    const viewerHost = new EdgeFunction(this, 'ViewerHost', {
      comment: 'Tell the API which host the browser used',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(VIEWER_HOST_CODE),
    })

    const region = Stack.of(this).region
    // Where the region is known and CloudFront cannot log to it, logging is left off (acknowledged
    // below) rather than failing the deploy; the API's own access logs still cover /api/*.
    const canLog = Token.isUnresolved(region) || !NO_CLOUDFRONT_LOG_REGIONS.has(region)

    this.distribution = new Distribution(this, 'Cdn', {
      comment: `Jiefen ${props.stage}`,
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      // Includes the Hong Kong and other Asian edges the portal's users are closest to.
      priceClass: PriceClass.PRICE_CLASS_200,
      webAclId: props.webAclArn,
      ...(canLog ? { enableLogging: true, logBucket: logs, logFilePrefix: 'cloudfront/' } : {}),
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.siteBucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: securityHeaders,
        functionAssociations: [{ function: spaRewrite, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        '/api/*': {
          origin: new HttpOrigin(props.apiDomain, {
            protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
            originSslProtocols: [OriginSslPolicy.TLS_V1_2],
            // Proof the request came through here: the API believes CloudFront-Viewer-Address
            // only with it. CloudFront overwrites a viewer's header of the same name.
            customHeaders: { [ORIGIN_HEADER]: props.originSecret.secretValue.unsafeUnwrap() },
          }),
          // A redirect would turn a POST into a GET; API calls over plain HTTP are simply refused.
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          // Answers depend on the session cookie; the API marks them no-store anyway.
          cachePolicy: CachePolicy.CACHING_DISABLED,
          // Cookies, query strings and headers reach the API, but not the Host header: API
          // Gateway routes by its own host name.
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: securityHeaders,
          functionAssociations: [{ function: viewerHost, eventType: FunctionEventType.VIEWER_REQUEST }],
        },
      },
    })
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'No geo restriction: citizens must reach their cases wherever they are (working elsewhere, travelling); access is controlled by sign-in, not by geography.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'No custom domain yet, so the default *.cloudfront.net certificate is used and CloudFront does not allow choosing its minimum TLS version. Set TLSv1.2_2021 together with the custom domain.',
      },
    )
    if (!props.webAclArn) {
      if (!props.noWafReason) throw new Error('the web stack needs a web ACL or the reason it has none')
      Validations.of(this.distribution).acknowledge({ id: 'AwsSolutions-CFR2', reason: props.noWafReason })
    }
    if (!canLog) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR3',
        reason: `CloudFront cannot deliver standard logs to buckets in ${region}; the API's access logs still record every /api/* call.`,
      })
    }

    if (props.webDist && existsSync(join(props.webDist, 'index.html'))) {
      this.deployPortal(props.webDist)
    }

    new CfnOutput(this, 'SiteUrl', { value: `https://${this.distribution.distributionDomainName}` })
  }

  /**
   * Uploads the built portal. Hashed files under assets/ are cached for a year; everything else
   * (index.html above all) must be revalidated, so a deploy is visible on the next page load. The
   * assets go first and old ones are kept, so a page loaded just before a deploy can still fetch
   * the chunks it references.
   */
  private deployPortal(webDist: string) {
    const assets = new BucketDeployment(this, 'DeployAssets', {
      sources: [Source.asset(webDist)],
      destinationBucket: this.siteBucket,
      exclude: ['*'],
      include: ['assets/*'],
      prune: false,
      cacheControl: [CacheControl.fromString('public, max-age=31536000, immutable')],
    })
    const pages = new BucketDeployment(this, 'DeployPages', {
      sources: [Source.asset(webDist)],
      destinationBucket: this.siteBucket,
      exclude: ['assets/*'],
      prune: false,
      cacheControl: [CacheControl.fromString('no-cache')],
      distribution: this.distribution,
      distributionPaths: ['/*'],
    })
    pages.node.addDependency(assets)
    this.acknowledgeDeploymentHandler()
  }

  /**
   * BucketDeployment runs a Lambda function CDK writes and shares across the stack; its runtime,
   * role and policy are CDK's, not ours. Each finding is named exactly (cdk-nag 3 has no prefix
   * matching), so a new kind of permission on it would still be reported.
   */
  private acknowledgeDeploymentHandler() {
    const stack = Stack.of(this)
    const handler = this.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'))
    if (!handler) throw new Error('BucketDeployment handler not found: CDK changed how it is built')
    const site = stack.getLogicalId(this.siteBucket.node.defaultChild as CfnBucket)
    const cdkOwned = 'Part of the CDK-provided BucketDeployment handler, which only runs during deploys.'
    Validations.of(handler).acknowledge(
      { id: 'AwsSolutions-L1', reason: `${cdkOwned} CDK picks and updates its runtime.` },
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: `${cdkOwned} The managed policy only lets it write its own logs.`,
      },
      ...['s3:GetBucket*', 's3:GetObject*', 's3:List*'].map((action) => ({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason: `${cdkOwned} Reads the uploaded portal from the CDK assets bucket only.`,
      })),
      ...['s3:Abort*', 's3:DeleteObject*'].map((action) => ({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason: `${cdkOwned} Writes to and replaces files in the portal bucket only.`,
      })),
      {
        id: `AwsSolutions-IAM5[Resource::${cdkAssetObjects(stack)}]`,
        reason: `${cdkOwned} Any object in the CDK assets bucket, because asset names are content hashes.`,
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${site}.Arn>/*]`,
        reason: `${cdkOwned} Every object in the portal bucket: a deploy replaces the whole site.`,
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: `${cdkOwned} CloudFront invalidation actions, which CDK grants on "*".`,
      },
    )
  }
}

/** The CDK bootstrap assets bucket's objects, spelled the way cdk-nag prints them. */
function cdkAssetObjects(stack: Stack): string {
  const known = (value: string, placeholder: string) => (Token.isUnresolved(value) ? placeholder : value)
  const partition = Token.isUnresolved(stack.region)
    ? '<AWS::Partition>'
    : (RegionInfo.get(stack.region).partition ?? '<AWS::Partition>')
  const qualifier =
    (stack.node.tryGetContext('@aws-cdk/core:bootstrapQualifier') as string | undefined) ??
    DefaultStackSynthesizer.DEFAULT_QUALIFIER
  const account = known(stack.account, '<AWS::AccountId>')
  const region = known(stack.region, '<AWS::Region>')
  return `arn:${partition}:s3:::cdk-${qualifier}-assets-${account}-${region}/*`
}
