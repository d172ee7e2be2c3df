import { createAsync, useNavigate, useSearchParams } from '@solidjs/router'
import { createEffect, createSignal, Match, onCleanup, Show, Switch } from 'solid-js'
import { RequestOtpInput, VerifyOtpInput } from '../../../functions/domain/otp.ts'
import { maskPhone } from '../../../functions/domain/phone.ts'
import { fieldErrors } from '../../../functions/domain/validation.ts'
import { ApiError, api, call, NetworkError } from '../api/client.ts'
import { getMe, safeNext, signedIn } from '../api/session.ts'
import { errorText, t } from '../i18n/index.ts'
import { TextField } from '../ui/form.tsx'
import { PageHeading } from '../ui/page-heading.tsx'

/** A countdown to a moment, ticking once a second while anything shows it. */
function createCountdown() {
  const [until, setUntil] = createSignal(0)
  const [now, setNow] = createSignal(Date.now())
  const timer = setInterval(() => setNow(Date.now()), 1000)
  onCleanup(() => clearInterval(timer))
  const left = () => Math.max(0, Math.ceil((until() - now()) / 1000))
  const start = (seconds: number) => {
    setNow(Date.now())
    setUntil(Date.now() + seconds * 1000)
  }
  return { left, start }
}

/** Sign-in by SMS code: number, code, then back to where the citizen was going. */
export default function SignIn() {
  const [params] = useSearchParams()
  const navigate = useNavigate()
  const next = () => safeNext(params.next, '/cases')
  const me = createAsync(() => getMe())
  createEffect(() => {
    if (me()) navigate(next(), { replace: true })
  })

  const [step, setStep] = createSignal<'phone' | 'code'>('phone')
  const [phone, setPhone] = createSignal('')
  const [code, setCode] = createSignal('')
  const [phoneError, setPhoneError] = createSignal<string>()
  const [codeError, setCodeError] = createSignal<string>()
  const [busy, setBusy] = createSignal(false)
  const [alreadySent, setAlreadySent] = createSignal(false)
  const resend = createCountdown()
  const wait = createCountdown()
  let codeInput: HTMLInputElement | undefined
  let phoneInput: HTMLInputElement | undefined

  const failure = (e: unknown) => {
    if (e instanceof NetworkError) return t('common.loadFailed')
    if (e instanceof ApiError) {
      if (e.status === 429 && e.retryAfter) wait.start(e.retryAfter)
      return errorText(e.fields ? (Object.values(e.fields)[0] ?? e.code) : e.code)
    }
    return errorText('internal')
  }

  const sendCode = async (ev?: Event) => {
    ev?.preventDefault()
    // The server enforces the resend interval; the resend button is disabled while it runs.
    if (busy() || wait.left() > 0) return
    const parsed = RequestOtpInput.safeParse({ phone: phone() })
    if (!parsed.success) {
      setPhoneError(errorText(fieldErrors(parsed.error.issues).phone ?? 'validation.phone'))
      phoneInput?.focus()
      return
    }
    setBusy(true)
    setPhoneError(undefined)
    setCodeError(undefined)
    try {
      const sent = await call(() => api.auth.otp.$post({ json: parsed.data }))
      resend.start(sent.resendAfter)
      setAlreadySent(false)
      setStep('code')
      codeInput?.focus()
    } catch (e) {
      // A code went out less than a minute ago: it still works, so ask for it rather than refuse.
      if (e instanceof ApiError && e.code === 'auth.otp_too_soon') {
        resend.start(e.retryAfter ?? 60)
        setAlreadySent(true)
        setStep('code')
        codeInput?.focus()
        return
      }
      const message = failure(e)
      if (step() === 'code') setCodeError(message)
      else setPhoneError(message)
    } finally {
      setBusy(false)
    }
  }

  const verify = async (ev: Event) => {
    ev.preventDefault()
    if (busy()) return
    const parsed = VerifyOtpInput.safeParse({ phone: phone(), code: code().trim() })
    if (!parsed.success) {
      setCodeError(errorText(fieldErrors(parsed.error.issues).code ?? 'validation.otp_format'))
      codeInput?.focus()
      return
    }
    setBusy(true)
    setCodeError(undefined)
    try {
      await call(() => api.auth.otp.verify.$post({ json: parsed.data }))
      await signedIn()
      navigate(next(), { replace: true })
    } catch (e) {
      setCodeError(failure(e))
      codeInput?.focus()
    } finally {
      setBusy(false)
    }
  }

  const changePhone = () => {
    setStep('phone')
    setCode('')
    setCodeError(undefined)
    queueMicrotask(() => phoneInput?.focus())
  }

  return (
    <section class="card">
      <PageHeading title={t('signIn.title')} />
      <p class="lead">{t('signIn.lead')}</p>
      <Switch>
        <Match when={step() === 'phone'}>
          <form onSubmit={sendCode} novalidate>
            <TextField
              ref={phoneInput}
              id="phone"
              type="tel"
              inputMode="numeric"
              autocomplete="tel-national"
              maxLength={20}
              label={t('signIn.phone')}
              hint={t('signIn.phoneHint')}
              required
              value={phone()}
              onInput={(e) => {
                setPhone(e.currentTarget.value)
                wait.start(0)
              }}
              error={phoneError()}
            />
            <button
              type="submit"
              class="button button-primary button-block"
              disabled={busy() || wait.left() > 0}
              aria-busy={busy()}
            >
              {busy() ? t('signIn.sending') : t('signIn.sendCode')}
            </button>
            <Show when={wait.left() > 0}>
              <p class="field-hint wait-hint">
                {wait.left() > 90
                  ? t('signIn.waitForMinutes', { n: Math.ceil(wait.left() / 60) })
                  : t('signIn.waitFor', { n: wait.left() })}
              </p>
            </Show>
          </form>
        </Match>
        <Match when={step() === 'code'}>
          <form onSubmit={verify} novalidate>
            <p class="notice notice-info" role="status">
              {t(alreadySent() ? 'signIn.alreadySent' : 'signIn.codeSent', { phone: maskPhone(phone()) })}
            </p>
            <TextField
              ref={codeInput}
              id="code"
              type="text"
              inputMode="numeric"
              autocomplete="one-time-code"
              pattern="[0-9]*"
              maxLength={6}
              label={t('signIn.code')}
              hint={t('signIn.codeHint')}
              required
              class="input-code"
              value={code()}
              onInput={(e) => setCode(e.currentTarget.value.replace(/\D/g, ''))}
              error={codeError()}
            />
            <button
              type="submit"
              class="button button-primary button-block"
              disabled={busy()}
              aria-busy={busy()}
            >
              {busy() ? t('signIn.verifying') : t('signIn.submit')}
            </button>
            <div class="row-actions">
              <button
                type="button"
                class="button button-secondary"
                disabled={busy() || resend.left() > 0}
                onClick={() => sendCode()}
              >
                {resend.left() > 0 ? t('signIn.resendIn', { n: resend.left() }) : t('signIn.resend')}
              </button>
              <button type="button" class="button button-link" onClick={changePhone}>
                {t('signIn.changePhone')}
              </button>
            </div>
          </form>
        </Match>
      </Switch>
    </section>
  )
}
