import { createSignal, For, type JSX, Show } from 'solid-js'
import type { ControlInput } from '../../../functions/domain/video.ts'
import { ApiError } from '../api/client.ts'
import { errorText } from '../i18n/index.ts'
import { formatClock, t } from '../i18n/video.ts'
import { participantLabel } from './session-labels.ts'
import { control, type ParticipantView, type SessionView } from './sessions.data.ts'

type Confirming = { text: string; input: ControlInput } | undefined

/**
 * What only the mediator does: let people in, mute or remove someone, talk with one side alone,
 * record (only once everyone agreed) and end. Every action goes to the API, which enforces it in
 * LiveKit; the panel works even while the mediator's own video is not connected.
 */
export function MediatorPanel(props: {
  sessionId: string
  view: SessionView
  onUpdate: (v: SessionView) => void
  /** LiveKit identity → microphone track, from the room once connected. */
  micSids: Record<string, string>
}) {
  const [busy, setBusy] = createSignal(false)
  const [message, setMessage] = createSignal<{ ok: boolean; text: string }>()
  const [confirming, setConfirming] = createSignal<Confirming>()

  const run = async (input: ControlInput) => {
    if (busy()) return
    setBusy(true)
    setMessage(undefined)
    setConfirming(undefined)
    try {
      props.onUpdate(await control(props.sessionId, input))
      setMessage({ ok: true, text: t('panel.done') })
    } catch (e) {
      setMessage({ ok: false, text: errorText(e instanceof ApiError ? e.code : 'service.unavailable') })
    } finally {
      setBusy(false)
    }
  }

  const others = () => props.view.participants.filter((p) => p.id !== props.view.me.id)
  const waiting = () => others().filter((p) => p.waiting && p.state === 'waiting')
  const missingConsent = () =>
    props.view.participants
      .filter((p) => ['party', 'interpreter', 'support'].includes(p.role) && p.state !== 'removed')
      .filter((p) => p.recordingConsent !== true)
      .map((p) => participantLabel(p))
      .join('、')
  const sideName = (side: 'applicant' | 'respondent') => t(`role.party.${side}`)

  return (
    <section class="card panel" aria-labelledby="panel-title">
      <h2 id="panel-title">{t('panel.title')}</h2>

      <div aria-live="polite" class="panel-status">
        <Show when={message()}>
          {(m) => (
            <p class={m().ok ? 'field-hint' : 'notice notice-error'} role={m().ok ? 'status' : 'alert'}>
              {m().text}
            </p>
          )}
        </Show>
      </div>

      <Show when={confirming()}>
        {(c) => (
          <div class="confirm" role="alertdialog" aria-labelledby="panel-confirm-text">
            <p id="panel-confirm-text">{c().text}</p>
            <div class="row-actions">
              <button
                type="button"
                class="button button-primary"
                disabled={busy()}
                onClick={() => void run(c().input)}
              >
                {t('panel.confirmYes')}
              </button>
              <button type="button" class="button button-secondary" onClick={() => setConfirming(undefined)}>
                {t('panel.confirmNo')}
              </button>
            </div>
          </div>
        )}
      </Show>

      <h3 id="panel-waiting">{t('panel.waiting')}</h3>
      <Show when={waiting().length > 0} fallback={<p class="empty">{t('panel.noneWaiting')}</p>}>
        <ul class="people" aria-labelledby="panel-waiting">
          <For each={waiting()}>
            {(p) => (
              <li class="person person-waiting">
                <span class="person-name">{participantLabel(p)}</span>
                <button
                  type="button"
                  class="button button-primary"
                  disabled={busy()}
                  aria-label={`${t('panel.admit')}：${participantLabel(p)}`}
                  onClick={() => void run({ action: 'admit', participantId: p.id })}
                >
                  {t('panel.admit')}
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>

      <h3 id="panel-people">{t('panel.participants')}</h3>
      <ul class="people" aria-labelledby="panel-people">
        <For each={others()}>
          {(p) => (
            <Person
              person={p}
              busy={busy()}
              micSid={props.micSids[p.id]}
              onMute={(trackSid) =>
                void run({ action: 'mute', participantId: p.id, ...(trackSid ? { trackSid } : {}) })
              }
              onRemove={() =>
                setConfirming({
                  text: t('panel.removeConfirm', { who: participantLabel(p) }),
                  input: { action: 'remove', participantId: p.id },
                })
              }
            />
          )}
        </For>
      </ul>

      <h3>{t('panel.caucusTitle')}</h3>
      <p class="field-hint">{t('panel.caucusLead')}</p>
      <Show
        when={props.view.caucus}
        fallback={
          <div class="panel-buttons">
            <For each={['applicant', 'respondent'] as const}>
              {(side) => (
                <button
                  type="button"
                  class="button button-secondary"
                  disabled={busy()}
                  onClick={() => void run({ action: 'caucus', side })}
                >
                  {t('panel.caucusWith', { side: sideName(side) })}
                </button>
              )}
            </For>
          </div>
        }
      >
        {(side) => (
          <div class="panel-buttons">
            <p class="notice notice-warn" role="status">
              {t('panel.caucusNow', { side: sideName(side()) })}
            </p>
            <button
              type="button"
              class="button button-primary"
              disabled={busy()}
              onClick={() => void run({ action: 'end_caucus' })}
            >
              {t('panel.endCaucus')}
            </button>
          </div>
        )}
      </Show>

      <h3>{t('panel.recordingTitle')}</h3>
      <Show
        when={props.view.recording.state === 'active'}
        fallback={
          <>
            <button
              type="button"
              class="button button-secondary"
              disabled={busy() || !props.view.consentsComplete}
              aria-describedby={props.view.consentsComplete ? undefined : 'panel-consent-missing'}
              onClick={() => void run({ action: 'start_recording' })}
            >
              {t('panel.startRecording')}
            </button>
            <Show when={!props.view.consentsComplete}>
              <p class="field-hint" id="panel-consent-missing">
                {t('panel.recordingNeedsConsent', { who: missingConsent() })}
              </p>
            </Show>
          </>
        }
      >
        <p class="recording-light" role="status">
          <span class="recording-dot" aria-hidden="true" />
          {t('panel.recordingActive', { time: formatClock(props.view.recording.startedAt ?? new Date()) })}
        </p>
        <button
          type="button"
          class="button button-secondary"
          disabled={busy()}
          onClick={() => void run({ action: 'stop_recording' })}
        >
          {t('panel.stopRecording')}
        </button>
      </Show>

      <div class="panel-end">
        <button
          type="button"
          class="button button-danger button-block"
          disabled={busy()}
          onClick={() => setConfirming({ text: t('panel.endConfirm'), input: { action: 'end' } })}
        >
          {t('panel.end')}
        </button>
      </div>
    </section>
  )
}

function Person(props: {
  person: ParticipantView
  busy: boolean
  micSid?: string
  /** With the track id when the mediator's room knows it; without, the server mutes every microphone. */
  onMute: (trackSid?: string) => void
  onRemove: () => void
}) {
  const p = () => props.person
  const facts = (): string[] =>
    [
      t(`panel.state.${p().state}`),
      // Only someone let in can be in the video room; "offline" next to "waiting" would confuse.
      p().state !== 'admitted' ? '' : p().connected ? t('panel.connected') : t('panel.offline'),
      p().location === 'main' ? '' : t(`panel.location.${p().location as 'caucus' | 'held'}`),
      p().role === 'mediator' || p().role === 'observer'
        ? ''
        : t(`panel.consent.${p().recordingConsent === null ? 'null' : p().recordingConsent ? 'yes' : 'no'}`),
    ].filter(Boolean)
  const muteHint = `mute-hint-${p().id}`
  const canMute = () => !!props.micSid || p().connected
  return (
    <li class="person">
      <span class="person-name">{participantLabel(p())}</span>
      <span class="person-facts">{facts().join(' · ')}</span>
      <Show when={p().state !== 'removed'}>
        <div class="person-actions">
          <Show when={p().state === 'admitted'}>
            <IconlessButton
              disabled={props.busy || !canMute()}
              describedBy={!canMute() && p().state === 'admitted' ? muteHint : undefined}
              onClick={() => canMute() && props.onMute(props.micSid)}
            >
              {t('panel.muteMic')}
            </IconlessButton>
          </Show>
          <IconlessButton disabled={props.busy} onClick={props.onRemove}>
            {t('panel.remove')}
          </IconlessButton>
        </div>
        <Show when={!canMute() && p().state === 'admitted'}>
          <p class="field-hint" id={muteHint}>
            {t('panel.muteUnavailable')}
          </p>
        </Show>
      </Show>
    </li>
  )
}

function IconlessButton(props: {
  disabled: boolean
  describedBy?: string
  onClick: () => void
  children: JSX.Element
}) {
  return (
    <button
      type="button"
      class="button button-secondary button-small"
      disabled={props.disabled}
      aria-describedby={props.describedBy}
      onClick={() => props.onClick()}
    >
      {props.children}
    </button>
  )
}
