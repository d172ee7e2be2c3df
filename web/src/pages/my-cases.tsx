import { A, createAsync } from '@solidjs/router'
import { ErrorBoundary, For, Show, Suspense } from 'solid-js'
import { formatDate, t } from '../i18n/index.ts'
import { LoadError, Loading } from '../ui/load-error.tsx'
import { PageHeading } from '../ui/page-heading.tsx'
import { RequireSignIn } from '../ui/require-sign-in.tsx'
import { StatusBadge } from '../ui/status-badge.tsx'
import { getMyCases } from './cases.data.ts'

export default function MyCases() {
  return (
    <RequireSignIn>
      <PageHeading title={t('cases.title')} />
      <ErrorBoundary
        fallback={(error, reset) => <LoadError error={error} reset={reset} keys={[getMyCases.key]} />}
      >
        <Suspense fallback={<Loading />}>
          <CaseList />
        </Suspense>
      </ErrorBoundary>
      <A href="/apply" class="button button-secondary button-block">
        {t('cases.newApplication')}
      </A>
      <div class="export">
        {/* A same-origin GET answered as an attachment: the browser saves it, the router stays out. */}
        <a
          id="export-link"
          href="/api/me/export"
          download=""
          class="button button-link"
          aria-describedby="export-hint"
        >
          {t('cases.export')}
        </a>
        <p id="export-hint" class="field-hint">
          {t('cases.exportHint')}
        </p>
      </div>
    </RequireSignIn>
  )
}

function CaseList() {
  const cases = createAsync(() => getMyCases())
  return (
    <Show when={cases()}>
      {(items) => (
        <Show when={items().length > 0} fallback={<p class="card empty">{t('cases.empty')}</p>}>
          <ul class="case-list">
            <For each={items()}>
              {(c) => (
                <li>
                  <A href={`/cases/${c.id}`} class="case-item">
                    <span class="case-item-top">
                      <span class="case-item-number">{c.number}</span>
                      <StatusBadge status={c.status} />
                    </span>
                    <span class="case-item-type">{t(`disputeType.${c.disputeType}`)}</span>
                    <span class="case-item-date">
                      {t('cases.filedOn', { date: formatDate(c.createdAt) })}
                    </span>
                  </A>
                </li>
              )}
            </For>
          </ul>
        </Show>
      )}
    </Show>
  )
}
