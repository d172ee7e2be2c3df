import type { CfnElement, Stack } from 'aws-cdk-lib'
import { Match, type Template } from 'aws-cdk-lib/assertions'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { count, instrument, METRIC, telemetry } from '../../functions/adapters/observability.ts'
import { CONTENT_SECURITY_POLICY } from '../../functions/api/app.ts'
import { AUTH_PATH_PREFIX } from '../../infra/edge.ts'
import { ALARM } from '../../infra/monitoring.ts'
import { stageSettings } from '../../infra/stage.ts'
import { PERMISSIONS_POLICY } from '../../infra/web.ts'
import { synthesize, templateOf, unacknowledgedFindings } from './synth.ts'

const ENV = { account: '111111111111', region: 'ap-east-1' }
type Built = ReturnType<typeof synthesize>
const stacksOf = (b: Built): Stack[] => [b.data, b.api, b.web, ...(b.edge ? [b.edge] : [])]
const resources = (stack: Stack, type: string) => Object.values(templateOf(stack).findResources(type))

let prod: Built
let dev: Built

beforeAll(() => {
  prod = synthesize({ stage: 'prod', env: ENV, liveKitUrl: 'wss://jiefen.livekit.cloud' })
  dev = synthesize({ stage: 'dev', env: ENV })
})

describe('alarms', () => {
  let t: Template
  const alarm = (name: string) => {
    const found = Object.entries(t.findResources('AWS::CloudWatch::Alarm')).filter(([id]) =>
      id.startsWith(`Monitoring${name}`),
    )
    expect(found, name).toHaveLength(1)
    return found[0]![1].Properties as Record<string, unknown>
  }
  beforeAll(() => {
    t = templateOf(prod.api)
  })

  it('sends every alarm, and its recovery, to one KMS-encrypted topic that refuses plain HTTP', () => {
    const topics = t.findResources('AWS::SNS::Topic')
    expect(Object.keys(topics)).toHaveLength(1)
    const [topicId, topic] = Object.entries(topics)[0]!
    expect(topic.Properties.KmsMasterKeyId).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/TopicKey/), 'Arn'],
    })
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    })
    // CloudWatch must be able to use the key, or encrypted alarm notifications are silently dropped.
    t.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Effect: 'Allow' }),
        ]),
      },
    })
    const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm'))
    expect(alarms.length).toBeGreaterThanOrEqual(11)
    for (const a of alarms) {
      expect(a.Properties.AlarmActions).toEqual([{ Ref: topicId }])
      expect(a.Properties.OKActions).toEqual([{ Ref: topicId }])
      expect(a.Properties.TreatMissingData).toBe('notBreaching')
      expect(a.Properties.AlarmDescription).toContain('docs/OPERATING.md')
    }
  })

  it('alarms on the API 5xx rate only when there is traffic enough to mean something', () => {
    const a = alarm('Api5xxRate')
    expect(a).toMatchObject({
      Threshold: ALARM.serverErrorRate.percent,
      EvaluationPeriods: ALARM.serverErrorRate.periods,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    })
    const metrics = a.Metrics as { Expression?: string; MetricStat?: { Metric: { MetricName: string } } }[]
    expect(metrics.find((m) => m.Expression)?.Expression).toBe(
      `IF(requests >= ${ALARM.serverErrorRate.minRequests}, 100 * errors / requests, 0)`,
    )
    expect(
      metrics
        .map((m) => m.MetricStat?.Metric.MetricName)
        .filter(Boolean)
        .sort(),
    ).toEqual(['5xx', 'Count'])
  })

  it('alarms on API latency at p95 and p99', () => {
    for (const [name, stat, threshold] of [
      ['ApiLatencyP95', 'p95', ALARM.latencyP95Ms],
      ['ApiLatencyP99', 'p99', ALARM.latencyP99Ms],
    ] as const) {
      const a = alarm(name)
      expect(a.Threshold).toBe(threshold)
      expect(a.Metrics).toEqual([
        expect.objectContaining({
          MetricStat: expect.objectContaining({
            Metric: expect.objectContaining({ Namespace: 'AWS/ApiGateway', MetricName: 'Latency' }),
            Stat: stat,
          }),
        }),
      ])
    }
  })

  it('alarms on errors and throttles of each of the three functions', () => {
    for (const [name, fn] of [
      ['Api', prod.api.fn],
      ['Evidence', prod.api.verifier],
      ['Jobs', prod.api.jobs.fn],
    ] as const) {
      const id = prod.api.getLogicalId(fn.node.defaultChild as CfnElement)
      for (const metric of ['Errors', 'Throttles']) {
        expect(alarm(`${name}${metric}`), `${name}${metric}`).toMatchObject({
          Namespace: 'AWS/Lambda',
          MetricName: metric,
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: id } }],
          Threshold: 1,
        })
      }
    }
  })

  it('alarms as soon as anything is in the scheduled job’s dead-letter queue', () => {
    const queue = prod.api.getLogicalId(prod.api.jobs.deadLetters.node.defaultChild as CfnElement)
    expect(alarm('JobsDeadLetters')).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }],
      Threshold: 1,
    })
  })

  it('alarms on DynamoDB read and write throttles of the case table', () => {
    const metrics = alarm('TableThrottles').Metrics as {
      Expression?: string
      MetricStat?: { Metric: { MetricName: string; Namespace: string } }
    }[]
    expect(metrics.find((m) => m.Expression)?.Expression).toBe('reads + writes')
    expect(
      metrics
        .map((m) => m.MetricStat?.Metric)
        .filter(Boolean)
        .map((m) => `${m!.Namespace} ${m!.MetricName}`)
        .sort(),
    ).toEqual(['AWS/DynamoDB ReadThrottleEvents', 'AWS/DynamoDB WriteThrottleEvents'])
  })

  it('subscribes the operator’s address when one is given', () => {
    const withEmail = synthesize({ stage: 'prod', alarmEmail: 'ops@jiefen.example.cn' })
    templateOf(withEmail.api).hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@jiefen.example.cn',
    })
    t.resourceCountIs('AWS::SNS::Subscription', 0)
  })
})

describe('the dashboard', () => {
  it('shows the alarms, the API, the functions, the table, the dead letters and the app’s own metrics', () => {
    const dashboards = resources(prod.api, 'AWS::CloudWatch::Dashboard')
    expect(dashboards).toHaveLength(1)
    expect(dashboards[0]!.Properties.DashboardName).toBe('Jiefen-prod')
    const body = JSON.stringify(dashboards[0]!.Properties.DashboardBody)
    for (const needle of [
      'alarm',
      'AWS/ApiGateway',
      'AWS/Lambda',
      'AWS/DynamoDB',
      'ApproximateNumberOfMessagesVisible',
      'Jiefen/prod',
      METRIC.caseCreated,
      METRIC.serverError,
      METRIC.evidenceRejected,
      METRIC.jobMarkedOverdue,
      METRIC.jobFollowUpsSent,
    ]) {
      expect(body, needle).toContain(needle)
    }
  })
})

describe('stages', () => {
  it('throttles the HTTP API by stage', () => {
    for (const [b, s] of [
      [prod, stageSettings('prod')],
      [dev, stageSettings('dev')],
    ] as const) {
      templateOf(b.api).hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        DefaultRouteSettings: {
          ThrottlingRateLimit: s.apiThrottle.rateLimit,
          ThrottlingBurstLimit: s.apiThrottle.burstLimit,
        },
      })
    }
    expect(stageSettings('prod').apiThrottle.rateLimit).toBeGreaterThan(
      stageSettings('dev').apiThrottle.rateLimit,
    )
  })

  it('reserves concurrency for the API in prod and caps the evidence verifier in every stage', () => {
    const reserved = (b: Built) =>
      [b.api.fn, b.api.verifier, b.api.jobs.fn].map(
        (fn) =>
          templateOf(b.api).toJSON().Resources[b.api.getLogicalId(fn.node.defaultChild as CfnElement)]
            .Properties.ReservedConcurrentExecutions,
      )
    expect(reserved(prod)).toEqual([100, 20, 1])
    expect(reserved(dev)).toEqual([undefined, 5, 1])
  })

  it('keeps point-in-time recovery on the table in every stage', () => {
    for (const b of [prod, dev]) {
      templateOf(b.data).hasResourceProperties('AWS::DynamoDB::Table', {
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 35 },
      })
    }
  })

  it('retains every store in prod, and protects the table from deletion', () => {
    templateOf(prod.data).hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: true })
    for (const stack of stacksOf(prod)) {
      for (const type of [
        'AWS::DynamoDB::Table',
        'AWS::S3::Bucket',
        'AWS::KMS::Key',
        'AWS::SecretsManager::Secret',
        'AWS::Logs::LogGroup',
      ]) {
        for (const [id, r] of Object.entries(templateOf(stack).findResources(type))) {
          expect(r.DeletionPolicy, `${stack.stackName} ${id}`).toBe('Retain')
        }
      }
    }
    expect(JSON.stringify(templateOf(prod.data).toJSON())).not.toContain('Custom::S3AutoDeleteObjects')
  })

  it('lets `cdk destroy` remove dev whole: stores deleted, buckets emptied first', () => {
    templateOf(dev.data).hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: false })
    for (const stack of stacksOf(dev)) {
      const t = templateOf(stack)
      for (const type of [
        'AWS::DynamoDB::Table',
        'AWS::S3::Bucket',
        'AWS::KMS::Key',
        'AWS::SecretsManager::Secret',
      ]) {
        for (const [id, r] of Object.entries(t.findResources(type))) {
          expect(r.DeletionPolicy, `${stack.stackName} ${id}`).toBe('Delete')
        }
      }
      const buckets = Object.keys(t.findResources('AWS::S3::Bucket'))
      const emptied = Object.values(t.findResources('Custom::S3AutoDeleteObjects')).map(
        (r) => (r.Properties.BucketName as { Ref: string }).Ref,
      )
      expect(emptied.sort(), stack.stackName).toEqual(buckets.sort())
    }
  })

  it('bounds every log group’s retention by stage, and no function logs to a group without one', () => {
    for (const [b, days] of [
      [prod, 180],
      [dev, 14],
    ] as const) {
      for (const stack of stacksOf(b)) {
        const t = templateOf(stack)
        const groups = t.findResources('AWS::Logs::LogGroup')
        for (const [id, g] of Object.entries(groups)) {
          expect(g.Properties.RetentionInDays, `${stack.stackName} ${id}`).toBe(days)
        }
        // Every function, CDK's own helpers included, logs to one of those groups instead of an
        // implicit /aws/lambda/… group that would never expire.
        for (const [id, fn] of Object.entries(t.findResources('AWS::Lambda::Function'))) {
          const group = fn.Properties.LoggingConfig?.LogGroup as { Ref: string } | undefined
          expect(group && Object.keys(groups), `${stack.stackName} ${id}`).toContain(group?.Ref)
        }
      }
    }
  })

  it('sends each stage’s metrics to its own namespace', () => {
    for (const [b, ns] of [
      [prod, 'Jiefen/prod'],
      [dev, 'Jiefen/dev'],
    ] as const) {
      for (const fn of [b.api.fn, b.api.verifier, b.api.jobs.fn]) {
        const vars = templateOf(b.api).toJSON().Resources[
          b.api.getLogicalId(fn.node.defaultChild as CfnElement)
        ].Properties.Environment.Variables
        expect(vars.POWERTOOLS_METRICS_NAMESPACE).toBe(ns)
      }
    }
  })

  it('has no AwsSolutions finding left unfixed or unexplained in any stack of either stage', () => {
    for (const b of [prod, dev]) {
      for (const stack of stacksOf(b))
        expect(unacknowledgedFindings(b.app, stack), stack.stackName).toEqual([])
    }
  })
})

describe('WAF in front of CloudFront', () => {
  let acl: Record<string, unknown> & { Rules: Record<string, unknown>[] }
  beforeAll(() => {
    const acls = resources(prod.edge!, 'AWS::WAFv2::WebACL')
    expect(acls).toHaveLength(1)
    acl = acls[0]!.Properties
  })
  type Rule = Record<string, unknown> & { Statement: { RateBasedStatement?: object } }
  const rule = (name: string) => acl.Rules.find((r) => r.Name === name) as Rule

  it('lives in an edge stack in us-east-1, the only region that takes CloudFront web ACLs', () => {
    expect(prod.edge?.region).toBe('us-east-1')
    expect(prod.edge?.stackName).toBe('Jiefen-prod-Edge')
    expect(acl).toMatchObject({ Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} } })
  })

  it('limits each address over five minutes, tighter on sign-in, answering 429', () => {
    const limits = stageSettings('prod').wafRateLimits
    expect(rule('RateLimitAuth')).toMatchObject({
      Priority: 0,
      Action: { Block: { CustomResponse: { ResponseCode: 429 } } },
      Statement: {
        RateBasedStatement: {
          Limit: limits.auth,
          AggregateKeyType: 'IP',
          EvaluationWindowSec: 300,
          ScopeDownStatement: {
            ByteMatchStatement: { SearchString: AUTH_PATH_PREFIX, PositionalConstraint: 'STARTS_WITH' },
          },
        },
      },
    })
    expect(rule('RateLimitAll')).toMatchObject({
      Priority: 1,
      Statement: { RateBasedStatement: { Limit: limits.all, AggregateKeyType: 'IP' } },
    })
    expect(rule('RateLimitAll').Statement.RateBasedStatement).not.toHaveProperty('ScopeDownStatement')
  })

  it('adds AWS’s managed rules, letting long case descriptions through the body-size rule', () => {
    for (const name of [
      'AWSManagedRulesAmazonIpReputationList',
      'AWSManagedRulesKnownBadInputsRuleSet',
      'AWSManagedRulesCommonRuleSet',
    ]) {
      expect(rule(name), name).toMatchObject({
        OverrideAction: { None: {} },
        Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: name } },
      })
    }
    expect(rule('AWSManagedRulesCommonRuleSet')).toMatchObject({
      Statement: {
        ManagedRuleGroupStatement: {
          RuleActionOverrides: [{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }],
        },
      },
    })
  })

  it('logs only blocked and counted requests, with cookies and query strings redacted', () => {
    templateOf(prod.edge!).hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      RedactedFields: Match.arrayWith([{ SingleHeader: { Name: 'cookie' } }, { QueryString: {} }]),
      LoggingFilter: Match.objectLike({ DefaultBehavior: 'DROP' }),
      // The log group's ARN without the ":*" LogGroup.logGroupArn ends in, which WAF refuses.
      LogDestinationConfigs: ['arn:aws:logs:us-east-1:111111111111:log-group:aws-waf-logs-jiefen-prod'],
    })
    templateOf(prod.edge!).hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: 'aws-waf-logs-jiefen-prod',
    })
  })

  it('is attached to the distribution through a cross-region stack output', () => {
    const dist = resources(prod.web, 'AWS::CloudFront::Distribution')[0]!
    expect(dist.Properties.DistributionConfig.WebACLId).toEqual({
      'Fn::GetStackOutput': expect.objectContaining({ StackName: 'Jiefen-prod-Edge', Region: 'us-east-1' }),
    })
  })

  it('uses a web ACL given by ARN instead, with no edge stack', () => {
    const arn =
      'arn:aws:wafv2:us-east-1:111111111111:global/webacl/shared/0123abcd-0000-0000-0000-000000000000'
    const b = synthesize({ stage: 'prod', env: ENV, webAclArn: arn })
    expect(b.edge).toBeUndefined()
    expect(resources(b.web, 'AWS::CloudFront::Distribution')[0]!.Properties.DistributionConfig.WebACLId).toBe(
      arn,
    )
    expect(() =>
      synthesize({ webAclArn: 'arn:aws:wafv2:eu-west-1:111111111111:regional/webacl/x/y' }),
    ).toThrow(/webAclArn must be a CloudFront-scope/)
  })

  it('builds the edge stack without a region but cannot attach it, and says why', () => {
    const agnostic = synthesize({ stage: 'prod' })
    expect(agnostic.edge?.region).toBe('us-east-1')
    const dist = resources(agnostic.web, 'AWS::CloudFront::Distribution')[0]!
    expect(dist.Properties.DistributionConfig.WebACLId).toBeUndefined()
    expect(unacknowledgedFindings(agnostic.app, agnostic.web)).toEqual([])
  })
})

describe('security headers from CloudFront', () => {
  let config: Record<string, { [k: string]: unknown }>
  beforeAll(() => {
    config = resources(prod.web, 'AWS::CloudFront::ResponseHeadersPolicy')[0]!.Properties
      .ResponseHeadersPolicyConfig
  })

  it('sends a CSP without inline scripts that forbids framing', () => {
    const csp = CONTENT_SECURITY_POLICY
    const script = csp.split('; ').find((d) => d.startsWith('script-src'))
    expect(script).toBe("script-src 'self'")
    expect(csp).not.toContain('unsafe-inline')
    expect(csp).not.toContain('unsafe-eval')
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).toContain("default-src 'self'")
  })

  it('lets the portal connect to the LiveKit server the stage is configured with', () => {
    const csp = JSON.stringify(config.SecurityHeadersConfig)
    expect(csp).toMatch(/connect-src [^;]*wss:\/\/jiefen\.livekit\.cloud/)
    const devCsp = JSON.stringify(
      resources(dev.web, 'AWS::CloudFront::ResponseHeadersPolicy')[0]!.Properties.ResponseHeadersPolicyConfig,
    )
    expect(devCsp).not.toContain('wss:')
  })

  it('sends HSTS for two years, no framing, a strict referrer policy and nosniff', () => {
    expect(config.SecurityHeadersConfig).toMatchObject({
      StrictTransportSecurity: {
        AccessControlMaxAgeSec: 63_072_000,
        IncludeSubdomains: true,
        Override: true,
      },
      FrameOptions: { FrameOption: 'DENY' },
      ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin' },
      ContentTypeOptions: { Override: true },
    })
  })

  it('allows camera and microphone for our own origin only, and switches other features off', () => {
    expect(config.CustomHeadersConfig).toEqual({
      Items: [{ Header: 'Permissions-Policy', Value: PERMISSIONS_POLICY, Override: true }],
    })
    const features = Object.fromEntries(PERMISSIONS_POLICY.split(', ').map((f) => f.split('=')))
    expect(features.camera).toBe('(self)')
    expect(features.microphone).toBe('(self)')
    expect(features.geolocation).toBe('()')
    expect(features['display-capture']).toBe('()')
  })
})

describe('LiveKit configuration', () => {
  const vars = (b: Built) =>
    templateOf(b.api).toJSON().Resources[b.api.getLogicalId(b.api.fn.node.defaultChild as CfnElement)]
      .Properties.Environment.Variables

  it('gives the API the LiveKit URL from context and the secret’s ARN', () => {
    const secret = prod.data.getLogicalId(prod.data.liveKitSecret.node.defaultChild as CfnElement)
    expect(vars(prod).LIVEKIT_URL).toBe('wss://jiefen.livekit.cloud')
    expect(JSON.stringify(vars(prod).LIVEKIT_SECRET_ARN)).toContain(secret)
  })

  it('leaves LIVEKIT_URL unset without one, so the API says video is not configured', () => {
    expect(vars(dev)).not.toHaveProperty('LIVEKIT_URL')
    expect(vars(dev).LIVEKIT_SECRET_ARN).toBeDefined()
  })

  it('creates the secret with a placeholder for the operator to fill, encrypted with the data key', () => {
    const key = prod.data.getLogicalId(prod.data.key.node.defaultChild as CfnElement)
    templateOf(prod.data).hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({
        SecretStringTemplate: JSON.stringify({ apiKey: '' }),
        GenerateStringKey: 'apiSecret',
      }),
      KmsKeyId: { 'Fn::GetAtt': [key, 'Arn'] },
    })
  })

  it('lets the API, and only the API, read it', () => {
    const secret = prod.data.getLogicalId(prod.data.liveKitSecret.node.defaultChild as CfnElement)
    const readers = Object.values(templateOf(prod.api).findResources('AWS::IAM::Policy'))
      .filter((p) =>
        (p.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[]).some(
          (s) =>
            JSON.stringify(s.Action).includes('secretsmanager:GetSecretValue') &&
            JSON.stringify(s.Resource).includes(secret),
        ),
      )
      .map((p) => JSON.stringify(p.Properties.Roles))
    const apiRole = prod.api.getLogicalId(prod.api.fn.role!.node.defaultChild as CfnElement)
    expect(readers).toEqual([JSON.stringify([{ Ref: apiRole }])])
  })

  it('refuses a LiveKit URL browsers could not use from an HTTPS page', () => {
    for (const bad of ['ws://livekit.example.cn', 'https://livekit.example.cn', 'livekit.example.cn']) {
      expect(() => synthesize({ liveKitUrl: bad }), bad).toThrow(/livekitUrl must be a wss:\/\/ URL/)
    }
  })
})

describe('Powertools in the functions', () => {
  let lines: string[]
  beforeAll(() => {
    lines = []
  })
  afterEach(() => {
    vi.restoreAllMocks()
    lines = []
  })
  // Powertools writes warnings and errors to stderr, the rest to stdout; Lambda keeps both.
  const capture = () => {
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        lines.push(String(chunk))
        return true
      })
    }
  }

  it('masks phone and ID numbers in messages, attributes and errors', () => {
    capture()
    const { log } = telemetry('test', 'info')
    log.info('sms to 13912345678', { phone: '13912345678', id: '110101199003078515' })
    log.error('failed', { error: new Error('no case for 13912345678') })
    const out = lines.join('')
    expect(out).toContain('139****5678')
    expect(out).toContain('110101********8515')
    expect(out).not.toContain('13912345678')
    expect(out).not.toContain('110101199003078515')
  })

  it('publishes an invocation’s metrics once it ends, and nothing when there are none', async () => {
    capture()
    const t = telemetry('test', 'warn')
    const handler = instrument(t, async (n: number) => {
      if (n > 0) count(t.metrics, METRIC.caseCreated, n)
      return n
    })
    await expect(handler(2)).resolves.toBe(2)
    await handler(0)
    const emf = lines.filter((l) => l.includes('"_aws"'))
    expect(emf).toHaveLength(1)
    expect(JSON.parse(emf[0]!)).toMatchObject({ service: 'test', [METRIC.caseCreated]: 2 })
    expect(lines.join('')).not.toContain('No application metrics')
  })
})
