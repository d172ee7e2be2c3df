import { readFileSync } from 'node:fs'
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { ensureTable, LOCAL_CREDENTIALS } from '../../infra/local/dynamodb-local.ts'

type Handler = (event: APIGatewayProxyEventV2, context?: Context) => Promise<APIGatewayProxyResultV2>
let handler: Handler

const recorded = (): APIGatewayProxyEventV2 =>
  JSON.parse(readFileSync(new URL('./fixtures/apigw-v2-get-health.json', import.meta.url), 'utf8'))

/** The recorded event, turned into another request the way API Gateway would send it. */
function request(
  method: string,
  path: string,
  init: { body?: string; headers?: Record<string, string> } = {},
) {
  const event = recorded()
  event.rawPath = path
  event.requestContext.http.method = method
  event.requestContext.http.path = path
  event.headers = { ...event.headers, ...init.headers }
  if (init.body !== undefined) {
    event.body = Buffer.from(init.body).toString('base64')
    event.isBase64Encoded = true
    event.headers['content-type'] = 'application/json'
  }
  return event
}

const result = (r: APIGatewayProxyResultV2) =>
  r as { statusCode: number; body: string; headers: Record<string, string> }

beforeAll(async () => {
  const tableName = `jiefen-lambda-${Date.now()}`
  await ensureTable(inject('dynamoEndpoint'), tableName)
  Object.assign(process.env, {
    JIEFEN_MODE: 'aws',
    TABLE_NAME: tableName,
    AWS_REGION: 'local',
    DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
    JIEFEN_SECRET: 'lambda-test-secret-lambda-test-secret',
    EVIDENCE_BUCKET: 'jiefen-evidence-test',
    S3_ENDPOINT: inject('s3Endpoint'),
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  })
  handler = (await import('../../functions/handlers/api.ts')).handler as unknown as Handler
})

describe('the Lambda entry point', () => {
  it('answers a recorded API Gateway v2 event for /api/health from DynamoDB', async () => {
    const out = result(await handler(recorded()))
    expect(out.statusCode).toBe(200)
    expect(JSON.parse(out.body)).toEqual({ status: 'ok' })
    expect(out.headers['content-security-policy']).toContain("frame-ancestors 'none'")
    expect(out.headers['strict-transport-security']).toContain('max-age=')
  })

  it('passes a same-site POST from the portal through CloudFront (viewer host) to the app', async () => {
    const out = result(
      await handler(
        request('POST', '/api/cases', {
          body: '{}',
          headers: { origin: 'https://d111111abcdef8.cloudfront.net', 'idempotency-key': 'lambda-test-1' },
        }),
      ),
    )
    expect(out.statusCode).toBe(401)
    expect(JSON.parse(out.body).error.code).toBe('auth.required')
  })

  it('refuses a POST from another site', async () => {
    const out = result(
      await handler(
        request('POST', '/api/cases', { body: '{}', headers: { origin: 'https://evil.example' } }),
      ),
    )
    expect(out.statusCode).toBe(403)
    expect(JSON.parse(out.body).error.code).toBe('request.forbidden_origin')
  })

  it('answers an unknown route with JSON 404 and no dev outbox exists in AWS mode', async () => {
    const out = result(await handler(request('GET', '/api/dev/outbox', {})))
    expect(out.statusCode).toBe(404)
    expect(JSON.parse(out.body).error.code).toBe('route.not_found')
  })
})
