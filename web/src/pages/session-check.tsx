import { createSignal, For, onCleanup, onMount, Show } from 'solid-js'
import { ApiError } from '../api/client.ts'
import { errorText } from '../i18n/index.ts'
import { formatClock, t } from '../i18n/video.ts'
import { ChoiceCards } from '../ui/form.tsx'
import { PageHeading } from '../ui/page-heading.tsx'
import { answerConsent, roundTrip, type SessionView } from './sessions.data.ts'

export interface DeviceChoice {
  camera?: string
  microphone?: string
  speaker?: string
}

type Problem = 'denied' | 'none' | undefined
type Devices = { camera: MediaDeviceInfo[]; microphone: MediaDeviceInfo[]; speaker: MediaDeviceInfo[] }

/** Choosing a speaker works only where the browser can route audio (not on most phones). */
const canPickSpeaker = () =>
  typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype

/** Below this round trip the API feels instant; above the second, video will struggle. */
const GOOD_MS = 300
const FAIR_MS = 800

/**
 * Before joining: see yourself, hear yourself, hear a tone, see how fast the network is, choose
 * audio only, and answer the recording question. Nothing leaves the phone but the consent answer
 * and the round-trip probe. Uses the browser's own media APIs: livekit-client is not needed yet.
 */
export function DeviceCheck(props: {
  view: SessionView
  onUpdate: (v: SessionView) => void
  devices: DeviceChoice
  onDevices: (d: DeviceChoice) => void
  audioOnly: boolean
  onAudioOnly: (on: boolean) => void
  onEnter: () => void
}) {
  let video!: HTMLVideoElement
  const [stream, setStream] = createSignal<MediaStream>()
  const [starting, setStarting] = createSignal(false)
  const [problem, setProblem] = createSignal<Problem>()
  const [available, setAvailable] = createSignal<Devices>({ camera: [], microphone: [], speaker: [] })
  const [level, setLevel] = createSignal(0)
  const [inUse, setInUse] = createSignal<DeviceChoice>({})
  let audio: AudioContext | undefined
  let frame = 0

  const stop = () => {
    cancelAnimationFrame(frame)
    for (const track of stream()?.getTracks() ?? []) track.stop()
    setStream(undefined)
    void audio?.close().catch(() => undefined)
    audio = undefined
    setLevel(0)
  }

  const listDevices = async () => {
    const all = await navigator.mediaDevices.enumerateDevices()
    setAvailable({
      camera: all.filter((d) => d.kind === 'videoinput' && d.deviceId),
      microphone: all.filter((d) => d.kind === 'audioinput' && d.deviceId),
      speaker: all.filter((d) => d.kind === 'audiooutput' && d.deviceId),
    })
  }

  /** A rough loudness from the microphone, for a bar that moves when you speak. */
  const meter = (s: MediaStream) => {
    if (s.getAudioTracks().length === 0) return
    audio = new AudioContext()
    const analyser = audio.createAnalyser()
    analyser.fftSize = 512
    audio.createMediaStreamSource(s).connect(analyser)
    const samples = new Float32Array(analyser.fftSize)
    let last = 0
    const read = (now: number) => {
      frame = requestAnimationFrame(read)
      if (now - last < 80) return
      last = now
      analyser.getFloatTimeDomainData(samples)
      let sum = 0
      for (const v of samples) sum += v * v
      setLevel(Math.min(100, Math.round(Math.sqrt(sum / samples.length) * 400)))
    }
    frame = requestAnimationFrame(read)
  }

  const start = async () => {
    stop()
    setProblem(undefined)
    setStarting(true)
    const { camera, microphone } = props.devices
    try {
      const s = await navigator.mediaDevices.getUserMedia({
        audio: microphone ? { deviceId: { exact: microphone } } : true,
        video: props.audioOnly ? false : camera ? { deviceId: { exact: camera } } : { facingMode: 'user' },
      })
      setStream(s)
      // Until someone picks, the lists show what the browser chose.
      setInUse({
        camera: s.getVideoTracks()[0]?.getSettings().deviceId,
        microphone: s.getAudioTracks()[0]?.getSettings().deviceId,
      })
      video.srcObject = s
      meter(s)
    } catch (e) {
      const name = e instanceof DOMException ? e.name : ''
      setProblem(name === 'NotFoundError' || name === 'OverconstrainedError' ? 'none' : 'denied')
    } finally {
      setStarting(false)
    }
    await listDevices().catch(() => undefined)
  }

  onMount(() => {
    void start()
    navigator.mediaDevices?.addEventListener('devicechange', listDevices)
  })
  onCleanup(() => {
    stop()
    navigator.mediaDevices?.removeEventListener('devicechange', listDevices)
  })

  const choose = (kind: keyof DeviceChoice, id: string) => {
    props.onDevices({ ...props.devices, [kind]: id || undefined })
    if (kind !== 'speaker') void start()
  }

  const open = () => Date.now() >= Date.parse(props.view.joinOpensAt)
  const [clock, setClock] = createSignal(Date.now())
  const tick = setInterval(() => setClock(Date.now()), 15_000)
  onCleanup(() => clearInterval(tick))
  const isOpen = () => {
    clock()
    return open()
  }
  const isMediator = () => props.view.me.role === 'mediator'
  const asksConsent = () => ['party', 'interpreter', 'support'].includes(props.view.me.role)

  return (
    <section class="card device-check" aria-labelledby="check-title">
      <PageHeading id="check-title" title={t('check.title')} />
      <p class="lead">{t('check.lead')}</p>

      <div class="preview-frame">
        <video
          ref={video}
          class="preview"
          classList={{ 'preview-off': !stream()?.getVideoTracks().length }}
          autoplay
          playsinline
          muted
          aria-label={t('check.preview')}
        />
        <Show when={!stream()?.getVideoTracks().length}>
          <p class="preview-placeholder">{starting() ? t('check.starting') : t('check.previewOff')}</p>
        </Show>
      </div>
      <div aria-live="polite">
        <Show when={problem()}>
          {(p) => (
            <div class="notice notice-error" role="alert">
              <p>{p() === 'none' ? t('check.noDevice') : t('check.denied')}</p>
              <button type="button" class="button button-secondary" onClick={() => void start()}>
                {t('check.retry')}
              </button>
            </div>
          )}
        </Show>
      </div>

      <DeviceSelect
        id="check-camera"
        label={t('check.camera')}
        devices={available().camera}
        value={props.devices.camera ?? inUse().camera}
        disabled={props.audioOnly}
        onChange={(id) => choose('camera', id)}
      />
      <DeviceSelect
        id="check-microphone"
        label={t('check.microphone')}
        devices={available().microphone}
        value={props.devices.microphone ?? inUse().microphone}
        onChange={(id) => choose('microphone', id)}
      />
      <div class="field">
        <span class="field-label" id="check-level-label">
          {t('check.micLevel')}
        </span>
        <meter class="level" min="0" max="100" value={level()} aria-labelledby="check-level-label" />
        <p class="field-hint">{t('check.micHint')}</p>
      </div>

      <SpeakerTest
        devices={canPickSpeaker() ? available().speaker : []}
        value={props.devices.speaker}
        onChange={(id) => choose('speaker', id)}
      />

      <NetworkCheck sessionId={props.view.id} />

      <label class="switch">
        <input
          type="checkbox"
          checked={props.audioOnly}
          onChange={(e) => {
            props.onAudioOnly(e.currentTarget.checked)
            void start()
          }}
        />
        <span class="switch-text">
          <span class="switch-label">{t('check.audioOnly')}</span>
          <span class="field-hint">{t('check.audioOnlyHint')}</span>
        </span>
      </label>

      <Show when={asksConsent()}>
        <Consent view={props.view} onUpdate={props.onUpdate} />
      </Show>

      <Show when={!isOpen()}>
        <p class="notice notice-info" role="status">
          {t('session.notOpen', { time: formatClock(props.view.joinOpensAt) })}
        </p>
      </Show>
      <button
        type="button"
        class="button button-primary button-block"
        disabled={!isOpen()}
        onClick={() => {
          stop()
          props.onEnter()
        }}
      >
        {isMediator() ? t('check.enterRoom') : t('check.enterWaiting')}
      </button>
    </section>
  )
}

function DeviceSelect(props: {
  id: string
  label: string
  devices: MediaDeviceInfo[]
  value?: string
  disabled?: boolean
  onChange: (id: string) => void
}) {
  return (
    <Show when={props.devices.length > 0}>
      <div class="field">
        <label class="field-label" for={props.id}>
          {props.label}
        </label>
        <select
          id={props.id}
          class="input"
          disabled={props.disabled}
          value={props.value ?? props.devices[0]?.deviceId ?? ''}
          onChange={(e) => props.onChange(e.currentTarget.value)}
        >
          <For each={props.devices}>
            {(d, i) => <option value={d.deviceId}>{d.label || t('check.deviceN', { n: i() + 1 })}</option>}
          </For>
        </select>
      </div>
    </Show>
  )
}

/** A one-second tone through the chosen speaker, made on the phone: no sound file to download. */
function SpeakerTest(props: { devices: MediaDeviceInfo[]; value?: string; onChange: (id: string) => void }) {
  const [playing, setPlaying] = createSignal(false)
  const play = async () => {
    setPlaying(true)
    const ctx = new AudioContext()
    try {
      const sink = ctx as AudioContext & { setSinkId?: (id: string) => Promise<void> }
      if (props.value && sink.setSinkId) await sink.setSinkId(props.value).catch(() => undefined)
      const at = ctx.currentTime
      const tone = ctx.createOscillator()
      const gain = ctx.createGain()
      tone.frequency.value = 660
      gain.gain.setValueAtTime(0, at)
      gain.gain.linearRampToValueAtTime(0.25, at + 0.05)
      gain.gain.setValueAtTime(0.25, at + 0.9)
      gain.gain.linearRampToValueAtTime(0, at + 1)
      tone.connect(gain).connect(ctx.destination)
      tone.start(at)
      tone.stop(at + 1)
      await new Promise((done) => {
        tone.onended = done
      })
    } finally {
      await ctx.close().catch(() => undefined)
      setPlaying(false)
    }
  }
  return (
    <div class="field">
      <DeviceSelect
        id="check-speaker"
        label={t('check.speaker')}
        devices={props.devices}
        value={props.value}
        onChange={props.onChange}
      />
      <Show when={props.devices.length === 0}>
        <span class="field-label">{t('check.speaker')}</span>
      </Show>
      <button
        type="button"
        class="button button-secondary"
        disabled={playing()}
        aria-busy={playing()}
        onClick={() => void play()}
      >
        {playing() ? t('check.speakerPlaying') : t('check.speakerTest')}
      </button>
      <p class="field-hint">{t('check.speakerHint')}</p>
    </div>
  )
}

type NetworkResult = { ms: number } | 'failed' | undefined

function NetworkCheck(props: { sessionId: string }) {
  const [result, setResult] = createSignal<NetworkResult>()
  const [testing, setTesting] = createSignal(false)
  const test = async () => {
    setTesting(true)
    try {
      const ms = await roundTrip(props.sessionId)
      const type = (navigator as Navigator & { connection?: { effectiveType?: string } }).connection
        ?.effectiveType
      // A 2G radio is slow however quick one small answer was.
      setResult({ ms: type === '2g' || type === 'slow-2g' ? Math.max(ms, FAIR_MS + 1) : ms })
    } catch {
      setResult('failed')
    } finally {
      setTesting(false)
    }
  }
  onMount(() => void test())
  const text = () => {
    const r = result()
    if (testing() || r === undefined) return t('check.networkTesting')
    if (r === 'failed') return t('check.networkFailed')
    if (r.ms < GOOD_MS) return t('check.networkGood', { ms: r.ms })
    if (r.ms < FAIR_MS) return t('check.networkFair', { ms: r.ms })
    return t('check.networkPoor', { ms: r.ms })
  }
  const tone = () => {
    const r = result()
    if (r === undefined || testing()) return ''
    if (r === 'failed' || r.ms >= FAIR_MS) return 'net-poor'
    return r.ms >= GOOD_MS ? 'net-fair' : 'net-good'
  }
  return (
    <div class="field">
      <span class="field-label">{t('check.network')}</span>
      <p class={`net-result ${tone()}`} role="status" aria-live="polite">
        {text()}
      </p>
      <p class="field-hint">{t('check.networkNote')}</p>
      <button type="button" class="button button-link" disabled={testing()} onClick={() => void test()}>
        {t('check.networkAgain')}
      </button>
    </div>
  )
}

/** The recording question in plain words; the answer is saved at once. */
function Consent(props: { view: SessionView; onUpdate: (v: SessionView) => void }) {
  const [saving, setSaving] = createSignal(false)
  const [saved, setSaved] = createSignal(false)
  const [failure, setFailure] = createSignal<string>()
  const value = () => {
    const c = props.view.me.recordingConsent
    return c === null ? '' : c ? 'yes' : 'no'
  }
  const choose = async (v: string) => {
    setSaving(true)
    setSaved(false)
    setFailure(undefined)
    try {
      props.onUpdate(await answerConsent(props.view.id, v === 'yes'))
      setSaved(true)
    } catch (e) {
      setFailure(errorText(e instanceof ApiError ? e.code : 'service.unavailable'))
    } finally {
      setSaving(false)
    }
  }
  return (
    <div class="consent">
      <p class="consent-body">{t('check.consentBody')}</p>
      <ChoiceCards
        id="check-consent"
        legend={t('check.consentTitle')}
        columns={2}
        options={[
          { value: 'yes', label: t('check.consentYes') },
          { value: 'no', label: t('check.consentNo') },
        ]}
        value={value()}
        onChange={(v) => void choose(v)}
        error={failure()}
      />
      <p class="field-hint" role="status" aria-live="polite">
        {saving() ? t('check.consentSaving') : saved() ? t('check.consentSaved') : ''}
      </p>
    </div>
  )
}
