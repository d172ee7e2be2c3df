import { useBeforeLeave } from '@solidjs/router'
import { For, Match, onCleanup, onMount, Show, Switch } from 'solid-js'
import { t } from '../i18n/evidence.ts'
import { errorText } from '../i18n/index.ts'
import { TextField } from '../ui/form.tsx'
import { DESCRIPTION_MAX, formatSize, kindOf } from './evidence-files.ts'
import { type Job, resultText, type Uploads } from './evidence-upload.ts'

const ACCEPT = 'image/*,application/pdf,audio/*,video/*'

/** Pick or shoot files, describe them, send them: one card per file with its progress and outcome. */
export function Uploader(props: { uploads: Uploads }) {
  const uploads = props.uploads
  let picker!: HTMLInputElement
  let camera!: HTMLInputElement

  const onPicked = (e: Event & { currentTarget: HTMLInputElement }) => {
    const input = e.currentTarget
    if (input.files?.length) uploads.add(Array.from(input.files))
    // Cleared, so picking the same file again is noticed.
    input.value = ''
  }
  const readyCount = () => uploads.jobs().filter((j) => j.state() === 'ready').length

  // Leaving the page stops the uploads: ask first, inside the app and when closing the tab.
  useBeforeLeave((e) => {
    if (uploads.busy() && !e.defaultPrevented && !window.confirm(t('evidence.leaveConfirm')))
      e.preventDefault()
  })
  const onUnload = (e: BeforeUnloadEvent) => {
    if (uploads.busy()) e.preventDefault()
  }
  onMount(() => window.addEventListener('beforeunload', onUnload))
  onCleanup(() => window.removeEventListener('beforeunload', onUnload))

  return (
    <div class="uploader">
      <h3 class="evidence-subtitle">{t('evidence.uploadTitle')}</h3>
      <div class="pick-buttons">
        <button type="button" class="button button-primary" onClick={() => picker.click()}>
          {t('evidence.pick')}
        </button>
        <button type="button" class="button button-secondary" onClick={() => camera.click()}>
          {t('evidence.camera')}
        </button>
      </div>
      <input
        ref={picker}
        type="file"
        multiple
        accept={ACCEPT}
        class="visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        onChange={onPicked}
      />
      <input
        ref={camera}
        type="file"
        accept="image/*"
        capture="environment"
        class="visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        onChange={onPicked}
      />
      <p class="field-hint">{t('evidence.formats')}</p>

      <Show when={uploads.jobs().length > 0}>
        <ul class="upload-list">
          <For each={uploads.jobs()}>{(job) => <JobCard job={job} uploads={uploads} />}</For>
        </ul>
      </Show>
      <Show when={readyCount() > 0}>
        <button type="button" class="button button-primary button-block" onClick={() => uploads.start()}>
          {readyCount() === 1 ? t('evidence.uploadOne') : t('evidence.uploadAll', { n: readyCount() })}
        </button>
      </Show>

      <Show when={uploads.results().length > 0}>
        <ul class="upload-results">
          <For each={uploads.results()}>
            {(result) => (
              <li
                class="upload-result"
                classList={{
                  'upload-result-ok': result.item.status === 'verified',
                  'upload-result-bad': result.item.status === 'rejected',
                }}
              >
                {resultText(result)}
              </li>
            )}
          </For>
        </ul>
      </Show>
      <p class="visually-hidden" role="status" aria-live="polite">
        {uploads.announcement()}
      </p>
    </div>
  )
}

function JobCard(props: { job: Job; uploads: Uploads }) {
  const job = props.job
  const state = () => job.state()
  const inputId = `evidence-description-${job.id}`
  const busy = () => ['queued', 'sending', 'checking'].includes(state())
  const showsProgress = () => state() === 'sending' || state() === 'checking'
  return (
    <li
      class="upload-item"
      classList={{ 'upload-item-bad': state() === 'refused' || state() === 'failed' }}
      aria-busy={busy()}
    >
      <div class="upload-head">
        <span class="upload-name">{job.name}</span>
        <Show when={!busy()}>
          <button
            type="button"
            class="button button-link"
            aria-label={t('evidence.removeNamed', { name: job.name })}
            onClick={() => props.uploads.remove(job)}
          >
            {t('evidence.remove')}
          </button>
        </Show>
      </div>
      <p class="upload-meta">
        {t(`evidence.kind.${kindOf(job.contentType)}`)} · {formatSize(job.size)}
      </p>

      <Switch>
        <Match when={state() === 'refused'}>
          <p class="upload-error" role="alert">
            {errorText(job.refusal ?? 'internal')}
          </p>
        </Match>
        <Match when={state() === 'ready'}>
          <TextField
            id={inputId}
            label={t('evidence.describe')}
            hint={t('evidence.describeHint')}
            value={job.description()}
            onInput={(e) => job.setDescription(e.currentTarget.value)}
            maxLength={DESCRIPTION_MAX}
            autocomplete="off"
          />
        </Match>
        <Match when={job.description().trim()}>
          <p class="upload-description">{job.description()}</p>
        </Match>
      </Switch>

      <Show when={state() === 'queued'}>
        <p class="upload-progress-text">{t('evidence.waiting')}</p>
      </Show>
      <Show when={showsProgress()}>
        <div
          class="progress"
          role="progressbar"
          aria-label={t('evidence.progressLabel', { name: job.name })}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={job.progress()}
          aria-valuetext={t('evidence.progress', { pct: job.progress() })}
        >
          <div class="progress-fill" style={{ width: `${job.progress()}%` }} />
        </div>
        <p class="upload-progress-text">
          {state() === 'checking' ? t('evidence.checking') : t('evidence.progress', { pct: job.progress() })}
        </p>
      </Show>

      <Show when={state() === 'failed' && job.failure()}>
        {(failure) => (
          <div class="upload-failure">
            <p class="upload-error" role="alert">
              {failure().text()}
            </p>
            <Show when={failure().retry}>
              <button
                type="button"
                class="button button-secondary button-block"
                onClick={() => props.uploads.retry(job)}
              >
                {t('evidence.retry')}
              </button>
            </Show>
          </div>
        )}
      </Show>
    </li>
  )
}
