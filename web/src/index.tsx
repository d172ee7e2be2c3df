import { Router, revalidate } from '@solidjs/router'
import { render } from 'solid-js/web'
import { routes } from './routes.ts'
import { Layout } from './ui/layout.tsx'
import './styles.css'

const root = document.getElementById('root')
if (!root) throw new Error('#root is missing from index.html')

render(() => <Router root={Layout}>{routes}</Router>, root)

// The service worker (web/sw.js, written by the build; the dev server has none and the register
// call fails quietly there) keeps the app shell and the citizen's cases for offline use.
// Registered after load so it never competes with the first page.
if ('serviceWorker' in navigator) {
  addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch(() => undefined)
  })
  // On the first visit the data on screen came before the worker: fetch it again through it.
  navigator.serviceWorker.addEventListener('controllerchange', () => void revalidate())
}
