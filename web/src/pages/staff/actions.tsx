import { createAsync } from '@solidjs/router'
import { createSignal, ErrorBoundary, For, type JSX, Match, Show, Suspense, Switch } from 'solid-js'
import { createStore, reconcile } from 'solid-js/store'
import type { CaseView } from '../../../../functions/domain/case.ts'
import { RISK_LEVELS } from '../../../../functions/domain/risk.ts'
import { SKILLS, type Skill } from '../../../../functions/domain/staff.ts'
import {
  type ActionInput,
  type ActionName,
  ESCALATION_REASONS,
  GUIDANCE,
} from '../../../../functions/domain/workflow.ts'
import { ApiError, NetworkError } from '../../api/client.ts'
import { errorText } from '../../i18n/index.ts'
import { t } from '../../i18n/staff.ts'
import { ChoiceCards, Field, TextAreaField } from '../../ui/form.tsx'
import { LoadError, Loading } from '../../ui/load-error.tsx'
import { act, getMediators, getOrgs } from './staff.data.ts'

export type Flash = { kind: 'ok' | 'error'; text: string }

/** The staff actions this page offers; the citizen's own (respond, withdraw) are on their page. */
const STAFF_ACTIONS = [
  'accept',
  'return',
  'record_consent',
  'resolve',
  'fail',
  'escalate',
  'transfer',
  'reopen',
] as const
type StaffAction = (typeof STAFF_ACTIONS)[number]

type Fields = Record<string, string | undefined>

/**
 * Sends one action with the version the page shows. A 409 means someone else moved the case
 * first: the page reloads (act revalidates) and says so, and the form closes.
 */
function useSubmit(props: { case: CaseView; onFlash: (f: Flash | undefined) => void; onDone: () => void }) {
  const [busy, setBusy] = createSignal(false)
  const [errors, setErrors] = createStore<Fields>({})
  const [failure, setFailure] = createSignal<string>()
  const send = async (input: Record<string, unknown>, check: Fields = {}) => {
    if (busy()) return
    const invalid = Object.entries(check).filter(([, code]) => code)
    setErrors(reconcile(Object.fromEntries(invalid)))
    setFailure(undefined)
    if (invalid.length > 0) {
      document.getElementById(`act-${invalid[0]?.[0]}`)?.focus()
      return
    }
    setBusy(true)
    props.onFlash(undefined)
    try {
      await act(props.case.id, { ...input, expectedVersion: props.case.version } as ActionInput)
      props.onFlash({ kind: 'ok', text: t('action.done') })
      props.onDone()
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        props.onFlash({
          kind: 'error',
          text: e.code === 'case.version_conflict' ? t('action.conflict') : errorText(e.code),
        })
        props.onDone()
      } else if (e instanceof ApiError) {
        if (e.fields) setErrors(reconcile(e.fields))
        setFailure(errorText(e.code))
      } else setFailure(errorText(e instanceof NetworkError ? 'service.unavailable' : 'internal'))
    } finally {
      setBusy(false)
    }
  }
  return { busy, errors, failure, send }
}

/** At least 4 characters once trimmed, as the API wants reasons. */
const reasonCode = (value: string, optional = false) => {
  const v = value.trim()
  if (!v) return optional ? undefined : 'validation.required'
  return v.length < 4 ? 'validation.too_short' : undefined
}
const err = (code: string | undefined) => (code ? errorText(code) : undefined)

export function ActionButtons(props: { case: CaseView; onFlash: (f: Flash | undefined) => void }) {
  const [open, setOpen] = createSignal<StaffAction>()
  const available = () => STAFF_ACTIONS.filter((a) => props.case.allowedActions.includes(a))
  const close = () => setOpen(undefined)
  return (
    <Show when={available().length > 0} fallback={<p class="lead">{t('case.noActions')}</p>}>
      <Show
        when={open()}
        fallback={
          <div class="action-buttons">
            <For each={available()}>
              {(a, i) => (
                <button
                  type="button"
                  class={`button button-block ${i() === 0 ? 'button-primary' : 'button-secondary'}`}
                  onClick={() => {
                    props.onFlash(undefined)
                    setOpen(a)
                  }}
                >
                  {t(`act.${a}`)}
                </button>
              )}
            </For>
          </div>
        }
      >
        {(which) => (
          <Switch>
            <Match when={which() === 'accept'}>
              <AcceptForm case={props.case} onFlash={props.onFlash} onClose={close} />
            </Match>
            <Match when={which() === 'return'}>
              <ReasonForm
                action="return"
                field="reason"
                label={t('act.returnReason')}
                hint={t('act.returnReasonHint')}
                case={props.case}
                onFlash={props.onFlash}
                onClose={close}
              />
            </Match>
            <Match when={which() === 'resolve'}>
              <ReasonForm
                action="resolve"
                field="summary"
                label={t('act.summary')}
                hint={t('act.summaryHint')}
                case={props.case}
                onFlash={props.onFlash}
                onClose={close}
              />
            </Match>
            <Match when={which() === 'transfer'}>
              <TransferForm case={props.case} onFlash={props.onFlash} onClose={close} />
            </Match>
            <Match when={which() === 'escalate'}>
              <EscalateForm case={props.case} onFlash={props.onFlash} onClose={close} />
            </Match>
            <Match when={which() === 'record_consent'}>
              <ConsentForm case={props.case} onFlash={props.onFlash} onClose={close} />
            </Match>
            <Match when={which() === 'reopen'}>
              <ReasonForm
                action="reopen"
                field="reason"
                label={t('act.reopenReason')}
                hint={t('act.reopenReasonHint')}
                case={props.case}
                onFlash={props.onFlash}
                onClose={close}
              />
            </Match>
            <Match when={which() === 'fail'}>
              <FailForm case={props.case} onFlash={props.onFlash} onClose={close} />
            </Match>
          </Switch>
        )}
      </Show>
    </Show>
  )
}

interface FormProps {
  case: CaseView
  onFlash: (f: Flash | undefined) => void
  onClose: () => void
}

type Submit = ReturnType<typeof useSubmit>

/** One action's form: its fields, then what went wrong, then send and cancel. */
function Panel(props: {
  title: string
  submit: Submit
  onSubmit: () => void
  onClose: () => void
  children: JSX.Element
}) {
  const busy = () => props.submit.busy()
  return (
    <form
      class="action-panel"
      novalidate
      aria-busy={busy()}
      onSubmit={(e) => {
        e.preventDefault()
        props.onSubmit()
      }}
    >
      <h3>{props.title}</h3>
      {props.children}
      <Show when={props.submit.failure()}>
        <p class="notice notice-error" role="alert">
          {props.submit.failure()}
        </p>
      </Show>
      <div class="row-actions">
        <button type="submit" class="button button-primary" disabled={busy()} aria-busy={busy()}>
          {busy() ? t('act.busy') : t('act.submit')}
        </button>
        <button type="button" class="button button-secondary" onClick={() => props.onClose()}>
          {t('act.cancel')}
        </button>
      </div>
    </form>
  )
}

/** A reason or note for the record, named `act-<name>` so a failed check can focus it. */
function ReasonField(props: {
  submit: Submit
  name: string
  label: string
  hint?: string
  required?: boolean
  value: string
  onInput: (v: string) => void
}) {
  return (
    <TextAreaField
      id={`act-${props.name}`}
      label={props.label}
      hint={props.hint}
      required={props.required}
      rows={3}
      maxLength={500}
      value={props.value}
      onInput={(e) => props.onInput(e.currentTarget.value)}
      error={err(props.submit.errors[props.name])}
    />
  )
}

function SelectField(props: {
  id: string
  label: string
  value: string
  error?: string
  required?: boolean
  onChange: (v: string) => void
  children: JSX.Element
}) {
  return (
    <Field id={props.id} label={props.label} error={props.error} required={props.required}>
      <select
        id={props.id}
        class="input select"
        value={props.value}
        aria-invalid={props.error ? 'true' : undefined}
        onChange={(e) => props.onChange(e.currentTarget.value)}
      >
        {props.children}
      </select>
    </Field>
  )
}

function AcceptForm(props: FormProps) {
  const s = useSubmit({ ...props, onDone: props.onClose })
  const [skill, setSkill] = createSignal<Skill | ''>('')
  const [mediator, setMediator] = createSignal('')
  return (
    <Panel
      title={t('act.accept')}
      submit={s}
      onClose={props.onClose}
      onSubmit={() =>
        s.send(
          { action: 'accept', mediatorId: mediator() },
          { mediatorId: mediator() ? undefined : 'validation.required' },
        )
      }
    >
      <SelectField
        id="act-skill"
        label={t('act.skill')}
        value={skill()}
        onChange={(v) => setSkill(v as Skill | '')}
      >
        <option value="">{t('act.anySkill')}</option>
        <For each={SKILLS}>{(k) => <option value={k}>{t(`skill.${k}`)}</option>}</For>
      </SelectField>
      <ErrorBoundary fallback={(e, reset) => <LoadError error={e} reset={reset} />}>
        <Suspense fallback={<Loading />}>
          <MediatorChoice
            caseId={props.case.id}
            skill={skill()}
            value={mediator()}
            onChange={setMediator}
            error={err(s.errors.mediatorId)}
          />
        </Suspense>
      </ErrorBoundary>
    </Panel>
  )
}

function MediatorChoice(props: {
  caseId: string
  skill: Skill | ''
  value: string
  onChange: (v: string) => void
  error?: string
}) {
  const pool = createAsync(() => getMediators(props.caseId, props.skill || undefined))
  return (
    <Show when={pool()}>
      {(list) => (
        <Show when={list().length > 0} fallback={<p class="notice notice-info">{t('act.noMediators')}</p>}>
          <ChoiceCards
            id="act-mediatorId"
            legend={t('act.mediator')}
            required
            value={props.value}
            onChange={props.onChange}
            error={props.error}
            options={list().map((m) => ({
              value: m.username,
              label: t('act.mediatorLine', { name: m.name, username: m.username, n: m.openCases }),
              hint: [...m.skills.map((k) => t(`skill.${k as Skill}`)), ...m.languages].join(' · '),
            }))}
          />
        </Show>
      )}
    </Show>
  )
}

function ReasonForm(
  props: FormProps & {
    action: 'return' | 'resolve' | 'reopen'
    field: 'reason' | 'summary'
    label: string
    hint: string
  },
) {
  const s = useSubmit({ ...props, onDone: props.onClose })
  const [text, setText] = createSignal('')
  return (
    <Panel
      title={t(`act.${props.action}`)}
      submit={s}
      onClose={props.onClose}
      onSubmit={() =>
        s.send({ action: props.action, [props.field]: text().trim() }, { [props.field]: reasonCode(text()) })
      }
    >
      <ReasonField
        submit={s}
        name={props.field}
        label={props.label}
        hint={props.hint}
        required
        value={text()}
        onInput={setText}
      />
    </Panel>
  )
}

function TransferForm(props: FormProps) {
  const s = useSubmit({ ...props, onDone: props.onClose })
  const orgs = createAsync(() => getOrgs())
  const [org, setOrg] = createSignal('')
  const [reason, setReason] = createSignal('')
  return (
    <Panel
      title={t('act.transfer')}
      submit={s}
      onClose={props.onClose}
      onSubmit={() =>
        s.send(
          { action: 'transfer', orgId: org(), reason: reason().trim() },
          { orgId: org() ? undefined : 'validation.required', reason: reasonCode(reason()) },
        )
      }
    >
      <SelectField
        id="act-orgId"
        label={t('act.org')}
        required
        value={org()}
        onChange={setOrg}
        error={err(s.errors.orgId)}
      >
        <option value="">{t('act.choose')}</option>
        <For each={(orgs() ?? []).filter((o) => o.id !== props.case.orgId && o.kind !== 'justice_office')}>
          {(o) => (
            <option value={o.id}>
              {o.name}（{t('tier.short', { n: o.tier })}）
            </option>
          )}
        </For>
      </SelectField>
      <ReasonField
        submit={s}
        name="reason"
        label={t('act.reason')}
        required
        value={reason()}
        onInput={setReason}
      />
    </Panel>
  )
}

function EscalateForm(props: FormProps) {
  const s = useSubmit({ ...props, onDone: props.onClose })
  const [reason, setReason] = createSignal<string>('stuck')
  const [note, setNote] = createSignal('')
  return (
    <Panel
      title={t('act.escalate')}
      submit={s}
      onClose={props.onClose}
      onSubmit={() =>
        s.send(
          { action: 'escalate', reason: reason(), ...(note().trim() ? { note: note().trim() } : {}) },
          { note: reasonCode(note(), true) },
        )
      }
    >
      <SelectField
        id="act-reason"
        label={t('act.escalateReason')}
        required
        value={reason()}
        onChange={setReason}
      >
        <For each={ESCALATION_REASONS}>{(r) => <option value={r}>{t(`escalate.${r}`)}</option>}</For>
      </SelectField>
      <ReasonField submit={s} name="note" label={t('act.note')} value={note()} onInput={setNote} />
    </Panel>
  )
}

function ConsentForm(props: FormProps) {
  const s = useSubmit({ ...props, onDone: props.onClose })
  const [agreed, setAgreed] = createSignal('')
  const [note, setNote] = createSignal('')
  return (
    <Panel
      title={t('act.record_consent')}
      submit={s}
      onClose={props.onClose}
      onSubmit={() =>
        s.send(
          { action: 'record_consent', agreed: agreed() === 'yes', note: note().trim() },
          { agreed: agreed() ? undefined : 'validation.required', note: reasonCode(note()) },
        )
      }
    >
      <ChoiceCards
        id="act-agreed"
        legend={t('act.agreed')}
        required
        columns={2}
        value={agreed()}
        onChange={setAgreed}
        error={err(s.errors.agreed)}
        options={[
          { value: 'yes', label: t('act.yes') },
          { value: 'no', label: t('act.no') },
        ]}
      />
      <ReasonField
        submit={s}
        name="note"
        label={t('act.consentNote')}
        hint={t('act.consentNoteHint')}
        required
        value={note()}
        onInput={setNote}
      />
    </Panel>
  )
}

function FailForm(props: FormProps) {
  const s = useSubmit({ ...props, onDone: props.onClose })
  const [reason, setReason] = createSignal('')
  const [guidance, setGuidance] = createSignal<string>(
    props.case.disputeType === 'wage_arrears' ? 'labour_arbitration' : 'litigation',
  )
  return (
    <Panel
      title={t('act.fail')}
      submit={s}
      onClose={props.onClose}
      onSubmit={() =>
        s.send(
          { action: 'fail', reason: reason().trim(), guidance: guidance() },
          { reason: reasonCode(reason()) },
        )
      }
    >
      <ReasonField
        submit={s}
        name="reason"
        label={t('act.failReason')}
        required
        value={reason()}
        onInput={setReason}
      />
      <SelectField
        id="act-guidance"
        label={t('act.guidance')}
        required
        value={guidance()}
        onChange={setGuidance}
      >
        <For each={GUIDANCE}>{(g) => <option value={g}>{t(`guidance.${g}`)}</option>}</For>
      </SelectField>
    </Panel>
  )
}

/** Change the risk level with a reason; it goes on the record with the level it replaced. */
export function RiskOverride(props: { case: CaseView; onFlash: (f: Flash | undefined) => void }) {
  const [open, setOpen] = createSignal(false)
  const s = useSubmit({ ...props, onDone: () => setOpen(false) })
  const [level, setLevel] = createSignal('')
  const [reason, setReason] = createSignal('')
  return (
    <Show
      when={open()}
      fallback={
        <button type="button" class="button button-secondary button-block" onClick={() => setOpen(true)}>
          {t('case.override')}
        </button>
      }
    >
      <Panel
        title={t('case.override')}
        submit={s}
        onClose={() => setOpen(false)}
        onSubmit={() =>
          s.send(
            { action: 'override_risk', level: level(), reason: reason().trim() },
            {
              level: !level()
                ? 'validation.required'
                : level() === props.case.riskLevel
                  ? 'risk.override_unchanged'
                  : undefined,
              reason: reasonCode(reason()),
            },
          )
        }
      >
        <ChoiceCards
          id="act-level"
          legend={t('case.overrideLevel')}
          required
          columns={2}
          value={level()}
          onChange={setLevel}
          error={s.errors.level ? t(s.errors.level as 'risk.override_unchanged') : undefined}
          options={[...RISK_LEVELS].reverse().map((l) => ({ value: l, label: t(`risk.level.${l}`) }))}
        />
        <ReasonField
          submit={s}
          name="reason"
          label={t('case.overrideReason')}
          hint={t('case.overrideReasonHint')}
          required
          value={reason()}
          onInput={setReason}
        />
      </Panel>
    </Show>
  )
}

export type { ActionName }
