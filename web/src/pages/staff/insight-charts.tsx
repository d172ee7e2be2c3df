import { For, Show } from 'solid-js'
import { t } from '../../i18n/insight.ts'

/**
 * Charts drawn with plain HTML and CSS: bars are boxes whose width (or height) is the share of the
 * largest value, each with its number printed beside it. No chart library: the dashboard needs
 * bars and columns only, and these cost no download, scale with the layout from phone to desk,
 * and print. The drawing is hidden from screen readers, which get the same numbers as a table.
 */
export interface Row {
  label: string
  value: number
}

function DataTable(props: { title: string; rows: Row[]; valueLabel?: string }) {
  return (
    <table class="visually-hidden">
      <caption>{t('insight.tableCaption', { title: props.title })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('insight.col.label')}</th>
          <th scope="col">{props.valueLabel ?? t('insight.col.count')}</th>
        </tr>
      </thead>
      <tbody>
        <For each={props.rows}>
          {(r) => (
            <tr>
              <th scope="row">{r.label}</th>
              <td>{r.value}</td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  )
}

const share = (value: number, rows: Row[]) => {
  const max = Math.max(1, ...rows.map((r) => r.value))
  return `${Math.round((value / max) * 100)}%`
}

/** Horizontal bars, largest first as given: for sources, types, organisations. */
export function BarList(props: { title: string; rows: Row[] }) {
  return (
    <figure class="chart">
      <figcaption class="chart-title">{props.title}</figcaption>
      <ol class="bars" aria-hidden="true">
        <For each={props.rows}>
          {(r) => (
            <li class="bar-row">
              <span class="bar-label">{r.label}</span>
              <span class="bar-track">
                <span class="bar" style={{ width: share(r.value, props.rows) }} />
              </span>
              <span class="bar-value">{r.value}</span>
            </li>
          )}
        </For>
      </ol>
      <DataTable title={props.title} rows={props.rows} />
    </figure>
  )
}

/** Vertical columns in a fixed order: weekdays, hours of the day. */
export function Columns(props: { title: string; rows: Row[]; every?: number }) {
  return (
    <figure class="chart">
      <figcaption class="chart-title">{props.title}</figcaption>
      <div class="columns" aria-hidden="true">
        <For each={props.rows}>
          {(r, i) => (
            <div class="column">
              <span class="column-value">{r.value > 0 ? r.value : ''}</span>
              <span class="column-bar" style={{ height: share(r.value, props.rows) }} />
              <span class="column-label">{i() % (props.every ?? 1) === 0 ? r.label : ''}</span>
            </div>
          )}
        </For>
      </div>
      <DataTable title={props.title} rows={props.rows} />
    </figure>
  )
}

/** A map-like grid of areas: one tile per street, darker where more disputes came from. */
export function AreaGrid(props: { title: string; rows: Row[] }) {
  const level = (v: number) => {
    const max = Math.max(1, ...props.rows.map((r) => r.value))
    return Math.min(4, Math.ceil((v / max) * 4))
  }
  return (
    <figure class="chart">
      <figcaption class="chart-title">{props.title}</figcaption>
      <Show when={props.rows.length > 0} fallback={<p class="empty">{t('insight.noData')}</p>}>
        <ul class="area-grid" aria-hidden="true">
          <For each={props.rows}>
            {(r) => (
              <li class={`area-tile heat-${level(r.value)}`}>
                <span class="area-name">{r.label}</span>
                <span class="area-value">{r.value}</span>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <DataTable title={props.title} rows={props.rows} />
    </figure>
  )
}
