import { A, createAsync, useParams } from '@solidjs/router'
import { ErrorBoundary, For, Show, Suspense } from 'solid-js'
import type { CaseView, TimelineEvent } from '../../../functions/domain/case.ts'
import { ApiError } from '../api/client.ts'
import { formatDateTime, t } from '../i18n/index.ts'
import { t as wt } from '../i18n/workflow.ts'
import { CaseDetails } from '../ui/case-details.tsx'
import { LoadError, Loading, PageLoading } from '../ui/load-error.tsx'
import { PageHeading } from '../ui/page-heading.tsx'
import { RequireSignIn } from '../ui/require-sign-in.tsx'
import { StatusBadge } from '../ui/status-badge.tsx'
import { mayHaveAgreement } from './agreement.data.ts'
import { OutcomeCard, RespondCard, WithdrawCard } from './case-actions.tsx'
import { CaseAgreement, CaseEvidence, CaseOutlook, CaseSessions } from './case-sections.ts'
import { getCase } from './cases.data.ts'
import { SESSION_STATUSES } from './sessions.data.ts'
import { describeEvent } from './timeline-text.ts'

/**
 * Views of evidence are recorded for the case file, but every thumbnail shown is one: listed
 * here, they would bury the steps of the case. So would every join and leave of a shaky video
 * connection: the attendance at the end of a session says who was there and for how long.
 */
const QUIET_EVENTS = new Set(['evidence.viewed', 'case.risk_overridden', 'video.joined', 'video.left'])

export default function CaseDetail() {
  const params = useParams<{ id: string }>()
  return (
    <RequireSignIn>
      <A href="/cases" class="back-link">
        {t('case.backToList')}
      </A>
      <ErrorBoundary
        fallback={(error, reset) =>
          error instanceof ApiError && error.status === 404 ? (
            <NotFound />
          ) : (
            <LoadError error={error} reset={reset} keys={[getCase.keyFor(params.id)]} />
          )
        }
      >
        <Suspense fallback={<PageLoading />}>
          <CaseBody id={params.id} />
        </Suspense>
      </ErrorBoundary>
    </RequireSignIn>
  )
}

function NotFound() {
  return (
    <section class="card">
      <PageHeading title={t('case.notFound')} />
      <p>{t('case.notFoundBody')}</p>
      <A href="/cases" class="button button-primary button-block">
        {t('case.backToList')}
      </A>
    </section>
  )
}

function CaseBody(props: { id: string }) {
  const data = createAsync(() => getCase(props.id))
  return <Show when={data()}>{(c) => <CaseContent case={c()} />}</Show>
}

function CaseContent(props: { case: CaseView }) {
  const c = () => props.case
  return (
    <>
      <section class="card case-head" aria-labelledby="case-title">
        <PageHeading id="case-title" title={t('case.title', { number: c().number })}>
          <span class="case-head-label">{t('case.numberLabel')}</span>
          <span class="case-number case-number-small">{c().number}</span>
        </PageHeading>
        <p class="case-status">
          <span class="case-status-label">{t('case.statusLabel')}</span>
          <StatusBadge status={c().status} />
        </p>
        {/* The "waiting for the other party" text is written for the applicant; the respondent gets the question itself. */}
        <Show when={!(c().relation === 'respondent' && c().status === 'awaiting_consent')}>
          <div class="next-box">
            <h2>{t('case.nextTitle')}</h2>
            <p>{t(`status.${c().status}.next`)}</p>
          </div>
        </Show>
      </section>

      <Show when={c().allowedActions.includes('respond')}>
        <RespondCard case={c()} />
      </Show>

      <Show when={mayHaveAgreement(c().status)}>
        <ErrorBoundary fallback={(error, reset) => <LoadError error={error} reset={reset} />}>
          <Suspense fallback={<Loading />}>
            <CaseAgreement case={c()} />
          </Suspense>
        </ErrorBoundary>
      </Show>

      <Show when={c().outcome || c().returnReason}>
        <OutcomeCard case={c()} />
      </Show>

      <Show when={SESSION_STATUSES.has(c().status)}>
        <ErrorBoundary fallback={(error, reset) => <LoadError error={error} reset={reset} />}>
          <Suspense fallback={<Loading />}>
            <CaseSessions caseId={c().id} status={c().status} />
          </Suspense>
        </ErrorBoundary>
      </Show>

      <ErrorBoundary fallback={(error, reset) => <LoadError error={error} reset={reset} />}>
        <Suspense fallback={<Loading />}>
          <CaseEvidence caseId={c().id} disputeType={c().disputeType} status={c().status} />
        </Suspense>
      </ErrorBoundary>

      <ErrorBoundary fallback={null}>
        <Suspense>
          <CaseOutlook caseId={c().id} typeLabel={t(`disputeType.${c().disputeType}`)} />
        </Suspense>
      </ErrorBoundary>

      <section class="card" aria-labelledby="timeline-title">
        <h2 id="timeline-title">{t('case.timelineTitle')}</h2>
        <ol class="timeline">
          <For
            each={c()
              .timeline.filter((event) => !QUIET_EVENTS.has(event.type))
              .reverse()}
          >
            {(event) => (
              <li class="timeline-item">
                <time class="timeline-time" dateTime={event.at}>
                  {formatDateTime(event.at)}
                </time>
                <span class="timeline-text">{describe(event, c().relation)}</span>
                <Show when={event.note}>
                  <span class="timeline-note">{event.note}</span>
                </Show>
              </li>
            )}
          </For>
        </ol>
      </section>

      <CaseDetails case={c()} withRespondent />

      <Show when={c().allowedActions.includes('withdraw')}>
        <WithdrawCard case={c()} />
      </Show>
    </>
  )
}

/** One line of the timeline in plain words: who did what, "you" for the reader's own steps. */
function describe(event: TimelineEvent, relation: string): string {
  const own =
    (event.actorRole === 'citizen' && relation === 'applicant') ||
    (event.actorRole === 'respondent' && relation === 'respondent')
  const who = own
    ? wt('who.you')
    : wt(event.actorRole === 'citizen' ? 'who.applicant' : `who.${event.actorRole}`)
  return describeEvent(wt, event, who)
}
