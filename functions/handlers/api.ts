import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { SNSClient } from '@aws-sdk/client-sns'
import { handle, type LambdaContext, type LambdaEvent } from 'hono/aws-lambda'
import { systemClock } from '../adapters/clock.ts'
import { nodeCrypto } from '../adapters/crypto.ts'
import { createLogger } from '../adapters/log.ts'
import { snsSms } from '../adapters/sms.ts'
import { createApp } from '../api/app.ts'
import { loadConfig } from '../config.ts'
import type { Deps } from '../domain/ports.ts'
import { documentClient, dynamoStore } from '../store/dynamo.ts'
import { asViewerSawIt } from './viewer-host.ts'

/**
 * Lambda entry point for the API: wiring only. Everything here runs once per cold start, so the
 * clients and the secret are shared by every request the instance serves.
 */
const config = loadConfig()
const log = createLogger(config.logLevel)

/** The HMAC key, fetched once: a Secrets Manager call per request would add latency and cost. */
async function loadSecret(): Promise<string> {
  if (config.secret) return config.secret
  const client = new SecretsManagerClient({
    region: config.region,
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 1000, requestTimeout: 3000 },
  })
  const out = await client.send(new GetSecretValueCommand({ SecretId: config.secretArn }))
  if (!out.SecretString || out.SecretString.length < 32)
    throw new Error('Jiefen configuration is invalid: the JIEFEN_SECRET_ARN secret is empty or too short')
  return out.SecretString
}

const db = documentClient({
  tableName: config.tableName,
  region: config.region,
  endpoint: config.dynamoEndpoint,
})
const deps: Deps = {
  store: dynamoStore(db, config.tableName),
  sms: snsSms(
    new SNSClient({
      region: config.region,
      maxAttempts: 3,
      requestHandler: { connectionTimeout: 1000, requestTimeout: 3000 },
    }),
  ),
  clock: systemClock,
  crypto: nodeCrypto(await loadSecret()),
}

// Always Secure cookies: the API is only reached over HTTPS (CloudFront and API Gateway refuse HTTP).
const app = createApp({ deps, log, secureCookies: true })
const honoHandler = handle(app)

/**
 * API Gateway events, seen with the host the browser used (see viewer-host.ts): same-site POSTs
 * from the portal through CloudFront pass the app's origin check.
 */
export const handler = (event: LambdaEvent, context?: LambdaContext) =>
  honoHandler(asViewerSawIt(event), context)
