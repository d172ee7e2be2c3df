import { A, createAsync, useParams } from '@solidjs/router'
import { createSignal, ErrorBoundary, For, lazy, Show, Suspense } from 'solid-js'
import type { CaseView } from '../../../../functions/domain/case.ts'
import { ApiError } from '../../api/client.ts'
import { formatDateTime } from '../../i18n/index.ts'
import { t } from '../../i18n/staff.ts'
import { CaseDetails, Detail } from '../../ui/case-details.tsx'
import { LoadError, Loading } from '../../ui/load-error.tsx'
import { PageHeading } from '../../ui/page-heading.tsx'
import { StatusBadge } from '../../ui/status-badge.tsx'
import { getCase } from '../cases.data.ts'
import { SESSION_STATUSES } from '../sessions.data.ts'
import { describeEvent } from '../timeline-text.ts'
import { ActionButtons, type Flash, RiskOverride } from './actions.tsx'
import { OverdueFlag, RiskChip } from './risk-chip.tsx'
import { RequireStaff } from './shell.tsx'

const CaseEvidence = lazy(() => import('../case-evidence.tsx'))
const AgreementEditor = lazy(() => import('./agreement-editor.tsx'))
const CaseSessions = lazy(() => import('../case-sessions.tsx'))
const FollowUps = lazy(() => import('./follow-ups.tsx'))
const Referrals = lazy(() => import('./referrals.tsx'))
const QUIET_EVENTS = new Set(['evidence.viewed'])

/** A case as staff see it: where it stands, its risk, the parties, the record, and what may be done now. */
export default function StaffCase() {
  const params = useParams<{ id: string }>()
  return (
    <RequireStaff>
      {() => (
        <>
          <A href="/staff/queue" class="back-link">
            {t('case.back')}
          </A>
          <ErrorBoundary
            fallback={(error, reset) =>
              error instanceof ApiError && error.status === 404 ? (
                <section class="card">
                  <PageHeading title={t('case.notFound')} />
                  <p>{errorOr404()}</p>
                </section>
              ) : (
                <LoadError error={error} reset={reset} keys={[getCase.keyFor(params.id)]} />
              )
            }
          >
            <Suspense fallback={<Loading />}>
              <Body id={params.id} />
            </Suspense>
          </ErrorBoundary>
        </>
      )}
    </RequireStaff>
  )
}

const errorOr404 = () => t('case.not_found')

function Body(props: { id: string }) {
  const data = createAsync(() => getCase(props.id))
  return <Show when={data()}>{(c) => <Content case={c()} />}</Show>
}

function Content(props: { case: CaseView }) {
  const c = () => props.case
  const [flash, setFlash] = createSignal<Flash>()
  // `by` names staff by username; citizens are named by their part in the case.
  const whoOf = (e: CaseView['timeline'][number]) =>
    e.actorRole === 'staff' && e.by ? e.by : t(`actor.${e.actorRole}`)
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
          <RiskChip level={c().riskLevel ?? 'none'} />
        </p>
        <dl class="details case-facts">
          <Detail label={t('case.deadline')}>
            <Show when={c().stageDeadline} fallback={t('queue.noDeadline')}>
              {(d) => <time dateTime={d()}>{formatDateTime(d())}</time>}
            </Show>
            <Show when={c().overdue}>
              {' '}
              <OverdueFlag />
            </Show>
          </Detail>
          <Detail label={t('case.tier')}>{c().tier ? t(`tier.${c().tier as 1 | 2 | 3}`) : '—'}</Detail>
          <Detail label={t('case.mediator')}>{c().mediatorId ?? t('queue.unassigned')}</Detail>
          <Detail label={t('case.source')}>
            {c().source === 'police'
              ? `${t('source.police')} · ${t(`route.${c().intakeRoute ?? 'transfer'}`)}`
              : c().source === 'referral'
                ? `${t('source.referral')} · ${c().referredBy ?? ''}`
                : t('source.online')}
          </Detail>
          <Show when={c().intake}>
            {(call) => (
              <>
                <Detail label={t('case.callNumber')}>{call().callNumber}</Detail>
                <Detail label={t('case.callTime')}>
                  <time dateTime={call().callTime}>{formatDateTime(call().callTime)}</time>
                </Detail>
                <Detail label={t('case.caller')}>{call().callerName}</Detail>
                <Detail label={t('case.officer')}>{call().officerId}</Detail>
                <Detail label={t('case.callAddress')}>{call().address}</Detail>
              </>
            )}
          </Show>
        </dl>
      </section>

      <div aria-live="polite">
        <Show when={flash()}>
          {(f) => (
            <p
              class={`notice ${f().kind === 'ok' ? 'notice-info' : 'notice-error'}`}
              role={f().kind === 'ok' ? 'status' : 'alert'}
            >
              {f().text}
            </p>
          )}
        </Show>
      </div>

      <section class="card" aria-labelledby="actions-title">
        <h2 id="actions-title">{t('case.actionsTitle')}</h2>
        <ActionButtons case={c()} onFlash={setFlash} />
      </section>

      <Show when={c().status === 'in_mediation' || c().status === 'resolved'}>
        <ErrorBoundary fallback={(error, reset) => <LoadError error={error} reset={reset} />}>
          <Suspense fallback={<Loading />}>
            <AgreementEditor case={c()} />
          </Suspense>
        </ErrorBoundary>
      </Show>

      <Show when={c().status === 'resolved' || c().timeline.some((e) => e.type === 'case.reopen')}>
        <ErrorBoundary fallback={(error, reset) => <LoadError error={error} reset={reset} />}>
          <Suspense fallback={<Loading />}>
            <FollowUps caseId={c().id} canRecord={c().relation === 'handling_org'} />
          </Suspense>
        </ErrorBoundary>
      </Show>

      <ErrorBoundary fallback={(error, reset) => <LoadError error={error} reset={reset} />}>
        <Suspense fallback={<Loading />}>
          <Referrals
            caseId={c().id}
            canRefer={c().relation === 'handling_org' || c().relation === 'supervisor'}
          />
        </Suspense>
      </ErrorBoundary>

      <Show when={SESSION_STATUSES.has(c().status)}>
        <ErrorBoundary fallback={(error, reset) => <LoadError error={error} reset={reset} />}>
          <Suspense fallback={<Loading />}>
            <CaseSessions caseId={c().id} status={c().status} mediatorId={c().mediatorId} staff />
          </Suspense>
        </ErrorBoundary>
      </Show>

      <section class="card" aria-labelledby="risk-title">
        <div class="risk-head">
          <h2 id="risk-title">{t('case.riskTitle')}</h2>
          <RiskChip level={c().riskLevel ?? 'none'} />
        </div>
        <p>{t(`risk.level.${c().riskLevel ?? 'none'}`)}</p>
        <Show when={(c().riskSignals ?? []).length > 0} fallback={<p class="lead">{t('case.noSignals')}</p>}>
          <h3 class="field-label">{t('case.riskSignals')}</h3>
          <ul class="signals">
            <For each={c().riskSignals ?? []}>{(code) => <li>{t(code as 'risk.injury')}</li>}</For>
          </ul>
        </Show>
        <Show when={c().allowedActions.includes('override_risk')}>
          <RiskOverride case={c()} onFlash={setFlash} />
        </Show>
      </section>

      <Show when={c().outcome || c().returnReason}>
        <section class="card" aria-labelledby="outcome-title">
          <h2 id="outcome-title">{t('outcome.title')}</h2>
          <dl class="details">
            <Show when={c().outcome}>
              {(o) => (
                <>
                  <Detail label={t('case.statusLabel')}>{t(`outcome.kind.${o().kind as 'resolved'}`)}</Detail>
                  <Show when={o().reason}>
                    <Detail label={t('outcome.reason')}>
                      <span class="prewrap">{o().reason}</span>
                    </Detail>
                  </Show>
                  <Show when={o().guidance}>
                    <Detail label={t('act.guidance')}>{t(`guidance.${o().guidance as 'other'}`)}</Detail>
                  </Show>
                </>
              )}
            </Show>
          </dl>
        </section>
      </Show>

      <section class="card" aria-labelledby="parties-title">
        <h2 id="parties-title">{t('case.parties')}</h2>
        <dl class="details">
          <Detail label={t('case.applicant')}>{c().applicantPhone ?? t('common.notProvided')}</Detail>
          <Detail label={t('case.respondent')}>
            {c().respondent.name}
            {c().respondent.phone ? ` · ${c().respondent.phone}` : ''}
          </Detail>
        </dl>
      </section>

      <section class="card" aria-labelledby="timeline-title">
        <h2 id="timeline-title">{t('case.timeline')}</h2>
        <ol class="timeline">
          <For
            each={c()
              .timeline.filter((e) => !QUIET_EVENTS.has(e.type))
              .reverse()}
          >
            {(event) => (
              <li class="timeline-item">
                <time class="timeline-time" dateTime={event.at}>
                  {formatDateTime(event.at)}
                </time>
                <span class="timeline-text">{describeEvent(t, event, whoOf(event))}</span>
                <Show when={event.actorRole === 'staff' && event.by}>
                  <span class="timeline-who">
                    {t('case.by', { who: whoOf(event), role: t(`actor.${event.actorRole}`) })}
                  </span>
                </Show>
                <Show when={event.from && event.to && event.from !== event.to}>
                  <span class="timeline-move">
                    {t('event.fromTo', {
                      from: t(`status.${event.from as 'submitted'}`),
                      to: t(`status.${event.to as 'submitted'}`),
                    })}
                  </span>
                </Show>
                <Show when={event.note}>
                  <span class="timeline-note">{t('case.reason', { note: event.note ?? '' })}</span>
                </Show>
              </li>
            )}
          </For>
        </ol>
      </section>

      <CaseDetails case={c()} descriptionLabel={t('case.description')} />

      <ErrorBoundary fallback={(error, reset) => <LoadError error={error} reset={reset} />}>
        <Suspense fallback={<Loading />}>
          <CaseEvidence
            caseId={c().id}
            disputeType={c().disputeType}
            status={c().status}
            staff
            canUpload={c().relation === 'handling_org'}
          />
        </Suspense>
      </ErrorBoundary>
    </>
  )
}
