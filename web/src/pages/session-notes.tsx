import { createSignal, Show } from 'solid-js'
import { ApiError } from '../api/client.ts'
import { errorText } from '../i18n/index.ts'
import { formatClock, t } from '../i18n/video.ts'
import { TextAreaField } from '../ui/form.tsx'
import { type SessionView, saveNotes } from './sessions.data.ts'

const MAX = 4000

/**
 * The shared note pad: the mediator writes down what has been agreed so far, the parties read it
 * (from the polled session). The mediator's draft is theirs until they save: polling never
 * overwrites what they are typing.
 */
export function SessionNotes(props: {
  sessionId: string
  view: SessionView
  onUpdate: (v: SessionView) => void
}) {
  const editable = () => props.view.me.role === 'mediator'
  const [draft, setDraft] = createSignal(props.view.notes.text)
  const [busy, setBusy] = createSignal(false)
  const [status, setStatus] = createSignal<{ ok: boolean; text: string }>()
  const save = async () => {
    setBusy(true)
    setStatus(undefined)
    try {
      const v = await saveNotes(props.sessionId, draft())
      props.onUpdate(v)
      setStatus({ ok: true, text: t('notes.saved', { time: formatClock(v.notes.updatedAt ?? new Date()) }) })
    } catch (e) {
      setStatus({ ok: false, text: errorText(e instanceof ApiError ? e.code : 'service.unavailable') })
    } finally {
      setBusy(false)
    }
  }
  return (
    <section class="card notes-card" aria-labelledby="notes-title">
      <h2 id="notes-title">{t('notes.title')}</h2>
      <p class="lead">{t('notes.lead')}</p>
      <Show
        when={editable()}
        fallback={
          <div aria-live="polite">
            <Show when={props.view.notes.text} fallback={<p class="empty">{t('notes.empty')}</p>}>
              <p class="prewrap shared-notes">{props.view.notes.text}</p>
              <Show when={props.view.notes.updatedAt}>
                {(at) => <p class="field-hint">{t('notes.updated', { time: formatClock(at()) })}</p>}
              </Show>
            </Show>
          </div>
        }
      >
        <form
          novalidate
          onSubmit={(e) => {
            e.preventDefault()
            void save()
          }}
        >
          <TextAreaField
            id="session-notes"
            label={t('notes.label')}
            rows={6}
            maxLength={MAX}
            value={draft()}
            onInput={(e) => setDraft(e.currentTarget.value)}
          />
          <div class="row-actions">
            <button type="submit" class="button button-primary" disabled={busy()} aria-busy={busy()}>
              {busy() ? t('notes.saving') : t('notes.save')}
            </button>
            <span
              class={status()?.ok === false ? 'field-error' : 'field-hint'}
              role={status()?.ok === false ? 'alert' : 'status'}
            >
              {status()?.text}
            </span>
          </div>
        </form>
      </Show>
    </section>
  )
}
