/*
 * Jiefen's service worker, plain JavaScript (no workbox). The build (web/pwa.ts) fills in the
 * version and the list of files of the citizen's pages.
 *
 * What it keeps, and why:
 *  - the app shell (index.html and the citizen pages' scripts and styles), so the portal opens
 *    without a network;
 *  - for a signed-in citizen only: who they are (/api/me), their case list (/api/cases) and each
 *    case they opened (/api/cases/:id), so their cases and statuses show offline. These are
 *    always fetched from the network first; the copy is used only when the network fails, and
 *    is marked with the time it was saved so the page can say how old it is.
 * What it never keeps: staff pages and their data, evidence (lists, files, links), video, and
 * anything once the citizen signs out or someone else signs in on the phone.
 */

const VERSION = '__JIEFEN_VERSION__'
/** @type {string[]} */
const PRECACHE = JSON.parse('__JIEFEN_PRECACHE__')
const SHELL = `jiefen-shell-${VERSION}`
const DATA = 'jiefen-data'
const SAVED_AT = 'x-jiefen-saved-at'

const PRECACHED = new Set(PRECACHE)
/** The citizen's case list and one case; not its evidence, sessions or anything below. */
const CITIZEN_DATA = /^\/api\/cases(\/[0-9A-HJKMNP-TV-Z]{26})?$/

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL)
      await cache.addAll(['/', ...PRECACHE])
      await self.skipWaiting()
    })(),
  )
})

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys())
        if (key.startsWith('jiefen-shell-') && key !== SHELL) await caches.delete(key)
      await self.clients.claim()
    })(),
  )
})

self.addEventListener('fetch', (event) => {
  const request = event.request
  const url = new URL(request.url)
  if (url.origin !== self.location.origin) return
  if (request.method !== 'GET') {
    // Signing in, out or out everywhere: whoever comes next must not see the last person's cases.
    if (url.pathname.startsWith('/api/auth/')) event.waitUntil(forget())
    return
  }
  if (request.mode === 'navigate') {
    if (!url.pathname.startsWith('/staff')) event.respondWith(page(request))
    return
  }
  if (PRECACHED.has(url.pathname)) event.respondWith(shellFile(request))
  else if (url.pathname === '/api/me') event.respondWith(me(request))
  else if (CITIZEN_DATA.test(url.pathname)) event.respondWith(citizenData(request, event.clientId))
})

/** A page: the network's, else the saved shell (every citizen route loads the same index.html). */
async function page(request) {
  try {
    return await fetch(request)
  } catch (error) {
    const shell = await caches.match('/', { cacheName: SHELL })
    if (shell) return shell
    throw error
  }
}

/** Hashed files never change: the saved copy, else the network. */
async function shellFile(request) {
  const saved = await caches.match(request, { cacheName: SHELL })
  return saved ?? fetch(request)
}

/** Who is signed in decides whether anything is kept: a citizen, yes; staff or nobody, nothing. */
async function me(request) {
  let response
  try {
    response = await fetch(request)
  } catch (error) {
    const saved = await savedCopy(request)
    if (saved) return saved
    throw error
  }
  if (response.status === 401) await forget()
  else if (response.ok) {
    const body = await response.clone().json()
    if (body.kind === 'citizen') await keep(request, response.clone())
    else await forget()
  }
  return response
}

async function citizenData(request, clientId) {
  let response
  try {
    response = await fetch(request)
  } catch (error) {
    const saved = await savedCopy(request)
    if (saved) return saved
    throw error
  }
  if (response.status === 401 || response.status === 403) await forget()
  else if (response.ok && (await citizenSignedIn()) && !(await fromStaffPage(clientId)))
    await keep(request, response.clone())
  return response
}

/** From the saved /api/me; if there is none yet (the first visit), asks the server once. */
async function citizenSignedIn() {
  let saved = await caches.match('/api/me', { cacheName: DATA })
  if (!saved) {
    await me(new Request('/api/me', { credentials: 'same-origin' }))
    saved = await caches.match('/api/me', { cacheName: DATA })
  }
  if (!saved) return false
  const body = await saved.json()
  return body.kind === 'citizen'
}

async function fromStaffPage(clientId) {
  const client = clientId ? await self.clients.get(clientId) : undefined
  return !!client && new URL(client.url).pathname.startsWith('/staff')
}

/** Saves an answer with the time it was saved, which the page shows in its offline notice. */
async function keep(request, response) {
  const headers = new Headers(response.headers)
  headers.set(SAVED_AT, new Date().toISOString())
  const body = await response.arrayBuffer()
  const cache = await caches.open(DATA)
  await cache.put(request.url, new Response(body, { status: response.status, headers }))
}

function savedCopy(request) {
  return caches.match(request.url, { cacheName: DATA })
}

function forget() {
  return caches.delete(DATA)
}
