import { A, createAsync, useSearchParams } from '@solidjs/router'
import { ErrorBoundary, For, type JSX, Show, Suspense } from 'solid-js'
import { DISPUTE_TYPES } from '../../../../functions/domain/case.ts'
import { formatDateTime } from '../../i18n/index.ts'
import { t } from '../../i18n/insight.ts'
import { LoadError, Loading } from '../../ui/load-error.tsx'
import { PageHeading } from '../../ui/page-heading.tsx'
import {
  caseListUrl,
  getBoard,
  getDeadlines,
  getMediators,
  getSummary,
  type Period,
  reportUrl,
} from './insight.data.ts'
import { AreaGrid, BarList, Columns } from './insight-charts.tsx'
import { OverdueFlag, RiskChip } from './risk-chip.tsx'
import { RequireStaff, type StaffMe } from './shell.tsx'
import './insight.css'

const INSIGHT_ROLES = ['supervisor', 'centre_admin', 'system_admin']
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/

/** This month in China time, the default period. */
const thisMonth = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7)

/** The supervisor dashboard: risk board, deadlines, results, where and when, mediator performance. */
export default function Insight() {
  return (
    <RequireStaff>
      {(me) => (
        <Show
          when={INSIGHT_ROLES.includes(me.role)}
          fallback={
            <p class="notice notice-error" role="alert">
              {t('insight.onlyFor')}
            </p>
          }
        >
          <Dashboard me={me} />
        </Show>
      )}
    </RequireStaff>
  )
}

function Dashboard(props: { me: StaffMe }) {
  const [params, setParams] = useSearchParams<{ from?: string; to?: string; area?: string }>()
  const period = (): Period => {
    const to = params.to && MONTH.test(params.to) ? params.to : thisMonth()
    const from = params.from && MONTH.test(params.from) && params.from <= to ? params.from : to
    return { from, to, area: params.area || undefined }
  }
  const summary = createAsync(() => getSummary(period()))
  const set = (name: 'from' | 'to' | 'area', value: string) =>
    setParams({ [name]: value || undefined }, { replace: true })
  return (
    <div class="insight">
      <PageHeading title={t('insight.title')} />
      <p class="lead">{t('insight.lead', { jurisdiction: props.me.jurisdiction })}</p>

      <form
        class="card insight-filters"
        aria-label={t('insight.filters')}
        onSubmit={(e) => e.preventDefault()}
      >
        <div class="filter">
          <label class="field-label" for="i-from">
            {t('insight.from')}
          </label>
          <input
            id="i-from"
            class="input"
            type="month"
            value={period().from}
            onChange={(e) => set('from', e.currentTarget.value)}
          />
        </div>
        <div class="filter">
          <label class="field-label" for="i-to">
            {t('insight.to')}
          </label>
          <input
            id="i-to"
            class="input"
            type="month"
            value={period().to}
            onChange={(e) => set('to', e.currentTarget.value)}
          />
        </div>
        <div class="filter">
          <label class="field-label" for="i-area">
            {t('insight.area')}
          </label>
          <select
            id="i-area"
            class="input"
            value={period().area ?? ''}
            onChange={(e) => set('area', e.currentTarget.value)}
          >
            <option value="">{t('insight.allAreas')}</option>
            <For each={summary()?.areas ?? []}>
              {(a) => <option value={a}>{a === '-' ? t('insight.noArea') : a}</option>}
            </For>
          </select>
        </div>
        <div class="insight-downloads">
          <span class="field-label">{t('insight.downloads')}</span>
          <a class="button button-secondary" href={reportUrl(period().to, 'pdf', period().area)} download="">
            {t('insight.reportPdf')}
          </a>
          <a class="button button-secondary" href={reportUrl(period().to, 'csv', period().area)} download="">
            {t('insight.reportCsv')}
          </a>
          <a class="button button-secondary" href={caseListUrl(period())} download="">
            {t('insight.casesCsv')}
          </a>
          <p class="field-hint">{t('insight.reportMonth', { month: period().to })}</p>
        </div>
      </form>

      <Section>
        <Results period={period()} />
      </Section>
      <div class="insight-columns">
        <Section>
          <Board />
        </Section>
        <Section>
          <Deadlines />
        </Section>
      </div>
      <Section>
        <WhereWhen period={period()} />
      </Section>
      <Show when={props.me.role === 'supervisor'}>
        <Section>
          <Mediators period={period()} />
        </Section>
      </Show>
    </div>
  )
}

function Section(props: { children: JSX.Element }) {
  return (
    <ErrorBoundary fallback={(error, reset) => <LoadError error={error} reset={reset} />}>
      <Suspense fallback={<Loading />}>{props.children}</Suspense>
    </ErrorBoundary>
  )
}

const dash = (v: number | null | undefined, f: (n: number) => string = String) =>
  v === null || v === undefined ? t('insight.noData') : f(v)
const pct = (v: number | null) => dash(v, (n) => `${(n * 100).toFixed(1)}%`)
const days = (v: number | null) => dash(v, (n) => t('insight.kpi.days', { n }))

function Results(props: { period: Period }) {
  const summary = createAsync(() => getSummary(props.period))
  return (
    <Show when={summary()}>
      {(s) => {
        const r = () => s().results
        const fu = () => r().followUps
        const ref = () => r().referrals
        return (
          <section class="card" aria-labelledby="kpi-title">
            <h2 id="kpi-title" class="section-title">
              {t('insight.kpi')}
            </h2>
            <dl class="kpis">
              <Kpi label={t('insight.kpi.received')} value={String(r().received)} />
              <Kpi label={t('insight.kpi.accepted')} value={String(r().accepted)} />
              <Kpi label={t('insight.kpi.resolved')} value={String(r().resolved)} />
              <Kpi label={t('insight.kpi.notResolved')} value={String(r().notResolved)} />
              <Kpi label={t('insight.kpi.withdrawn')} value={String(r().withdrawn)} />
              <Kpi label={t('insight.kpi.rate')} value={pct(r().resolutionRate)} strong />
              <Kpi label={t('insight.kpi.median')} value={days(r().medianDays)} />
              <Kpi label={t('insight.kpi.p90')} value={days(r().p90Days)} />
              <Kpi label={t('insight.kpi.overdue')} value={String(r().overdue)} />
              <Kpi label={t('insight.kpi.satisfaction')} value={dash(r().satisfaction)} />
              <Kpi
                label={t('insight.kpi.followUps')}
                value={fu().answered > 0 ? `${fu().carriedOut} / ${fu().relapsed}` : t('insight.noData')}
              />
              <Kpi
                label={t('insight.kpi.referrals')}
                value={ref().sent > 0 ? `${ref().answered} / ${ref().overdue}` : t('insight.noData')}
              />
            </dl>
            <BarList
              title={t('insight.sources')}
              rows={(['online', 'transfer', 'entrust', 'joint', 'referral'] as const).map((k) => ({
                label: t(`insight.source.${k}`),
                value: r().bySource[k],
              }))}
            />
          </section>
        )
      }}
    </Show>
  )
}

function Kpi(props: { label: string; value: string; strong?: boolean }) {
  return (
    <div class="kpi" classList={{ 'kpi-strong': props.strong }}>
      <dt>{props.label}</dt>
      <dd>{props.value}</dd>
    </div>
  )
}

function sinceText(hours: number) {
  return hours >= 48
    ? t('insight.board.sinceDays', { n: Math.floor(hours / 24) })
    : t('insight.board.since', { n: hours })
}

function Board() {
  const board = createAsync(() => getBoard())
  return (
    <Show when={board()}>
      {(b) => (
        <section class="card" aria-labelledby="board-title">
          <h2 id="board-title" class="section-title">
            {t('insight.board')}
          </h2>
          <p class="lead">
            {t('insight.board.counts', b().counts)} · {t('insight.board.lead')}
          </p>
          <Show when={b().items.length > 0} fallback={<p class="empty">{t('insight.board.empty')}</p>}>
            <ul class="board">
              <For each={b().items}>
                {(item) => (
                  <li class={`board-item board-${item.level}`}>
                    <div class="board-head">
                      <RiskChip level={item.level} />
                      <A href={`/staff/cases/${item.caseId}`} class="board-number">
                        {item.number}
                      </A>
                      <span class="board-since">{sinceText(item.hoursSince)}</span>
                    </div>
                    <p class="board-meta">
                      {t(`disputeType.${item.disputeType as 'other'}`)} · {item.orgName ?? item.orgId ?? '—'}
                      {item.tier ? ` · ${t('tier.short', { n: item.tier })}` : ''} ·{' '}
                      {item.mediatorId ?? t('insight.unassigned')}
                    </p>
                    <Show when={item.stageDeadline}>
                      {(d) => (
                        <p class="board-meta">
                          {t('insight.col.deadline')}: <time dateTime={d()}>{formatDateTime(d())}</time>
                          <Show when={item.overdue}>
                            {' '}
                            <OverdueFlag />
                          </Show>
                        </p>
                      )}
                    </Show>
                  </li>
                )}
              </For>
            </ul>
          </Show>
          <Show when={b().truncated}>
            <p class="field-hint">{t('insight.truncated')}</p>
          </Show>
        </section>
      )}
    </Show>
  )
}

function Deadlines() {
  const d = createAsync(() => getDeadlines())
  return (
    <Show when={d()}>
      {(x) => (
        <section class="card" aria-labelledby="deadlines-title">
          <h2 id="deadlines-title" class="section-title">
            {t('insight.deadlines')}
          </h2>
          <p class="lead">{t('insight.deadlines.lead', { overdue: x().overdue, week: x().dueThisWeek })}</p>
          <CountTable
            caption={t('insight.deadlines.byOrg')}
            rows={x().byOrg.map((o) => ({
              name: o.orgName ?? o.orgId,
              overdue: o.overdue,
              week: o.dueThisWeek,
            }))}
          />
          <CountTable
            caption={t('insight.deadlines.byMediator')}
            rows={x().byMediator.map((m) => ({
              name: m.mediatorId === '-' ? t('insight.unassigned') : m.mediatorId,
              overdue: m.overdue,
              week: m.dueThisWeek,
            }))}
          />
        </section>
      )}
    </Show>
  )
}

function CountTable(props: { caption: string; rows: { name: string; overdue: number; week: number }[] }) {
  return (
    <table class="insight-table">
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('insight.col.name')}</th>
          <th scope="col">{t('insight.col.overdue')}</th>
          <th scope="col">{t('insight.col.dueWeek')}</th>
        </tr>
      </thead>
      <tbody>
        <For each={props.rows} fallback={<EmptyRow span={3} />}>
          {(r) => (
            <tr>
              <th scope="row">{r.name}</th>
              <td classList={{ 'cell-alert': r.overdue > 0 }}>{r.overdue}</td>
              <td>{r.week}</td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  )
}

const EmptyRow = (props: { span: number }) => (
  <tr>
    <td colSpan={props.span}>{t('insight.noData')}</td>
  </tr>
)

function WhereWhen(props: { period: Period }) {
  const summary = createAsync(() => getSummary(props.period))
  return (
    <Show when={summary()}>
      {(s) => {
        const byType = new Map(s().byType.map((r) => [r.disputeType, r]))
        const areaLabel = (a: string) => (a === '-' ? t('insight.noArea') : a)
        return (
          <section class="card insight-charts" aria-labelledby="ww-title">
            <h2 id="ww-title" class="section-title">
              {t('insight.byType')} · {t('insight.byArea')}
            </h2>
            <BarList
              title={t('insight.byType')}
              rows={DISPUTE_TYPES.map((type) => ({
                label: t(`disputeType.${type}`),
                value: byType.get(type)?.received ?? 0,
              }))
                .filter((r) => r.value > 0)
                .sort((a, b) => b.value - a.value)}
            />
            <AreaGrid
              title={t('insight.byArea.grid')}
              rows={s().byArea.map((a) => ({ label: areaLabel(a.area), value: a.received }))}
            />
            <table class="insight-table">
              <caption>{t('insight.byArea')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('insight.area')}</th>
                  <th scope="col">{t('insight.col.received')}</th>
                  <th scope="col">{t('insight.col.resolved')}</th>
                </tr>
              </thead>
              <tbody>
                <For each={s().byArea} fallback={<EmptyRow span={3} />}>
                  {(a) => (
                    <tr>
                      <th scope="row">{areaLabel(a.area)}</th>
                      <td>{a.received}</td>
                      <td>{a.resolved}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
            <Columns
              title={t('insight.byWeekday')}
              rows={s().byWeekday.map((value, i) => ({ label: t(`insight.weekday.${i as 0}`), value }))}
            />
            <Columns
              title={t('insight.byHour')}
              every={3}
              rows={s().byHour.map((value, i) => ({ label: String(i), value }))}
            />
          </section>
        )
      }}
    </Show>
  )
}

function Mediators(props: { period: Period }) {
  const m = createAsync(() => getMediators(props.period))
  return (
    <Show when={m()}>
      {(x) => (
        <section class="card" aria-labelledby="med-title">
          <h2 id="med-title" class="section-title">
            {t('insight.mediators')}
          </h2>
          <p class="lead">{t('insight.mediators.lead')}</p>
          <div class="table-scroll">
            <table class="insight-table">
              <thead>
                <tr>
                  <th scope="col">{t('insight.col.mediator')}</th>
                  <th scope="col">{t('insight.col.accepted')}</th>
                  <th scope="col">{t('insight.col.resolved')}</th>
                  <th scope="col">{t('insight.col.notResolved')}</th>
                  <th scope="col">{t('insight.col.rate')}</th>
                  <th scope="col">{t('insight.col.satisfaction')}</th>
                  <th scope="col">{t('insight.col.overdue')}</th>
                </tr>
              </thead>
              <tbody>
                <For each={x().items} fallback={<EmptyRow span={7} />}>
                  {(r) => (
                    <tr>
                      <th scope="row">{r.name ?? r.mediatorId}</th>
                      <td>{r.accepted}</td>
                      <td>{r.resolved}</td>
                      <td>{r.notResolved}</td>
                      <td>{pct(r.resolutionRate)}</td>
                      <td>{dash(r.satisfaction)}</td>
                      <td classList={{ 'cell-alert': r.overdue > 0 }}>{r.overdue}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        </section>
      )}
    </Show>
  )
}
