import { createAsync, useLocation, useNavigate } from '@solidjs/router'
import { createEffect, type JSX, Show } from 'solid-js'
import { getMe } from '../api/session.ts'

/**
 * Shows its children only to a signed-in citizen; anyone else goes to sign-in and comes back
 * to the same address afterwards.
 */
export function RequireSignIn(props: { children: JSX.Element }) {
  const me = createAsync(() => getMe())
  const navigate = useNavigate()
  const location = useLocation()
  createEffect(() => {
    if (me() === null) {
      const next = encodeURIComponent(location.pathname + location.search)
      navigate(`/sign-in?next=${next}`, { replace: true })
    }
  })
  return <Show when={me()}>{props.children}</Show>
}
