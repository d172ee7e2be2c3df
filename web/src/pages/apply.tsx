import { A, revalidate, useNavigate } from '@solidjs/router'
import {
  batch,
  createEffect,
  createMemo,
  createSignal,
  For,
  Match,
  on,
  onMount,
  Show,
  Switch,
} from 'solid-js'
import { createStore, reconcile, unwrap } from 'solid-js/store'
import type { CreatedCase } from '../../../functions/domain/case.ts'
import { DISPUTE_TYPES, MEETING_PREFERENCES } from '../../../functions/domain/case-options.ts'
import { ApiError, api, call, NetworkError } from '../api/client.ts'
import { errorText, t } from '../i18n/index.ts'
import { ChoiceCards, TextAreaField, TextField } from '../ui/form.tsx'
import { PageHeading } from '../ui/page-heading.tsx'
import { RequireSignIn } from '../ui/require-sign-in.tsx'
import {
  clearDraft,
  type DraftValues,
  emptyValues,
  isBlank,
  loadDraft,
  newIdempotencyKey,
  saveDraft,
} from './apply-draft.ts'
import { FIELD_ORDER, type FieldName, isMoneyDispute, serverErrors, today } from './apply-form.ts'
import type { Validate } from './apply-validate.ts'
import { getMyCases } from './cases.data.ts'

const DESCRIPTION_MAX = 2000

/**
 * The check against the API's own schema is most of this page's code (zod): the form shows
 * without it, and it is loaded right after, before anyone has finished a field.
 */
const loadValidate = async (): Promise<Validate> => (await import('./apply-validate.ts')).validate

export default function Apply() {
  return (
    <RequireSignIn>
      <ApplyForm />
    </RequireSignIn>
  )
}

type Failure = 'network' | 'unavailable' | 'mismatch' | 'validation' | { code: string }

function ApplyForm() {
  const navigate = useNavigate()
  const restored = loadDraft()
  const [values, setValues] = createStore<DraftValues>(restored?.values ?? emptyValues())
  const [key, setKey] = createSignal(restored?.idempotencyKey ?? newIdempotencyKey())
  const [showRestored, setShowRestored] = createSignal(!!restored && !isBlank(restored.values))
  const [touched, setTouched] = createStore<Partial<Record<FieldName, boolean>>>({})
  const [server, setServer] = createStore<Partial<Record<FieldName, string>>>({})
  const [submitted, setSubmitted] = createSignal(false)
  const [sending, setSending] = createSignal(false)
  const [failure, setFailure] = createSignal<Failure>()
  const [created, setCreated] = createSignal<CreatedCase>()

  const [validate, setValidate] = createSignal<Validate>()
  // Not loaded (offline): the form still works, and a send loads it again or says why it cannot.
  onMount(() => {
    loadValidate().then(
      (v) => setValidate(() => v),
      () => undefined,
    )
  })
  // No error shows until the check has arrived; then at once for fields already left.
  const check = createMemo(() => validate()?.(values) ?? { errors: {} })
  const errorCode = (name: FieldName) =>
    server[name] ?? (touched[name] || submitted() ? check().errors[name] : undefined)
  const error = (name: FieldName) => {
    const code = errorCode(name)
    return code ? errorText(code) : undefined
  }
  const errorCount = () => FIELD_ORDER.filter((name) => errorCode(name)).length

  // Every change is kept on the phone at once; nothing is written before the first keystroke.
  createEffect(
    on(
      () => [JSON.stringify(values), key()] as const,
      ([json, k]) => {
        if (!created()) saveDraft({ values: JSON.parse(json) as DraftValues, idempotencyKey: k })
      },
      { defer: true },
    ),
  )

  const set = (name: FieldName, value: string) =>
    batch(() => {
      setValues(name, value)
      if (server[name]) setServer(name, undefined)
    })
  const touch = (name: FieldName) => setTouched(name, true)

  const bind = (name: FieldName) => ({
    id: name,
    value: values[name],
    error: error(name),
    onInput: (e: { currentTarget: { value: string } }) => set(name, e.currentTarget.value),
    onBlur: () => touch(name),
  })

  const focusField = (name: FieldName) => {
    const el = document.getElementById(name)
    const target = el instanceof HTMLFieldSetElement ? el.querySelector('input') : el
    target?.focus()
  }

  const startOver = () => {
    if (!window.confirm(t('apply.clearConfirm'))) return
    batch(() => {
      setValues(reconcile(emptyValues()))
      setTouched(reconcile({}))
      setServer(reconcile({}))
      setSubmitted(false)
      setFailure(undefined)
      setShowRestored(false)
      setKey(newIdempotencyKey())
    })
    clearDraft()
    focusField('disputeType')
  }

  const submit = async (ev: Event) => {
    ev.preventDefault()
    if (sending()) return
    setSubmitted(true)
    setFailure(undefined)
    let checkNow: Validate
    try {
      checkNow = validate() ?? (await loadValidate())
    } catch {
      setFailure('network')
      return
    }
    // A second press while the check was still loading: the first one is already sending.
    if (sending()) return
    const { errors, input } = checkNow(unwrap(values))
    if (!input) {
      const first = FIELD_ORDER.find((name) => errors[name])
      if (first) focusField(first)
      return
    }
    setSending(true)
    try {
      const result = await call(() => api.cases.$post({ json: input, header: { 'idempotency-key': key() } }))
      clearDraft()
      setCreated(result)
      void revalidate(getMyCases.key)
    } catch (e) {
      if (e instanceof NetworkError) setFailure('network')
      else if (e instanceof ApiError) {
        if (e.status === 401) {
          navigate(`/sign-in?next=${encodeURIComponent('/apply')}`)
          return
        }
        if (e.code === 'request.idempotency_mismatch') {
          // The key already filed a different body: a later send must be a new request.
          setKey(newIdempotencyKey())
          setFailure('mismatch')
        } else if (e.status === 400 && e.fields) {
          const mapped = serverErrors(e.fields)
          setServer(reconcile(mapped))
          setFailure('validation')
          const first = FIELD_ORDER.find((name) => mapped[name])
          if (first) focusField(first)
        } else if (e.status >= 500) setFailure('unavailable')
        else setFailure({ code: e.code })
      } else setFailure({ code: 'internal' })
    } finally {
      setSending(false)
    }
  }

  const failureText = () => {
    const f = failure()
    if (!f) return undefined
    if (f === 'network') return t('apply.networkError')
    if (f === 'unavailable') return t('apply.unavailable')
    if (f === 'mismatch') return t('apply.mismatch')
    if (f === 'validation') return errorText('validation.failed')
    return errorText(f.code)
  }

  const disputeOptions = () =>
    DISPUTE_TYPES.map((value) => ({
      value,
      label: t(`disputeType.${value}`),
      hint: t(`disputeType.${value}.hint`),
    }))
  const meetingOptions = () => MEETING_PREFERENCES.map((value) => ({ value, label: t(`meeting.${value}`) }))

  return (
    <Switch>
      <Match when={created()}>{(done) => <Done created={done()} />}</Match>
      <Match when={!created()}>
        <PageHeading title={t('apply.title')} />
        <p class="lead">{t('apply.lead')}</p>
        <Show when={showRestored()}>
          <div class="notice notice-info" role="status">
            <p>{t('apply.restored')}</p>
            <button type="button" class="button button-link" onClick={startOver}>
              {t('apply.clearDraft')}
            </button>
          </div>
        </Show>

        <form class="form" onSubmit={submit} novalidate aria-busy={sending()}>
          <section class="card" aria-labelledby="sec-type">
            <h2 id="sec-type">{t('apply.section.type')}</h2>
            <ChoiceCards
              id="disputeType"
              legend={t('apply.disputeType')}
              options={disputeOptions()}
              value={values.disputeType}
              onChange={(v) => {
                set('disputeType', v)
                touch('disputeType')
              }}
              error={error('disputeType')}
              required
              columns={2}
            />
          </section>

          <section class="card" aria-labelledby="sec-what">
            <h2 id="sec-what">{t('apply.section.what')}</h2>
            <TextAreaField
              {...bind('description')}
              label={t('apply.description')}
              hint={t('apply.descriptionHint')}
              required
              rows={6}
              maxLength={DESCRIPTION_MAX}
              extra={
                <p
                  class="counter"
                  classList={{ 'counter-over': values.description.trim().length > DESCRIPTION_MAX }}
                >
                  {t('form.counter', { n: values.description.trim().length, max: DESCRIPTION_MAX })}
                </p>
              }
            />
            <TextField
              {...bind('occurredOn')}
              type="date"
              max={today()}
              label={t('apply.occurredOn')}
              hint={t('apply.occurredOnHint')}
            />
          </section>

          <section class="card" aria-labelledby="sec-where">
            <h2 id="sec-where">{t('apply.section.where')}</h2>
            <TextField
              {...bind('district')}
              label={t('apply.district')}
              hint={t('apply.districtHint')}
              required
              maxLength={40}
              autocomplete="address-level2"
            />
            <TextField {...bind('street')} label={t('apply.street')} maxLength={60} />
            <TextField {...bind('village')} label={t('apply.village')} maxLength={60} />
            <TextField
              {...bind('address')}
              label={t('apply.address')}
              maxLength={120}
              autocomplete="street-address"
            />
          </section>

          <section class="card" aria-labelledby="sec-who">
            <h2 id="sec-who">{t('apply.section.who')}</h2>
            <TextField
              {...bind('respondentName')}
              label={t('apply.respondentName')}
              hint={t('apply.respondentNameHint')}
              required
              maxLength={40}
              autocomplete="off"
            />
            <TextField
              {...bind('respondentPhone')}
              type="tel"
              inputMode="numeric"
              label={t('apply.respondentPhone')}
              hint={t('apply.respondentPhoneHint')}
              maxLength={20}
              autocomplete="off"
            />
          </section>

          <section class="card" aria-labelledby="sec-want">
            <h2 id="sec-want">{t('apply.section.want')}</h2>
            <TextField
              {...bind('amount')}
              inputMode="decimal"
              label={t('apply.amount')}
              hint={t('apply.amountHint')}
              required={isMoneyDispute(values.disputeType)}
              maxLength={16}
              autocomplete="off"
            />
            <TextAreaField
              {...bind('desiredOutcome')}
              label={t('apply.desiredOutcome')}
              hint={t('apply.desiredOutcomeHint')}
              required
              rows={3}
              maxLength={500}
            />
            <ChoiceCards
              id="meetingPreference"
              legend={t('apply.meeting')}
              options={meetingOptions()}
              value={values.meetingPreference}
              onChange={(v) => {
                set('meetingPreference', v)
                touch('meetingPreference')
              }}
              error={error('meetingPreference')}
              required
            />
          </section>

          <div class="submit-area">
            <div class="submit-status" aria-live="assertive">
              <Show when={failureText()}>
                <p class="notice notice-error">{failureText()}</p>
              </Show>
              <Show when={submitted() && !failure() && errorCount() > 0}>
                <p class="notice notice-error">{t('form.fixErrors', { n: errorCount() })}</p>
              </Show>
            </div>
            <Show when={failure() === 'mismatch'}>
              <A href="/cases" class="button button-secondary button-block">
                {t('cases.title')}
              </A>
            </Show>
            <button
              type="submit"
              class="button button-primary button-block"
              disabled={sending()}
              aria-busy={sending()}
            >
              <Show
                when={sending()}
                fallback={
                  failure() === 'network' || failure() === 'unavailable'
                    ? t('apply.retry')
                    : t('apply.submit')
                }
              >
                <span class="spinner" aria-hidden="true" />
                {t('apply.submitting')}
              </Show>
            </button>
            <p class="visually-hidden" role="status">
              {sending() ? t('apply.submitting') : ''}
            </p>
          </div>
        </form>
      </Match>
    </Switch>
  )
}

function Done(props: { created: CreatedCase }) {
  return (
    <section class="card done" aria-labelledby="done-title">
      <div class="done-mark" aria-hidden="true" />
      <PageHeading id="done-title" title={t('apply.done.title')} />
      <p class="done-label">{t('apply.done.numberLabel')}</p>
      <p class="case-number">{props.created.number}</p>
      <p>{t('apply.done.keep')}</p>
      <h2>{t('apply.done.nextTitle')}</h2>
      <ol class="next-steps">
        <For each={['apply.done.next1', 'apply.done.next2', 'apply.done.next3'] as const}>
          {(key) => <li>{t(key)}</li>}
        </For>
      </ol>
      <A href={`/cases/${props.created.id}`} class="button button-primary button-block">
        {t('apply.done.viewCase')}
      </A>
      <A href="/" class="button button-secondary button-block">
        {t('apply.done.home')}
      </A>
    </section>
  )
}
