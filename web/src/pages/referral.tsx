import { useParams } from '@solidjs/router'
import { createEffect, createResource, createSignal, For, Match, onCleanup, Show, Switch } from 'solid-js'
import type { ReferralForDepartment } from '../../../functions/domain/referral.ts'
import { ApiError, api, call, errorCodeOf, fieldErrorsOf } from '../api/client.ts'
import { errorText, formatDateTime, formatPlainDate, formatYuan } from '../i18n/index.ts'
import { t } from '../i18n/referral.ts'
import { Detail } from '../ui/case-details.tsx'
import { ChoiceCards, FormMessage, TextAreaField, TextField } from '../ui/form.tsx'
import { PageHeading } from '../ui/page-heading.tsx'
import './referral.css'

const OUTCOMES = ['in_progress', 'done', 'declined'] as const
type Outcome = (typeof OUTCOMES)[number]

/**
 * Public, from the SMS a partner department's registered contact receives: the link says whose
 * it is, a code to that registered phone opens the matter for an hour, and the answer goes back
 * to the mediation organisation's timeline. No account; the access token lives only in memory.
 */
export default function Referral() {
  const params = useParams<{ token: string }>()
  const [about] = createResource(
    () => params.token,
    (token) => call(() => api.referrals[':token'].$get({ param: { token } })),
  )
  const [access, setAccess] = createSignal<string>()
  const [matter, setMatter] = createSignal<ReferralForDepartment>()
  const [expired, setExpired] = createSignal(false)

  const opened = (a: string, r: ReferralForDepartment) => {
    setAccess(a)
    setMatter(r)
    setExpired(false)
  }

  return (
    <section class="card" aria-labelledby="referral-title">
      <PageHeading id="referral-title" title={t('referral.page.title')} />
      <Switch>
        <Match when={about.error}>
          <p class="notice notice-error" role="alert">
            {errorText(errorCodeOf(about.error))}
          </p>
        </Match>
        <Match when={matter() && access()}>
          <Matter
            token={params.token}
            access={access() ?? ''}
            matter={matter() as ReferralForDepartment}
            onUpdate={setMatter}
            onExpired={() => {
              setAccess(undefined)
              setMatter(undefined)
              setExpired(true)
            }}
          />
        </Match>
        <Match when={about()}>
          {(a) => (
            <>
              <p class="lead">
                {t('referral.page.lead', {
                  org: a().orgName,
                  department: a().departmentName,
                  date: formatPlainDate(a().dueOn),
                })}
              </p>
              <FormMessage info={expired() ? t('referral.page.expired') : undefined} />
              <CodeStep token={params.token} phone={a().contactPhone} onOpened={opened} />
            </>
          )}
        </Match>
      </Switch>
    </section>
  )
}

/** Send a code to the registered phone, enter it, open the matter. */
function CodeStep(props: {
  token: string
  phone: string
  onOpened: (access: string, matter: ReferralForDepartment) => void
}) {
  const [code, setCode] = createSignal('')
  const [wait, setWait] = createSignal(0)
  const [sent, setSent] = createSignal(false)
  const [busy, setBusy] = createSignal<'send' | 'open'>()
  const [error, setError] = createSignal<string>()
  let timer: ReturnType<typeof setInterval> | undefined
  onCleanup(() => clearInterval(timer))
  const countDown = (seconds: number) => {
    setWait(seconds)
    clearInterval(timer)
    timer = setInterval(() => {
      if (wait() <= 1) clearInterval(timer)
      setWait((n) => Math.max(0, n - 1))
    }, 1000)
  }

  const send = async () => {
    setBusy('send')
    setError(undefined)
    try {
      const r = await call(() => api.referrals[':token'].code.$post({ param: { token: props.token } }))
      setSent(true)
      countDown(r.resendAfter)
    } catch (e) {
      setError(errorText(errorCodeOf(e)))
      if (e instanceof ApiError && e.retryAfter) countDown(e.retryAfter)
      // A code went out a moment ago (the page was reloaded on the way back from the SMS app):
      // let the user type the one they have.
      if (e instanceof ApiError && (e.code === 'auth.otp_too_soon' || e.code === 'auth.otp_locked'))
        setSent(true)
    } finally {
      setBusy(undefined)
    }
  }
  const open = async () => {
    if (!/^\d{6}$/.test(code())) {
      setError(errorText('validation.otp_format'))
      return
    }
    setBusy('open')
    setError(undefined)
    try {
      const r = await call(() =>
        api.referrals[':token'].open.$post({ param: { token: props.token }, json: { code: code() } }),
      )
      props.onOpened(r.access, r.referral)
    } catch (e) {
      setError(errorText(errorCodeOf(e)))
    } finally {
      setBusy(undefined)
    }
  }

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        void (sent() ? open() : send())
      }}
    >
      <p>{t('referral.page.codeLead', { phone: props.phone })}</p>
      <Show when={sent()}>
        <TextField
          id="referral-code"
          label={t('referral.page.code')}
          required
          inputMode="numeric"
          autocomplete="one-time-code"
          maxLength={6}
          value={code()}
          onInput={(e) => setCode(e.currentTarget.value.trim())}
          error={error()}
        />
      </Show>
      <Show when={!sent() && error()}>
        {(m) => (
          <p class="notice notice-error" role="alert">
            {m()}
          </p>
        )}
      </Show>
      <Show when={sent()}>
        <button
          type="submit"
          class="button button-primary button-block"
          disabled={busy() === 'open'}
          aria-busy={busy() === 'open'}
        >
          {busy() === 'open' ? t('referral.page.opening') : t('referral.page.open')}
        </button>
      </Show>
      <button
        type={sent() ? 'button' : 'submit'}
        class="button button-block"
        classList={{ 'button-primary': !sent(), 'button-secondary': sent() }}
        disabled={busy() === 'send' || wait() > 0}
        aria-busy={busy() === 'send'}
        onClick={() => {
          if (sent()) void send()
        }}
      >
        {wait() > 0 ? t('referral.page.resend', { n: wait() }) : t('referral.page.sendCode')}
      </button>
    </form>
  )
}

interface Draft {
  outcome: Outcome | ''
  text: string
  responder: string
}

function readDraft(key: string): Draft {
  try {
    const d = JSON.parse(sessionStorage.getItem(key) ?? '{}') as Partial<Draft>
    return {
      outcome: OUTCOMES.includes(d.outcome as Outcome) ? (d.outcome as Outcome) : '',
      text: typeof d.text === 'string' ? d.text : '',
      responder: typeof d.responder === 'string' ? d.responder : '',
    }
  } catch {
    return { outcome: '', text: '', responder: '' }
  }
}

function writeDraft(key: string, draft: Draft) {
  try {
    if (draft.text || draft.responder || draft.outcome) sessionStorage.setItem(key, JSON.stringify(draft))
  } catch {
    // Storage full or refused (private mode): the draft lives only on the page.
  }
}

/** The matter as the department sees it, what it answered so far, and the answer form. */
function Matter(props: {
  token: string
  access: string
  matter: ReferralForDepartment
  onUpdate: (m: ReferralForDepartment) => void
  onExpired: () => void
}) {
  const m = () => props.matter
  // The draft outlives the hour's access and a reload: typing a long answer must not lose it.
  const draftKey = `jiefen.referral-draft.${props.token}`
  const saved = readDraft(draftKey)
  const [outcome, setOutcome] = createSignal<Outcome | ''>(saved.outcome)
  const [text, setText] = createSignal(saved.text)
  const [responder, setResponder] = createSignal(saved.responder)
  createEffect(() => writeDraft(draftKey, { outcome: outcome(), text: text(), responder: responder() }))
  const [errors, setErrors] = createSignal<Record<string, string>>({})
  const [failure, setFailure] = createSignal<string>()
  const [busy, setBusy] = createSignal(false)
  const [thanks, setThanks] = createSignal(false)

  const submit = async () => {
    const missing: Record<string, string> = {}
    if (!outcome()) missing.outcome = errorText('validation.required')
    if (text().trim().length < 2) missing.text = errorText('validation.too_short')
    if (responder().trim().length < 2) missing.responder = errorText('validation.too_short')
    setErrors(missing)
    setFailure(undefined)
    if (Object.keys(missing).length > 0) return
    setBusy(true)
    try {
      const next = await call(() =>
        api.referrals[':token'].replies.$post({
          param: { token: props.token },
          header: { 'x-referral-access': props.access },
          json: { outcome: outcome() as Outcome, text: text().trim(), responder: responder().trim() },
        }),
      )
      setThanks(true)
      setText('')
      setOutcome('')
      sessionStorage.removeItem(draftKey)
      props.onUpdate(next)
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return props.onExpired()
      if (e instanceof ApiError && e.fields) setErrors(fieldErrorsOf(e, errorText))
      setFailure(errorText(errorCodeOf(e)))
    } finally {
      setBusy(false)
    }
  }

  return (
    <>
      <dl class="details referral-details">
        <Detail label={t('referral.page.case')}>{m().caseNumber}</Detail>
        <Detail label={t('referral.page.from')}>
          {m().orgName} · {m().byName}
        </Detail>
        <Detail label={t('referral.kind')}>
          {t(`referral.kind.${m().kind}`)} · {t('referral.due', { date: formatPlainDate(m().dueOn) })}
          <Show when={m().overdue}>
            {' '}
            <span class="referral-flag">{t('referral.overdue')}</span>
          </Show>
        </Detail>
        <Detail label={t('referral.page.request')}>
          <span class="prewrap">{m().message}</span>
        </Detail>
        <Detail label={t('referral.page.type')}>{m().disputeType}</Detail>
        <Detail label={t('referral.page.area')}>{m().area}</Detail>
        <Show when={m().amount !== undefined}>
          <Detail label={t('referral.page.amount')}>{formatYuan(m().amount ?? 0)}</Detail>
        </Show>
        <Detail label={t('referral.page.description')}>
          <span class="prewrap">{m().description}</span>
        </Detail>
        <Detail label={t('referral.page.parties')}>
          <ul class="referral-parties">
            <For each={m().parties}>
              {(p) => (
                <li>
                  {t(`referral.page.party.${p.role}`)}：{p.name || t('referral.page.unknownName')}
                  {p.phone ? ` · ${p.phone}` : ''}
                </li>
              )}
            </For>
          </ul>
        </Detail>
      </dl>

      <Show when={m().replies.length > 0}>
        <h2>{t('referral.page.replies')}</h2>
        <ol class="timeline">
          <For each={m().replies}>
            {(r) => (
              <li class="timeline-item">
                <time class="timeline-time" dateTime={r.at}>
                  {formatDateTime(r.at)}
                </time>
                <span class="timeline-text">
                  {t(`referral.outcome.${r.outcome}`)} · {r.responder}
                </span>
                <span class="timeline-note">{r.text}</span>
              </li>
            )}
          </For>
        </ol>
      </Show>

      <FormMessage info={thanks() ? t('referral.page.thanks') : undefined} />

      <Show
        when={m().status !== 'closed'}
        fallback={<p class="notice notice-info">{t('referral.page.closed')}</p>}
      >
        <h2>{t('referral.page.answer')}</h2>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault()
            void submit()
          }}
        >
          <ChoiceCards
            id="outcome"
            legend={t('referral.page.outcome')}
            required
            options={OUTCOMES.map((o) => ({ value: o, label: t(`referral.outcome.${o}`) }))}
            value={outcome()}
            onChange={(v) => {
              setOutcome(v as Outcome)
              setErrors(({ outcome: _, ...rest }) => rest)
            }}
            error={errors().outcome}
          />
          <TextAreaField
            id="text"
            label={t('referral.page.text')}
            hint={t('referral.page.text.hint')}
            required
            rows={5}
            maxLength={2000}
            value={text()}
            onInput={(e) => {
              setText(e.currentTarget.value)
              setErrors(({ text: _, ...rest }) => rest)
            }}
            error={errors().text}
          />
          <TextField
            id="responder"
            label={t('referral.page.responder')}
            required
            maxLength={40}
            autocomplete="name"
            value={responder()}
            onInput={(e) => {
              setResponder(e.currentTarget.value)
              setErrors(({ responder: _, ...rest }) => rest)
            }}
            error={errors().responder}
          />
          <FormMessage error={failure()} />
          <button
            type="submit"
            class="button button-primary button-block"
            disabled={busy()}
            aria-busy={busy()}
          >
            {busy() ? t('referral.page.submitting') : t('referral.page.submit')}
          </button>
        </form>
      </Show>
    </>
  )
}
