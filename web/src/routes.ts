import type { RouteDefinition } from '@solidjs/router'
import { lazy } from 'solid-js'
import { getMe, maybeSignedIn } from './api/session.ts'
import { preloadCase } from './pages/case-sections.ts'
import { getMyCases } from './pages/cases.data.ts'
import Home from './pages/home.tsx'

/**
 * Every page but the first is its own chunk: someone who only reads the home page downloads
 * nothing else, and the form's validation code arrives with the form.
 */
export const routes: RouteDefinition[] = [
  { path: '/', component: Home },
  { path: '/sign-in', component: lazy(() => import('./pages/sign-in.tsx')) },
  // The form asks who is signed in while its code is still on its way: on a slow network that
  // saves a round trip before it shows. It would ask anyway; a link merely pointed at asks only
  // if someone may be signed in.
  {
    path: '/apply',
    component: lazy(() => import('./pages/apply.tsx')),
    preload: ({ intent }) => {
      if (intent !== 'preload' || maybeSignedIn()) void getMe().catch(() => undefined)
    },
  },
  // A signed-in citizen's cases are asked for while the page's code is on its way, too.
  {
    path: '/cases',
    component: lazy(() => import('./pages/my-cases.tsx')),
    preload: () => {
      if (maybeSignedIn()) void getMyCases().catch(() => undefined)
    },
  },
  {
    path: '/cases/:id',
    component: lazy(() => import('./pages/case-detail.tsx')),
    // The case and its sections' code and data, all at once (see preloadCase).
    preload: ({ params }) => {
      if (params.id) preloadCase(params.id)
    },
  },
  // Video mediation, for parties and staff alike; livekit-client is a further chunk inside it.
  { path: '/sessions/:id', component: lazy(() => import('./pages/session.tsx')) },
  { path: '/verify/:code?', component: lazy(() => import('./pages/verify.tsx')) },
  // Public, from the follow-up SMS: the token in the link is the credential.
  { path: '/follow-up/:token', component: lazy(() => import('./pages/follow-up.tsx')) },
  // Public, from a partner department's SMS: the link plus a code to its registered phone.
  { path: '/referrals/:token', component: lazy(() => import('./pages/referral.tsx')) },
  {
    // The staff portal: its own chunks, never loaded by citizens.
    path: '/staff',
    component: lazy(() => import('./pages/staff/shell.tsx')),
    children: [
      { path: '/', component: lazy(() => import('./pages/staff/sign-in.tsx')) },
      { path: '/queue', component: lazy(() => import('./pages/staff/queue.tsx')) },
      { path: '/cases/:id', component: lazy(() => import('./pages/staff/case.tsx')) },
      { path: '/intake', component: lazy(() => import('./pages/staff/intake.tsx')) },
      { path: '/admin', component: lazy(() => import('./pages/staff/admin.tsx')) },
      { path: '/insight', component: lazy(() => import('./pages/staff/insight.tsx')) },
      { path: '/departments', component: lazy(() => import('./pages/staff/departments.tsx')) },
    ],
  },
  { path: '*404', component: lazy(() => import('./pages/not-found.tsx')) },
]
