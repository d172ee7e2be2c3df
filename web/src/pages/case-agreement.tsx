import { createAsync, revalidate } from '@solidjs/router'
import { createSignal, Show } from 'solid-js'
import type { CaseView } from '../../../functions/domain/case.ts'
import { ApiError, api, call, NetworkError } from '../api/client.ts'
import { t } from '../i18n/agreement.ts'
import { errorText, formatDate, formatPlainDate } from '../i18n/index.ts'
import { AgreementDocument, SignatureList } from '../ui/agreement-document.tsx'
import { ChoiceCards, TextField } from '../ui/form.tsx'
import { SignaturePad } from '../ui/signature-pad.tsx'
import { type Agreement, agreementPdfUrl, getAgreement } from './agreement.data.ts'
import { getCase } from './cases.data.ts'
import './agreement.css'

/** The agreement on the citizen's case page: read it, sign it, then download it. Its own chunk. */
export default function CaseAgreement(props: { case: CaseView }) {
  const data = createAsync(() => getAgreement(props.case.id))
  return <Show when={data()}>{(a) => <AgreementCard agreement={a()} caseId={props.case.id} />}</Show>
}

function AgreementCard(props: { agreement: Agreement; caseId: string }) {
  const a = () => props.agreement
  const signedByMe = () => a().signatures.some((s) => s.role === a().myRole)
  return (
    <>
      <section class="card agreement-card" aria-labelledby="agreement-title">
        <h2 id="agreement-title">{t('agreement.title')}</h2>
        <p class="agreement-meta">
          {a().caseNumber} · {t('agreement.revision', { n: a().revision })}
        </p>
        <Show when={a().canSign}>
          <p class="lead">{t('agreement.lead')}</p>
        </Show>
        <AgreementDocument agreement={a()} />
        <h3>{t('agreement.signatures')}</h3>
        <SignatureList agreement={a()} />
        <Show when={a().canSign}>
          <SignPanel agreement={a()} caseId={props.caseId} />
        </Show>
        <Show when={!a().completed && signedByMe()}>
          <p class="notice notice-info">{t('agreement.youSigned')}</p>
        </Show>
        <Show when={a().completed}>
          {(done) => (
            <div class="done-box">
              <h3>{t('done.title')}</h3>
              <p>{t('done.lead', { date: formatDate(done().at) })}</p>
              <a class="button button-primary button-block" href={agreementPdfUrl(props.caseId)} download="">
                {t('done.download')}
              </a>
              <p>
                {t('done.verifyCode')}
                <strong class="verify-code">{done().verifyCode}</strong>
              </p>
              <p class="field-hint">
                {t('done.verifyHint')} <a href={`/verify/${done().verifyCode}`}>{t('done.verifyLink')}</a>
              </p>
            </div>
          )}
        </Show>
      </section>
      <Show when={a().completed}>
        {(done) => (
          <section class="card confirm-card" aria-labelledby="confirm-title">
            <h2 id="confirm-title">{t('confirm.title')}</h2>
            <p>{t('confirm.body', { date: formatPlainDate(done().confirmBy) })}</p>
            <p class="lead">{t('confirm.bring')}</p>
          </section>
        )}
      </Show>
    </>
  )
}

/** Read, choose how to sign, get the SMS code, sign. Each step says what is missing. */
function SignPanel(props: { agreement: Agreement; caseId: string }) {
  const myName = () => {
    const role = props.agreement.myRole
    return role === 'applicant' || role === 'respondent' ? props.agreement.content[role].name : ''
  }
  const [read, setRead] = createSignal(false)
  const [method, setMethod] = createSignal<'drawn' | 'typed'>('drawn')
  const [drawing, setDrawing] = createSignal<string>()
  const [name, setName] = createSignal('')
  const [codeSent, setCodeSent] = createSignal(false)
  const [code, setCode] = createSignal('')
  const [busy, setBusy] = createSignal(false)
  const [errors, setErrors] = createSignal<Record<string, string>>({})
  const [message, setMessage] = createSignal<{ ok: boolean; text: string }>()

  const clear = (key: string) => {
    const { [key]: _gone, ...rest } = errors()
    setErrors(rest)
  }
  const ready = () => {
    const e: Record<string, string> = {}
    if (!read()) e.read = t('sign.readFirst')
    if (method() === 'drawn' && !drawing()) e.pad = t('sign.padEmpty')
    if (method() === 'typed' && !name().trim()) e.name = errorText('validation.required')
    setErrors(e)
    return Object.keys(e).length === 0
  }
  const fail = async (e: unknown) => {
    if (e instanceof ApiError) {
      const f = e.fields ?? {}
      setErrors({
        ...(f.code ? { code: errorText(f.code) } : {}),
        ...(f['signature.name'] ? { name: errorText(f['signature.name']) } : {}),
        ...(f['signature.image'] ? { pad: errorText(f['signature.image']) } : {}),
      })
      setMessage({ ok: false, text: e.code === 'agreement.changed' ? t('sign.changed') : errorText(e.code) })
      if (e.code === 'agreement.changed') await revalidate(getAgreement.keyFor(props.caseId))
    } else
      setMessage({
        ok: false,
        text: errorText(e instanceof NetworkError ? 'service.unavailable' : 'internal'),
      })
  }
  const sendCode = async () => {
    setMessage(undefined)
    if (!ready()) return
    setBusy(true)
    try {
      await call(() => api.cases[':id'].agreement['sign-code'].$post({ param: { id: props.caseId } }))
      setCodeSent(true)
      setMessage({ ok: true, text: t('sign.codeSent') })
    } catch (e) {
      await fail(e)
    } finally {
      setBusy(false)
    }
  }
  const sign = async () => {
    setMessage(undefined)
    if (!ready()) return
    if (!/^\d{6}$/.test(code())) {
      setErrors({ code: errorText('validation.otp_format') })
      return
    }
    setBusy(true)
    try {
      const signature =
        method() === 'drawn'
          ? { method: 'drawn' as const, image: drawing() ?? '' }
          : { method: 'typed' as const, name: name().trim() }
      await call(() =>
        api.cases[':id'].agreement.sign.$post({
          param: { id: props.caseId },
          json: { documentHash: props.agreement.documentHash, code: code(), signature },
        }),
      )
      setMessage({ ok: true, text: t('sign.done') })
      await revalidate([getAgreement.keyFor(props.caseId), getCase.keyFor(props.caseId)])
    } catch (e) {
      await fail(e)
    } finally {
      setBusy(false)
    }
  }

  return (
    <div class="sign-panel">
      <h3>{t('sign.title')}</h3>
      <label class="sign-check">
        <input
          type="checkbox"
          checked={read()}
          onChange={(e) => {
            setRead(e.currentTarget.checked)
            clear('read')
          }}
        />
        <span>{t('sign.read')}</span>
      </label>
      <Show when={errors().read}>
        <p class="field-error">{errors().read}</p>
      </Show>
      <ChoiceCards
        id="sign-method"
        legend={t('sign.method')}
        required
        columns={2}
        value={method()}
        onChange={(v) => setMethod(v as 'drawn' | 'typed')}
        options={[
          { value: 'drawn', label: t('sign.method.drawn'), hint: t('sign.method.drawnHint') },
          { value: 'typed', label: t('sign.method.typed'), hint: t('sign.method.typedHint') },
        ]}
      />
      <Show
        when={method() === 'drawn'}
        fallback={
          <TextField
            id="sign-name"
            label={t('sign.name')}
            hint={t('sign.nameHint', { name: myName() })}
            required
            autocomplete="name"
            value={name()}
            onInput={(e) => {
              setName(e.currentTarget.value)
              clear('name')
            }}
            error={errors().name}
          />
        }
      >
        <SignaturePad
          id="sign-pad"
          label={t('sign.pad')}
          clearLabel={t('sign.padClear')}
          onChange={(png) => {
            setDrawing(png)
            clear('pad')
          }}
        />
        <Show when={errors().pad}>
          <p class="field-error">{errors().pad}</p>
        </Show>
      </Show>
      <div aria-live="polite">
        <Show when={message()}>
          {(m) => <p class={`notice ${m().ok ? 'notice-info' : 'notice-error'}`}>{m().text}</p>}
        </Show>
      </div>
      <Show
        when={codeSent()}
        fallback={
          <button
            type="button"
            class="button button-primary button-block"
            disabled={busy()}
            onClick={sendCode}
          >
            {t('sign.getCode')}
          </button>
        }
      >
        <TextField
          id="sign-code"
          label={t('sign.code')}
          required
          inputmode="numeric"
          autocomplete="one-time-code"
          maxLength={6}
          value={code()}
          onInput={(e) => {
            setCode(e.currentTarget.value.trim())
            clear('code')
          }}
          error={errors().code}
        />
        <button
          type="button"
          class="button button-primary button-block"
          disabled={busy()}
          aria-busy={busy()}
          onClick={sign}
        >
          {busy() ? t('sign.sending') : t('sign.submit')}
        </button>
        <button type="button" class="button button-link" disabled={busy()} onClick={sendCode}>
          {t('sign.getCode')}
        </button>
      </Show>
    </div>
  )
}
