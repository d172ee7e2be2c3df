import { For, type JSX, Show, splitProps } from 'solid-js'
import { t } from '../i18n/index.ts'

/** Ids for a field's hint and error, so inputs can point at them with aria-describedby. */
export const hintId = (id: string) => `${id}-hint`
export const errorId = (id: string) => `${id}-error`

export function describedBy(id: string, hint?: string, error?: string): string | undefined {
  const ids = [hint ? hintId(id) : '', error ? errorId(id) : ''].filter(Boolean)
  return ids.length ? ids.join(' ') : undefined
}

interface FieldFrame {
  id: string
  label: string
  hint?: string
  /** Already translated. */
  error?: string
  required?: boolean
}

/** Label, hint and error around one input. Required fields say so; optional ones too. */
export function Field(props: FieldFrame & { children: JSX.Element; extra?: JSX.Element }) {
  return (
    <div class="field" classList={{ 'field-invalid': !!props.error }}>
      <label class="field-label" for={props.id}>
        <FieldName label={props.label} required={props.required} />
      </label>
      <Show when={props.hint}>
        <p class="field-hint" id={hintId(props.id)}>
          {props.hint}
        </p>
      </Show>
      {props.children}
      {props.extra}
      <FieldError id={props.id} error={props.error} />
    </div>
  )
}

function FieldName(props: { label: string; required?: boolean }) {
  return (
    <>
      {props.label}
      <Show when={props.required} fallback={<span class="field-optional">{t('form.optional')}</span>}>
        <span class="field-required" aria-hidden="true">
          {' '}
          *
        </span>
        <span class="visually-hidden">{t('form.required')}</span>
      </Show>
    </>
  )
}

function FieldError(props: { id: string; error?: string }) {
  return (
    <p class="field-error" id={errorId(props.id)} aria-live="polite">
      {props.error}
    </p>
  )
}

type InputProps = JSX.InputHTMLAttributes<HTMLInputElement> & FieldFrame & { extra?: JSX.Element }

export function TextField(props: InputProps) {
  const [frame, own, input] = splitProps(
    props,
    ['id', 'label', 'hint', 'error', 'required', 'extra'],
    ['class'],
  )
  return (
    <Field {...frame}>
      <input
        {...input}
        id={frame.id}
        name={frame.id}
        class={own.class ? `input ${own.class}` : 'input'}
        aria-required={frame.required ? 'true' : undefined}
        aria-invalid={frame.error ? 'true' : undefined}
        aria-describedby={describedBy(frame.id, frame.hint, frame.error)}
      />
    </Field>
  )
}

type TextAreaProps = JSX.TextareaHTMLAttributes<HTMLTextAreaElement> & FieldFrame & { extra?: JSX.Element }

export function TextAreaField(props: TextAreaProps) {
  const [frame, input] = splitProps(props, ['id', 'label', 'hint', 'error', 'required', 'extra'])
  return (
    <Field {...frame}>
      <textarea
        {...input}
        id={frame.id}
        name={frame.id}
        class="input textarea"
        aria-required={frame.required ? 'true' : undefined}
        aria-invalid={frame.error ? 'true' : undefined}
        aria-describedby={describedBy(frame.id, frame.hint, frame.error)}
      />
    </Field>
  )
}

/** Big radio cards: easier to hit with a thumb than a select, and every choice is visible. */
export function ChoiceCards(props: {
  id: string
  legend: string
  options: readonly { value: string; label: string; hint?: string }[]
  value: string
  onChange: (value: string) => void
  onBlur?: () => void
  error?: string
  required?: boolean
  columns?: 1 | 2
}) {
  return (
    <fieldset
      class="field choice-field"
      classList={{ 'field-invalid': !!props.error }}
      id={props.id}
      aria-describedby={props.error ? errorId(props.id) : undefined}
    >
      <legend class="field-label">
        <FieldName label={props.legend} required={props.required} />
      </legend>
      <div class="choices" classList={{ 'choices-2': props.columns === 2 }}>
        <For each={props.options}>
          {(option) => (
            <label
              class="choice"
              classList={{ 'choice-selected': props.value === option.value, 'choice-plain': !option.hint }}
            >
              <input
                type="radio"
                name={props.id}
                value={option.value}
                checked={props.value === option.value}
                onChange={() => props.onChange(option.value)}
                onBlur={() => props.onBlur?.()}
                aria-invalid={props.error ? 'true' : undefined}
              />
              <span class="choice-text">
                <span class="choice-label">{option.label}</span>
                <Show when={option.hint}>
                  <span class="choice-hint">{option.hint}</span>
                </Show>
              </span>
            </label>
          )}
        </For>
      </div>
      <FieldError id={props.id} error={props.error} />
    </fieldset>
  )
}

/**
 * What a form says after sending: what went wrong (announced at once) or that it worked (announced
 * politely). Nothing is rendered for a message that is absent.
 */
export function FormMessage(props: { error?: string; info?: string }) {
  return (
    <>
      <Show when={props.error}>
        {(m) => (
          <p class="notice notice-error" role="alert">
            {m()}
          </p>
        )}
      </Show>
      <Show when={props.info}>
        {(m) => (
          <p class="notice notice-info" role="status">
            {m()}
          </p>
        )}
      </Show>
    </>
  )
}
