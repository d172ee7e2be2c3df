import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import type { Config } from '../config.ts'

/** The HMAC key, fetched once per cold start: a Secrets Manager call per request would add latency and cost. */
export async function loadSecret(config: Config): Promise<string> {
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
