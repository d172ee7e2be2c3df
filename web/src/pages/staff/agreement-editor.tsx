import { createAsync, revalidate } from '@solidjs/router'
import { createSignal, For, Show } from 'solid-js'
import { createStore } from 'solid-js/store'
import { type AgreementContent, agreementTemplate } from '../../../../functions/domain/agreement.ts'
import type { CaseView } from '../../../../functions/domain/case.ts'
import { ApiError, api, call, NetworkError } from '../../api/client.ts'
import { getMe } from '../../api/session.ts'
import { t } from '../../i18n/agreement.ts'
import { errorText } from '../../i18n/index.ts'
import { AgreementDocument, SignatureList } from '../../ui/agreement-document.tsx'
import { ChoiceCards, TextAreaField, TextField } from '../../ui/form.tsx'
import { type Agreement, agreementPdfUrl, getAgreement } from '../agreement.data.ts'
import { getCase } from '../cases.data.ts'
import '../agreement.css'

interface Draft {
  template: 'wage_arrears' | 'general'
  applicantName: string
  applicantId: string
  respondentName: string
  respondentId: string
  facts: string
  terms: string
  withPayment: boolean
  payer: 'applicant' | 'respondent'
  total: string
  instalments: { amount: string; dueOn: string }[]
  performanceCheck: string
}

const fromContent = (c: AgreementContent | Agreement['content'], keepIds: boolean): Draft => ({
  template: c.template,
  applicantName: c.applicant.name,
  applicantId: keepIds ? '' : (c.applicant.idNumber ?? ''),
  respondentName: c.respondent.name,
  respondentId: keepIds ? '' : (c.respondent.idNumber ?? ''),
  facts: c.facts,
  terms: c.terms.join('\n'),
  withPayment: Boolean(c.payment),
  payer: c.payment?.payer ?? 'respondent',
  total: c.payment ? String(c.payment.total) : '',
  instalments: c.payment?.instalments.map((i) => ({ amount: String(i.amount), dueOn: i.dueOn })) ?? [
    { amount: '', dueOn: '' },
  ],
  performanceCheck: c.performanceCheck,
})

const toContent = (d: Draft) => ({
  template: d.template,
  applicant: {
    name: d.applicantName.trim(),
    ...(d.applicantId.trim() ? { idNumber: d.applicantId.trim() } : {}),
  },
  respondent: {
    name: d.respondentName.trim(),
    ...(d.respondentId.trim() ? { idNumber: d.respondentId.trim() } : {}),
  },
  facts: d.facts,
  terms: d.terms
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean),
  ...(d.withPayment || d.template === 'wage_arrears'
    ? {
        payment: {
          payer: d.payer,
          total: Number(d.total),
          instalments: d.instalments.map((i) => ({ amount: Number(i.amount), dueOn: i.dueOn })),
        },
      }
    : {}),
  performanceCheck: d.performanceCheck,
})

/** An API field path (content.payment.instalments.0.dueOn) as the form's field id. */
const fieldId = (path: string) =>
  path.startsWith('content.terms') ? 'ag-terms' : `ag-${path.replace(/^content\./, '').replaceAll('.', '-')}`

/**
 * The assigned mediator's agreement section on the staff case page: draft from the dispute type's
 * template, revise (voiding signatures, with a warning), sign last, download. Others read it.
 */
export default function AgreementEditor(props: { case: CaseView }) {
  const me = createAsync(() => getMe())
  const data = createAsync(() => getAgreement(props.case.id))
  const [editing, setEditing] = createSignal(false)
  const assigned = () => {
    const m = me()
    return m?.kind === 'staff' && m.username === props.case.mediatorId && props.case.status === 'in_mediation'
  }
  return (
    <Show when={data() !== undefined && (data() || assigned())}>
      <section class="card agreement-card" aria-labelledby="agreement-title">
        <h2 id="agreement-title">{t('agreement.title')}</h2>
        <Show
          when={editing()}
          fallback={
            <Show
              when={data()}
              fallback={
                <button
                  type="button"
                  class="button button-primary button-block"
                  onClick={() => setEditing(true)}
                >
                  {t('edit.start')}
                </button>
              }
            >
              {(a) => (
                <Reader
                  agreement={a()}
                  caseId={props.case.id}
                  staffName={me()?.kind === 'staff' ? (me() as { name: string }).name : ''}
                  onEdit={() => setEditing(true)}
                />
              )}
            </Show>
          }
        >
          <Editor case={props.case} agreement={data() ?? undefined} onDone={() => setEditing(false)} />
        </Show>
      </section>
    </Show>
  )
}

function Reader(props: { agreement: Agreement; caseId: string; staffName: string; onEdit: () => void }) {
  const a = () => props.agreement
  const [busy, setBusy] = createSignal(false)
  const [message, setMessage] = createSignal<{ ok: boolean; text: string }>()
  const sign = async () => {
    setBusy(true)
    setMessage(undefined)
    try {
      await call(() =>
        api.cases[':id'].agreement.sign.$post({
          param: { id: props.caseId },
          json: { documentHash: a().documentHash, signature: { method: 'typed', name: props.staffName } },
        }),
      )
    } catch (e) {
      setMessage({
        ok: false,
        text: errorText(
          e instanceof ApiError ? e.code : e instanceof NetworkError ? 'service.unavailable' : 'internal',
        ),
      })
    } finally {
      setBusy(false)
      await revalidate([getAgreement.keyFor(props.caseId), getCase.keyFor(props.caseId)])
    }
  }
  return (
    <>
      <p class="agreement-meta">
        {a().caseNumber} · {t('agreement.revision', { n: a().revision })}
      </p>
      <AgreementDocument agreement={a()} />
      <h3>{t('agreement.signatures')}</h3>
      <SignatureList agreement={a()} />
      <div aria-live="polite">
        <Show when={message()}>{(m) => <p class="notice notice-error">{m().text}</p>}</Show>
      </div>
      <Show when={a().myRole === 'mediator' && !a().completed && (a().canEdit || a().canSign)}>
        <h3>{t('edit.signTitle')}</h3>
        <Show when={a().canSign} fallback={<p class="lead">{t('edit.waitParties')}</p>}>
          <p class="lead">{t('edit.signLead')}</p>
          <button
            type="button"
            class="button button-primary button-block"
            disabled={busy()}
            aria-busy={busy()}
            onClick={sign}
          >
            {t('edit.sign')}
          </button>
        </Show>
      </Show>
      <Show when={a().canEdit}>
        <button type="button" class="button button-secondary button-block" onClick={() => props.onEdit()}>
          {t('edit.edit')}
        </button>
      </Show>
      <Show when={a().completed}>
        {(done) => (
          <div class="done-box">
            <h3>{t('done.title')}</h3>
            <a class="button button-primary button-block" href={agreementPdfUrl(props.caseId)} download="">
              {t('done.download')}
            </a>
            <p>
              {t('done.verifyCode')}
              <strong class="verify-code">{done().verifyCode}</strong>
            </p>
          </div>
        )}
      </Show>
    </>
  )
}

function Editor(props: { case: CaseView; agreement?: Agreement; onDone: () => void }) {
  const start = props.agreement
    ? fromContent(props.agreement.content, true)
    : fromContent(
        agreementTemplate(
          {
            disputeType: props.case.disputeType,
            amountInDispute: props.case.amountInDispute,
            description: props.case.description,
            respondentName: props.case.respondent.name,
          },
          new Date(),
        ),
        false,
      )
  const [d, setD] = createStore<Draft>(start)
  const [errors, setErrors] = createSignal<Record<string, string>>({})
  const [busy, setBusy] = createSignal(false)
  const [message, setMessage] = createSignal<string>()
  const err = (id: string) => errors()[id]
  /** Editing a field takes its error away, and the summary with the last one. */
  const edited = (id: string) => {
    const { [id]: _gone, ...rest } = errors()
    setErrors(rest)
    if (Object.keys(rest).length === 0) setMessage(undefined)
  }
  const signed = () => (props.agreement?.signatures.length ?? 0) > 0
  const keepHint = (r: 'applicant' | 'respondent') =>
    props.agreement ? t('edit.idKeep', { masked: props.agreement.content[r].idNumber }) : undefined

  const save = async () => {
    setBusy(true)
    setMessage(undefined)
    setErrors({})
    try {
      await call(() =>
        api.cases[':id'].agreement.$put({
          param: { id: props.case.id },
          json: {
            expectedRevision: props.agreement?.revision ?? 0,
            content: toContent(d) as AgreementContent,
          },
        }),
      )
      await revalidate([getAgreement.keyFor(props.case.id), getCase.keyFor(props.case.id)])
      props.onDone()
    } catch (e) {
      if (e instanceof ApiError) {
        const mapped: Record<string, string> = {}
        for (const [path, code] of Object.entries(e.fields ?? {})) mapped[fieldId(path)] ??= errorText(code)
        setErrors(mapped)
        setMessage(errorText(e.code))
      } else setMessage(errorText(e instanceof NetworkError ? 'service.unavailable' : 'internal'))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form
      class="agreement-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        void save()
      }}
    >
      <h3>{t('edit.title')}</h3>
      <Show when={signed()}>
        <p class="notice notice-error">{t('edit.voidWarning')}</p>
      </Show>
      <ChoiceCards
        id="ag-template"
        legend={t('edit.template')}
        required
        columns={2}
        value={d.template}
        onChange={(v) => setD('template', v as Draft['template'])}
        options={[
          { value: 'wage_arrears', label: t('edit.template.wage_arrears') },
          { value: 'general', label: t('edit.template.general') },
        ]}
        error={err('ag-template')}
      />
      <For each={['applicant', 'respondent'] as const}>
        {(r) => (
          <fieldset class="field">
            <legend class="field-label">{t(`agreement.${r}`)}</legend>
            <TextField
              id={`ag-${r}-name`}
              label={t('edit.namePlaceholder')}
              required
              value={r === 'applicant' ? d.applicantName : d.respondentName}
              onInput={(e) => {
                edited(`ag-${r}-name`)
                setD(r === 'applicant' ? 'applicantName' : 'respondentName', e.currentTarget.value)
              }}
              error={err(`ag-${r}-name`)}
            />
            <TextField
              id={`ag-${r}-idNumber`}
              label={t('agreement.idNumber')}
              hint={keepHint(r)}
              required={!props.agreement}
              autocomplete="off"
              maxLength={18}
              value={r === 'applicant' ? d.applicantId : d.respondentId}
              onInput={(e) => {
                edited(`ag-${r}-idNumber`)
                setD(r === 'applicant' ? 'applicantId' : 'respondentId', e.currentTarget.value)
              }}
              error={err(`ag-${r}-idNumber`)}
            />
          </fieldset>
        )}
      </For>
      <TextAreaField
        id="ag-facts"
        label={t('agreement.facts')}
        required
        rows={4}
        maxLength={2000}
        value={d.facts}
        onInput={(e) => {
          edited('ag-facts')
          setD('facts', e.currentTarget.value)
        }}
        error={err('ag-facts')}
      />
      <Show when={d.template === 'wage_arrears' || d.withPayment}>
        <fieldset class="field">
          <legend class="field-label">{t('edit.paymentTitle')}</legend>
          <TextField
            id="ag-payment-total"
            label={t('edit.total')}
            required
            inputmode="decimal"
            value={d.total}
            onInput={(e) => {
              edited('ag-payment-total')
              setD('total', e.currentTarget.value)
            }}
            error={err('ag-payment-total') ?? err('ag-payment-instalments')}
          />
          <For each={d.instalments}>
            {(inst, k) => (
              <div class="instalment">
                <p class="field-label">{t('edit.instalment', { k: k() + 1 })}</p>
                <div class="instalment-row">
                  <TextField
                    id={`ag-payment-instalments-${k()}-amount`}
                    label={t('edit.amount')}
                    required
                    inputmode="decimal"
                    value={inst.amount}
                    onInput={(e) => {
                      edited(`ag-payment-instalments-${k()}-amount`)
                      setD('instalments', k(), 'amount', e.currentTarget.value)
                    }}
                    error={err(`ag-payment-instalments-${k()}-amount`)}
                  />
                  <TextField
                    id={`ag-payment-instalments-${k()}-dueOn`}
                    label={t('edit.dueOn')}
                    required
                    type="date"
                    value={inst.dueOn}
                    onInput={(e) => {
                      edited(`ag-payment-instalments-${k()}-dueOn`)
                      setD('instalments', k(), 'dueOn', e.currentTarget.value)
                    }}
                    error={err(`ag-payment-instalments-${k()}-dueOn`)}
                  />
                </div>
                <Show when={d.instalments.length > 1}>
                  <button
                    type="button"
                    class="button button-link"
                    onClick={() => setD('instalments', (list) => list.filter((_, i) => i !== k()))}
                  >
                    {t('edit.removeInstalment')}
                  </button>
                </Show>
              </div>
            )}
          </For>
          <button
            type="button"
            class="button button-secondary"
            onClick={() => setD('instalments', (list) => [...list, { amount: '', dueOn: '' }])}
          >
            {t('edit.addInstalment')}
          </button>
        </fieldset>
      </Show>
      <TextAreaField
        id="ag-terms"
        label={t('agreement.terms')}
        hint={t('edit.termsHint')}
        rows={4}
        value={d.terms}
        onInput={(e) => {
          edited('ag-terms')
          setD('terms', e.currentTarget.value)
        }}
        error={err('ag-terms')}
      />
      <TextAreaField
        id="ag-performanceCheck"
        label={t('agreement.performanceCheck')}
        required
        rows={3}
        maxLength={500}
        value={d.performanceCheck}
        onInput={(e) => {
          edited('ag-performanceCheck')
          setD('performanceCheck', e.currentTarget.value)
        }}
        error={err('ag-performanceCheck')}
      />
      <div aria-live="polite">
        <Show when={message()}>{(m) => <p class="notice notice-error">{m()}</p>}</Show>
      </div>
      <div class="row-actions">
        <button type="submit" class="button button-primary" disabled={busy()} aria-busy={busy()}>
          {busy() ? t('edit.saving') : t('edit.save')}
        </button>
        <button type="button" class="button button-secondary" onClick={() => props.onDone()}>
          {t('edit.cancel')}
        </button>
      </div>
    </form>
  )
}
