import { createAsyncStore, revalidate } from '@solidjs/router'
import { createEffect, createMemo, createSignal, For, Match, on, onCleanup, Show, Switch } from 'solid-js'
import { ApiError, api, call } from '../api/client.ts'
import { t } from '../i18n/evidence.ts'
import { errorText, formatDateTime } from '../i18n/index.ts'
import { getCase } from './cases.data.ts'
import { evidenceFileUrl, getEvidence } from './evidence.data.ts'
import { formatSize, kindOf, playsInline, shortHash } from './evidence-files.ts'
import type { Evidence } from './evidence-upload.ts'

/** An upload still "uploading" this long after its ticket was issued will not finish. */
const STALLED_MS = 10 * 60 * 1000

/** The case's evidence, newest first: what it is, who added it, whether it passed, and the file itself. */
export function EvidenceList(props: { caseId: string; hide: ReadonlySet<string> }) {
  // A store reconciled by id: a refresh keeps the same rows, so thumbnails are not fetched again.
  const items = createAsyncStore(() => getEvidence(props.caseId), {
    reconcile: { key: 'evidenceId' },
  })
  const shown = createMemo(() =>
    [...(items() ?? [])]
      .filter((item) => !props.hide.has(item.evidenceId))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
  )

  // An item someone else's upload left "verifying" settles within seconds: look again a few times.
  createEffect(
    on(
      () => shown().some((item) => item.status === 'verifying'),
      (pending) => {
        if (!pending) return
        let tries = 0
        const timer = setInterval(() => {
          if (++tries > 10) clearInterval(timer)
          else void revalidate(getEvidence.keyFor(props.caseId))
        }, 3000)
        onCleanup(() => clearInterval(timer))
      },
    ),
  )

  return (
    <Show when={items()}>
      <Show when={shown().length > 0} fallback={<p class="empty">{t('evidence.empty')}</p>}>
        <p class="evidence-count">{t('evidence.count', { n: shown().length })}</p>
        <ul class="evidence-list">
          <For each={shown()}>{(item) => <EvidenceItem caseId={props.caseId} item={item} />}</For>
        </ul>
      </Show>
    </Show>
  )
}

function EvidenceItem(props: { caseId: string; item: Evidence }) {
  const item = () => props.item
  const url = () => evidenceFileUrl(props.caseId, item().evidenceId)
  const kind = () => kindOf(item().contentType)
  const viewable = () => item().status === 'verified' && !item().withdrawn
  const inline = () => viewable() && playsInline(item().contentType)
  const titleId = () => `evidence-${item().evidenceId}`
  return (
    <li class="evidence-item" classList={{ 'evidence-item-withdrawn': item().withdrawn }}>
      <article aria-labelledby={titleId()}>
        <div class="evidence-head">
          <h3 class="evidence-name" id={titleId()}>
            {item().fileName}
          </h3>
          <StatusLine item={item()} />
        </div>
        <Show when={item().description}>
          <p class="evidence-description">{item().description}</p>
        </Show>
        <p class="evidence-meta">
          <span>{t('evidence.uploadedBy', { who: t(`evidence.by.${item().uploadedBy}`) })}</span>
          <span>{t('evidence.uploadedAt', { time: formatDateTime(item().createdAt) })}</span>
          <span>
            {t(`evidence.kind.${kind()}`)} · {formatSize(item().size)}
          </span>
        </p>

        <Show when={inline()}>
          <Switch>
            <Match when={kind() === 'image'}>
              <a class="evidence-thumb-link" href={url()} target="_blank" rel="noopener">
                <img
                  class="evidence-thumb"
                  src={url()}
                  alt={t('evidence.thumbAlt', { name: item().fileName })}
                  loading="lazy"
                  decoding="async"
                />
              </a>
            </Match>
            {/* Loaded on play: no data spent, and no view recorded, until someone listens. */}
            <Match when={kind() === 'audio'}>
              {/* biome-ignore lint/a11y/useMediaCaption: a citizen's own recording comes without captions */}
              <audio class="evidence-player" controls preload="none" src={url()} />
            </Match>
            <Match when={kind() === 'video'}>
              {/* biome-ignore lint/a11y/useMediaCaption: a citizen's own video comes without captions */}
              <video class="evidence-player evidence-video" controls preload="none" playsinline src={url()} />
            </Match>
          </Switch>
        </Show>

        <Show when={item().gpsRemoved}>
          <p class="evidence-gps">{t('evidence.gpsRemoved')}</p>
        </Show>
        <Show when={item().sha256}>
          {(hash) => (
            <details class="fingerprint">
              <summary>{t('evidence.fingerprint', { short: shortHash(hash()) })}</summary>
              <p class="fingerprint-help">{t('evidence.fingerprintHelp')}</p>
              <code class="fingerprint-full">{hash()}</code>
            </details>
          )}
        </Show>
        <Show when={item().withdrawn}>
          <p class="evidence-withdrawn-note">{t('evidence.withdrawnNote')}</p>
        </Show>

        <div class="evidence-actions">
          <Show when={viewable()}>
            <a
              class="button button-secondary"
              href={url()}
              target="_blank"
              rel="noopener"
              aria-label={t('evidence.openNamed', { name: item().fileName })}
            >
              {t('evidence.open')}
            </a>
          </Show>
          <Show when={item().canWithdraw}>
            <Withdraw caseId={props.caseId} item={item()} />
          </Show>
        </div>
      </article>
    </li>
  )
}

function StatusLine(props: { item: Evidence }) {
  const stalled = () => Date.now() - Date.parse(props.item.createdAt) > STALLED_MS
  return (
    <p class="evidence-status">
      <Switch>
        <Match when={props.item.status === 'verified'}>
          <span class="badge badge-done">{t('evidence.status.verified')}</span>
        </Match>
        <Match when={props.item.status === 'rejected'}>
          <span class="badge badge-error badge-wrap">
            {t('evidence.status.rejected', { reason: errorText(props.item.rejectReason ?? 'internal') })}
          </span>
        </Match>
        <Match when={props.item.status === 'verifying'}>
          <span class="badge badge-progress">{t('evidence.status.verifying')}</span>
        </Match>
        <Match when={props.item.status === 'uploading'}>
          <span class="badge badge-progress">
            {stalled() ? t('evidence.status.stalled') : t('evidence.status.uploading')}
          </span>
        </Match>
      </Switch>
      <Show when={props.item.withdrawn}>
        <span class="badge badge-muted">{t('evidence.withdrawn')}</span>
      </Show>
    </p>
  )
}

/** Withdraw asks once more, in the page (a thumb slip must not withdraw evidence). */
function Withdraw(props: { caseId: string; item: Evidence }) {
  const [confirming, setConfirming] = createSignal(false)
  const [busy, setBusy] = createSignal(false)
  const [error, setError] = createSignal<string>()
  let opener!: HTMLButtonElement

  const open = () => {
    setError(undefined)
    setConfirming(true)
  }
  const cancel = () => {
    setConfirming(false)
    opener.focus()
  }
  const confirm = async () => {
    setBusy(true)
    setError(undefined)
    try {
      const { caseId } = props
      const evidenceId = props.item.evidenceId
      await call(() =>
        api.cases[':id'].evidence[':evidenceId'].withdraw.$post({ param: { id: caseId, evidenceId } }),
      )
      await revalidate([getEvidence.keyFor(caseId), getCase.keyFor(caseId)])
    } catch (e) {
      setError(e instanceof ApiError ? e.code : 'network')
    } finally {
      setBusy(false)
    }
  }
  const errorMessage = () => {
    const code = error()
    return code === 'network' ? t('common.loadFailed') : code ? errorText(code) : ''
  }

  return (
    <>
      <Show when={!confirming()}>
        <button
          ref={opener}
          type="button"
          class="button button-secondary button-danger"
          aria-label={t('evidence.withdrawNamed', { name: props.item.fileName })}
          onClick={open}
        >
          {t('evidence.withdraw')}
        </button>
      </Show>
      <Show when={confirming()}>
        <div class="confirm">
          <p>{t('evidence.withdrawConfirm', { name: props.item.fileName })}</p>
          <div class="confirm-buttons">
            <button
              ref={(el) => queueMicrotask(() => el.focus())}
              type="button"
              class="button button-danger-solid"
              disabled={busy()}
              aria-busy={busy()}
              onClick={confirm}
            >
              {busy() ? t('evidence.withdrawing') : t('evidence.withdrawYes')}
            </button>
            <button type="button" class="button button-secondary" disabled={busy()} onClick={cancel}>
              {t('evidence.withdrawNo')}
            </button>
          </div>
        </div>
      </Show>
      <p class="upload-error" role="alert">
        {errorMessage()}
      </p>
    </>
  )
}
