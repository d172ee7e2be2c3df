import { createAsync, query, revalidate } from '@solidjs/router'
import { batch, createMemo, createSignal, ErrorBoundary, For, type JSX, Show, Suspense } from 'solid-js'
import { createStore, reconcile } from 'solid-js/store'
import { Phone } from '../../../../functions/domain/phone.ts'
import { SKILLS, type Skill, STAFF_ROLES, type StaffRole } from '../../../../functions/domain/staff.ts'
import { ApiError, api, call, NetworkError } from '../../api/client.ts'
import { t } from '../../i18n/admin.ts'
import { errorText } from '../../i18n/index.ts'
import { Field, TextField } from '../../ui/form.tsx'
import { LoadError, Loading } from '../../ui/load-error.tsx'
import { PageHeading } from '../../ui/page-heading.tsx'
import { RequireStaff, type StaffMe } from './shell.tsx'
import { getOrgs } from './staff.data.ts'
import './admin.css'

const getStaffList = query(async () => (await call(() => api.admin.staff.$get())).items, 'adminStaff')

type Summary = NonNullable<Awaited<ReturnType<typeof getStaffList>>>[number]
type Org = NonNullable<Awaited<ReturnType<typeof getOrgs>>>[number]

const ORG_KINDS = [
  'community_room',
  'police_station',
  'court_office',
  'district_centre',
  'justice_office',
] as const
const TIERS = [1, 2, 3] as const

const isAdmin = (me: StaffMe) => me.role === 'centre_admin' || me.role === 'system_admin'

/** "普通话、粤语" or "Mandarin, Cantonese" as a list. */
const splitList = (text: string) =>
  text
    .split(/[,，、;；\n]+/)
    .map((s) => s.trim())
    .filter(Boolean)

/** Server field paths (`languages.1`) to the form's field names (`languages`). */
function fieldErrors(fields: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [path, code] of Object.entries(fields ?? {})) {
    const name = path.split('.')[0] ?? path
    out[name] ??= code
  }
  return out
}

function failureText(e: unknown): string {
  if (e instanceof NetworkError) return t('common.loadFailed')
  if (e instanceof ApiError) return errorText(e.code)
  return errorText('internal')
}

/**
 * The mediator pool (调解专家库): centre admins see and add their organisation's mediators and
 * deactivate them; system admins manage all staff and the organisations.
 */
export default function Admin() {
  return (
    <RequireStaff>
      {(me) => (
        <Show
          when={isAdmin(me)}
          fallback={
            <section class="card">
              <PageHeading title={t('admin.title')} />
              <p class="notice notice-error" role="alert">
                {t('admin.adminsOnly')}
              </p>
            </section>
          }
        >
          <AdminPage me={me} />
        </Show>
      )}
    </RequireStaff>
  )
}

function AdminPage(props: { me: StaffMe }) {
  const system = () => props.me.role === 'system_admin'
  const [adding, setAdding] = createSignal(false)
  const [message, setMessage] = createSignal<string>()
  return (
    <>
      <PageHeading title={t('admin.title')} />
      <p class="lead">{system() ? t('admin.leadSystem') : t('admin.lead')}</p>
      <div class="admin-status" role="status">
        <Show when={message()}>
          <p class="notice notice-info">{message()}</p>
        </Show>
      </div>
      <ErrorBoundary
        fallback={(error, reset) => (
          <LoadError error={error} reset={reset} keys={[getStaffList.key, getOrgs.key]} />
        )}
      >
        <Suspense fallback={<Loading />}>
          <Show
            when={adding()}
            fallback={
              <button
                type="button"
                class="button button-primary button-block admin-add-open"
                onClick={() =>
                  batch(() => {
                    setAdding(true)
                    setMessage(undefined)
                  })
                }
              >
                {system() ? t('admin.addStaff') : t('admin.add')}
              </button>
            }
          >
            <StaffForm
              me={props.me}
              onCancel={() => setAdding(false)}
              onAdded={(s) =>
                batch(() => {
                  setAdding(false)
                  setMessage(t('admin.added', { name: s.name, username: s.username }))
                })
              }
            />
          </Show>
          <StaffList me={props.me} onMessage={setMessage} />
          <Show when={system()}>
            <OrgSection onMessage={setMessage} />
          </Show>
        </Suspense>
      </ErrorBoundary>
    </>
  )
}

function StaffList(props: { me: StaffMe; onMessage: (text: string | undefined) => void }) {
  const staff = createAsync(() => getStaffList())
  const orgs = createAsync(() => getOrgs())
  const orgName = (id: string) => orgs()?.find((o) => o.id === id)?.name ?? id
  return (
    <Show when={staff()}>
      {(list) => (
        <section class="admin-section" aria-labelledby="staff-list-title">
          <h2 id="staff-list-title" class="visually-hidden">
            {t('admin.title')}
          </h2>
          <p class="queue-count">
            {t('admin.count', { n: list().length, active: list().filter((s) => s.active).length })}
          </p>
          <Show when={list().length > 0} fallback={<p class="card empty">{t('admin.empty')}</p>}>
            <ul class="staff-list">
              <For each={list()}>
                {(s) => (
                  <StaffCard
                    staff={s}
                    self={s.username === props.me.username}
                    orgName={orgName(s.orgId)}
                    onMessage={props.onMessage}
                  />
                )}
              </For>
            </ul>
          </Show>
        </section>
      )}
    </Show>
  )
}

function StaffCard(props: {
  staff: Summary
  self: boolean
  orgName: string
  onMessage: (text: string | undefined) => void
}) {
  const [confirming, setConfirming] = createSignal(false)
  const [busy, setBusy] = createSignal(false)
  const [failure, setFailure] = createSignal<string>()
  const s = () => props.staff
  const deactivate = async () => {
    setBusy(true)
    setFailure(undefined)
    try {
      await call(() => api.admin.staff[':username'].deactivate.$post({ param: { username: s().username } }))
      props.onMessage(t('admin.deactivated', { name: s().name, username: s().username }))
      setConfirming(false)
    } catch (e) {
      setFailure(failureText(e))
    } finally {
      setBusy(false)
      await revalidate(getStaffList.key)
    }
  }
  return (
    <li class="card staff-card" classList={{ 'staff-card-inactive': !s().active }}>
      <div class="staff-card-top">
        <h3 class="staff-card-name">
          {s().name}
          <Show when={props.self}>
            <span class="staff-card-you">{t('admin.you')}</span>
          </Show>
        </h3>
        <span class={`badge ${s().active ? 'badge-done' : 'badge-stopped'}`}>
          {s().active ? t('admin.active') : t('admin.inactive')}
        </span>
      </div>
      <p class="staff-card-sub">
        <span class="staff-card-username">{s().username}</span> · {t(`role.${s().role as StaffRole}`)}
      </p>
      <dl class="staff-facts">
        <div>
          <dt>{t('admin.org')}</dt>
          <dd>{props.orgName}</dd>
        </div>
        <div>
          <dt>{t('admin.skills')}</dt>
          <dd>
            <Show when={s().skills.length > 0} fallback={t('admin.noSkills')}>
              <ul class="chips">
                <For each={s().skills}>{(k) => <li class="chip">{t(`skill.${k as Skill}`)}</li>}</For>
              </ul>
            </Show>
          </dd>
        </div>
        <div>
          <dt>{t('admin.languages')}</dt>
          <dd>{s().languages.length ? s().languages.join('、') : t('admin.noSkills')}</dd>
        </div>
        <div>
          <dt>{t('admin.openCases')}</dt>
          <dd>{t('admin.openCasesN', { n: s().openCases })}</dd>
        </div>
        <div>
          <dt>{t('admin.totp')}</dt>
          <dd>{s().totp ? t('admin.totpOn') : t('admin.totpOff')}</dd>
        </div>
      </dl>
      <Show when={s().active && !props.self}>
        <Show
          when={confirming()}
          fallback={
            <button
              type="button"
              class="button button-secondary staff-deactivate"
              aria-label={`${t('admin.deactivate')} ${s().name}`}
              onClick={() =>
                batch(() => {
                  setConfirming(true)
                  setFailure(undefined)
                })
              }
            >
              {t('admin.deactivate')}
            </button>
          }
        >
          <div class="confirm-box" tabIndex={-1} ref={(el) => queueMicrotask(() => el.focus())}>
            <p>{t('admin.deactivateConfirm', { name: s().name })}</p>
            <div class="row-actions">
              <button type="button" class="button button-danger" disabled={busy()} onClick={deactivate}>
                {busy() ? t('admin.deactivateBusy') : t('admin.deactivateYes')}
              </button>
              <button
                type="button"
                class="button button-secondary"
                disabled={busy()}
                onClick={() => setConfirming(false)}
              >
                {t('admin.cancel')}
              </button>
            </div>
          </div>
        </Show>
      </Show>
      <Show when={failure()}>
        <p class="notice notice-error" role="alert">
          {failure()}
        </p>
      </Show>
    </li>
  )
}

interface StaffValues {
  name: string
  username: string
  role: string
  orgId: string
  skills: Skill[]
  languages: string
  phone: string
  password: string
}
type StaffField = Exclude<keyof StaffValues, 'skills'> | 'skills'
const STAFF_ORDER: StaffField[] = [
  'name',
  'username',
  'role',
  'orgId',
  'skills',
  'languages',
  'phone',
  'password',
]

function StaffForm(props: { me: StaffMe; onAdded: (s: Summary) => void; onCancel: () => void }) {
  const system = () => props.me.role === 'system_admin'
  const orgs = createAsync(() => getOrgs())
  const empty = (): StaffValues => ({
    name: '',
    username: '',
    role: 'mediator',
    orgId: props.me.orgId,
    skills: [],
    languages: '',
    phone: '',
    password: '',
  })
  const [values, setValues] = createStore<StaffValues>(empty())
  const [server, setServer] = createStore<Record<string, string | undefined>>({})
  const [submitted, setSubmitted] = createSignal(false)
  const [sending, setSending] = createSignal(false)
  const [failure, setFailure] = createSignal<string>()

  const errors = createMemo(() => {
    const e: Partial<Record<StaffField, string>> = {}
    const name = values.name.trim()
    if (!name) e.name = 'validation.required'
    else if (name.length > 40) e.name = 'validation.too_long'
    const username = values.username.trim().toLowerCase()
    if (!username) e.username = 'validation.required'
    else if (!/^[a-z][a-z0-9_-]{2,31}$/.test(username)) e.username = 'admin.username'
    if (!(STAFF_ROLES as readonly string[]).includes(values.role)) e.role = 'validation.option'
    if (!values.orgId) e.orgId = 'validation.required'
    const languages = splitList(values.languages)
    if (languages.length > 10 || languages.some((l) => l.length > 20)) e.languages = 'validation.too_long'
    if (values.phone.trim()) {
      const phone = Phone.safeParse(values.phone)
      if (!phone.success) e.phone = phone.error.issues[0]?.message ?? 'validation.phone'
    }
    if (!values.password) e.password = 'validation.required'
    else if (values.password.length < 12) e.password = 'admin.password_short'
    else if (values.password.length > 200) e.password = 'validation.too_long'
    return e
  })
  const error = (name: StaffField) => {
    const code = server[name] ?? (submitted() ? errors()[name] : undefined)
    return code ? errorText(code) : undefined
  }
  const edit = <K extends keyof StaffValues>(name: K, value: StaffValues[K]) =>
    batch(() => {
      setValues(name, value)
      setServer(name, undefined)
      setFailure(undefined)
    })
  const bind = (name: Exclude<StaffField, 'skills' | 'role' | 'orgId'>) => ({
    id: `staff-${name}`,
    value: values[name],
    error: error(name),
    onInput: (e: { currentTarget: { value: string } }) => edit(name, e.currentTarget.value),
  })
  const toggleSkill = (skill: Skill, on: boolean) =>
    edit(
      'skills',
      SKILLS.filter((k) => (k === skill ? on : values.skills.includes(k))),
    )

  const send = async () => {
    if (sending()) return
    setSubmitted(true)
    setFailure(undefined)
    const first = STAFF_ORDER.find((n) => errors()[n])
    if (first) {
      document.getElementById(`staff-${first}`)?.focus()
      setFailure(errorText('validation.failed'))
      return
    }
    const phone = values.phone.trim()
    setSending(true)
    try {
      const added = await call(() =>
        api.admin.staff.$post({
          json: {
            username: values.username.trim().toLowerCase(),
            name: values.name.trim(),
            role: values.role as StaffRole,
            orgId: values.orgId,
            skills: [...values.skills],
            languages: splitList(values.languages),
            ...(phone ? { phone } : {}),
            password: values.password,
          },
        }),
      )
      await revalidate(getStaffList.key)
      batch(() => {
        setValues(reconcile(empty()))
        setSubmitted(false)
      })
      props.onAdded(added)
    } catch (e) {
      if (e instanceof ApiError && e.fields) {
        const mapped = fieldErrors(e.fields)
        setServer(reconcile(mapped))
        const firstServer = STAFF_ORDER.find((n) => mapped[n])
        if (firstServer) document.getElementById(`staff-${firstServer}`)?.focus()
      }
      setFailure(failureText(e))
    } finally {
      setSending(false)
    }
  }

  return (
    <form
      class="card form admin-form"
      novalidate
      aria-labelledby="staff-form-title"
      aria-busy={sending()}
      onSubmit={(e) => {
        e.preventDefault()
        void send()
      }}
    >
      <h2 id="staff-form-title">{system() ? t('admin.addStaff') : t('admin.add')}</h2>
      <p class="field-hint">{t('admin.addLead')}</p>
      <TextField {...bind('name')} label={t('admin.name')} required maxLength={40} autocomplete="off" />
      <TextField
        {...bind('username')}
        label={t('admin.username')}
        hint={t('admin.usernameHint')}
        required
        maxLength={32}
        autocomplete="off"
        autocapitalize="none"
        spellcheck={false}
      />
      <Show when={system()}>
        <SelectField
          id="staff-role"
          label={t('admin.role')}
          value={values.role}
          error={error('role')}
          onChange={(v) => edit('role', v)}
        >
          <For each={STAFF_ROLES}>{(r) => <option value={r}>{t(`role.${r}`)}</option>}</For>
        </SelectField>
        <SelectField
          id="staff-orgId"
          label={t('admin.orgChoose')}
          value={values.orgId}
          error={error('orgId')}
          onChange={(v) => edit('orgId', v)}
        >
          <For each={orgs() ?? []}>{(o) => <option value={o.id}>{o.name}</option>}</For>
        </SelectField>
      </Show>
      <fieldset class="field" id="staff-skills" classList={{ 'field-invalid': !!error('skills') }}>
        <legend class="field-label">
          {t('admin.skillsLegend')}
          <span class="field-optional">{t('form.optional')}</span>
        </legend>
        <div class="skill-choices">
          <For each={SKILLS}>
            {(skill) => (
              <label class="check">
                <input
                  type="checkbox"
                  checked={values.skills.includes(skill)}
                  onChange={(e) => toggleSkill(skill, e.currentTarget.checked)}
                />
                {t(`skill.${skill}`)}
              </label>
            )}
          </For>
        </div>
        <p class="field-error" aria-live="polite">
          {error('skills')}
        </p>
      </fieldset>
      <TextField
        {...bind('languages')}
        label={t('admin.languagesLabel')}
        hint={t('admin.languagesHint')}
        maxLength={120}
        autocomplete="off"
      />
      <TextField
        {...bind('phone')}
        type="tel"
        inputMode="numeric"
        label={t('admin.phone')}
        maxLength={20}
        autocomplete="off"
      />
      <TextField
        {...bind('password')}
        type="password"
        label={t('admin.password')}
        hint={t('admin.passwordHint')}
        required
        maxLength={200}
        autocomplete="new-password"
      />
      <div class="submit-area">
        <div class="submit-status" aria-live="assertive">
          <Show when={failure()}>
            <p class="notice notice-error">{failure()}</p>
          </Show>
        </div>
        <div class="row-actions admin-form-actions">
          <button type="submit" class="button button-primary" disabled={sending()} aria-busy={sending()}>
            <Show when={sending()} fallback={t('admin.submit')}>
              <span class="spinner" aria-hidden="true" />
              {t('admin.busy')}
            </Show>
          </button>
          <button type="button" class="button button-secondary" disabled={sending()} onClick={props.onCancel}>
            {t('admin.cancel')}
          </button>
        </div>
      </div>
    </form>
  )
}

function SelectField(props: {
  id: string
  label: string
  value: string
  error?: string
  onChange: (value: string) => void
  children: JSX.Element
}) {
  return (
    <Field id={props.id} label={props.label} error={props.error} required>
      <select
        id={props.id}
        name={props.id}
        class="input select"
        value={props.value}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={props.error ? `${props.id}-error` : undefined}
        onChange={(e) => props.onChange(e.currentTarget.value)}
      >
        <option value="" disabled>
          {t('admin.choose')}
        </option>
        {props.children}
      </select>
    </Field>
  )
}

interface OrgValues {
  id: string
  name: string
  tier: string
  kind: string
  jurisdiction: string
  areas: string
}
const ORG_ORDER: (keyof OrgValues)[] = ['id', 'name', 'tier', 'kind', 'jurisdiction', 'areas']
const emptyOrg = (): OrgValues => ({ id: '', name: '', tier: '', kind: '', jurisdiction: '', areas: '' })

function OrgSection(props: { onMessage: (text: string | undefined) => void }) {
  const orgs = createAsync(() => getOrgs())
  const [adding, setAdding] = createSignal(false)
  return (
    <section class="admin-section" aria-labelledby="orgs-title">
      <h2 id="orgs-title">{t('orgs.title')}</h2>
      <p class="lead">{t('orgs.lead')}</p>
      <Show
        when={adding()}
        fallback={
          <button
            type="button"
            class="button button-secondary button-block admin-add-open"
            onClick={() =>
              batch(() => {
                setAdding(true)
                props.onMessage(undefined)
              })
            }
          >
            {t('orgs.add')}
          </button>
        }
      >
        <OrgForm
          onCancel={() => setAdding(false)}
          onAdded={(name) =>
            batch(() => {
              setAdding(false)
              props.onMessage(t('orgs.added', { name }))
            })
          }
        />
      </Show>
      <Show when={orgs()}>
        {(list) => (
          <>
            <p class="queue-count">{t('orgs.count', { n: list().length })}</p>
            <ul class="org-list">
              <For each={list()}>{(o) => <OrgCard org={o} />}</For>
            </ul>
          </>
        )}
      </Show>
    </section>
  )
}

function OrgCard(props: { org: Org }) {
  const kind = () => props.org.kind as (typeof ORG_KINDS)[number]
  return (
    <li class="card org-card">
      <h3 class="staff-card-name">{props.org.name}</h3>
      <p class="staff-card-sub">
        <span class="staff-card-username">{props.org.id}</span>
      </p>
      <p class="org-meta">
        {t('tier.short', { n: props.org.tier })} ·{' '}
        {ORG_KINDS.includes(kind()) ? t(`kind.${kind()}`) : props.org.kind} · {props.org.jurisdiction}
      </p>
    </li>
  )
}

function OrgForm(props: { onAdded: (name: string) => void; onCancel: () => void }) {
  const [values, setValues] = createStore<OrgValues>(emptyOrg())
  const [server, setServer] = createStore<Record<string, string | undefined>>({})
  const [submitted, setSubmitted] = createSignal(false)
  const [sending, setSending] = createSignal(false)
  const [failure, setFailure] = createSignal<string>()

  const errors = createMemo(() => {
    const e: Partial<Record<keyof OrgValues, string>> = {}
    const id = values.id.trim()
    if (!id) e.id = 'validation.required'
    else if (!/^[a-z0-9][a-z0-9-]{2,63}$/.test(id)) e.id = 'admin.org_id'
    const name = values.name.trim()
    if (!name) e.name = 'validation.required'
    else if (name.length < 2) e.name = 'validation.too_short'
    else if (name.length > 60) e.name = 'validation.too_long'
    if (!['1', '2', '3'].includes(values.tier)) e.tier = 'validation.option'
    if (!(ORG_KINDS as readonly string[]).includes(values.kind)) e.kind = 'validation.option'
    const jurisdiction = values.jurisdiction.trim()
    if (!jurisdiction) e.jurisdiction = 'validation.required'
    else if (jurisdiction.length > 40) e.jurisdiction = 'validation.too_long'
    const areas = splitList(values.areas)
    if (areas.length > 100 || areas.some((a) => a.length > 60)) e.areas = 'validation.too_long'
    return e
  })
  const error = (name: keyof OrgValues) => {
    const code = server[name] ?? (submitted() ? errors()[name] : undefined)
    return code ? errorText(code) : undefined
  }
  const edit = (name: keyof OrgValues, value: string) =>
    batch(() => {
      setValues(name, value)
      setServer(name, undefined)
      setFailure(undefined)
    })
  const bind = (name: 'id' | 'name' | 'jurisdiction' | 'areas') => ({
    id: `org-${name}`,
    value: values[name],
    error: error(name),
    onInput: (e: { currentTarget: { value: string } }) => edit(name, e.currentTarget.value),
  })

  const send = async () => {
    if (sending()) return
    setSubmitted(true)
    setFailure(undefined)
    const first = ORG_ORDER.find((n) => errors()[n])
    if (first) {
      document.getElementById(`org-${first}`)?.focus()
      setFailure(errorText('validation.failed'))
      return
    }
    setSending(true)
    try {
      const added = await call(() =>
        api.admin.orgs.$post({
          json: {
            id: values.id.trim(),
            name: values.name.trim(),
            tier: Number(values.tier) as 1 | 2 | 3,
            kind: values.kind as (typeof ORG_KINDS)[number],
            jurisdiction: values.jurisdiction.trim(),
            areas: splitList(values.areas),
          },
        }),
      )
      await revalidate(getOrgs.key)
      batch(() => {
        setValues(reconcile(emptyOrg()))
        setSubmitted(false)
      })
      props.onAdded(added.name)
    } catch (e) {
      if (e instanceof ApiError && e.fields) {
        const mapped = fieldErrors(e.fields)
        setServer(reconcile(mapped))
        const firstServer = ORG_ORDER.find((n) => mapped[n])
        if (firstServer) document.getElementById(`org-${firstServer}`)?.focus()
      }
      setFailure(failureText(e))
    } finally {
      setSending(false)
    }
  }

  return (
    <form
      class="card form admin-form"
      novalidate
      aria-labelledby="org-form-title"
      aria-busy={sending()}
      onSubmit={(e) => {
        e.preventDefault()
        void send()
      }}
    >
      <h3 id="org-form-title">{t('orgs.add')}</h3>
      <TextField
        {...bind('id')}
        label={t('orgs.id')}
        hint={t('orgs.idHint')}
        required
        maxLength={64}
        autocomplete="off"
        autocapitalize="none"
        spellcheck={false}
      />
      <TextField {...bind('name')} label={t('orgs.name')} required maxLength={60} autocomplete="off" />
      <SelectField
        id="org-tier"
        label={t('orgs.tier')}
        value={values.tier}
        error={error('tier')}
        onChange={(v) => edit('tier', v)}
      >
        <For each={TIERS}>{(n) => <option value={String(n)}>{t(`tier.${n}`)}</option>}</For>
      </SelectField>
      <SelectField
        id="org-kind"
        label={t('orgs.kind')}
        value={values.kind}
        error={error('kind')}
        onChange={(v) => edit('kind', v)}
      >
        <For each={ORG_KINDS}>{(k) => <option value={k}>{t(`kind.${k}`)}</option>}</For>
      </SelectField>
      <TextField
        {...bind('jurisdiction')}
        label={t('orgs.jurisdiction')}
        required
        maxLength={40}
        autocomplete="off"
      />
      <TextField
        {...bind('areas')}
        label={t('orgs.areas')}
        hint={t('orgs.areasHint')}
        maxLength={2000}
        autocomplete="off"
      />
      <div class="submit-area">
        <div class="submit-status" aria-live="assertive">
          <Show when={failure()}>
            <p class="notice notice-error">{failure()}</p>
          </Show>
        </div>
        <div class="row-actions admin-form-actions">
          <button type="submit" class="button button-primary" disabled={sending()} aria-busy={sending()}>
            <Show when={sending()} fallback={t('orgs.submit')}>
              <span class="spinner" aria-hidden="true" />
              {t('orgs.busy')}
            </Show>
          </button>
          <button type="button" class="button button-secondary" disabled={sending()} onClick={props.onCancel}>
            {t('admin.cancel')}
          </button>
        </div>
      </div>
    </form>
  )
}
