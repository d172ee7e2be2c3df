import { A, createAsync, useNavigate, useSearchParams } from '@solidjs/router'
import { createEffect, createSignal, Show } from 'solid-js'
import { ApiError, api, call, NetworkError } from '../../api/client.ts'
import { getMe, safeNext, signedIn } from '../../api/session.ts'
import { errorText } from '../../i18n/index.ts'
import { t } from '../../i18n/staff.ts'
import { TextField } from '../../ui/form.tsx'
import { PageHeading } from '../../ui/page-heading.tsx'

/** Staff sign-in: username and password; the authenticator code when the account needs one. */
export default function StaffSignIn() {
  const me = createAsync(() => getMe())
  const navigate = useNavigate()
  const [params] = useSearchParams()
  const next = () => safeNext(params.next, '/staff/queue')
  createEffect(() => {
    if (me()?.kind === 'staff') navigate(next(), { replace: true })
  })

  const [username, setUsername] = createSignal('')
  const [password, setPassword] = createSignal('')
  const [totp, setTotp] = createSignal('')
  const [needTotp, setNeedTotp] = createSignal(false)
  const [error, setError] = createSignal<string>()
  const [field, setField] = createSignal<'username' | 'password' | 'totp'>()
  const [busy, setBusy] = createSignal(false)

  const submit = async (ev: Event) => {
    ev.preventDefault()
    if (busy()) return
    setError(undefined)
    setField(undefined)
    if (!username().trim() || !password()) {
      setField(!username().trim() ? 'username' : 'password')
      setError(errorText('validation.required'))
      document.getElementById(!username().trim() ? 'username' : 'password')?.focus()
      return
    }
    setBusy(true)
    try {
      const body = {
        username: username().trim(),
        password: password(),
        ...(needTotp() ? { totp: totp() } : {}),
      }
      await call(() => api.auth.staff.login.$post({ json: body }))
      await signedIn()
      navigate(next(), { replace: true })
    } catch (e) {
      if (e instanceof ApiError) {
        if (e.code === 'auth.totp_required' || e.code === 'auth.totp_invalid' || e.fields?.totp) {
          setNeedTotp(true)
          setField('totp')
          setError(errorText(e.fields?.totp ?? e.code))
          queueMicrotask(() => document.getElementById('totp')?.focus())
        } else {
          setError(errorText(e.code))
          if (e.code === 'auth.staff_invalid') setField('password')
        }
      } else setError(errorText(e instanceof NetworkError ? 'service.unavailable' : 'internal'))
    } finally {
      setBusy(false)
    }
  }

  return (
    <section class="card staff-sign-in" aria-labelledby="staff-sign-in-title">
      <p class="staff-kicker">{t('staff.portal')}</p>
      <PageHeading id="staff-sign-in-title" title={t('staff.signIn.title')} />
      <p class="lead">{t('staff.signIn.lead')}</p>
      <Show when={me()?.kind === 'citizen'}>
        <p class="notice notice-info">{t('staff.notStaff.body')}</p>
      </Show>
      <form class="form" onSubmit={submit} novalidate aria-busy={busy()}>
        <TextField
          id="username"
          label={t('staff.signIn.username')}
          required
          autocomplete="username"
          autocapitalize="none"
          spellcheck={false}
          value={username()}
          onInput={(e) => setUsername(e.currentTarget.value)}
          error={field() === 'username' ? error() : undefined}
        />
        <TextField
          id="password"
          type="password"
          label={t('staff.signIn.password')}
          required
          autocomplete="current-password"
          value={password()}
          onInput={(e) => setPassword(e.currentTarget.value)}
          error={field() === 'password' ? error() : undefined}
        />
        <Show when={needTotp()}>
          <TextField
            id="totp"
            label={t('staff.signIn.totp')}
            hint={t('staff.signIn.totpHint')}
            required
            inputMode="numeric"
            autocomplete="one-time-code"
            maxLength={6}
            class="input-code"
            value={totp()}
            onInput={(e) => setTotp(e.currentTarget.value.replace(/\D/g, ''))}
            error={field() === 'totp' ? error() : undefined}
          />
        </Show>
        <Show when={error() && !field()}>
          <p class="notice notice-error" role="alert">
            {error()}
          </p>
        </Show>
        <button type="submit" class="button button-primary button-block" disabled={busy()} aria-busy={busy()}>
          <Show when={busy()} fallback={t('staff.signIn.submit')}>
            <span class="spinner" aria-hidden="true" />
            {t('staff.signIn.busy')}
          </Show>
        </button>
      </form>
      <A href="/sign-in" class="button button-link">
        {t('staff.signIn.citizen')}
      </A>
    </section>
  )
}
