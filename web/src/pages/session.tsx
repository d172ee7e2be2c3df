import { A, createAsync, useLocation, useParams } from '@solidjs/router'
import {
  createEffect,
  createSignal,
  ErrorBoundary,
  lazy,
  Match,
  onCleanup,
  Show,
  Suspense,
  Switch,
} from 'solid-js'
import { createStore, reconcile } from 'solid-js/store'
import { ApiError } from '../api/client.ts'
import { getMe } from '../api/session.ts'
import { formatClock, t } from '../i18n/video.ts'
import { LoadError, Loading } from '../ui/load-error.tsx'
import { PageHeading } from '../ui/page-heading.tsx'
import { DeviceCheck, type DeviceChoice } from './session-check.tsx'
import { participantLabel } from './session-labels.ts'
import { SessionNotes } from './session-notes.tsx'
import { MediatorPanel } from './session-panel.tsx'
import { announceWaiting, fetchSession, type SessionView } from './sessions.data.ts'
import './session.css'

/** The room itself, with livekit-client: loaded only once someone is let in (or prefetched while waiting). */
const loadRoom = () => import('./session-room.tsx')
const SessionRoom = lazy(loadRoom)

const POLL_MS = 3_000
const WAIT_MS = 10_000

/**
 * One video session, for parties and staff alike: device check, then the waiting room (parties)
 * or straight in (the mediator), then the room. The roster comes from the API and is polled; the
 * media go through LiveKit.
 */
export default function SessionPage() {
  const params = useParams<{ id: string }>()
  const me = createAsync(() => getMe())
  return (
    <Switch>
      <Match when={me() === null}>
        <SignInChoice />
      </Match>
      <Match when={me()}>
        <ErrorBoundary
          fallback={(error, reset) =>
            error instanceof ApiError && error.status === 404 ? (
              <NotFound />
            ) : (
              <LoadError error={error} reset={reset} />
            )
          }
        >
          <Suspense fallback={<Loading />}>
            <SessionLoader id={params.id} />
          </Suspense>
        </ErrorBoundary>
      </Match>
    </Switch>
  )
}

/** Parties come from a text message, staff from their case page: either may need to sign in first. */
function SignInChoice() {
  const location = useLocation()
  const next = () => encodeURIComponent(location.pathname)
  return (
    <section class="card">
      <PageHeading title={t('session.signIn.title')} />
      <p class="lead">{t('session.signIn.body')}</p>
      <div class="stack">
        <A href={`/sign-in?next=${next()}`} class="button button-primary button-block">
          {t('session.signIn.citizen')}
        </A>
        <A href={`/staff?next=${next()}`} class="button button-secondary button-block">
          {t('session.signIn.staff')}
        </A>
      </div>
    </section>
  )
}

function NotFound() {
  return (
    <section class="card">
      <PageHeading title={t('session.notFound')} />
      <p>{t('session.notFoundBody')}</p>
      <A href="/cases" class="button button-primary button-block">
        {t('session.backToCases')}
      </A>
    </section>
  )
}

function SessionLoader(props: { id: string }) {
  const first = createAsync(() => fetchSession(props.id), { deferStream: true })
  return <Show when={first()}>{(v) => <Session id={props.id} initial={v()} />}</Show>
}

type Phase = 'check' | 'waiting' | 'room'

function Session(props: { id: string; initial: SessionView }) {
  const [view, setView] = createStore<SessionView>(structuredClone(props.initial))
  const update = (next: SessionView) => setView(reconcile(next, { key: 'id', merge: true }))
  const [phase, setPhase] = createSignal<Phase>('check')
  const [audioOnly, setAudioOnly] = createSignal(false)
  const [devices, setDevices] = createSignal<DeviceChoice>({})
  const [pollFailed, setPollFailed] = createSignal(false)
  const [notOpen, setNotOpen] = createSignal(false)
  /** LiveKit identity → the mic track the mediator may mute, reported by the room once connected. */
  const [micSids, setMicSids] = createSignal<Record<string, string>>({})
  const isMediator = () => view.me.role === 'mediator'

  const refresh = async () => {
    try {
      update(await fetchSession(props.id))
      setPollFailed(false)
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) setView('status', 'ended')
      else setPollFailed(true)
    }
  }
  const sayWaiting = async () => {
    try {
      update(await announceWaiting(props.id))
      setNotOpen(false)
      setPollFailed(false)
    } catch (e) {
      if (e instanceof ApiError && e.code === 'session.not_open') setNotOpen(true)
      else if (e instanceof ApiError && e.code === 'session.ended') setView('status', 'ended')
      else setPollFailed(true)
    }
  }

  // Once past the device check, the roster is polled: admission, caucus, notes, the end.
  createEffect(() => {
    const p = phase()
    if (p === 'check') return
    const poll = setInterval(refresh, POLL_MS)
    onCleanup(() => clearInterval(poll))
    if (p === 'waiting') {
      void sayWaiting()
      const wait = setInterval(sayWaiting, WAIT_MS)
      onCleanup(() => clearInterval(wait))
      // The room's code arrives while the party waits, so being let in connects at once.
      void loadRoom()
    }
  })
  // Let in: connect.
  createEffect(() => {
    if (phase() === 'waiting' && view.me.state === 'admitted') setPhase('room')
  })

  const enter = () => setPhase(isMediator() || view.me.state === 'admitted' ? 'room' : 'waiting')
  const finished = () => view.status === 'ended' || view.status === 'cancelled'

  return (
    <Switch>
      <Match when={finished()}>
        <section class="card">
          <PageHeading title={view.status === 'cancelled' ? t('session.cancelled') : t('session.ended')} />
          <p role="status">{t('session.endedBody')}</p>
          <CaseLink view={view} />
        </section>
      </Match>
      <Match when={view.me.state === 'removed'}>
        <section class="card">
          <PageHeading title={t('session.removed')} />
          <p role="alert">{t('session.removedBody')}</p>
          <CaseLink view={view} />
        </section>
      </Match>
      <Match when={phase() === 'check'}>
        <DeviceCheck
          view={view}
          onUpdate={update}
          devices={devices()}
          onDevices={setDevices}
          audioOnly={audioOnly()}
          onAudioOnly={setAudioOnly}
          onEnter={enter}
        />
      </Match>
      <Match when={phase() === 'waiting'}>
        <WaitingRoom
          view={view}
          notOpen={notOpen()}
          pollFailed={pollFailed()}
          onBack={() => setPhase('check')}
        />
      </Match>
      <Match when={phase() === 'room'}>
        <div class="session-room-page">
          <RoomHead view={view} />
          <div aria-live="polite" class="room-notices">
            <Show when={view.me.location === 'held'}>
              <p class="notice notice-warn" role="status">
                {t('room.held')}
              </p>
            </Show>
            <Show when={view.me.location === 'caucus' && !isMediator()}>
              <p class="notice notice-info" role="status">
                {t('room.caucusMine')}
              </p>
            </Show>
          </div>
          <ErrorBoundary fallback={(error, reset) => <LoadError error={error} reset={reset} />}>
            <Suspense fallback={<Loading />}>
              <SessionRoom
                sessionId={props.id}
                view={view}
                devices={devices()}
                audioOnly={audioOnly()}
                onAudioOnly={setAudioOnly}
                onMicSids={setMicSids}
              />
            </Suspense>
          </ErrorBoundary>
          <Show when={isMediator()}>
            <MediatorPanel sessionId={props.id} view={view} onUpdate={update} micSids={micSids()} />
          </Show>
          <SessionNotes sessionId={props.id} view={view} onUpdate={update} />
        </div>
      </Match>
    </Switch>
  )
}

function CaseLink(props: { view: SessionView }) {
  const staff = () => props.view.me.role === 'mediator' || props.view.me.role === 'observer'
  return (
    <A
      href={staff() ? `/staff/cases/${props.view.caseId}` : `/cases/${props.view.caseId}`}
      class="button button-primary button-block"
    >
      {t('session.toCase')}
    </A>
  )
}

/** Title, case number, who I am, and the recording light everyone must be able to see. */
function RoomHead(props: { view: SessionView }) {
  return (
    <header class="room-head">
      <div>
        <PageHeading title={t('room.title')} class="room-title" />
        <p class="room-sub">
          {t('session.caseNumber', { number: props.view.caseNumber })} ·{' '}
          {participantLabel(props.view.me, props.view.me.id)}
        </p>
      </div>
      <Show when={props.view.recording.state === 'active'}>
        <p class="recording-light" role="status">
          <span class="recording-dot" aria-hidden="true" />
          {t('room.recording')}
        </p>
      </Show>
    </header>
  )
}

function WaitingRoom(props: {
  view: SessionView
  notOpen: boolean
  pollFailed: boolean
  onBack: () => void
}) {
  return (
    <section class="card waiting" aria-labelledby="waiting-title">
      <PageHeading id="waiting-title" title={t('wait.title')} />
      <p class="room-sub">
        {t('session.caseNumber', { number: props.view.caseNumber })} ·{' '}
        {participantLabel(props.view.me, props.view.me.id)}
      </p>
      <div class="waiting-status" aria-live="polite">
        <Show
          when={props.view.me.state === 'admitted'}
          fallback={
            <p class="loading" role="status">
              <span class="spinner" aria-hidden="true" />
              {t('wait.body')}
            </p>
          }
        >
          <p role="status">{t('wait.admitted')}</p>
        </Show>
        <Show when={props.notOpen}>
          <p class="notice notice-info" role="status">
            {t('session.notOpen', { time: formatClock(props.view.joinOpensAt) })}
          </p>
        </Show>
        <Show when={props.pollFailed}>
          <p class="notice notice-error" role="alert">
            {t('wait.failed')}
          </p>
        </Show>
      </div>
      <button type="button" class="button button-secondary button-block" onClick={() => props.onBack()}>
        {t('wait.back')}
      </button>
    </section>
  )
}
