import type { RouteDefinition } from '@solidjs/router'
import { lazy } from 'solid-js'
import Home from './pages/home.tsx'

/**
 * Every page but the first is its own chunk: someone who only reads the home page downloads
 * nothing else, and the form's validation code arrives with the form.
 */
export const routes: RouteDefinition[] = [
  { path: '/', component: Home },
  { path: '/sign-in', component: lazy(() => import('./pages/sign-in.tsx')) },
  { path: '/apply', component: lazy(() => import('./pages/apply.tsx')) },
  { path: '/cases', component: lazy(() => import('./pages/my-cases.tsx')) },
  { path: '/cases/:id', component: lazy(() => import('./pages/case-detail.tsx')) },
  { path: '*404', component: lazy(() => import('./pages/not-found.tsx')) },
]
