import { revalidate } from '@solidjs/router'
import { ApiError } from '../api/client.ts'
import { errorText, t } from '../i18n/index.ts'

/** What an ErrorBoundary shows when data could not be loaded: the reason and a way to try again. */
export function LoadError(props: { error: unknown; reset: () => void; keys?: string[] }) {
  const message = () =>
    props.error instanceof ApiError ? errorText(props.error.code) : t('common.loadFailed')
  const retry = async () => {
    await revalidate(props.keys)
    props.reset()
  }
  return (
    <div class="notice notice-error" role="alert">
      <p>{message()}</p>
      <button type="button" class="button button-secondary" onClick={retry}>
        {t('common.retry')}
      </button>
    </div>
  )
}

/**
 * A whole page on its way. It holds the screen's height, so the footer stays below the fold
 * instead of showing under the spinner and being pushed away when the page arrives (a layout
 * shift the reader sees).
 */
export function PageLoading() {
  return (
    <div class="page-loading">
      <Loading />
    </div>
  )
}

export function Loading() {
  return (
    <p class="loading" role="status">
      <span class="spinner" aria-hidden="true" />
      {t('common.loading')}
    </p>
  )
}
