import { createAsync, revalidate } from '@solidjs/router'
import { createSignal, ErrorBoundary, For, Show, Suspense } from 'solid-js'
import type { DepartmentKind } from '../../../../functions/domain/referral.ts'
import { ApiError, api, call, errorCodeOf, fieldErrorsOf } from '../../api/client.ts'
import { errorText } from '../../i18n/index.ts'
import { t } from '../../i18n/referral.ts'
import { Field, FormMessage, TextField } from '../../ui/form.tsx'
import { LoadError, Loading } from '../../ui/load-error.tsx'
import { PageHeading } from '../../ui/page-heading.tsx'
import '../referral.css'
import { getDepartments } from './referrals.tsx'
import { RequireStaff } from './shell.tsx'

const DEPARTMENT_KINDS: readonly DepartmentKind[] = [
  'court',
  'procuratorate',
  'hrss',
  'labour_inspection',
  'womens_federation',
  'petition_office',
  'other',
]

/**
 * The jurisdiction's partner departments (信息互通): every member of staff may read the list;
 * supervisors and system admins add departments, change their contact and switch them off.
 */
export default function Departments() {
  return (
    <RequireStaff>
      {(me) => (
        <section class="card" aria-labelledby="departments-title">
          <PageHeading id="departments-title" title={t('departments.title')} />
          <p class="lead">{t('departments.lead')}</p>
          <ErrorBoundary
            fallback={(error, reset) => <LoadError error={error} reset={reset} keys={[getDepartments.key]} />}
          >
            <Suspense fallback={<Loading />}>
              <DepartmentList canEdit={me.role === 'supervisor' || me.role === 'system_admin'} />
            </Suspense>
          </ErrorBoundary>
          <Show when={me.role === 'supervisor' || me.role === 'system_admin'}>
            <AddDepartment />
          </Show>
        </section>
      )}
    </RequireStaff>
  )
}

function DepartmentList(props: { canEdit: boolean }) {
  const list = createAsync(() => getDepartments())
  const [busy, setBusy] = createSignal<string>()
  const [error, setError] = createSignal<string>()
  const toggle = async (id: string, active: boolean) => {
    setBusy(id)
    setError(undefined)
    try {
      await call(() =>
        api.departments[':departmentId'].$patch({ param: { departmentId: id }, json: { active } }),
      )
      await revalidate(getDepartments.key)
    } catch (e) {
      setError(errorText(errorCodeOf(e)))
    } finally {
      setBusy(undefined)
    }
  }
  return (
    <>
      <FormMessage error={error()} />
      <ul class="timeline">
        <For each={list()}>
          {(d) => (
            <li class="timeline-item" data-department={d.id}>
              <span class="timeline-text">
                <strong>{d.name}</strong> · {t(`departments.kind.${d.kind}`)}
                <Show when={!d.active}> · {t('departments.inactive')}</Show>
              </span>
              <span class="timeline-note">
                {t('departments.phone')} {d.contactPhone} · {t('departments.daysShort', { n: d.defaultDays })}
              </span>
              <Show when={props.canEdit}>
                <button
                  type="button"
                  class="button button-secondary"
                  disabled={busy() === d.id}
                  aria-busy={busy() === d.id}
                  aria-label={`${d.active ? t('departments.deactivate') : t('departments.activate')} ${d.name}`}
                  onClick={() => void toggle(d.id, !d.active)}
                >
                  {d.active ? t('departments.deactivate') : t('departments.activate')}
                </button>
                <details class="department-edit">
                  <summary>{t('departments.edit')}</summary>
                  <EditDepartment id={d.id} name={d.name} defaultDays={d.defaultDays} />
                </details>
              </Show>
            </li>
          )}
        </For>
      </ul>
    </>
  )
}

/** A new contact phone (people move on) and the usual days; the phone is written whole, shown masked. */
function EditDepartment(props: { id: string; name: string; defaultDays: number }) {
  const [phone, setPhone] = createSignal('')
  const [days, setDays] = createSignal(String(props.defaultDays))
  const [errors, setErrors] = createSignal<Record<string, string>>({})
  const [failure, setFailure] = createSignal<string>()
  const [busy, setBusy] = createSignal(false)
  const [saved, setSaved] = createSignal(false)
  const field = (name: string) => `department-${props.id}-${name}`
  const submit = async () => {
    const missing: Record<string, string> = {}
    const number = phone().replace(/\s/g, '')
    if (number && !/^1\d{10}$/.test(number)) missing.contactPhone = errorText('validation.phone')
    setErrors(missing)
    setFailure(undefined)
    setSaved(false)
    if (Object.keys(missing).length > 0) return
    setBusy(true)
    try {
      await call(() =>
        api.departments[':departmentId'].$patch({
          param: { departmentId: props.id },
          json: { ...(number ? { contactPhone: number } : {}), defaultDays: Number(days()) },
        }),
      )
      setPhone('')
      setSaved(true)
      await revalidate(getDepartments.key)
    } catch (e) {
      if (e instanceof ApiError && e.fields) setErrors(fieldErrorsOf(e, errorText))
      setFailure(errorText(errorCodeOf(e)))
    } finally {
      setBusy(false)
    }
  }
  return (
    <form
      noValidate
      aria-label={`${t('departments.edit')} ${props.name}`}
      onSubmit={(e) => {
        e.preventDefault()
        void submit()
      }}
    >
      <TextField
        id={field('phone')}
        label={t('departments.newPhone')}
        hint={t('departments.newPhoneHint')}
        type="tel"
        inputMode="tel"
        maxLength={13}
        value={phone()}
        onInput={(e) => setPhone(e.currentTarget.value)}
        error={errors().contactPhone}
      />
      <TextField
        id={field('days')}
        label={t('departments.days')}
        required
        type="number"
        min={1}
        max={60}
        value={days()}
        onInput={(e) => setDays(e.currentTarget.value)}
        error={errors().defaultDays}
      />
      <FormMessage error={failure()} />
      <FormMessage info={saved() ? t('departments.saved') : undefined} />
      <button type="submit" class="button button-primary" disabled={busy()} aria-busy={busy()}>
        {t('departments.save')}
      </button>
    </form>
  )
}

function AddDepartment() {
  const [kind, setKind] = createSignal<DepartmentKind | ''>('')
  const [name, setName] = createSignal('')
  const [phone, setPhone] = createSignal('')
  const [days, setDays] = createSignal('7')
  const [errors, setErrors] = createSignal<Record<string, string>>({})
  const [failure, setFailure] = createSignal<string>()
  const [busy, setBusy] = createSignal(false)
  const [saved, setSaved] = createSignal(false)

  const submit = async () => {
    const missing: Record<string, string> = {}
    if (!kind()) missing.kind = errorText('validation.required')
    if (name().trim().length < 2) missing.name = errorText('validation.too_short')
    if (!/^1\d{10}$/.test(phone().replace(/\s/g, ''))) missing.contactPhone = errorText('validation.phone')
    setErrors(missing)
    setFailure(undefined)
    setSaved(false)
    if (Object.keys(missing).length > 0) return
    setBusy(true)
    try {
      await call(() =>
        api.departments.$post({
          json: {
            kind: kind() as DepartmentKind,
            name: name().trim(),
            contactPhone: phone(),
            defaultDays: Number(days()),
          },
        }),
      )
      setName('')
      setPhone('')
      setSaved(true)
      await revalidate(getDepartments.key)
    } catch (e) {
      if (e instanceof ApiError && e.fields) setErrors(fieldErrorsOf(e, errorText))
      setFailure(errorText(errorCodeOf(e)))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form
      noValidate
      aria-labelledby="add-department-title"
      onSubmit={(e) => {
        e.preventDefault()
        void submit()
      }}
    >
      <h2 id="add-department-title">{t('departments.add')}</h2>
      <Field id="department-kind" label={t('departments.kind')} required error={errors().kind}>
        <select
          id="department-kind"
          class="input"
          value={kind()}
          aria-invalid={errors().kind ? 'true' : undefined}
          onChange={(e) => setKind(e.currentTarget.value as DepartmentKind)}
        >
          <option value="">—</option>
          <For each={DEPARTMENT_KINDS}>{(k) => <option value={k}>{t(`departments.kind.${k}`)}</option>}</For>
        </select>
      </Field>
      <TextField
        id="department-name"
        label={t('departments.name')}
        required
        maxLength={40}
        value={name()}
        onInput={(e) => setName(e.currentTarget.value)}
        error={errors().name}
      />
      <TextField
        id="department-phone"
        label={t('departments.phone')}
        required
        type="tel"
        inputMode="tel"
        maxLength={13}
        value={phone()}
        onInput={(e) => setPhone(e.currentTarget.value)}
        error={errors().contactPhone}
      />
      <TextField
        id="department-days"
        label={t('departments.days')}
        required
        type="number"
        min={1}
        max={60}
        value={days()}
        onInput={(e) => setDays(e.currentTarget.value)}
        error={errors().defaultDays}
      />
      <FormMessage error={failure()} />
      <FormMessage info={saved() ? t('departments.saved') : undefined} />
      <button type="submit" class="button button-primary" disabled={busy()} aria-busy={busy()}>
        {t('departments.save')}
      </button>
    </form>
  )
}
