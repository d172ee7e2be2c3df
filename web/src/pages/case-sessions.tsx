import { A, createAsync } from '@solidjs/router'
import { createSignal, For, onCleanup, Show } from 'solid-js'
import { createStore, reconcile } from 'solid-js/store'
import type { CaseStatus } from '../../../functions/domain/case.ts'
import { fieldErrors } from '../../../functions/domain/validation.ts'
import { ScheduleInput } from '../../../functions/domain/video.ts'
import { ApiError, NetworkError } from '../api/client.ts'
import { getMe } from '../api/session.ts'
import { errorText } from '../i18n/index.ts'
import { formatClock, formatSessionTime, t } from '../i18n/video.ts'
import { Field, TextField } from '../ui/form.tsx'
import { getCaseSessions, type SessionSummary, scheduleSession } from './sessions.data.ts'
import './session.css'

/**
 * The video sessions of a case, on the citizen's and the staff case page (its own chunk): when
 * each one is, the way in from 15 minutes before, and for the case's mediator the form to
 * schedule one.
 */
export default function CaseSessions(props: {
  caseId: string
  status: CaseStatus
  /** The staff page passes the case's mediator; the form shows for them and centre admins. */
  mediatorId?: string
  staff?: boolean
}) {
  const sessions = createAsync(() => getCaseSessions(props.caseId))
  const me = createAsync(() => getMe())
  const canSchedule = () => {
    const m = me()
    return (
      props.status === 'in_mediation' &&
      m?.kind === 'staff' &&
      (m.role === 'centre_admin' || m.username === props.mediatorId)
    )
  }
  // The way in opens 15 minutes before the start, also for a page left open.
  const [now, setNow] = createSignal(Date.now())
  const timer = setInterval(() => setNow(Date.now()), 20_000)
  onCleanup(() => clearInterval(timer))
  const [flash, setFlash] = createSignal<string>()
  return (
    <section class="card sessions" aria-labelledby="sessions-title">
      <h2 id="sessions-title">{t('sessions.title')}</h2>
      <Show when={!props.staff}>
        <p class="lead">{t('sessions.lead')}</p>
      </Show>
      <div aria-live="polite">
        <Show when={flash()}>
          <p class="notice notice-info" role="status">
            {flash()}
          </p>
        </Show>
      </div>
      <Show when={(sessions() ?? []).length > 0} fallback={<p class="empty">{t('sessions.none')}</p>}>
        <ul class="session-list">
          <For each={sessions()}>{(s) => <SessionItem session={s} now={now()} />}</For>
        </ul>
      </Show>
      <Show when={canSchedule()}>
        <ScheduleForm caseId={props.caseId} onDone={() => setFlash(t('schedule.done'))} />
      </Show>
    </section>
  )
}

const endOf = (s: SessionSummary) => Date.parse(s.startsAt) + s.durationMinutes * 60_000

function SessionItem(props: { session: SessionSummary; now: number }) {
  const s = () => props.session
  const open = () =>
    s().status !== 'ended' &&
    s().status !== 'cancelled' &&
    (s().joinable || (props.now >= Date.parse(s().joinOpensAt) && props.now < endOf(s())))
  return (
    <li class="session-item">
      <div class="session-item-top">
        <time dateTime={s().startsAt} class="session-when">
          {t('sessions.when', { date: formatSessionTime(s().startsAt) })}
        </time>
        <span
          class={`badge ${s().status === 'ended' || s().status === 'cancelled' ? 'badge-done' : 'badge-progress'}`}
        >
          {t(`sessions.status.${s().status}`)}
        </span>
      </div>
      <p class="session-meta">{t('sessions.duration', { n: s().durationMinutes })}</p>
      <Show
        when={open()}
        fallback={
          <Show when={s().status === 'scheduled'}>
            <p class="session-meta">{t('sessions.opensAt', { time: formatClock(s().joinOpensAt) })}</p>
          </Show>
        }
      >
        <A href={`/sessions/${s().id}`} class="button button-primary button-block">
          {t('sessions.join')}
        </A>
      </Show>
    </li>
  )
}

type ExtraRole = 'interpreter' | 'support' | 'observer'
interface ExtraDraft {
  role: ExtraRole
  name: string
  phone: string
  staffUsername: string
  side: '' | 'applicant' | 'respondent'
}

/** The API's codes for this form, said in the form's own words. */
const FIELD_CODES: Record<string, string> = {
  'session.starts_in_past': 'schedule.error.past',
  'session.duration': 'schedule.error.duration',
  'session.extra_contact': 'schedule.error.contact',
  'session.extra_side': 'schedule.error.side',
  'session.unknown_staff': 'schedule.error.unknownStaff',
  'session.too_many_extras': 'schedule.error.tooMany',
}
const fieldText = (code: string | undefined) =>
  code ? (FIELD_CODES[code] ? t(FIELD_CODES[code] as 'schedule.error.past') : errorText(code)) : undefined

/** "2026-10-05T14:30" typed into a datetime-local box means Beijing time, whatever the phone's zone. */
const chinaIso = (local: string) =>
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local) ? `${local}:00+08:00` : local

/** Half past the next hour in Beijing time, as a datetime-local value: a sensible first guess. */
function suggestedStart(): string {
  const beijing = new Date(Date.now() + 8 * 3_600_000 + 3_600_000)
  return `${beijing.toISOString().slice(0, 13)}:00`
}

const MAX_EXTRAS = 6
const EXTRA_FIELDS = ['role', 'name', 'phone', 'staffUsername', 'side']

/** Where a field sits on the form, top to bottom: the first wrong one gets the focus. */
function formOrder(path: string): number {
  if (path === 'startsAt') return 0
  if (path === 'durationMinutes') return 1
  const [, index, field] = path.split('.')
  return 10 + Number(index ?? 0) * 10 + Math.max(0, EXTRA_FIELDS.indexOf(field ?? ''))
}

function ScheduleForm(props: { caseId: string; onDone: () => void }) {
  const [open, setOpen] = createSignal(false)
  const [startsAt, setStartsAt] = createSignal(suggestedStart())
  const [duration, setDuration] = createSignal('60')
  const [extras, setExtras] = createStore<ExtraDraft[]>([])
  const [errors, setErrors] = createStore<Record<string, string | undefined>>({})
  const [busy, setBusy] = createSignal(false)
  const [failure, setFailure] = createSignal<string>()

  const input = () => ({
    startsAt: chinaIso(startsAt()),
    durationMinutes: /^\d+$/.test(duration().trim()) ? Number(duration().trim()) : Number.NaN,
    extras: extras.map((x) => ({
      role: x.role,
      name: x.name,
      // Interpreters and support people come by phone; an observer is a member of staff.
      ...(x.role === 'observer'
        ? { staffUsername: x.staffUsername.trim() || undefined }
        : { phone: x.phone.trim() || undefined }),
      ...(x.side ? { side: x.side } : {}),
    })),
  })

  /** The form's own checks: the same schema as the API, plus "not in the past". */
  const check = (): Record<string, string> => {
    const parsed = ScheduleInput.safeParse(input())
    const found = parsed.success ? {} : fieldErrors(parsed.error.issues)
    const at = Date.parse(chinaIso(startsAt()))
    if (!found.startsAt && Number.isFinite(at) && at < Date.now()) found.startsAt = 'session.starts_in_past'
    if (!startsAt()) found.startsAt = 'validation.required'
    if (found.durationMinutes && duration().trim() !== '') found.durationMinutes = 'session.duration'
    return found
  }

  const submit = async () => {
    if (busy()) return
    setFailure(undefined)
    const found = check()
    setErrors(reconcile(found))
    const first = Object.keys(found).sort((a, b) => formOrder(a) - formOrder(b))[0]
    if (first) {
      document.getElementById(`schedule-${first.replaceAll('.', '-')}`)?.focus()
      return
    }
    setBusy(true)
    try {
      await scheduleSession(props.caseId, ScheduleInput.parse(input()))
      setOpen(false)
      setExtras([])
      props.onDone()
    } catch (e) {
      if (e instanceof ApiError && e.fields) setErrors(reconcile(e.fields))
      setFailure(
        e instanceof ApiError
          ? errorText(e.code)
          : errorText(e instanceof NetworkError ? 'service.unavailable' : 'internal'),
      )
    } finally {
      setBusy(false)
    }
  }

  const err = (path: string) => fieldText(errors[path])
  /** "Phone or staff username" is the API's rule; the form asks for one of them per role. */
  const contactErr = (i: number) => {
    const code = errors[`extras.${i}.phone`]
    if (code !== 'session.extra_contact') return fieldText(code)
    return extras[i]?.role === 'observer' ? t('schedule.error.staff') : t('schedule.error.phone')
  }
  const setExtra = (i: number, patch: Partial<ExtraDraft>) => setExtras(i, patch)

  return (
    <Show
      when={open()}
      fallback={
        <button type="button" class="button button-secondary button-block" onClick={() => setOpen(true)}>
          {t('schedule.open')}
        </button>
      }
    >
      <form
        class="action-panel schedule-form"
        novalidate
        aria-busy={busy()}
        aria-labelledby="schedule-title"
        onSubmit={(e) => {
          e.preventDefault()
          void submit()
        }}
      >
        <h3 id="schedule-title">{t('schedule.title')}</h3>
        <TextField
          id="schedule-startsAt"
          type="datetime-local"
          required
          label={t('schedule.startsAt')}
          hint={t('schedule.startsAtHint')}
          value={startsAt()}
          onInput={(e) => setStartsAt(e.currentTarget.value)}
          error={err('startsAt')}
        />
        <TextField
          id="schedule-durationMinutes"
          inputmode="numeric"
          required
          label={t('schedule.duration')}
          hint={t('schedule.durationHint')}
          value={duration()}
          onInput={(e) => setDuration(e.currentTarget.value)}
          error={err('durationMinutes')}
        />
        <fieldset class="field extras">
          <legend class="field-label">
            {t('schedule.extras')}
            <span class="field-optional">{t('form.optional')}</span>
          </legend>
          <p class="field-hint">{t('schedule.extrasHint')}</p>
          <For each={extras}>
            {(x, index) => (
              <fieldset class="extra">
                <legend>{t('schedule.extraN', { n: index() + 1 })}</legend>
                <Field
                  id={`schedule-extras-${index()}-role`}
                  label={t('schedule.role')}
                  required
                  error={err(`extras.${index()}.role`)}
                >
                  <select
                    id={`schedule-extras-${index()}-role`}
                    class="input"
                    value={x.role}
                    onChange={(e) => setExtra(index(), { role: e.currentTarget.value as ExtraRole })}
                  >
                    <option value="interpreter">{t('role.interpreter')}</option>
                    <option value="support">{t('role.support')}</option>
                    <option value="observer">{t('role.observer')}</option>
                  </select>
                </Field>
                <TextField
                  id={`schedule-extras-${index()}-name`}
                  required
                  maxLength={40}
                  label={t('schedule.name')}
                  hint={t('schedule.nameHint')}
                  value={x.name}
                  onInput={(e) => setExtra(index(), { name: e.currentTarget.value })}
                  error={err(`extras.${index()}.name`)}
                />
                <Show
                  when={x.role === 'observer'}
                  fallback={
                    <TextField
                      id={`schedule-extras-${index()}-phone`}
                      type="tel"
                      inputmode="numeric"
                      autocomplete="off"
                      required
                      label={t('schedule.phone')}
                      hint={t('schedule.phoneHint')}
                      value={x.phone}
                      onInput={(e) => setExtra(index(), { phone: e.currentTarget.value })}
                      error={contactErr(index())}
                    />
                  }
                >
                  <TextField
                    id={`schedule-extras-${index()}-staffUsername`}
                    autocomplete="off"
                    required
                    label={t('schedule.staffUsername')}
                    hint={t('schedule.staffUsernameHint')}
                    value={x.staffUsername}
                    onInput={(e) => setExtra(index(), { staffUsername: e.currentTarget.value })}
                    error={err(`extras.${index()}.staffUsername`) ?? contactErr(index())}
                  />
                </Show>
                <Field
                  id={`schedule-extras-${index()}-side`}
                  label={t('schedule.side')}
                  required={x.role !== 'observer'}
                  error={err(`extras.${index()}.side`)}
                >
                  <select
                    id={`schedule-extras-${index()}-side`}
                    class="input"
                    value={x.side}
                    aria-invalid={err(`extras.${index()}.side`) ? 'true' : undefined}
                    onChange={(e) => setExtra(index(), { side: e.currentTarget.value as ExtraDraft['side'] })}
                  >
                    <option value="">
                      {x.role === 'observer' ? t('schedule.side.none') : t('schedule.side.choose')}
                    </option>
                    <option value="applicant">{t('role.party.applicant')}</option>
                    <option value="respondent">{t('role.party.respondent')}</option>
                  </select>
                </Field>
                <button
                  type="button"
                  class="button button-link"
                  onClick={() => {
                    setExtras((list) => list.filter((_, j) => j !== index()))
                    setErrors(reconcile({}))
                  }}
                >
                  {t('schedule.removeExtra')}
                </button>
              </fieldset>
            )}
          </For>
          <Show when={extras.length < MAX_EXTRAS}>
            <button
              type="button"
              class="button button-secondary"
              onClick={() =>
                setExtras(extras.length, {
                  role: 'interpreter',
                  name: '',
                  phone: '',
                  staffUsername: '',
                  side: '',
                })
              }
            >
              {t('schedule.addExtra')}
            </button>
          </Show>
        </fieldset>
        <Show when={failure()}>
          <p class="notice notice-error" role="alert">
            {failure()}
          </p>
        </Show>
        <div class="row-actions">
          <button type="submit" class="button button-primary" disabled={busy()} aria-busy={busy()}>
            {busy() ? t('schedule.busy') : t('schedule.submit')}
          </button>
          <button type="button" class="button button-secondary" onClick={() => setOpen(false)}>
            {t('schedule.cancel')}
          </button>
        </div>
      </form>
    </Show>
  )
}
