import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { traceClient } from '../adapters/observability.ts'
import type { Config } from '../config.ts'
import { VisibleError } from '../domain/errors.ts'

/** The HMAC key, fetched once per cold start: a Secrets Manager call per request would add latency and cost. */
export async function loadSecret(config: Config): Promise<string> {
  if (config.secret) return config.secret
  const client = traceClient(
    new SecretsManagerClient({
      region: config.region,
      maxAttempts: 3,
      requestHandler: { connectionTimeout: 1000, requestTimeout: 3000 },
    }),
  )
  const out = await client.send(new GetSecretValueCommand({ SecretId: config.secretArn }))
  if (!out.SecretString || out.SecretString.length < 32)
    throw new Error('Jiefen configuration is invalid: the JIEFEN_SECRET_ARN secret is empty or too short')
  return out.SecretString
}

/** The value CloudFront sends in x-jiefen-origin, read the first time a per-address limit needs it. */
export async function loadOriginSecret(region: string, secretArn: string): Promise<string> {
  const client = traceClient(
    new SecretsManagerClient({
      region,
      maxAttempts: 3,
      requestHandler: { connectionTimeout: 1000, requestTimeout: 3000 },
    }),
  )
  const out = await client.send(new GetSecretValueCommand({ SecretId: secretArn }))
  if (!out.SecretString || out.SecretString.length < 32)
    throw new Error('Jiefen configuration is invalid: the ORIGIN_SECRET_ARN secret is empty or too short')
  return out.SecretString
}

/** LiveKit's API key and secret, read from Secrets Manager the first time video is used. */
export async function loadLiveKitCredentials(region: string, secretArn: string) {
  const client = traceClient(
    new SecretsManagerClient({
      region,
      maxAttempts: 3,
      requestHandler: { connectionTimeout: 1000, requestTimeout: 3000 },
    }),
  )
  const out = await client.send(new GetSecretValueCommand({ SecretId: secretArn }))
  let value: { apiKey?: unknown; apiSecret?: unknown } = {}
  try {
    value = JSON.parse(out.SecretString ?? '{}')
  } catch {
    // reported below without echoing the value
  }
  // The stack creates the secret with an empty key for the operator to fill: until then video is
  // "not configured" (503 with a clear message), not a server error.
  if (
    !value.apiKey ||
    !value.apiSecret ||
    typeof value.apiKey !== 'string' ||
    typeof value.apiSecret !== 'string'
  )
    throw new VisibleError('unavailable', 'video.not_configured')
  return { apiKey: value.apiKey, apiSecret: value.apiSecret }
}
