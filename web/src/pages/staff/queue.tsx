import { A, createAsync, useSearchParams } from '@solidjs/router'
import { ErrorBoundary, For, type JSX, Show, Suspense } from 'solid-js'
import { CASE_STATUSES, type CaseStatus } from '../../../../functions/domain/case.ts'
import { t as ft } from '../../i18n/follow-up.ts'
import { formatDateTime, formatPlainDate } from '../../i18n/index.ts'
import { t as rt } from '../../i18n/referral.ts'
import { t } from '../../i18n/staff.ts'
import { LoadError, Loading } from '../../ui/load-error.tsx'
import { PageHeading } from '../../ui/page-heading.tsx'
import { StatusBadge } from '../../ui/status-badge.tsx'
import { OverdueFlag, type Risk, RiskChip } from './risk-chip.tsx'
import { RequireStaff } from './shell.tsx'
import { getFollowUpWork, getQueue, getReferralWork, type QueueFilters } from './staff.data.ts'

const RISKS: Risk[] = ['red', 'orange', 'yellow', 'none']

/** The work list: soonest deadline first, filtered by status, risk and overdue; kept in the address. */
export default function Queue() {
  return <RequireStaff>{() => <QueuePage />}</RequireStaff>
}

function QueuePage() {
  const [params, setParams] = useSearchParams<{
    status?: string
    risk?: string
    overdue?: string
    closed?: string
  }>()
  const filters = (): QueueFilters => ({
    status: params.status || undefined,
    risk: RISKS.includes(params.risk as Risk) ? (params.risk as Risk) : undefined,
    overdue: params.overdue === 'true' || params.overdue === 'false' ? params.overdue : undefined,
    closed: params.closed === 'true' ? 'true' : undefined,
  })
  const set = (name: 'status' | 'risk' | 'overdue' | 'closed', value: string) =>
    setParams({ [name]: value || undefined }, { replace: true })
  return (
    <>
      <PageHeading title={t('queue.title')} />
      <p class="lead">{t('queue.lead')}</p>
      <form class="card queue-filters" aria-label={t('queue.filters')} onSubmit={(e) => e.preventDefault()}>
        <FilterSelect
          id="f-status"
          label={t('queue.status')}
          value={params.status ?? ''}
          onChange={(v) => set('status', v)}
        >
          <For each={CASE_STATUSES}>{(s) => <option value={s}>{t(`status.${s}`)}</option>}</For>
        </FilterSelect>
        <FilterSelect
          id="f-risk"
          label={t('queue.risk')}
          value={params.risk ?? ''}
          onChange={(v) => set('risk', v)}
        >
          <For each={RISKS}>{(r) => <option value={r}>{t(`risk.chip.${r}`)}</option>}</For>
        </FilterSelect>
        <FilterSelect
          id="f-overdue"
          label={t('queue.overdue')}
          value={params.overdue ?? ''}
          onChange={(v) => set('overdue', v)}
        >
          <option value="true">{t('queue.overdueOnly')}</option>
          <option value="false">{t('queue.notOverdue')}</option>
        </FilterSelect>
        <label class="check">
          <input
            type="checkbox"
            checked={params.closed === 'true'}
            onChange={(e) => set('closed', e.currentTarget.checked ? 'true' : '')}
          />
          {t('queue.closed')}
        </label>
      </form>
      <ErrorBoundary
        fallback={(error, reset) => <LoadError error={error} reset={reset} keys={[getQueue.key]} />}
      >
        <Suspense fallback={<Loading />}>
          <QueueList filters={filters()} />
        </Suspense>
      </ErrorBoundary>
      {/* Mediators and centre admins get follow-ups with their work list; others get none. */}
      <Show when={params.closed !== 'true'}>
        <ErrorBoundary
          fallback={(error, reset) => <LoadError error={error} reset={reset} keys={[getFollowUpWork.key]} />}
        >
          <Suspense fallback={<Loading />}>
            <FollowUpWork />
          </Suspense>
        </ErrorBoundary>
        <ErrorBoundary
          fallback={(error, reset) => <LoadError error={error} reset={reset} keys={[getReferralWork.key]} />}
        >
          <Suspense fallback={<Loading />}>
            <ReferralWork />
          </Suspense>
        </ErrorBoundary>
      </Show>
    </>
  )
}

function FilterSelect(props: {
  id: string
  label: string
  value: string
  onChange: (value: string) => void
  children: JSX.Element
}) {
  return (
    <div class="filter">
      <label for={props.id} class="field-label">
        {props.label}
      </label>
      <select
        id={props.id}
        class="input"
        value={props.value}
        onChange={(e) => props.onChange(e.currentTarget.value)}
      >
        <option value="">{t('queue.all')}</option>
        {props.children}
      </select>
    </div>
  )
}

function QueueList(props: { filters: QueueFilters }) {
  const items = createAsync(() => getQueue(props.filters))
  return (
    <Show when={items()}>
      {(list) => (
        <Show when={list().length > 0} fallback={<p class="card empty">{t('queue.empty')}</p>}>
          <p class="queue-count" role="status">
            {t('queue.count', { n: list().length })}
          </p>
          <table class="queue-table">
            <thead>
              <tr>
                <th scope="col">{t('queue.col.number')}</th>
                <th scope="col">{t('queue.col.risk')}</th>
                <th scope="col">{t('queue.col.status')}</th>
                <th scope="col">{t('queue.col.type')}</th>
                <th scope="col">{t('queue.col.deadline')}</th>
                <th scope="col">{t('queue.col.tier')}</th>
                <th scope="col">{t('queue.col.mediator')}</th>
                <th scope="col">{t('queue.col.source')}</th>
                <th scope="col">{t('queue.col.applicant')}</th>
              </tr>
            </thead>
            <tbody>
              <For each={list()}>
                {(item) => (
                  <tr class="queue-row" classList={{ 'queue-row-overdue': item.overdue }}>
                    <th scope="row" class="queue-number">
                      <A href={`/staff/cases/${item.id}`}>{item.number}</A>
                    </th>
                    <Cell label={t('queue.col.risk')} class="queue-risk">
                      <RiskChip level={item.riskLevel} />
                    </Cell>
                    <Cell label={t('queue.col.status')} class="queue-status">
                      <StatusBadge status={item.status as CaseStatus} />
                    </Cell>
                    <Cell label={t('queue.col.type')}>{t(`disputeType.${item.disputeType as 'other'}`)}</Cell>
                    <Cell label={t('queue.col.deadline')}>
                      <Show when={item.stageDeadline} fallback={t('queue.noDeadline')}>
                        {(d) => <time dateTime={d()}>{formatDateTime(d())}</time>}
                      </Show>
                      <Show when={item.overdue}>
                        {' '}
                        <OverdueFlag />
                      </Show>
                    </Cell>
                    <Cell label={t('queue.col.tier')}>
                      {item.tier ? t('tier.short', { n: item.tier }) : '—'}
                    </Cell>
                    <Cell label={t('queue.col.mediator')}>{item.mediatorId ?? t('queue.unassigned')}</Cell>
                    <Cell label={t('queue.col.source')}>
                      {t(
                        `source.${item.source === 'police' || item.source === 'referral' ? item.source : 'online'}`,
                      )}
                    </Cell>
                    <Cell label={t('queue.col.applicant')}>{item.applicantPhone}</Cell>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </Show>
      )}
    </Show>
  )
}

/** Follow-up visits due in the next days or still awaiting an answer; each opens its case. */
function FollowUpWork() {
  const list = createAsync(() => getFollowUpWork())
  return (
    <Show when={(list() ?? []).length > 0}>
      <section class="card" aria-labelledby="follow-up-work-title">
        <h2 id="follow-up-work-title">{ft('followUp.work')}</h2>
        <ul class="signals">
          <For each={list()}>
            {(f) => (
              <li>
                <A href={`/staff/cases/${f.caseId}`}>{f.caseNumber ?? f.caseId}</A> ·{' '}
                <time dateTime={f.dueAt}>{formatDateTime(f.dueAt)}</time> ·{' '}
                {ft(`followUp.status.${f.status}`)}
                {f.awaiting.length > 0
                  ? ` · ${ft('followUp.awaiting', {
                      parties: f.awaiting.map((p) => ft(`followUp.party.${p}`)).join('、'),
                    })}`
                  : ''}
              </li>
            )}
          </For>
        </ul>
      </section>
    </Show>
  )
}

/** Referrals still awaiting a department's answer, overdue first; each opens its case. */
function ReferralWork() {
  const list = createAsync(() => getReferralWork())
  return (
    <Show when={(list() ?? []).length > 0}>
      <section class="card" aria-labelledby="referral-work-title">
        <h2 id="referral-work-title">{rt('referral.work')}</h2>
        <ul class="signals">
          <For each={list()}>
            {(r) => (
              <li>
                <A href={`/staff/cases/${r.caseId}`}>{r.caseNumber}</A> ·{' '}
                {rt('referral.work.item', { department: r.departmentName, date: formatPlainDate(r.dueOn) })}
                <Show when={r.overdue}>
                  {' '}
                  <OverdueFlag />
                </Show>
              </li>
            )}
          </For>
        </ul>
      </section>
    </Show>
  )
}

/** A table cell that, on a phone, becomes a labelled line of a card. */
function Cell(props: { label: string; class?: string; children: JSX.Element }) {
  return (
    <td class={props.class}>
      <span class="cell-label" aria-hidden="true">
        {props.label}
      </span>
      <span class="cell-value">{props.children}</span>
    </td>
  )
}
