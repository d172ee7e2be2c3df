import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { AssetStaging, type CfnElement } from 'aws-cdk-lib'
import { Match, type Template } from 'aws-cdk-lib/assertions'
import type { Construct } from 'constructs'
import { AccessToken } from 'livekit-server-sdk'
import { beforeAll, describe, expect, it } from 'vitest'
import { METRIC } from '../../functions/adapters/observability.ts'
import { agreementPdfKey } from '../../functions/domain/agreement.ts'
import { evidenceKeys } from '../../functions/domain/evidence.ts'
import { TABLE_SCHEMA } from '../../functions/store/schema.ts'
import {
  EVIDENCE_OBJECTS,
  type JiefenFunction,
  LIVEKIT_BUNDLE,
  PDF_BUNDLE,
  S3_BUNDLE,
  TRACER_BUNDLE,
} from '../../infra/function.ts'
import { synthesize, templateOf, unacknowledgedFindings } from './synth.ts'

let built: ReturnType<typeof synthesize>
let template: Template
let bundleDir: string
let verifierBundleDir: string
let jobsBundleDir: string

const stagedPath = (scope: Construct) =>
  scope.node.findAll().find((c): c is AssetStaging => c instanceof AssetStaging)!.absoluteStagedPath

beforeAll(() => {
  // The one synthesis in the infra tests that runs esbuild, so the real bundles can be checked.
  built = synthesize({ bundle: true })
  template = templateOf(built.api)
  bundleDir = stagedPath(built.api.fn)
  verifierBundleDir = stagedPath(built.api.verifier)
  jobsBundleDir = stagedPath(built.api.jobs.fn)
})

type Statement = {
  Action: string | string[]
  Resource: unknown
  Effect: string
  Condition?: Record<string, Record<string, unknown>>
}
const logicalId = (scope: Construct) => built.api.getLogicalId(scope.node.defaultChild as CfnElement)
/** The statements in the role policies of one function (the API's by default). */
const statements = (fn: JiefenFunction = built.api.fn): Statement[] => {
  const role = logicalId(fn.role!)
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: role }]))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[])
}
const lambda = (fn: JiefenFunction) => template.findResources('AWS::Lambda::Function')[logicalId(fn)]!
const dataId = (scope: Construct) => built.data.getLogicalId(scope.node.defaultChild as CfnElement)
const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action])
const resources = (s: Statement) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource])

/**
 * The object patterns one action is granted on, as `<bucket>/…` strings. Fails on any resource
 * that is not the evidence bucket's ARN plus a fixed suffix.
 */
function s3Grants(fn: JiefenFunction, action: string): string[] {
  return statements(fn)
    .filter((s) => actions(s).includes(action))
    .flatMap(resources)
    .map((r) => {
      const parts = (r as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join']?.[1]
      expect(parts, JSON.stringify(r)).toHaveLength(2)
      expect(parts![0]).toEqual({ 'Fn::ImportValue': built.data.evidenceBucketArnExport })
      return `<bucket>${parts![1] as string}`
    })
    .sort()
}

/** Runs a bundled handler in its own Node process with the settings the stack gives it. */
async function runBundle(dir: string, body: string, extraEnv: Record<string, string> = {}): Promise<string> {
  return (await runBundleWithLogs(dir, body, extraEnv)).stdout
}

/** The same, keeping stderr too (Powertools writes warnings and errors there). */
async function runBundleWithLogs(dir: string, body: string, extraEnv: Record<string, string> = {}) {
  const script = `
    const { handler } = await import(${JSON.stringify(`file://${join(dir, 'index.mjs')}`)})
    ${body}`
  return promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    env: {
      PATH: process.env.PATH,
      JIEFEN_MODE: 'aws',
      TABLE_NAME: 'jiefen-bundle-test',
      EVIDENCE_BUCKET: 'jiefen-bundle-test-evidence',
      AWS_REGION: 'ap-east-1',
      JIEFEN_SECRET: 'a-test-secret-that-is-long-enough-000000',
      AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING: '1',
      ...extraEnv,
    },
    timeout: 20_000,
  })
}

describe('the API stack', () => {
  it('runs the API and the evidence verifier on Node 22 on ARM64 with active tracing', () => {
    for (const fn of [built.api.fn, built.api.verifier]) {
      expect(lambda(fn).Properties, fn.node.id).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Handler: 'index.handler',
      })
    }
  })

  it('tells both functions they run in AWS, which table and bucket to use and where the secret is', () => {
    for (const fn of [built.api.fn, built.api.verifier]) {
      expect(lambda(fn).Properties.Environment.Variables, fn.node.id).toEqual({
        JIEFEN_MODE: 'aws',
        TABLE_NAME: expect.anything(),
        JIEFEN_SECRET_ARN: expect.anything(),
        EVIDENCE_BUCKET: expect.anything(),
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_METRICS_NAMESPACE: 'Jiefen/test',
        // Video is the API's alone; the verifier never talks to LiveKit.
        ...(fn === built.api.fn ? { LIVEKIT_SECRET_ARN: expect.anything() } : {}),
        // Only the API applies per-address limits, so only it needs to recognise CloudFront.
        ...(fn === built.api.fn ? { ORIGIN_SECRET_ARN: expect.anything() } : {}),
        ...(fn === built.api.fn ? { AGREEMENT_FONT_PATH: '/var/task/NotoSansSC-Regular.ttf' } : {}),
      })
      const bucket = JSON.stringify(lambda(fn).Properties.Environment.Variables.EVIDENCE_BUCKET)
      expect(bucket).toContain(`Ref${dataId(built.data.evidenceBucket)}`)
    }
  })

  it('keeps the function’s logs for a bounded time', () => {
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup'))
    expect(groups.length).toBeGreaterThanOrEqual(2)
    for (const g of groups) expect(g.Properties.RetentionInDays).toBeGreaterThan(0)
  })

  it('bundles the handler as ESM with a require shim and a source map', () => {
    const code = readFileSync(join(bundleDir, 'index.mjs'), 'utf8')
    expect(code.startsWith('import { createRequire as __jiefenCreateRequire }')).toBe(true)
    expect(existsSync(join(bundleDir, 'index.mjs.map'))).toBe(true)
  })

  it('ships the agreement font beside the API bundle, read at run time and not bundled into the code', () => {
    expect(statSync(join(bundleDir, 'NotoSansSC-Regular.ttf')).size).toBeGreaterThan(5_000_000)
    expect(statSync(join(bundleDir, 'index.mjs')).size).toBeLessThan(5_000_000)
  })

  it('keeps the X-Ray tracer out of every handler bundle and ships it beside each as tracer.mjs', () => {
    for (const dir of [bundleDir, verifierBundleDir, jobsBundleDir]) {
      // A string only aws-xray-sdk-core contains: its setting for a missing trace context.
      expect(readFileSync(join(dir, 'index.mjs'), 'utf8')).not.toContain('AWS_XRAY_CONTEXT_MISSING')
      expect(readFileSync(join(dir, TRACER_BUNDLE), 'utf8')).toContain('AWS_XRAY_CONTEXT_MISSING')
    }
  })

  it('keeps pdf-lib and fontkit out of the API bundle and ships them beside it as pdf.mjs', () => {
    // A PDF dictionary key only a PDF writer contains.
    const marker = 'FontDescriptor'
    expect(readFileSync(join(bundleDir, 'index.mjs'), 'utf8').includes(marker)).toBe(false)
    expect(readFileSync(join(bundleDir, PDF_BUNDLE), 'utf8').includes(marker)).toBe(true)
  })

  it('keeps the S3 client out of every handler bundle and ships it beside each as s3.mjs', () => {
    // The service name every S3 command is signed for: only the S3 client contains it.
    const marker = 'AmazonS3'
    for (const dir of [bundleDir, verifierBundleDir, jobsBundleDir]) {
      expect(readFileSync(join(dir, 'index.mjs'), 'utf8').includes(marker)).toBe(false)
      expect(readFileSync(join(dir, S3_BUNDLE), 'utf8').includes(marker)).toBe(true)
    }
  })

  it('s3.mjs works on its own: it presigns an upload policy with no network', async () => {
    const script = `
      const { s3Client, s3EvidenceStorage } = await import(${JSON.stringify(join(bundleDir, S3_BUNDLE))})
      const storage = s3EvidenceStorage(s3Client({ bucket: 'b', region: 'ap-east-1' }), 'b')
      const ticket = await storage.presignUpload('cases/c/evidence/e/upload', 'image/jpeg', 1000, 60)
      process.stdout.write(JSON.stringify(ticket))`
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' },
    })
    const ticket = JSON.parse(stdout) as { url: string; fields: Record<string, string> }
    expect(ticket.url).toContain('ap-east-1')
    expect(ticket.fields.key).toBe('cases/c/evidence/e/upload')
  })

  it('keeps the LiveKit SDK out of the API bundle and ships it beside it as livekit.mjs', () => {
    // WebhookReceiver's own error text: only the LiveKit SDK contains it.
    const marker = 'sha256 checksum of body does not match'
    expect(readFileSync(join(bundleDir, 'index.mjs'), 'utf8').includes(marker)).toBe(false)
    expect(readFileSync(join(bundleDir, LIVEKIT_BUNDLE), 'utf8').includes(marker)).toBe(true)
    for (const dir of [verifierBundleDir, jobsBundleDir])
      expect(existsSync(join(dir, LIVEKIT_BUNDLE))).toBe(false)
  })

  it('loads livekit.mjs in Lambda: a correctly signed webhook gets past verification', async () => {
    const secret = 'bundle-test-livekit-secret-0123456789'
    const body = JSON.stringify({
      id: 'EV_bundle',
      event: 'room_finished',
      room: { name: 'jf-01jf0000000000000000000000' },
      createdAt: String(Math.floor(Date.now() / 1000)),
    })
    const at = new AccessToken('APIbundle', secret)
    at.sha256 = createHash('sha256').update(body).digest('base64')
    const signed = await at.toJwt()
    const invoke = (authorization: string) => `
      const context = { functionName: 'jiefen-api', awsRequestId: 'req-2', invokedFunctionArn: 'arn:aws:lambda:ap-east-1:111111111111:function:jiefen-api', memoryLimitInMB: '1024', functionVersion: '$LATEST', logGroupName: 'g', logStreamName: 's', callbackWaitsForEmptyEventLoop: true, getRemainingTimeInMillis: () => 10000 }
      const res = await handler({
        version: '2.0', routeKey: 'ANY /api/{proxy+}', rawPath: '/api/livekit/webhook', rawQueryString: '',
        headers: { host: 'abc.execute-api.ap-east-1.amazonaws.com', 'content-type': 'application/webhook+json', authorization: ${JSON.stringify(authorization)} },
        body: ${JSON.stringify(body)}, isBase64Encoded: false,
        requestContext: { domainName: 'abc.execute-api.ap-east-1.amazonaws.com', http: { method: 'POST', path: '/api/livekit/webhook' } },
      }, context)
      process.stdout.write(JSON.stringify({ status: res.statusCode, body: res.body }) + '\\n')`
    const env = {
      AWS_LAMBDA_FUNCTION_NAME: 'jiefen-api',
      POWERTOOLS_TRACE_ENABLED: 'false',
      LIVEKIT_URL: 'wss://example.livekit.cloud',
      LIVEKIT_API_KEY: 'APIbundle',
      LIVEKIT_API_SECRET: secret,
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    }
    const answer = async (authorization: string) => {
      const { stdout } = await runBundleWithLogs(bundleDir, invoke(authorization), env)
      return JSON.parse(
        stdout
          .split('\n')
          .filter((l) => l.startsWith('{"status"'))
          .at(-1) ?? '{}',
      )
    }
    // Verified, then the deduplication write finds DynamoDB unreachable: 503, not 401.
    expect((await answer(signed)).status).toBe(503)
    expect((await answer(`${signed}x`)).status).toBe(401)
  })

  it('loads the tracer in Lambda and emits the cold-start and 5xx metrics with the invocation context', async () => {
    // As Lambda runs it: function name, on-demand init, a sampled trace id. DynamoDB is unreachable
    // (no such endpoint), so the sign-in code request fails with 503 and is counted as a 5xx.
    const { stdout, stderr } = await runBundleWithLogs(
      bundleDir,
      `const context = { functionName: 'jiefen-api', awsRequestId: 'req-1', invokedFunctionArn: 'arn:aws:lambda:ap-east-1:111111111111:function:jiefen-api', memoryLimitInMB: '1024', functionVersion: '$LATEST', logGroupName: 'g', logStreamName: 's', callbackWaitsForEmptyEventLoop: true, getRemainingTimeInMillis: () => 10000 }
      const res = await handler({
        version: '2.0', routeKey: 'ANY /api/{proxy+}', rawPath: '/api/auth/otp', rawQueryString: '',
        headers: { host: 'abc.execute-api.ap-east-1.amazonaws.com', 'content-type': 'application/json' },
        body: JSON.stringify({ phone: '13912345678' }), isBase64Encoded: false,
        requestContext: { domainName: 'abc.execute-api.ap-east-1.amazonaws.com', http: { method: 'POST', path: '/api/auth/otp' } },
      }, context)
      process.stdout.write(JSON.stringify({ status: res.statusCode }) + '\\n')`,
      {
        AWS_LAMBDA_FUNCTION_NAME: 'jiefen-api',
        AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
        _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
        POWERTOOLS_METRICS_NAMESPACE: 'Jiefen/test',
        DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
      },
    )
    const lines = `${stdout}\n${stderr}`
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    const metric = (name: string) => lines.find((l) => name in l && '_aws' in l)
    expect(metric('ColdStart')).toMatchObject({ service: 'api', ColdStart: 1 })
    expect(metric(METRIC.serverError)).toMatchObject({ service: 'api', [METRIC.serverError]: 1 })
    expect(JSON.stringify(metric(METRIC.serverError))).toContain('"Namespace":"Jiefen/test"')
    expect(lines).toContainEqual({ status: 503 })
    const logged = lines.filter((l) => 'level' in l)
    expect(logged.length).toBeGreaterThan(0)
    for (const l of logged)
      expect(l).toMatchObject({ function_request_id: 'req-1', xray_trace_id: expect.any(String) })
    expect(logged.some((l) => l.message === 'tracer not loaded')).toBe(false)
    expect(`${stdout}${stderr}`).not.toContain('13912345678')
  })

  it('produces a bundle that starts and answers an API Gateway request', async () => {
    // Runs the built artifact itself in a separate Node process: proves the ESM output, the
    // banner and top-level await work together, with no network (JIEFEN_SECRET, a route without DB).
    const stdout = await runBundle(
      bundleDir,
      `const res = await handler({
        version: '2.0', routeKey: 'ANY /api/{proxy+}', rawPath: '/api/openapi.json', rawQueryString: '',
        headers: { host: 'abc.execute-api.ap-east-1.amazonaws.com' }, isBase64Encoded: false,
        requestContext: { domainName: 'abc.execute-api.ap-east-1.amazonaws.com', http: { method: 'GET', path: '/api/openapi.json' } },
      })
      process.stdout.write(JSON.stringify({ status: res.statusCode, title: JSON.parse(res.body).info.title }))`,
    )
    expect(JSON.parse(stdout)).toEqual({ status: 200, title: 'Jiefen' })
  })

  it('grants the table and its named indexes, but never Scan and never index/*', () => {
    const table = statements().filter((s) => actions(s).some((a) => a.startsWith('dynamodb:')))
    expect(table).toHaveLength(1)
    const only = table[0]!
    expect(actions(only)).not.toContain('dynamodb:Scan')
    expect(actions(only)).toEqual(
      expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']),
    )
    const resources = JSON.stringify(only.Resource)
    for (const index of TABLE_SCHEMA.indexes) expect(resources).toContain(`/index/${index.name}"`)
    expect(resources).not.toContain('/index/*')
  })

  it('may read the secret and send SMS', () => {
    const all = statements().flatMap(actions)
    expect(all).toEqual(
      expect.arrayContaining(['secretsmanager:GetSecretValue', 'sns:Publish', 'kms:Decrypt']),
    )
  })

  it('routes /api/{proxy+} (any method) to the function', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'ANY /api/{proxy+}' })
    template.resourceCountIs('AWS::ApiGatewayV2::Route', 1)
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
    })
  })

  it('throttles the default stage and writes access logs', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
    })
  })

  describe('evidence', () => {
    const CASE_ID = '01J00000000000000000000000'
    const EVIDENCE_ID = '01J00000000000000000000001'
    const UPLOAD = '<bucket>/cases/*/evidence/*/upload'
    const VERIFIED = '<bucket>/cases/*/evidence/*/verified'
    const AGREEMENT = '<bucket>/cases/*/agreement/*'
    const s3Actions = (fn: JiefenFunction) =>
      [
        ...new Set(
          statements(fn)
            .flatMap(actions)
            .filter((a) => a.startsWith('s3:')),
        ),
      ].sort()

    it('grants key patterns that match exactly the keys the domain uses', () => {
      const keys = {
        ...evidenceKeys(CASE_ID, EVIDENCE_ID),
        agreement: agreementPdfKey(CASE_ID, 'ABCD-EFGH-JKMN'),
      }
      for (const [name, pattern] of Object.entries(EVIDENCE_OBJECTS)) {
        const re = new RegExp(`^${pattern.replaceAll('*', '[^/]+')}$`)
        expect(keys[name as keyof typeof keys]).toMatch(re)
        for (const other of Object.values(keys).filter((k) => k !== keys[name as keyof typeof keys])) {
          expect(other).not.toMatch(re)
        }
      }
    })

    it('lets the API read and write uploads, checked copies and signed agreements, by key pattern only', () => {
      expect(s3Grants(built.api.fn, 's3:GetObject')).toEqual([AGREEMENT, UPLOAD, VERIFIED])
      expect(s3Grants(built.api.fn, 's3:PutObject')).toEqual([AGREEMENT, UPLOAD, VERIFIED])
    })

    it('lets the verifier read uploads and write checked copies, nothing else', () => {
      expect(s3Grants(built.api.verifier, 's3:GetObject')).toEqual([UPLOAD])
      expect(s3Grants(built.api.verifier, 's3:PutObject')).toEqual([VERIFIED])
    })

    it('never grants listing, deleting or a bucket-wide wildcard', () => {
      for (const fn of [built.api.fn, built.api.verifier]) {
        expect(s3Actions(fn), fn.node.id).toEqual(['s3:GetObject', 's3:PutObject'])
        const s3 = statements(fn).filter((s) => actions(s).some((a) => a.startsWith('s3:')))
        for (const r of s3.flatMap(resources)) expect(JSON.stringify(r)).not.toMatch(/"\/\*"/)
      }
    })

    it('lets both use the bucket key only through S3', () => {
      for (const fn of [built.api.fn, built.api.verifier]) {
        const kms = statements(fn).find((s) =>
          JSON.stringify(s.Condition?.StringEquals?.['kms:ViaService'] ?? '').includes('"s3."'),
        )
        expect(kms && actions(kms).sort(), fn.node.id).toEqual(['kms:Decrypt', 'kms:GenerateDataKey'])
        expect(JSON.stringify(kms?.Resource)).toContain('DataKey')
      }
    })

    it('gives the verifier the table, the secret, room for a 50 MB file and a minute', () => {
      const all = statements(built.api.verifier).flatMap(actions)
      expect(all).toEqual(
        expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:UpdateItem', 'secretsmanager:GetSecretValue']),
      )
      expect(all).not.toContain('sns:Publish')
      expect(lambda(built.api.verifier).Properties).toMatchObject({ MemorySize: 1024, Timeout: 60 })
    })

    it('runs the verifier when an upload is created, never for the checked copy it writes', () => {
      const notifications = Object.values(template.findResources('Custom::S3BucketNotifications'))
      expect(notifications).toHaveLength(1)
      const props = notifications[0]!.Properties
      expect(JSON.stringify(props.BucketName)).toContain(`Ref${dataId(built.data.evidenceBucket)}`)
      // Unmanaged: deleting this stack removes only this notification, never the bucket's others.
      expect(props.Managed).toBe(false)
      expect(props.NotificationConfiguration).toEqual({
        LambdaFunctionConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: {
              Key: {
                FilterRules: expect.arrayContaining([
                  { Name: 'prefix', Value: 'cases/' },
                  { Name: 'suffix', Value: '/upload' },
                ]),
              },
            },
            LambdaFunctionArn: { 'Fn::GetAtt': [logicalId(built.api.verifier), 'Arn'] },
          },
        ],
      })
      expect(
        props.NotificationConfiguration.LambdaFunctionConfigurations[0].Filter.Key.FilterRules,
      ).toHaveLength(2)
      // The filter matches the domain's upload key and not its checked copy.
      const { upload, verified } = evidenceKeys(CASE_ID, EVIDENCE_ID)
      expect(upload.startsWith('cases/') && upload.endsWith('/upload')).toBe(true)
      expect(verified.endsWith('/upload')).toBe(false)
    })

    it('lets only S3, for the evidence bucket in this account, invoke the verifier', () => {
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [logicalId(built.api.verifier), 'Arn'] },
        Principal: 's3.amazonaws.com',
        SourceAccount: { Ref: 'AWS::AccountId' },
        SourceArn: { 'Fn::ImportValue': built.data.evidenceBucketArnExport },
      })
    })

    it('produces a verifier bundle that starts and ignores anything but an upload', async () => {
      const stdout = await runBundle(
        verifierBundleDir,
        `await handler({ Records: [
          { eventName: 'ObjectCreated:Put', s3: { object: { key: 'cases/X/evidence/Y/verified' } } },
          { eventName: 'ObjectRemoved:Delete', s3: { object: { key: 'cases/01J00000000000000000000000/evidence/01J00000000000000000000001/upload' } } },
        ] })
        process.stdout.write('done')`,
      )
      expect(stdout).toBe('done')
    })
  })

  it('produces a scheduled-job bundle that starts and exports its handler', async () => {
    // Loading is the whole check: running it needs DynamoDB. It proves the bundle's top-level
    // wiring (config, secret, clients) starts with the settings the stack gives every function.
    const stdout = await runBundle(jobsBundleDir, `process.stdout.write(typeof handler)`)
    expect(stdout).toBe('function')
  })

  it('has no AwsSolutions finding left unfixed or unexplained', () => {
    expect(unacknowledgedFindings(built.app, built.api)).toEqual([])
  })
})
