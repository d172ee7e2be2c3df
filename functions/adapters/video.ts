import type { Config } from '../config.ts'
import type { VideoService } from '../domain/ports.ts'
import { type LiveKitCredentials, liveKitVideo } from './livekit.ts'

/** The configured video service, or none (the video routes then answer "not configured"). */
export function videoService(
  config: Config['video'],
  fromSecret: (arn: string) => Promise<LiveKitCredentials>,
): VideoService | undefined {
  if (!config) return undefined
  const { url, apiKey, apiSecret, secretArn } = config as {
    url: string
    apiKey?: string
    apiSecret?: string
    secretArn?: string
  }
  if (apiKey && apiSecret) return liveKitVideo({ url, credentials: async () => ({ apiKey, apiSecret }) })
  if (secretArn) return liveKitVideo({ url, credentials: () => fromSecret(secretArn) })
  return undefined
}
