import { A } from '@solidjs/router'
import {
  ConnectionQuality,
  DisconnectReason,
  type LocalParticipant,
  type Participant,
  type RemoteTrackPublication,
  Room,
  RoomEvent,
  Track,
  VideoPresets,
} from 'livekit-client'
import { createEffect, createSignal, For, onCleanup, onMount, Show } from 'solid-js'
import { ApiError } from '../api/client.ts'
import { errorText } from '../i18n/index.ts'
import { t } from '../i18n/video.ts'
import type { DeviceChoice } from './session-check.tsx'
import { participantLabel } from './session-labels.ts'
import { fetchToken, type SessionView } from './sessions.data.ts'

type Status = 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'left'

/** How long our own connection must stay Poor before the room turns our video off by itself. */
const POOR_FOR_MS = 10_000

/**
 * The LiveKit room: tiles for everyone present, who is speaking, each one's signal, and the
 * buttons a party needs. livekit-client reconnects by itself after a network change; this shows
 * it. Admission, muting others and caucus are the API's business, not this component's.
 */
export default function SessionRoom(props: {
  sessionId: string
  view: SessionView
  devices: DeviceChoice
  audioOnly: boolean
  onAudioOnly: (on: boolean) => void
  onMicSids: (sids: Record<string, string>) => void
}) {
  const [status, setStatus] = createSignal<Status>('connecting')
  const [failure, setFailure] = createSignal<string>()
  const [announcement, setAnnouncement] = createSignal('')
  const [people, setPeople] = createSignal<Participant[]>([])
  const [version, setVersion] = createSignal(0)
  const [speaking, setSpeaking] = createSignal<ReadonlySet<string>>(new Set())
  const [micOn, setMicOn] = createSignal(true)
  const [camOn, setCamOn] = createSignal(true)
  const [autoAudioOnly, setAutoAudioOnly] = createSignal(false)
  const [mediaFailed, setMediaFailed] = createSignal(false)
  const [needsAudioStart, setNeedsAudioStart] = createSignal(false)
  const [confirmLeave, setConfirmLeave] = createSignal(false)
  let room: Room | undefined
  let poorTimer: ReturnType<typeof setTimeout> | undefined

  const say = (text: string) => setAnnouncement(text)
  /** Parties are told to call the mediator; the mediator, the technical support. */
  const unreachable = () =>
    props.view.me.role === 'mediator' ? t('room.unreachableStaff') : t('room.unreachable')

  /** Any change in who is there or what they send: re-read the room. */
  const refresh = (r: Room) => {
    if (r !== room) return
    setPeople([r.localParticipant, ...r.remoteParticipants.values()])
    setVersion((v) => v + 1)
    const sids: Record<string, string> = {}
    for (const p of r.remoteParticipants.values()) {
      const mic = p.getTrackPublication(Track.Source.Microphone)
      if (mic?.trackSid && !mic.isMuted) sids[p.identity] = mic.trackSid
    }
    props.onMicSids(sids)
  }

  /** Audio only: no camera out, and no video in (the bandwidth a weak network lacks). */
  const applyAudioOnly = async (on: boolean) => {
    props.onAudioOnly(on)
    const r = room
    if (!r) return
    for (const p of r.remoteParticipants.values())
      for (const pub of p.videoTrackPublications.values()) pub.setSubscribed(!on)
    if (r.state === 'connected' && canPublish(r.localParticipant)) {
      await r.localParticipant.setCameraEnabled(!on && camOn()).catch(() => setMediaFailed(true))
    }
    refresh(r)
  }

  const publish = async (r: Room) => {
    if (!canPublish(r.localParticipant)) return
    try {
      await r.localParticipant.setMicrophoneEnabled(micOn())
      if (!props.audioOnly && camOn()) await r.localParticipant.setCameraEnabled(true)
      setMediaFailed(false)
    } catch {
      setMediaFailed(true)
    }
    refresh(r)
  }

  const watchOwnQuality = (q: ConnectionQuality) => {
    if (q === ConnectionQuality.Poor) {
      if (poorTimer === undefined && !props.audioOnly)
        poorTimer = setTimeout(() => {
          poorTimer = undefined
          setAutoAudioOnly(true)
          say(t('room.autoAudioOnly'))
          void applyAudioOnly(true)
        }, POOR_FOR_MS)
    } else if (poorTimer !== undefined) {
      clearTimeout(poorTimer)
      poorTimer = undefined
    }
  }

  const wire = (r: Room) => {
    const again = () => refresh(r)
    r.on(RoomEvent.ParticipantConnected, again)
      .on(RoomEvent.ParticipantDisconnected, again)
      .on(RoomEvent.TrackPublished, again)
      .on(RoomEvent.TrackUnpublished, again)
      .on(RoomEvent.TrackSubscribed, (track, pub: RemoteTrackPublication) => {
        // Joined audio-only: video that arrives anyway is declined.
        if (props.audioOnly && track.kind === Track.Kind.Video) pub.setSubscribed(false)
        again()
      })
      .on(RoomEvent.TrackUnsubscribed, again)
      .on(RoomEvent.TrackMuted, again)
      .on(RoomEvent.TrackUnmuted, again)
      .on(RoomEvent.LocalTrackPublished, again)
      .on(RoomEvent.LocalTrackUnpublished, again)
      .on(RoomEvent.ActiveSpeakersChanged, (speakers) =>
        setSpeaking(new Set(speakers.map((s) => s.identity))),
      )
      .on(RoomEvent.ConnectionQualityChanged, (q, p) => {
        if (p.identity === r.localParticipant.identity) watchOwnQuality(q)
        again()
      })
      .on(RoomEvent.AudioPlaybackStatusChanged, () => setNeedsAudioStart(!r.canPlaybackAudio))
      .on(RoomEvent.Reconnecting, () => {
        if (r !== room) return
        setStatus('reconnecting')
        say(t('room.reconnecting'))
      })
      .on(RoomEvent.Reconnected, () => {
        if (r !== room) return
        setStatus('connected')
        say(t('room.reconnected'))
        again()
      })
      .on(RoomEvent.ParticipantPermissionsChanged, (before, p) => {
        // Back from being held during a caucus: the server allows publishing again.
        if (p === r.localParticipant && before && !before.canPublish && canPublish(r.localParticipant))
          void publish(r)
        again()
      })
      .on(RoomEvent.Disconnected, (reason) => {
        if (r !== room) return
        if (reason === DisconnectReason.CLIENT_INITIATED) setStatus('left')
        else {
          setStatus('failed')
          setFailure(unreachable())
        }
        again()
      })
  }

  /** A fresh token every time: it only gates the first connect and lives ten minutes. */
  const connect = async () => {
    const old = room
    room = undefined
    await old?.disconnect()
    setStatus('connecting')
    setFailure(undefined)
    say(t('room.connecting'))
    const r = new Room({
      adaptiveStream: true,
      dynacast: true,
      videoCaptureDefaults: { deviceId: props.devices.camera, resolution: VideoPresets.h540.resolution },
      audioCaptureDefaults: {
        deviceId: props.devices.microphone,
        echoCancellation: true,
        noiseSuppression: true,
      },
      audioOutput: props.devices.speaker ? { deviceId: props.devices.speaker } : undefined,
      publishDefaults: { simulcast: true, videoSimulcastLayers: [VideoPresets.h180, VideoPresets.h360] },
    })
    room = r
    wire(r)
    try {
      const grant = await fetchToken(props.sessionId)
      if (room !== r) return
      await r.connect(grant.url, grant.token, { maxRetries: 1 })
    } catch (e) {
      if (room !== r) return
      setStatus('failed')
      // The API refusing (not admitted, ended) is said as the API says it; anything else is the video service.
      const text = e instanceof ApiError ? errorText(e.code) : unreachable()
      setFailure(text)
      say(text)
      return
    }
    if (room !== r) return
    setStatus('connected')
    say(t('room.connected'))
    setNeedsAudioStart(!r.canPlaybackAudio)
    refresh(r)
    await publish(r)
  }

  onMount(() => void connect())
  onCleanup(() => {
    clearTimeout(poorTimer)
    const r = room
    room = undefined
    void r?.disconnect()
    props.onMicSids({})
  })

  const toggleMic = async () => {
    const next = !micOn()
    setMicOn(next)
    await room?.localParticipant.setMicrophoneEnabled(next).catch(() => setMediaFailed(true))
  }
  const toggleCamera = async () => {
    const next = !camOn()
    setCamOn(next)
    if (!props.audioOnly)
      await room?.localParticipant.setCameraEnabled(next).catch(() => setMediaFailed(true))
  }
  const toggleAudioOnly = () => {
    setAutoAudioOnly(false)
    void applyAudioOnly(!props.audioOnly)
  }
  const leave = async () => {
    setConfirmLeave(false)
    await room?.disconnect()
    setStatus('left')
    say(t('room.disconnected'))
  }

  const caseHref = () =>
    props.view.me.role === 'mediator' || props.view.me.role === 'observer'
      ? `/staff/cases/${props.view.caseId}`
      : `/cases/${props.view.caseId}`

  const labelOf = (p: Participant) => {
    const known = props.view.participants.find((x) => x.id === p.identity)
    if (known) return participantLabel(known, props.view.me.id)
    return p.identity === props.view.me.id ? participantLabel(props.view.me, props.view.me.id) : p.name || ''
  }

  return (
    <section class="room" aria-labelledby="room-people-title">
      <p class="visually-hidden" aria-live="assertive">
        {announcement()}
      </p>
      <Show when={status() === 'connecting'}>
        <p class="loading" role="status">
          <span class="spinner" aria-hidden="true" />
          {t('room.connecting')}
        </p>
      </Show>
      <Show when={status() === 'reconnecting'}>
        <p class="notice notice-warn room-banner" role="status">
          <span class="spinner" aria-hidden="true" />
          {t('room.reconnecting')}
        </p>
      </Show>
      <Show when={status() === 'failed'}>
        <div class="notice notice-error room-banner" role="alert">
          <p>{failure()}</p>
          <div class="row-actions">
            <button type="button" class="button button-primary" onClick={() => void connect()}>
              {t('room.retry')}
            </button>
            <A href={caseHref()} class="button button-link">
              {t('session.toCase')}
            </A>
          </div>
        </div>
      </Show>
      <Show when={status() === 'left'}>
        <div class="notice notice-info room-banner" role="status">
          <p>{t('room.disconnected')}</p>
          <button type="button" class="button button-primary" onClick={() => void connect()}>
            {t('room.rejoin')}
          </button>
        </div>
      </Show>
      <Show when={autoAudioOnly() && props.audioOnly}>
        <div class="notice notice-warn room-banner" role="status">
          <p>{t('room.autoAudioOnly')}</p>
          <button type="button" class="button button-secondary" onClick={toggleAudioOnly}>
            {t('room.backToVideo')}
          </button>
        </div>
      </Show>
      <Show when={mediaFailed()}>
        <p class="notice notice-error">{t('room.mediaFailed')}</p>
      </Show>
      <Show when={needsAudioStart()}>
        <button
          type="button"
          class="button button-primary button-block"
          onClick={() => void room?.startAudio().then(() => setNeedsAudioStart(false))}
        >
          {t('room.playAudio')}
        </button>
      </Show>

      <Show when={status() === 'connected' || status() === 'reconnecting'}>
        <h2 id="room-people-title" class="visually-hidden">
          {t('room.present')}
        </h2>
        <ul class="tiles" classList={{ 'tiles-many': people().length > 2 }}>
          <For each={people()}>
            {(p) => (
              <Tile
                participant={p}
                label={labelOf(p)}
                speaking={speaking().has(p.identity)}
                version={version()}
                audioOnly={props.audioOnly}
                local={p === room?.localParticipant}
              />
            )}
          </For>
        </ul>
        <Show when={people().length < 2}>
          <p class="empty">{t('room.alone')}</p>
        </Show>
        <div class="controls" role="toolbar" aria-label={t('room.title')}>
          <button type="button" class="control" aria-pressed={!micOn()} onClick={() => void toggleMic()}>
            {micOn() ? t('room.mute') : t('room.unmute')}
          </button>
          <button
            type="button"
            class="control"
            aria-pressed={!camOn()}
            disabled={props.audioOnly}
            onClick={() => void toggleCamera()}
          >
            {camOn() ? t('room.cameraOff') : t('room.cameraOn')}
          </button>
          <button type="button" class="control" aria-pressed={props.audioOnly} onClick={toggleAudioOnly}>
            {props.audioOnly ? t('room.audioOnlyOff') : t('room.audioOnlyOn')}
          </button>
          <button type="button" class="control control-leave" onClick={() => setConfirmLeave(true)}>
            {t('room.leave')}
          </button>
        </div>
        <Show when={confirmLeave()}>
          <div class="confirm" role="alertdialog" aria-labelledby="leave-text">
            <p id="leave-text">{t('room.leaveConfirm')}</p>
            <div class="row-actions">
              <button type="button" class="button button-primary" onClick={() => void leave()}>
                {t('room.leaveYes')}
              </button>
              <button type="button" class="button button-secondary" onClick={() => setConfirmLeave(false)}>
                {t('room.leaveNo')}
              </button>
            </div>
          </div>
        </Show>
      </Show>
    </section>
  )
}

const canPublish = (p: LocalParticipant) => p.permissions?.canPublish !== false

const QUALITY_BARS: Record<string, number> = {
  [ConnectionQuality.Excellent]: 3,
  [ConnectionQuality.Good]: 2,
  [ConnectionQuality.Poor]: 1,
  [ConnectionQuality.Lost]: 0,
}

/** One person: their camera (or their name), who is speaking, their signal, muted or not. */
function Tile(props: {
  participant: Participant
  label: string
  speaking: boolean
  version: number
  audioOnly: boolean
  local: boolean
}) {
  let video!: HTMLVideoElement
  let audio: HTMLAudioElement | undefined
  const camera = () => {
    void props.version
    const pub = props.participant.getTrackPublication(Track.Source.Camera)
    return pub && !pub.isMuted ? pub.track : undefined
  }
  const mic = () => {
    void props.version
    return props.participant.getTrackPublication(Track.Source.Microphone)
  }
  createEffect(() => {
    const track = camera()
    if (!track) return
    track.attach(video)
    onCleanup(() => track.detach(video))
  })
  // Others' voices play through an audio element each; our own is never played back to us.
  createEffect(() => {
    if (props.local || !audio) return
    const track = mic()?.track
    if (!track) return
    const el = audio
    track.attach(el)
    onCleanup(() => track.detach(el))
  })
  const quality = () => {
    void props.version
    return props.participant.connectionQuality
  }
  const qualityKey = () =>
    quality() === ConnectionQuality.Unknown
      ? 'unknown'
      : (quality() as 'excellent' | 'good' | 'poor' | 'lost')
  const muted = () => {
    const m = mic()
    return !m || m.isMuted
  }
  return (
    <li class="tile" classList={{ 'tile-speaking': props.speaking, 'tile-local': props.local }}>
      <video
        ref={video}
        class="tile-video"
        classList={{ 'tile-video-off': !camera() }}
        autoplay
        playsinline
        muted
        tabIndex={-1}
        aria-label={props.label}
      />
      <Show when={!camera()}>
        <span class="tile-avatar" aria-hidden="true">
          {props.label.slice(0, 1)}
        </span>
      </Show>
      <Show when={!props.local}>
        {/* biome-ignore lint/a11y/useMediaCaption: a live voice has no caption file; the notes pad carries what was agreed */}
        <audio ref={audio} autoplay />
      </Show>
      <div class="tile-bar">
        <span class="tile-name">{props.label}</span>
        <span class="tile-flags">
          <Show when={props.speaking}>
            <span class="tile-flag tile-flag-speaking">{t('room.speaking')}</span>
          </Show>
          <Show when={muted()}>
            <span class="tile-flag">{t('room.muted')}</span>
          </Show>
          <span
            class={`quality quality-${qualityKey()}`}
            role="img"
            aria-label={t(`room.quality.${qualityKey()}`)}
            title={t(`room.quality.${qualityKey()}`)}
          >
            <For each={[1, 2, 3]}>
              {(n) => <span class="quality-bar" classList={{ on: (QUALITY_BARS[quality()] ?? 0) >= n }} />}
            </For>
          </span>
        </span>
      </div>
    </li>
  )
}
