import { createAsync, query, revalidate } from '@solidjs/router'
import { createSignal, For, Show } from 'solid-js'
import { ApiError, api, call, errorCodeOf, fieldErrorsOf } from '../../api/client.ts'
import { errorText, formatDateTime, formatPlainDate } from '../../i18n/index.ts'
import { t } from '../../i18n/referral.ts'
import { ChoiceCards, describedBy, Field, FormMessage, TextAreaField } from '../../ui/form.tsx'
import { getCase } from '../cases.data.ts'
import { getMe } from './staff.data.ts'
import '../referral.css'

export const getReferrals = query(
  async (id: string) => call(() => api.cases[':id'].referrals.$get({ param: { id } })),
  'referrals',
)
export const getDepartments = query(
  async () => (await call(() => api.departments.$get({ query: {} }))).items,
  'departments',
)

type Kind = 'case' | 'clue'

/** The form: department, case or clue, what is asked, by when, and whether names go with it. */
function ReferForm(props: { caseId: string; onSent: () => void }) {
  const departments = createAsync(() => getDepartments())
  const active = () => (departments() ?? []).filter((d) => d.active)
  const [departmentId, setDepartmentId] = createSignal('')
  const [kind, setKind] = createSignal<Kind | ''>('')
  const [message, setMessage] = createSignal('')
  const [dueOn, setDueOn] = createSignal('')
  const [share, setShare] = createSignal(false)
  const [errors, setErrors] = createSignal<Record<string, string>>({})
  const [failure, setFailure] = createSignal<string>()
  const [busy, setBusy] = createSignal(false)
  const chosen = () => active().find((d) => d.id === departmentId())

  const submit = async () => {
    const missing: Record<string, string> = {}
    if (!departmentId()) missing.departmentId = errorText('validation.required')
    if (!kind()) missing.kind = errorText('validation.required')
    if (message().trim().length < 10) missing.message = errorText('validation.too_short')
    setErrors(missing)
    setFailure(undefined)
    if (Object.keys(missing).length > 0) return
    setBusy(true)
    try {
      await call(() =>
        api.cases[':id'].referrals.$post({
          param: { id: props.caseId },
          json: {
            departmentId: departmentId(),
            kind: kind() as Kind,
            message: message().trim(),
            ...(dueOn() ? { dueOn: dueOn() } : {}),
            shareParties: share(),
          },
        }),
      )
      setMessage('')
      setDueOn('')
      setShare(false)
      props.onSent()
      await revalidate([getReferrals.keyFor(props.caseId), getCase.keyFor(props.caseId)])
    } catch (e) {
      if (e instanceof ApiError && e.fields) setErrors(fieldErrorsOf(e, errorText))
      setFailure(errorText(errorCodeOf(e)))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form
      class="referral-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        void submit()
      }}
    >
      <Field id="referral-department" label={t('referral.department')} required error={errors().departmentId}>
        <select
          id="referral-department"
          class="input"
          value={departmentId()}
          aria-invalid={errors().departmentId ? 'true' : undefined}
          aria-describedby={describedBy('referral-department', undefined, errors().departmentId)}
          onChange={(e) => {
            setDepartmentId(e.currentTarget.value)
            setErrors(({ departmentId: _, ...rest }) => rest)
          }}
        >
          <option value="">{t('referral.department.choose')}</option>
          <For each={active()}>{(d) => <option value={d.id}>{d.name}</option>}</For>
        </select>
      </Field>
      <ChoiceCards
        id="referral-kind"
        legend={t('referral.kind')}
        required
        options={(['case', 'clue'] as const).map((k) => ({
          value: k,
          label: t(`referral.kind.${k}`),
          hint: t(`referral.kind.${k}Hint`),
        }))}
        value={kind()}
        onChange={(v) => {
          setKind(v as Kind)
          setErrors(({ kind: _, ...rest }) => rest)
        }}
        error={errors().kind}
      />
      <TextAreaField
        id="referral-message"
        label={t('referral.message')}
        hint={t('referral.message.hint')}
        required
        rows={4}
        maxLength={1000}
        value={message()}
        onInput={(e) => {
          setMessage(e.currentTarget.value)
          setErrors(({ message: _, ...rest }) => rest)
        }}
        error={errors().message}
      />
      <Field
        id="referral-due"
        label={t('referral.dueOn')}
        hint={
          chosen()
            ? t('referral.dueOn.hint', { days: chosen()?.defaultDays ?? 0 })
            : t('referral.dueOn.hintPlain')
        }
        error={errors().dueOn}
      >
        <input
          id="referral-due"
          class="input"
          type="date"
          value={dueOn()}
          aria-invalid={errors().dueOn ? 'true' : undefined}
          aria-describedby={describedBy('referral-due', 'hint', errors().dueOn)}
          onInput={(e) => {
            setDueOn(e.currentTarget.value)
            setErrors(({ dueOn: _, ...rest }) => rest)
          }}
        />
      </Field>
      <label class="check">
        <input type="checkbox" checked={share()} onChange={(e) => setShare(e.currentTarget.checked)} />
        <span>
          {t('referral.share')}
          <span class="field-hint"> {t('referral.share.hint')}</span>
        </span>
      </label>
      <FormMessage error={failure()} />
      <button type="submit" class="button button-primary" disabled={busy()} aria-busy={busy()}>
        {busy() ? t('referral.sending') : t('referral.send')}
      </button>
    </form>
  )
}

/** Sends the department its link again (a lost SMS, a new contact); the server allows it once in ten minutes. */
function RemindButton(props: { caseId: string; referralId: string; department: string }) {
  const [busy, setBusy] = createSignal(false)
  const [message, setMessage] = createSignal<{ ok: boolean; text: string }>()
  const remind = async () => {
    setBusy(true)
    setMessage(undefined)
    try {
      await call(() =>
        api.cases[':id'].referrals[':referralId'].remind.$post({
          param: { id: props.caseId, referralId: props.referralId },
        }),
      )
      setMessage({ ok: true, text: t('referral.reminded', { department: props.department }) })
      await revalidate([getReferrals.keyFor(props.caseId), getCase.keyFor(props.caseId)])
    } catch (e) {
      setMessage({ ok: false, text: errorText(errorCodeOf(e)) })
    } finally {
      setBusy(false)
    }
  }
  return (
    <span class="referral-remind">
      <button
        type="button"
        class="button button-secondary"
        disabled={busy()}
        aria-busy={busy()}
        aria-label={`${t('referral.remind')}：${props.department}`}
        onClick={() => void remind()}
      >
        {t('referral.remind')}
      </button>
      <Show when={message()}>
        {(m) => (
          <span
            class={m().ok ? 'notice notice-info' : 'notice notice-error'}
            role={m().ok ? 'status' : 'alert'}
          >
            {m().text}
          </span>
        )}
      </Show>
    </span>
  )
}

/** The case's referrals to partner departments (信息互通): what went where, by when, what came back. */
export default function Referrals(props: { caseId: string; canRefer: boolean }) {
  const list = createAsync(() => getReferrals(props.caseId))
  // The server decides; the page only offers what the role may do (police may read, not refer).
  const me = createAsync(() => getMe())
  const canRefer = () => {
    const role = me()?.kind === 'staff' ? (me() as { role: string }).role : undefined
    return props.canRefer && (role === 'mediator' || role === 'centre_admin' || role === 'supervisor')
  }
  const [sent, setSent] = createSignal(false)
  return (
    <section class="card" aria-labelledby="referrals-title">
      <h2 id="referrals-title">{t('referral.card')}</h2>
      <Show when={(list() ?? []).length > 0} fallback={<p class="lead">{t('referral.none')}</p>}>
        <ol class="timeline referral-list">
          <For each={list()}>
            {(r) => (
              <li class="timeline-item" data-referral={r.id}>
                <span class="timeline-text">
                  <strong>{r.departmentName}</strong> · {t(`referral.kind.${r.kind}`)} ·{' '}
                  {t(`referral.status.${r.status}`)}
                  <Show when={r.overdue}>
                    {' '}
                    <span class="referral-flag">{t('referral.overdue')}</span>
                  </Show>
                </span>
                <span class="timeline-note">
                  {t('referral.due', { date: formatPlainDate(r.dueOn) })} ·{' '}
                  {t('referral.by', { name: r.byName, date: formatDateTime(r.sentAt) })}
                  {r.chases > 0 ? ` · ${t('referral.chased', { n: r.chases })}` : ''}
                </span>
                <span class="timeline-note referral-message">{r.message}</span>
                <For each={r.replies}>
                  {(reply) => (
                    <span class="timeline-note referral-reply">
                      {t('referral.reply', {
                        responder: reply.responder,
                        date: formatDateTime(reply.at),
                        outcome: t(`referral.outcome.${reply.outcome}`),
                      })}{' '}
                      — {reply.text}
                    </span>
                  )}
                </For>
                <Show when={canRefer() && r.status !== 'closed'}>
                  <RemindButton caseId={props.caseId} referralId={r.id} department={r.departmentName} />
                </Show>
              </li>
            )}
          </For>
        </ol>
      </Show>
      <FormMessage info={sent() ? t('referral.sent') : undefined} />
      <Show when={canRefer()}>
        <details class="referral-new">
          <summary>{t('referral.new')}</summary>
          <ReferForm caseId={props.caseId} onSent={() => setSent(true)} />
        </details>
      </Show>
    </section>
  )
}
