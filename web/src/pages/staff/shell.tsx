import { A, createAsync, type RouteSectionProps, useLocation, useNavigate } from '@solidjs/router'
import { createEffect, createSignal, type JSX, onCleanup, onMount, Show } from 'solid-js'
import type { StaffRole } from '../../../../functions/domain/staff.ts'
import { getMe, signOut } from '../../api/session.ts'
import { t } from '../../i18n/staff.ts'
import { PageHeading } from '../../ui/page-heading.tsx'
import { signOutEverywhere } from './staff.data.ts'
import './staff.css'

export type StaffMe = Extract<NonNullable<Awaited<ReturnType<typeof getMe>>>, { kind: 'staff' }>

/** The staff part of the portal: who is signed in, the work list, intake for police, sign-out. */
export default function StaffShell(props: RouteSectionProps) {
  const me = createAsync(() => getMe())
  // Work lists want the width of a desk screen; citizen pages stay phone-width.
  onMount(() => document.getElementById('main')?.classList.add('page-wide'))
  onCleanup(() => document.getElementById('main')?.classList.remove('page-wide'))
  const staff = () => {
    const m = me()
    return m?.kind === 'staff' ? m : undefined
  }
  return (
    <>
      <Show when={staff()}>{(s) => <StaffBar me={s()} />}</Show>
      {props.children}
    </>
  )
}

function StaffBar(props: { me: StaffMe }) {
  const navigate = useNavigate()
  const [busy, setBusy] = createSignal(false)
  const [failed, setFailed] = createSignal(false)
  const run = async (what: () => Promise<void>) => {
    setBusy(true)
    setFailed(false)
    try {
      await what()
      navigate('/staff', { replace: true })
    } catch {
      setFailed(true)
    } finally {
      setBusy(false)
    }
  }
  const everywhere = () => {
    if (window.confirm(t('staff.nav.everywhereConfirm'))) void run(signOutEverywhere)
  }
  return (
    <nav class="staff-bar" aria-label={t('staff.portal')}>
      <p class="staff-who">
        <span class="staff-who-name">{props.me.name}</span>
        <span class="staff-who-role">{t(`role.${props.me.role as StaffRole}`)}</span>
      </p>
      <div class="staff-links">
        <A href="/staff/queue" class="staff-link" activeClass="staff-link-active">
          {t('staff.nav.queue')}
        </A>
        <Show when={props.me.role === 'police'}>
          <A href="/staff/intake" class="staff-link" activeClass="staff-link-active">
            {t('staff.nav.intake')}
          </A>
        </Show>
        <Show when={props.me.role === 'mediator' || props.me.role === 'centre_admin'}>
          <A href="/staff/intake" class="staff-link" activeClass="staff-link-active">
            {t('staff.nav.referredIntake')}
          </A>
        </Show>
        <Show when={['supervisor', 'centre_admin', 'system_admin'].includes(props.me.role)}>
          <A href="/staff/insight" class="staff-link" activeClass="staff-link-active">
            {t('staff.nav.insight')}
          </A>
        </Show>
        <Show when={props.me.role === 'supervisor' || props.me.role === 'system_admin'}>
          <A href="/staff/departments" class="staff-link" activeClass="staff-link-active">
            {t('staff.nav.departments')}
          </A>
        </Show>
        <Show when={props.me.role === 'centre_admin' || props.me.role === 'system_admin'}>
          <A href="/staff/admin" class="staff-link" activeClass="staff-link-active">
            {t('staff.nav.admin')}
          </A>
        </Show>
      </div>
      <div class="staff-exits">
        <button
          type="button"
          class="button button-link"
          aria-label={t('staff.nav.signOutLabel')}
          disabled={busy()}
          onClick={() => void run(signOut)}
        >
          {busy() ? t('staff.nav.busy') : t('staff.nav.signOut')}
        </button>
        <button type="button" class="button button-link" disabled={busy()} onClick={everywhere}>
          {t('staff.nav.everywhere')}
        </button>
      </div>
      <Show when={failed()}>
        <p class="notice notice-error" role="alert">
          {t('common.loadFailed')}
        </p>
      </Show>
    </nav>
  )
}

/**
 * Shows its children only to signed-in staff. Nobody signed in goes to the staff sign-in and
 * comes back; a citizen is told plainly that this part is not for them.
 */
export function RequireStaff(props: { children: (me: StaffMe) => JSX.Element }) {
  const me = createAsync(() => getMe())
  const navigate = useNavigate()
  const location = useLocation()
  createEffect(() => {
    if (me() === null) {
      const next = encodeURIComponent(location.pathname + location.search)
      navigate(`/staff?next=${next}`, { replace: true })
    }
  })
  const staff = () => {
    const m = me()
    return m?.kind === 'staff' ? m : undefined
  }
  return (
    <Show when={me()}>
      <Show when={staff()} fallback={<NotStaff />}>
        {(s) => props.children(s())}
      </Show>
    </Show>
  )
}

function NotStaff() {
  return (
    <section class="card">
      <PageHeading title={t('staff.notStaff.title')} />
      <p class="notice notice-error" role="alert">
        {t('staff.notStaff.body')}
      </p>
      <A href="/" class="button button-primary button-block">
        {t('staff.notStaff.home')}
      </A>
      <A href="/cases" class="button button-secondary button-block">
        {t('cases.title')}
      </A>
    </section>
  )
}
