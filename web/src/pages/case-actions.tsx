import { revalidate } from '@solidjs/router'
import { createSignal, Show } from 'solid-js'
import type { CaseView } from '../../../functions/domain/case.ts'
import { ApiError, api, call, NetworkError } from '../api/client.ts'
import { errorText } from '../i18n/index.ts'
import { t } from '../i18n/workflow.ts'
import { TextAreaField } from '../ui/form.tsx'
import { getCase, getMyCases } from './cases.data.ts'
import './case-actions.css'

type Body = { action: 'respond'; agreed: boolean } | { action: 'withdraw'; reason?: string }

/** Sends a party's action with the version on screen; on any answer the case is reloaded. */
function useAction(c: () => CaseView) {
  const [busy, setBusy] = createSignal(false)
  const [message, setMessage] = createSignal<{ ok: boolean; text: string }>()
  const send = async (body: Body): Promise<boolean> => {
    setBusy(true)
    setMessage(undefined)
    const id = c().id
    try {
      await call(() =>
        api.cases[':id'].actions.$post({ param: { id }, json: { ...body, expectedVersion: c().version } }),
      )
      setMessage({ ok: true, text: t('action.done') })
      return true
    } catch (e) {
      const text =
        e instanceof ApiError
          ? e.code === 'case.version_conflict'
            ? t('action.conflict')
            : errorText(e.code)
          : errorText(e instanceof NetworkError ? 'service.unavailable' : 'internal')
      setMessage({ ok: false, text })
      return false
    } finally {
      setBusy(false)
      await revalidate([getCase.keyFor(id), getMyCases.key])
    }
  }
  return { busy, message, send }
}

function Message(props: { message?: { ok: boolean; text: string } }) {
  return (
    <div aria-live="polite">
      <Show when={props.message}>
        {(m) => <p class={`notice ${m().ok ? 'notice-info' : 'notice-error'}`}>{m().text}</p>}
      </Show>
    </div>
  )
}

/** The respondent says whether they agree to mediation; each choice asks once more. */
export function RespondCard(props: { case: CaseView }) {
  const a = useAction(() => props.case)
  const [pending, setPending] = createSignal<boolean>()
  return (
    <section class="card respond-card" aria-labelledby="respond-title">
      <h2 id="respond-title">{t('respond.title')}</h2>
      <p class="lead">{t('respond.lead')}</p>
      <Message message={a.message()} />
      <Show
        when={pending() !== undefined}
        fallback={
          <div class="respond-buttons">
            <button type="button" class="button button-primary button-block" onClick={() => setPending(true)}>
              {t('respond.agree')}
            </button>
            <button
              type="button"
              class="button button-secondary button-block"
              onClick={() => setPending(false)}
            >
              {t('respond.decline')}
            </button>
          </div>
        }
      >
        <div class="confirm-box">
          <p id="respond-confirm">{pending() ? t('respond.confirmAgree') : t('respond.confirmDecline')}</p>
          <div class="row-actions">
            <button
              type="button"
              class="button button-primary"
              disabled={a.busy()}
              aria-busy={a.busy()}
              onClick={async () => {
                await a.send({ action: 'respond', agreed: pending() === true })
                setPending(undefined)
              }}
            >
              {a.busy() ? t('respond.sending') : t('respond.yes')}
            </button>
            <button type="button" class="button button-secondary" onClick={() => setPending(undefined)}>
              {t('respond.no')}
            </button>
          </div>
        </div>
      </Show>
    </section>
  )
}

/** The applicant may withdraw while the case is open; a reason is optional. */
export function WithdrawCard(props: { case: CaseView }) {
  const a = useAction(() => props.case)
  const [open, setOpen] = createSignal(false)
  const [reason, setReason] = createSignal('')
  const [error, setError] = createSignal<string>()
  const confirm = async () => {
    const r = reason().trim()
    if (r && r.length < 4) {
      setError(errorText('validation.too_short'))
      return
    }
    setError(undefined)
    if (await a.send({ action: 'withdraw', ...(r ? { reason: r } : {}) })) setOpen(false)
  }
  return (
    <section class="card card-muted" aria-labelledby="withdraw-title">
      <h2 id="withdraw-title">{t('withdraw.title')}</h2>
      <p class="lead">{t('withdraw.lead')}</p>
      <Message message={a.message()} />
      <Show
        when={open()}
        fallback={
          <button type="button" class="button button-secondary button-block" onClick={() => setOpen(true)}>
            {t('withdraw.button')}
          </button>
        }
      >
        <TextAreaField
          id="withdraw-reason"
          label={t('withdraw.reason')}
          hint={t('withdraw.reasonHint')}
          rows={2}
          maxLength={500}
          value={reason()}
          onInput={(e) => setReason(e.currentTarget.value)}
          error={error()}
        />
        <div class="row-actions">
          <button type="button" class="button button-primary" disabled={a.busy()} onClick={confirm}>
            {t('withdraw.confirm')}
          </button>
          <button type="button" class="button button-secondary" onClick={() => setOpen(false)}>
            {t('withdraw.cancel')}
          </button>
        </div>
      </Show>
    </section>
  )
}

/** How the case ended, why, and where to go next, in plain words. */
export function OutcomeCard(props: { case: CaseView }) {
  const o = () => props.case.outcome
  const reason = () => o()?.reason ?? props.case.returnReason
  return (
    <section class="card" aria-labelledby="outcome-title">
      <h2 id="outcome-title">{t('outcome.title')}</h2>
      <dl class="details">
        <Show when={o()}>
          {(out) => (
            <div class="detail">
              <dt>{t('case.statusLabel')}</dt>
              <dd>{t(`outcome.kind.${out().kind as 'resolved'}`)}</dd>
            </div>
          )}
        </Show>
        <Show when={reason()}>
          <div class="detail">
            <dt>
              {props.case.status === 'returned'
                ? t('outcome.returnReason')
                : props.case.status === 'resolved'
                  ? t('outcome.summary')
                  : t('outcome.reason')}
            </dt>
            <dd class="prewrap">{reason()}</dd>
          </div>
        </Show>
        <Show when={o()?.guidance}>
          {(g) => (
            <div class="detail">
              <dt>{t('outcome.guidance')}</dt>
              <dd>{t(`guidance.${g() as 'other'}`)}</dd>
            </div>
          )}
        </Show>
      </dl>
    </section>
  )
}
