import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { AssetStaging } from 'aws-cdk-lib'
import { Match, type Template } from 'aws-cdk-lib/assertions'
import { beforeAll, describe, expect, it } from 'vitest'
import { TABLE_SCHEMA } from '../../functions/store/schema.ts'
import { synthesize, templateOf, unacknowledgedFindings } from './synth.ts'

let built: ReturnType<typeof synthesize>
let template: Template
let bundleDir: string

beforeAll(() => {
  // The one synthesis in the infra tests that runs esbuild, so the real bundle can be checked.
  built = synthesize({ bundle: true })
  template = templateOf(built.api)
  const staging = built.api.fn.node.findAll().find((c): c is AssetStaging => c instanceof AssetStaging)
  bundleDir = staging!.absoluteStagedPath
})

type Statement = { Action: string | string[]; Resource: unknown; Effect: string }
const statements = (): Statement[] =>
  Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (p) => p.Properties.PolicyDocument.Statement as Statement[],
  )
const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action])

describe('the API stack', () => {
  it('runs the API on Node 22 on ARM64 with active tracing', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      Handler: 'index.handler',
    })
  })

  it('tells the function it runs in AWS, which table to use and where its secret is', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          JIEFEN_MODE: 'aws',
          TABLE_NAME: Match.anyValue(),
          JIEFEN_SECRET_ARN: Match.anyValue(),
          NODE_OPTIONS: '--enable-source-maps',
        }),
      },
    })
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

  it('produces a bundle that starts and answers an API Gateway request', async () => {
    // Runs the built artifact itself in a separate Node process: proves the ESM output, the
    // banner and top-level await work together, with no network (JIEFEN_SECRET, a route without DB).
    const script = `
      const { handler } = await import(${JSON.stringify(`file://${join(bundleDir, 'index.mjs')}`)})
      const res = await handler({
        version: '2.0', routeKey: 'ANY /api/{proxy+}', rawPath: '/api/openapi.json', rawQueryString: '',
        headers: { host: 'abc.execute-api.ap-east-1.amazonaws.com' }, isBase64Encoded: false,
        requestContext: { domainName: 'abc.execute-api.ap-east-1.amazonaws.com', http: { method: 'GET', path: '/api/openapi.json' } },
      })
      process.stdout.write(JSON.stringify({ status: res.statusCode, title: JSON.parse(res.body).info.title }))`
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      env: {
        PATH: process.env.PATH,
        JIEFEN_MODE: 'aws',
        TABLE_NAME: 'jiefen-bundle-test',
        AWS_REGION: 'ap-east-1',
        JIEFEN_SECRET: 'a-test-secret-that-is-long-enough-000000',
        AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING: '1',
      },
      timeout: 20_000,
    })
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

  it('has no AwsSolutions finding left unfixed or unexplained', () => {
    expect(unacknowledgedFindings(built.app, built.api)).toEqual([])
  })
})
