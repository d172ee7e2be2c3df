import { A, createAsync, type RouteSectionProps, useNavigate } from '@solidjs/router'
import { createSignal, ErrorBoundary, Show, Suspense } from 'solid-js'
import { offlineCopyFrom } from '../api/client.ts'
import { getMe, maybeSignedIn, signOut } from '../api/session.ts'
import { formatDateTime, locale, setLocale, t } from '../i18n/index.ts'
import { LoadError, PageLoading } from './load-error.tsx'
import { largeText, setLargeText } from './text-size.ts'

/**
 * The frame around every page: name, language switch, large text, sign-out, the offline notice
 * and the emergency number.
 */
export function Layout(props: RouteSectionProps) {
  // The staff portal has its own bar with sign-out and sign-out-everywhere.
  const staffArea = () => props.location.pathname.startsWith('/staff')
  return (
    <>
      <a class="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <header class="site-header">
        <div class="site-header-inner">
          {/* Named by what it shows (screen-reader users hear what sighted users see), plus "home". */}
          <A href="/" class="brand">
            <span class="brand-mark" aria-hidden="true">
              {t('app.mark')}
            </span>
            <span class="brand-text">
              <span class="brand-name">{t('app.name')}</span>
              <span class="brand-tagline">{t('app.tagline')}</span>
            </span>
            <span class="visually-hidden">{t('app.homeLink')}</span>
          </A>
          <div class="header-actions">
            <LargeTextToggle />
            <LanguageToggle />
            <Show when={!staffArea() && maybeSignedIn()}>
              <ErrorBoundary fallback={null}>
                <Suspense>
                  <SignOutButton />
                </Suspense>
              </ErrorBoundary>
            </Show>
          </div>
        </div>
      </header>
      <main id="main" class="page">
        <Show when={offlineCopyFrom()}>
          {(at) => (
            <p class="notice notice-warn offline-banner" role="status">
              {t('offline.banner', { time: formatDateTime(at()) })}
            </p>
          )}
        </Show>
        <ErrorBoundary fallback={(error, reset) => <LoadError error={error} reset={reset} />}>
          <Suspense fallback={<PageLoading />}>{props.children}</Suspense>
        </ErrorBoundary>
      </main>
      <footer class="site-footer">
        <p>{t('footer.service')}</p>
        <p class="footer-emergency">{t('footer.emergency')}</p>
      </footer>
    </>
  )
}

/** 长辈模式: bigger text and touch targets, remembered on this phone. */
function LargeTextToggle() {
  return (
    <button
      type="button"
      class="header-button"
      aria-pressed={largeText()}
      aria-label={t('text.largeLabel')}
      onClick={() => setLargeText(!largeText())}
    >
      {t('text.large')}
    </button>
  )
}

function LanguageToggle() {
  const other = () => (locale() === 'zh-CN' ? 'en' : 'zh-CN')
  return (
    <button
      type="button"
      class="header-button"
      lang={other()}
      aria-label={t('lang.switchLabel')}
      onClick={() => setLocale(other())}
    >
      {t('lang.switch')}
    </button>
  )
}

function SignOutButton() {
  const me = createAsync(() => getMe())
  const navigate = useNavigate()
  const [busy, setBusy] = createSignal(false)
  const [failed, setFailed] = createSignal(false)
  const onClick = async () => {
    setBusy(true)
    setFailed(false)
    try {
      await signOut()
      navigate('/', { replace: true })
    } catch {
      setFailed(true)
    } finally {
      setBusy(false)
    }
  }
  return (
    <Show when={me()}>
      <button
        type="button"
        class="header-button"
        aria-label={t('nav.signOut')}
        onClick={onClick}
        disabled={busy()}
        aria-busy={busy()}
      >
        {busy() ? t('nav.signingOut') : t('nav.signOutShort')}
      </button>
      <Show when={failed()}>
        <span class="visually-hidden" role="alert">
          {t('common.loadFailed')}
        </span>
      </Show>
    </Show>
  )
}
