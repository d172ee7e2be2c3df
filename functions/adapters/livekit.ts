import { VisibleError } from '../domain/errors.ts'
import type { VideoEvent, VideoPermission, VideoService } from '../domain/ports.ts'

export interface LiveKitCredentials {
  apiKey: string
  apiSecret: string
}

export interface LiveKitConfig {
  /** Where clients connect: wss://… in production, ws://localhost:7880 for `livekit-server --dev`. */
  url: string
  /** Read on first use (Secrets Manager in AWS), then kept for the life of the process. */
  credentials: () => Promise<LiveKitCredentials>
}

/**
 * Where the SDK comes from. In Lambda, its own bundle beside the handler (infra/function.ts builds
 * `livekit.mjs`): parsed inside the handler's bundle it slowed every cold start of the API, video
 * or not. Elsewhere, the package. Variables, so the bundler leaves both imports alone.
 */
export const LIVEKIT_BUNDLE = './livekit.mjs'
const LIVEKIT_PACKAGE = 'livekit-server-sdk'
const sdkModule = () => (process.env.AWS_LAMBDA_FUNCTION_NAME ? LIVEKIT_BUNDLE : LIVEKIT_PACKAGE)

/** The URL for server-to-server calls: the same host over http(s). */
const apiHost = (url: string) => url.replace(/^ws(s?):\/\//, 'http$1://')

/**
 * Room control. "Not connected" is no error: the roster is the truth, and LiveKit is brought in line
 * when the participant joins. An unreachable or failing server is a 503 the mediator can retry: the
 * roster was written first, and every control is safe to repeat.
 */
const tolerateAbsent = async (call: () => Promise<unknown>) => {
  try {
    await call()
  } catch (e) {
    const status = (e as { status?: number }).status
    if (status === 404) return
    if (status === undefined || status >= 500)
      throw new VisibleError('unavailable', 'video.unreachable', undefined, undefined, 5)
    throw e
  }
}

/**
 * The video service on LiveKit. The SDK is imported on first use, so the API's cold start does
 * not pay for it on routes that never touch video.
 */
export function liveKitVideo(config: LiveKitConfig): VideoService {
  let sdk: Promise<typeof import('livekit-server-sdk')> | undefined
  let keys: Promise<LiveKitCredentials> | undefined
  const load = () => {
    sdk ??= import(sdkModule()) as Promise<typeof import('livekit-server-sdk')>
    return sdk
  }
  const credentials = () => {
    keys ??= config.credentials().catch((e) => {
      keys = undefined
      throw e
    })
    return keys
  }
  const rooms = async () => {
    const [{ RoomServiceClient }, c] = await Promise.all([load(), credentials()])
    return new RoomServiceClient(apiHost(config.url), c.apiKey, c.apiSecret, { requestTimeout: 5 })
  }
  const egress = async () => {
    const [{ EgressClient }, c] = await Promise.all([load(), credentials()])
    return new EgressClient(apiHost(config.url), c.apiKey, c.apiSecret, { requestTimeout: 10 })
  }
  const sources = async (p: VideoPermission) => {
    if (!p.canPublishSources) return undefined
    const { TrackSource } = await load()
    return p.canPublishSources.map((s) => (s === 'camera' ? TrackSource.CAMERA : TrackSource.MICROPHONE))
  }

  return {
    url: config.url,

    async token(args) {
      const [{ AccessToken }, c] = await Promise.all([load(), credentials()])
      const at = new AccessToken(c.apiKey, c.apiSecret, {
        identity: args.identity,
        name: args.name,
        attributes: args.attributes,
        ttl: args.ttlSeconds,
      })
      at.addGrant({
        roomJoin: true,
        room: args.room,
        roomAdmin: args.admin,
        canPublish: args.permission.canPublish,
        canSubscribe: args.permission.canSubscribe,
        canPublishData: args.permission.canPublishData,
        canPublishSources: await sources(args.permission),
        canUpdateOwnMetadata: false,
        hidden: args.permission.hidden ?? false,
      })
      return at.toJwt()
    },

    async setPermission(room, identity, permission) {
      const client = await rooms()
      const canPublishSources = await sources(permission)
      await tolerateAbsent(() =>
        client.updateParticipant(room, identity, {
          permission: {
            canPublish: permission.canPublish,
            canSubscribe: permission.canSubscribe,
            canPublishData: permission.canPublishData,
            canUpdateMetadata: false,
            hidden: permission.hidden ?? false,
            ...(canPublishSources ? { canPublishSources } : {}),
          },
        }),
      )
    },

    async remove(room, identity, revokeBefore) {
      const client = await rooms()
      await tolerateAbsent(() =>
        client.removeParticipant(room, identity, {
          revokeTokenTs: BigInt(Math.ceil(revokeBefore.getTime() / 1000)),
        }),
      )
    },

    async mute(room, identity, trackSid) {
      const client = await rooms()
      if (trackSid) {
        await tolerateAbsent(() => client.mutePublishedTrack(room, identity, trackSid, true))
        return
      }
      const { TrackSource } = await load()
      await tolerateAbsent(async () => {
        const who = await client.getParticipant(room, identity)
        for (const track of who.tracks.filter((t) => t.source === TrackSource.MICROPHONE && !t.muted))
          await client.mutePublishedTrack(room, identity, track.sid, true)
      })
    },

    async endRoom(room) {
      const client = await rooms()
      await tolerateAbsent(() => client.deleteRoom(room))
    },

    async startRecording(room, filepath) {
      const { EncodedFileOutput } = await load()
      // Storage is the egress service's own configuration (LiveKit Cloud project or egress.yaml).
      const info = await (await egress()).startRoomCompositeEgress(
        room,
        new EncodedFileOutput({ filepath }),
        {
          layout: 'grid',
        },
      )
      return info.egressId
    },

    async stopRecording(egressId) {
      const client = await egress()
      await tolerateAbsent(() => client.stopEgress(egressId))
    },

    async receiveWebhook(body, authorization): Promise<VideoEvent> {
      const [{ WebhookReceiver }, c] = await Promise.all([load(), credentials()])
      const e = await new WebhookReceiver(c.apiKey, c.apiSecret).receive(body, authorization)
      return {
        id: e.id,
        event: e.event,
        createdAt: new Date(Number(e.createdAt) * 1000),
        room: e.room?.name || e.egressInfo?.roomName || undefined,
        identity: e.participant?.identity || undefined,
        egressId: e.egressInfo?.egressId || undefined,
      }
    },
  }
}
