import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CfnElement } from 'aws-cdk-lib'
import { Match, type Template } from 'aws-cdk-lib/assertions'
import { CachePolicy, OriginRequestPolicy } from 'aws-cdk-lib/aws-cloudfront'
import { beforeAll, describe, expect, it } from 'vitest'
import { contentSecurityPolicy } from '../../functions/api/app.ts'
import { ORIGIN_HEADER } from '../../functions/api/source.ts'
import { VIEWER_HOST_HEADER } from '../../functions/handlers/viewer-host.ts'
import { SPA_REWRITE_CODE, VIEWER_HOST_CODE } from '../../infra/web.ts'
import { synthesize, templateOf, unacknowledgedFindings } from './synth.ts'

let built: ReturnType<typeof synthesize>
let template: Template

beforeAll(() => {
  built = synthesize()
  template = templateOf(built.web)
})

type Behavior = Record<string, unknown> & { PathPattern?: string }
const distribution = () => {
  const all = Object.values(template.findResources('AWS::CloudFront::Distribution'))
  expect(all).toHaveLength(1)
  return all[0]!.Properties.DistributionConfig as {
    DefaultCacheBehavior: Behavior
    CacheBehaviors: Behavior[]
    CustomErrorResponses?: unknown[]
    Logging?: unknown
    DefaultRootObject: string
    Origins: { Id: string; DomainName: unknown; CustomOriginConfig?: unknown }[]
  }
}
const apiBehavior = () => distribution().CacheBehaviors.find((b) => b.PathPattern === '/api/*')

/** Runs a CloudFront Function's source the way the edge would, on a request with this URI. */
function runEdgeFunction(code: string, uri: string, host = 'd111.cloudfront.net') {
  const handler = new Function(`${code}; return handler`)() as (e: unknown) => {
    uri: string
    headers: Record<string, { value: string }>
  }
  return handler({ request: { uri, headers: { host: { value: host } } } })
}

describe('the web stack', () => {
  it('keeps the portal bucket private, encrypted and reachable over TLS only', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: Match.anyValue(),
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'site/' }),
    })
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy'))
    for (const p of policies) {
      expect(p.Properties.PolicyDocument.Statement).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      )
    }
    expect(policies.length).toBe(Object.keys(template.findResources('AWS::S3::Bucket')).length)
  })

  it('lets only CloudFront (through Origin Access Control) read the portal bucket', () => {
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1)
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Action: 's3:GetObject',
            Principal: { Service: 'cloudfront.amazonaws.com' },
          }),
        ]),
      },
    })
  })

  it('serves index.html at the root and has no distribution-wide error pages that would hide API errors', () => {
    expect(distribution().DefaultRootObject).toBe('index.html')
    expect(distribution().CustomErrorResponses).toBeUndefined()
  })

  it('rewrites client-side routes to index.html on the site behaviour, leaving files alone', () => {
    expect(runEdgeFunction(SPA_REWRITE_CODE, '/cases/01HXYZ').uri).toBe('/index.html')
    expect(runEdgeFunction(SPA_REWRITE_CODE, '/apply').uri).toBe('/index.html')
    expect(runEdgeFunction(SPA_REWRITE_CODE, '/assets/index-abc123.js').uri).toBe('/assets/index-abc123.js')
    expect(runEdgeFunction(SPA_REWRITE_CODE, '/favicon.ico').uri).toBe('/favicon.ico')
    const defaults = distribution().DefaultCacheBehavior
    expect(defaults.FunctionAssociations).toEqual([
      {
        EventType: 'viewer-request',
        FunctionARN: { 'Fn::GetAtt': [expect.stringMatching(/^SpaRewrite/), 'FunctionARN'] },
      },
    ])
  })

  it('does not run the SPA rewrite on /api/*', () => {
    expect(JSON.stringify(apiBehavior()?.FunctionAssociations)).not.toContain('SpaRewrite')
  })

  it('sends /api/* to the HTTP API uncached, with every method and all viewer headers but Host', () => {
    const api = apiBehavior()
    expect(api).toBeDefined()
    expect(api?.AllowedMethods).toEqual(
      expect.arrayContaining(['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE']),
    )
    expect(api?.CachePolicyId).toBe(CachePolicy.CACHING_DISABLED.cachePolicyId)
    expect(api?.OriginRequestPolicyId).toBe(
      OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId,
    )
    expect(api?.ViewerProtocolPolicy).toBe('https-only')
    const origin = distribution().Origins.find((o) => o.Id === api?.TargetOriginId)
    expect(JSON.stringify(origin?.DomainName)).toContain('.execute-api.')
    expect(origin?.CustomOriginConfig).toEqual({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    })
  })

  it('proves to the API that a request came through CloudFront, with a secret resolved at deploy time', () => {
    const api = apiBehavior()
    const origin = distribution().Origins.find((o) => o.Id === api?.TargetOriginId) as unknown as {
      OriginCustomHeaders?: { HeaderName: string; HeaderValue: unknown }[]
    }
    const header = origin.OriginCustomHeaders?.find((h) => h.HeaderName === ORIGIN_HEADER)
    expect(header).toBeDefined()
    // A dynamic reference to the data stack's secret: the value is in neither the template nor the code.
    const value = JSON.stringify(header?.HeaderValue)
    expect(value).toContain('{{resolve:secretsmanager:')
    expect(value).toContain(':SecretString:')
    expect(JSON.stringify(template.toJSON())).not.toMatch(/"HeaderValue":"[A-Za-z0-9]{48}"/)
  })

  it('tells the API which host the browser used', () => {
    const request = runEdgeFunction(VIEWER_HOST_CODE, '/api/auth/otp', 'jiefen.example.cn')
    expect(request.headers[VIEWER_HOST_HEADER]).toEqual({ value: 'jiefen.example.cn' })
    expect(JSON.stringify(apiBehavior()?.FunctionAssociations)).toContain('ViewerHost')
  })

  it('adds the shared security headers, CSP included, to the portal and the API', () => {
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: {
        SecurityHeadersConfig: {
          ContentSecurityPolicy: { ContentSecurityPolicy: Match.anyValue(), Override: true },
          StrictTransportSecurity: Match.objectLike({
            AccessControlMaxAgeSec: 63_072_000,
            IncludeSubdomains: true,
          }),
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
          ContentTypeOptions: { Override: true },
        },
      },
    })
    const policyId = Object.keys(template.findResources('AWS::CloudFront::ResponseHeadersPolicy'))[0]
    expect(distribution().DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({ Ref: policyId })
    expect(apiBehavior()?.ResponseHeadersPolicyId).toEqual({ Ref: policyId })
  })

  it('lets the portal upload to and show files from the evidence bucket, and nothing else', () => {
    const policy = Object.values(template.findResources('AWS::CloudFront::ResponseHeadersPolicy'))[0]!
    const csp = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy
    // The bucket's host name is only known at deploy time: every token in the policy must be the
    // data stack's evidence bucket's regional domain name, and the rest the shared policy.
    const bucket = built.data.getLogicalId(built.data.evidenceBucket.node.defaultChild as CfnElement)
    const host = 'evidence-bucket.s3.region.amazonaws.com'
    const parts = csp.ContentSecurityPolicy['Fn::Join'][1] as unknown[]
    const rendered = parts
      .map((part) => {
        if (typeof part === 'string') return part
        expect(JSON.stringify(part)).toContain(`FnGetAtt${bucket}RegionalDomainName`)
        return host
      })
      .join('')
    expect(rendered).toBe(contentSecurityPolicy(`https://${host}`))
    for (const directive of ['img-src', 'media-src', 'connect-src']) {
      expect(rendered).toMatch(new RegExp(`${directive} [^;]*https://${host}`))
    }
    expect(rendered).not.toMatch(new RegExp(`(default|script|style|form-action)[^;]*${host}`))
  })

  it('writes CloudFront access logs', () => {
    expect(distribution().Logging).toMatchObject({ Prefix: 'cloudfront/' })
  })

  it('synthesises without a built portal and then deploys nothing', () => {
    template.resourceCountIs('Custom::CDKBucketDeployment', 0)
  })

  it('has no AwsSolutions finding left unfixed or unexplained', () => {
    expect(unacknowledgedFindings(built.app, built.web)).toEqual([])
  })

  describe('with a built portal', () => {
    let withPortal: ReturnType<typeof synthesize>
    beforeAll(() => {
      const dist = mkdtempSync(join(tmpdir(), 'jiefen-dist-'))
      mkdirSync(join(dist, 'assets'))
      writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Jiefen</title>')
      writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)')
      withPortal = synthesize({ webDist: dist })
    })

    it('uploads hashed assets as immutable and pages as no-cache, invalidating CloudFront', () => {
      const t = templateOf(withPortal.web)
      t.resourceCountIs('Custom::CDKBucketDeployment', 2)
      t.hasResourceProperties('Custom::CDKBucketDeployment', {
        SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
        Prune: false,
      })
      t.hasResourceProperties('Custom::CDKBucketDeployment', {
        SystemMetadata: { 'cache-control': 'no-cache' },
        DistributionPaths: ['/*'],
      })
    })

    it('still has no AwsSolutions finding left unfixed or unexplained', () => {
      expect(unacknowledgedFindings(withPortal.app, withPortal.web)).toEqual([])
    })
  })

  describe('in a region CloudFront cannot log to', () => {
    let hongKong: ReturnType<typeof synthesize>
    beforeAll(() => {
      hongKong = synthesize({ env: { account: '111111111111', region: 'ap-east-1' } })
    })

    it('leaves CloudFront logging off instead of failing the deploy', () => {
      const config = Object.values(templateOf(hongKong.web).findResources('AWS::CloudFront::Distribution'))[0]
      expect(config?.Properties.DistributionConfig.Logging).toBeUndefined()
    })

    it('explains that in an acknowledgement', () => {
      expect(unacknowledgedFindings(hongKong.app, hongKong.web)).toEqual([])
    })
  })
})
