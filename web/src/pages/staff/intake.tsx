import { A, createAsync, revalidate } from '@solidjs/router'
import { batch, createMemo, createSignal, For, Match, Show, Switch } from 'solid-js'
import { createStore, reconcile, unwrap } from 'solid-js/store'
import { DISPUTE_TYPES, INTAKE_ROUTES, MEETING_PREFERENCES } from '../../../../functions/domain/case.ts'
import type { ExclusionCode } from '../../../../functions/domain/exclusions.ts'
import { Phone } from '../../../../functions/domain/phone.ts'
import { ApiError, api, call, NetworkError } from '../../api/client.ts'
import { errorText } from '../../i18n/index.ts'
import { t } from '../../i18n/staff.ts'
import { ChoiceCards, Field, TextAreaField, TextField } from '../../ui/form.tsx'
import { PageHeading } from '../../ui/page-heading.tsx'
import { type DraftValues, emptyValues, newIdempotencyKey } from '../apply-draft.ts'
import { FIELD_ORDER, type FieldName, isMoneyDispute, serverErrors, today } from '../apply-form.ts'
import { validate } from '../apply-validate.ts'
import { getDepartments } from './referrals.tsx'
import { RequireStaff } from './shell.tsx'
import { getQueue } from './staff.data.ts'

/** The officer's ticks, by the API's flag names; each maps to the exclusion code the API answers with. */
const FLAGS = {
  hiredViolence: 'exclusion.hired_violence',
  gangFight: 'exclusion.gang_fight',
  pickingQuarrels: 'exclusion.picking_quarrels',
  repeatedOffence: 'exclusion.repeated_offence',
  provokedDuringMediation: 'exclusion.provoked_during_mediation',
} as const satisfies Record<string, ExclusionCode>
type Flag = keyof typeof FLAGS

interface CallValues {
  route: string
  /** A case referred in by a partner department: which one, and its file number. */
  departmentId: string
  reference: string
  callNumber: string
  callTime: string
  callerName: string
  callerPhone: string
  partiesCount: string
  otherUnsuitable: boolean
  otherReason: string
}
type CallField = Exclude<keyof CallValues, 'otherUnsuitable'>

const CALL_PATHS: Record<string, CallField> = {
  route: 'route',
  departmentId: 'departmentId',
  reference: 'reference',
  'applicant.name': 'callerName',
  'applicant.phone': 'callerPhone',
  'call.number': 'callNumber',
  'call.time': 'callTime',
  'call.callerName': 'callerName',
  'call.callerPhone': 'callerPhone',
  partiesCount: 'partiesCount',
  'exclusions.otherUnsuitable': 'otherReason',
}

/** A datetime-local value (this computer's clock) as ISO 8601 with its UTC offset. */
function withOffset(local: string): string | undefined {
  const d = new Date(local)
  if (!local || Number.isNaN(d.getTime())) return undefined
  const off = -d.getTimezoneOffset()
  const sign = off >= 0 ? '+' : '-'
  const pad = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, '0')
  return `${local.length === 16 ? `${local}:00` : local}${sign}${pad(off / 60)}:${pad(off % 60)}`
}

function nowLocal(): string {
  const d = new Date()
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${today(d)}T${pad(d.getHours())}:${pad(d.getMinutes())}`
}

const emptyCall = (): CallValues => ({
  route: 'transfer',
  departmentId: '',
  reference: '',
  callNumber: '',
  callTime: nowLocal(),
  callerName: '',
  callerPhone: '',
  partiesCount: '',
  otherUnsuitable: false,
  otherReason: '',
})

/**
 * Police: a 110 call about a dispute becomes a case handed to people's mediation. Mediators and
 * centre admins: a dispute a partner department referred in (a court's 诉前委派…) is registered
 * in their organisation, with the same dispute form.
 */
export default function Intake() {
  return (
    <RequireStaff>
      {(me) => (
        <Switch
          fallback={
            <section class="card">
              <PageHeading title={t('intake.title')} />
              <p class="notice notice-error">{t('staff.policeOnly')}</p>
            </section>
          }
        >
          <Match when={me.role === 'police'}>
            <IntakeForm mode="police" />
          </Match>
          <Match when={me.role === 'mediator' || me.role === 'centre_admin'}>
            <IntakeForm mode="referral" />
          </Match>
        </Switch>
      )}
    </RequireStaff>
  )
}

type Hold = { kind: 'excluded' | 'suspected'; codes: string[] }

function IntakeForm(props: { mode: 'police' | 'referral' }) {
  const referral = props.mode === 'referral'
  const departments = createAsync(async () =>
    referral ? (await getDepartments()).filter((d) => d.active) : [],
  )
  const [call_, setCall] = createStore<CallValues>(emptyCall())
  const [dispute, setDispute] = createStore<DraftValues>({ ...emptyValues(), meetingPreference: 'either' })
  const [flags, setFlags] = createStore<Record<Flag, boolean>>({
    hiredViolence: false,
    gangFight: false,
    pickingQuarrels: false,
    repeatedOffence: false,
    provokedDuringMediation: false,
  })
  const [server, setServer] = createStore<Record<string, string | undefined>>({})
  const [submitted, setSubmitted] = createSignal(false)
  const [sending, setSending] = createSignal(false)
  const [failure, setFailure] = createSignal<string>()
  const [hold, setHold] = createSignal<Hold>()
  const [key, setKey] = createSignal(newIdempotencyKey())
  const [created, setCreated] = createSignal<{ id: string; number: string }>()

  const entrust = () => call_.route === 'entrust'

  const callErrors = createMemo(() => {
    const e: Partial<Record<CallField, string>> = {}
    if (referral) {
      if (!call_.departmentId) e.departmentId = 'validation.required'
      if (!call_.reference.trim()) e.reference = 'validation.required'
    } else {
      if (!call_.callNumber.trim()) e.callNumber = 'validation.required'
      if (!withOffset(call_.callTime)) e.callTime = 'validation.date'
    }
    if (!call_.callerName.trim()) e.callerName = 'validation.required'
    const phone = Phone.safeParse(call_.callerPhone)
    if (!phone.success) e.callerPhone = phone.error.issues[0]?.message ?? 'validation.phone'
    if (call_.partiesCount.trim()) {
      const n = Number(call_.partiesCount)
      if (!Number.isInteger(n) || n < 2) e.partiesCount = 'validation.number'
    }
    if (entrust() && call_.otherUnsuitable) {
      const r = call_.otherReason.trim()
      if (!r) e.otherReason = 'validation.required'
      else if (r.length < 4) e.otherReason = 'validation.too_short'
    }
    return e
  })
  const disputeCheck = createMemo(() => validate(dispute))
  const shown = (code: string | undefined) => (submitted() && code ? errorText(code) : undefined)
  const callError = (name: CallField) =>
    server[name] ? errorText(server[name] as string) : shown(callErrors()[name])
  const disputeError = (name: FieldName) =>
    server[name] ? errorText(server[name] as string) : shown(disputeCheck().errors[name])

  const bindCall = (name: CallField) => ({
    id: name,
    value: call_[name] as string,
    error: callError(name),
    onInput: (e: { currentTarget: { value: string } }) =>
      batch(() => {
        setCall(name, e.currentTarget.value)
        setServer(name, undefined)
        setFailure(undefined)
      }),
  })
  const bind = (name: FieldName) => ({
    id: name,
    value: dispute[name],
    error: disputeError(name),
    onInput: (e: { currentTarget: { value: string } }) =>
      batch(() => {
        setDispute(name, e.currentTarget.value)
        setServer(name, undefined)
        setFailure(undefined)
      }),
  })

  const send = async (reviewed: boolean) => {
    if (sending()) return
    setSubmitted(true)
    setFailure(undefined)
    const { errors, input } = validate(unwrap(dispute))
    const firstCall = (Object.keys(CALL_PATHS).map((p) => CALL_PATHS[p]) as CallField[]).find(
      (n) => callErrors()[n],
    )
    const firstDispute = FIELD_ORDER.find((n) => errors[n])
    if (!input || firstCall) {
      document.getElementById(firstCall ?? firstDispute ?? 'callNumber')?.focus()
      setFailure(errorText('validation.failed'))
      return
    }
    const ticked = Object.fromEntries(Object.entries(flags).filter(([, v]) => v))
    const exclusions = entrust()
      ? { ...ticked, ...(call_.otherUnsuitable ? { otherUnsuitable: call_.otherReason.trim() } : {}) }
      : undefined
    const body = {
      route: call_.route as (typeof INTAKE_ROUTES)[number],
      call: {
        number: call_.callNumber.trim(),
        time: withOffset(call_.callTime) as string,
        callerName: call_.callerName.trim(),
        callerPhone: call_.callerPhone,
      },
      dispute: input,
      ...(exclusions && Object.keys(exclusions).length ? { exclusions } : {}),
      ...(reviewed ? { exclusionsReviewed: true } : {}),
      ...(call_.partiesCount.trim() ? { partiesCount: Number(call_.partiesCount) } : {}),
    }
    setSending(true)
    try {
      const res = referral
        ? await call(() =>
            api.intake.referral.$post({
              json: {
                departmentId: call_.departmentId,
                reference: call_.reference.trim(),
                applicant: { name: call_.callerName.trim(), phone: call_.callerPhone },
                dispute: input,
              },
              header: { 'idempotency-key': key() },
            }),
          )
        : await call(() => api.intake.$post({ json: body, header: { 'idempotency-key': key() } }))
      setHold(undefined)
      setCreated({ id: res.id, number: res.number })
      void revalidate(getQueue.key)
    } catch (e) {
      if (e instanceof NetworkError) setFailure(t('intake.network'))
      else if (e instanceof ApiError) {
        if (e.code === 'intake.excluded' || e.code === 'intake.exclusion_suspected') {
          setHold({
            kind: e.code === 'intake.excluded' ? 'excluded' : 'suspected',
            codes: Object.values(e.fields ?? {}),
          })
          queueMicrotask(() => document.getElementById('exclusion-hold')?.focus())
        } else if (e.code === 'request.idempotency_mismatch') {
          setKey(newIdempotencyKey())
          setFailure(errorText(e.code))
        } else if (e.fields) {
          const mapped: Record<string, string> = {}
          for (const [path, code] of Object.entries(e.fields)) {
            const callField = CALL_PATHS[path]
            if (callField) mapped[callField] = code
          }
          const disputeFields = Object.fromEntries(
            Object.entries(e.fields)
              .filter(([p]) => p.startsWith('dispute.'))
              .map(([p, c]) => [p.slice('dispute.'.length), c]),
          )
          Object.assign(mapped, serverErrors(disputeFields))
          setServer(reconcile(mapped))
          setFailure(errorText(e.code))
        } else setFailure(errorText(e.code))
      } else setFailure(errorText('internal'))
    } finally {
      setSending(false)
    }
  }

  const again = () =>
    batch(() => {
      setCall(reconcile(emptyCall()))
      setDispute(reconcile({ ...emptyValues(), meetingPreference: 'either' }))
      setFlags(
        reconcile({
          hiredViolence: false,
          gangFight: false,
          pickingQuarrels: false,
          repeatedOffence: false,
          provokedDuringMediation: false,
        }),
      )
      setServer(reconcile({}))
      setSubmitted(false)
      setHold(undefined)
      setKey(newIdempotencyKey())
      setCreated(undefined)
    })

  return (
    <Switch>
      <Match when={created()}>
        {(done) => (
          <section class="card done intake-done" aria-labelledby="intake-done-title">
            <div class="done-mark" aria-hidden="true" />
            <PageHeading
              id="intake-done-title"
              title={referral ? t('intake.referral.done') : t('intake.done')}
            />
            <p class="done-label">{t('intake.doneNumber')}</p>
            <p class="case-number">{done().number}</p>
            <p>{referral ? t('intake.referral.doneNext') : t('intake.doneNext')}</p>
            <A href={`/staff/cases/${done().id}`} class="button button-primary button-block">
              {t('intake.open')}
            </A>
            <button type="button" class="button button-secondary button-block" onClick={again}>
              {t('intake.another')}
            </button>
          </section>
        )}
      </Match>
      <Match when={!created()}>
        <PageHeading title={referral ? t('intake.referral.title') : t('intake.title')} />
        <p class="lead">{referral ? t('intake.referral.lead') : t('intake.lead')}</p>
        <form
          class="form"
          novalidate
          aria-busy={sending()}
          onSubmit={(e) => {
            e.preventDefault()
            void send(false)
          }}
        >
          <Show when={!referral}>
            <section class="card">
              <ChoiceCards
                id="route"
                legend={t('intake.route')}
                required
                value={call_.route}
                onChange={(v) =>
                  batch(() => {
                    setCall('route', v)
                    setHold(undefined)
                  })
                }
                options={INTAKE_ROUTES.map((r) => ({
                  value: r,
                  label: t(`route.${r}`),
                  hint: t(`route.${r}.hint`),
                }))}
              />
            </section>
          </Show>

          <Show when={referral}>
            <section class="card" aria-labelledby="sec-referral">
              <h2 id="sec-referral">{t('intake.referral.from')}</h2>
              <Field
                id="departmentId"
                label={t('intake.referral.department')}
                required
                error={callError('departmentId')}
              >
                <select
                  id="departmentId"
                  class="input"
                  value={call_.departmentId}
                  aria-invalid={callError('departmentId') ? 'true' : undefined}
                  onChange={(e) =>
                    batch(() => {
                      setCall('departmentId', e.currentTarget.value)
                      setServer('departmentId', undefined)
                    })
                  }
                >
                  <option value="">{t('intake.referral.choose')}</option>
                  <For each={departments()}>{(d) => <option value={d.id}>{d.name}</option>}</For>
                </select>
              </Field>
              <TextField
                {...bindCall('reference')}
                label={t('intake.referral.reference')}
                hint={t('intake.referral.referenceHint')}
                required
                maxLength={40}
                autocomplete="off"
              />
              <TextField
                {...bindCall('callerName')}
                label={t('intake.referral.applicantName')}
                required
                maxLength={40}
                autocomplete="off"
              />
              <TextField
                {...bindCall('callerPhone')}
                type="tel"
                inputMode="numeric"
                label={t('intake.referral.applicantPhone')}
                hint={t('intake.referral.applicantPhoneHint')}
                required
                maxLength={20}
                autocomplete="off"
              />
            </section>
          </Show>

          <Show when={!referral}>
            <section class="card" aria-labelledby="sec-call">
              <h2 id="sec-call">{t('intake.call')}</h2>
              <TextField
                {...bindCall('callNumber')}
                label={t('intake.callNumber')}
                hint={t('intake.callNumberHint')}
                required
                maxLength={40}
                autocomplete="off"
              />
              <TextField
                {...bindCall('callTime')}
                type="datetime-local"
                label={t('intake.callTime')}
                required
              />
              <TextField
                {...bindCall('callerName')}
                label={t('intake.callerName')}
                required
                maxLength={40}
                autocomplete="off"
              />
              <TextField
                {...bindCall('callerPhone')}
                type="tel"
                inputMode="numeric"
                label={t('intake.callerPhone')}
                hint={t('intake.callerPhoneHint')}
                required
                maxLength={20}
                autocomplete="off"
              />
            </section>
          </Show>

          <section class="card" aria-labelledby="sec-dispute">
            <h2 id="sec-dispute">{t('intake.dispute')}</h2>
            <ChoiceCards
              id="disputeType"
              legend={t('apply.disputeType')}
              required
              columns={2}
              value={dispute.disputeType}
              onChange={(v) => setDispute('disputeType', v)}
              error={disputeError('disputeType')}
              options={DISPUTE_TYPES.map((v) => ({ value: v, label: t(`disputeType.${v}`) }))}
            />
            <TextAreaField
              {...bind('description')}
              label={t('apply.description')}
              required
              rows={5}
              maxLength={2000}
            />
            <TextField {...bind('occurredOn')} type="date" max={today()} label={t('apply.occurredOn')} />
            <TextField
              {...bind('district')}
              label={t('apply.district')}
              hint={t('apply.districtHint')}
              required
              maxLength={40}
            />
            <TextField {...bind('street')} label={t('apply.street')} maxLength={60} />
            <TextField {...bind('address')} label={t('apply.address')} maxLength={120} />
            <TextField
              {...bind('respondentName')}
              label={t('intake.respondentName')}
              hint={t('intake.respondentNameHint')}
              required
              maxLength={40}
              autocomplete="off"
            />
            <TextField
              {...bind('respondentPhone')}
              type="tel"
              inputMode="numeric"
              label={t('intake.respondentPhone')}
              hint={t('intake.respondentPhoneHint')}
              maxLength={20}
              autocomplete="off"
            />
            <TextField
              {...bind('amount')}
              inputMode="decimal"
              label={t('apply.amount')}
              required={isMoneyDispute(dispute.disputeType)}
              maxLength={16}
              autocomplete="off"
            />
            <TextAreaField
              {...bind('desiredOutcome')}
              label={t('intake.desiredOutcome')}
              required
              rows={2}
              maxLength={500}
            />
            <ChoiceCards
              id="meetingPreference"
              legend={t('apply.meeting')}
              required
              value={dispute.meetingPreference}
              onChange={(v) => setDispute('meetingPreference', v)}
              error={disputeError('meetingPreference')}
              options={MEETING_PREFERENCES.map((v) => ({ value: v, label: t(`meeting.${v}`) }))}
            />
            <Show when={!referral}>
              <TextField
                {...bindCall('partiesCount')}
                inputMode="numeric"
                label={t('intake.partiesCount')}
                hint={t('intake.partiesCountHint')}
                maxLength={6}
                autocomplete="off"
              />
            </Show>
          </section>

          <Show when={entrust()}>
            <section class="card" aria-labelledby="sec-exclusions">
              <h2 id="sec-exclusions">{t('intake.exclusions')}</h2>
              <p class="lead">{t('intake.exclusionsLead')}</p>
              <div class="exclusion-list">
                <For each={Object.keys(FLAGS) as Flag[]}>
                  {(flag) => (
                    <label class="check">
                      <input
                        type="checkbox"
                        checked={flags[flag]}
                        onChange={(e) => setFlags(flag, e.currentTarget.checked)}
                      />
                      {t(`intake.ex.${flag}`)}
                    </label>
                  )}
                </For>
                <label class="check">
                  <input
                    type="checkbox"
                    checked={call_.otherUnsuitable}
                    onChange={(e) => setCall('otherUnsuitable', e.currentTarget.checked)}
                  />
                  {t('intake.ex.other')}
                </label>
              </div>
              <Show when={call_.otherUnsuitable}>
                <TextAreaField
                  {...bindCall('otherReason')}
                  label={t('intake.ex.otherReason')}
                  required
                  rows={2}
                  maxLength={500}
                />
              </Show>
            </section>
          </Show>

          <Show when={hold()}>
            {(h) => (
              <div
                id="exclusion-hold"
                tabIndex={-1}
                class={`notice exclusion-alert ${h().kind === 'excluded' ? 'notice-error' : 'notice-info'}`}
                role="alert"
              >
                <p>
                  <strong>{h().kind === 'excluded' ? t('intake.excluded') : t('intake.suspected')}</strong>
                </p>
                <ul>
                  <For each={h().codes}>{(code) => <li>{t(code as ExclusionCode)}</li>}</For>
                </ul>
                <Show when={h().kind === 'suspected'}>
                  <p>{t('intake.suspectedHelp')}</p>
                  <button
                    type="button"
                    class="button button-secondary button-block"
                    disabled={sending()}
                    onClick={() => void send(true)}
                  >
                    {t('intake.confirmNone')}
                  </button>
                </Show>
              </div>
            )}
          </Show>

          <div class="submit-area">
            <div class="submit-status" aria-live="assertive">
              <Show when={failure()}>
                <p class="notice notice-error">{failure()}</p>
              </Show>
            </div>
            <button
              type="submit"
              class="button button-primary button-block"
              disabled={sending()}
              aria-busy={sending()}
            >
              <Show when={sending()} fallback={referral ? t('intake.referral.submit') : t('intake.submit')}>
                <span class="spinner" aria-hidden="true" />
                {t('intake.busy')}
              </Show>
            </button>
          </div>
        </form>
      </Match>
    </Switch>
  )
}
