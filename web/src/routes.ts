import type { RouteDefinition } from '@solidjs/router'
import { lazy } from 'solid-js'
import { maybeSignedIn } from './api/session.ts'
import { getCase, getMyCases } from './pages/cases.data.ts'
import Home from './pages/home.tsx'

/**
 * Every page but the first is its own chunk: someone who only reads the home page downloads
 * nothing else, and the form's validation code arrives with the form.
 */
export const routes: RouteDefinition[] = [
  { path: '/', component: Home },
  { path: '/sign-in', component: lazy(() => import('./pages/sign-in.tsx')) },
  { path: '/apply', component: lazy(() => import('./pages/apply.tsx')) },
  // A signed-in citizen's cases are asked for while the page's code is still on its way: on a
  // slow network that saves a round trip before the status shows.
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
    preload: ({ params }) => {
      if (maybeSignedIn() && params.id) void getCase(params.id).catch(() => undefined)
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
