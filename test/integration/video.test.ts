import { createHash } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { AccessToken, TokenVerifier } from 'livekit-server-sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { liveKitVideo } from '../../functions/adapters/livekit.ts'
import { makeSystem, newKey, TEST_LIVEKIT, validCase } from './harness.ts'

/**
 * Video sessions against LiveKit's protocol. No LiveKit server runs here, so: every token is
 * decoded and verified with the SDK's TokenVerifier and its grants checked per role; webhooks are
 * signed with the SDK exactly as LiveKit signs them; room control is checked against the Twirp
 * requests it sends, received by a small HTTP server standing in for LiveKit's API.
 */

interface TwirpCall {
  method: string
  body: Record<string, unknown>
  grants: Awaited<ReturnType<TokenVerifier['verify']>>
}

type System = Awaited<ReturnType<typeof makeSystem>>
let sys: System
let twirp: Server
const calls: TwirpCall[] = []
const verifier = new TokenVerifier(TEST_LIVEKIT.apiKey, TEST_LIVEKIT.apiSecret)
let mediator1: string
let mediator2: string
let police1: string

const APPLICANT = '13600001111'
const RESPONDENT = '13900139000'
const INTERPRETER = '13700007777'

beforeAll(async () => {
  twirp = createServer((req, res) => {
    let raw = ''
    req.on('data', (c) => {
      raw += c
    })
    req.on('end', async () => {
      const method = req.url?.split('/').at(-1) ?? ''
      const auth = (req.headers.authorization ?? '').replace(/^Bearer /, '')
      calls.push({ method, body: JSON.parse(raw || '{}'), grants: await verifier.verify(auth) })
      res.setHeader('content-type', 'application/json')
      const answers: Record<string, unknown> = {
        MutePublishedTrack: { track: { sid: 'TR_x', muted: true } },
        GetParticipant: {
          identity: 'x',
          tracks: [
            { sid: 'TR_cam9', type: 'VIDEO', source: 'CAMERA' },
            { sid: 'TR_mic9', type: 'AUDIO', source: 'MICROPHONE' },
            { sid: 'TR_mic8', type: 'AUDIO', source: 'MICROPHONE', muted: true },
          ],
        },
        StartRoomCompositeEgress: { egressId: 'EG_test1', roomName: 'x' },
        StopEgress: { egressId: 'EG_test1' },
      }
      res.end(JSON.stringify(answers[method] ?? {}))
    })
  })
  await new Promise<void>((r) => twirp.listen(0, '127.0.0.1', r))
  const port = (twirp.address() as AddressInfo).port
  sys = await makeSystem({
    seedStaff: true,
    video: liveKitVideo({ url: `ws://127.0.0.1:${port}`, credentials: async () => TEST_LIVEKIT }),
  })
  mediator1 = await sys.staffSignIn('mediator1')
  mediator2 = await sys.staffSignIn('mediator2')
  police1 = await sys.staffSignIn('police1')
})

afterAll(() => new Promise<void>((r) => twirp.close(() => r())))

const json = async (res: Response) => ({ status: res.status, body: await res.json() })

/** A case both parties agreed to mediate, with mediator1. */
async function consentedCase(applicant = APPLICANT) {
  const cookie = await sys.signIn(applicant)
  const created = await sys.call('POST', '/api/cases', {
    cookie,
    body: validCase(),
    headers: { 'idempotency-key': newKey() },
  })
  const id = (await created.json()).id as string
  let v = (await json(await sys.call('GET', `/api/cases/${id}`, { cookie: mediator1 }))).body
  await sys.call('POST', `/api/cases/${id}/actions`, {
    cookie: mediator1,
    body: { action: 'accept', expectedVersion: v.version, mediatorId: 'mediator1' },
  })
  const respondent = await sys.signIn(RESPONDENT)
  v = (await json(await sys.call('GET', `/api/cases/${id}`, { cookie: respondent }))).body
  const agreed = await sys.call('POST', `/api/cases/${id}/actions`, {
    cookie: respondent,
    body: { action: 'respond', expectedVersion: v.version, agreed: true },
  })
  expect(agreed.status).toBe(200)
  return { id, applicant: cookie, respondent }
}

const inMinutes = (m: number) => new Date(sys.clock.now().getTime() + m * 60_000).toISOString()

async function schedule(caseId: string, extras: unknown[] = [], startsIn = 5) {
  const res = await sys.call('POST', `/api/cases/${caseId}/sessions`, {
    cookie: mediator1,
    body: { startsAt: inMinutes(startsIn), durationMinutes: 60, extras },
  })
  const { status, body } = await json(res)
  expect(status, JSON.stringify(body)).toBe(201)
  return body
}

const post = (cookie: string, path: string, body?: unknown) => sys.call('POST', path, { cookie, body })
const control = (sid: string, body: unknown) => post(mediator1, `/api/sessions/${sid}/control`, body)

/** Signs a LiveKit webhook exactly as LiveKit does: a JWT with the body's SHA-256. */
async function webhook(event: Record<string, unknown>, secret = TEST_LIVEKIT.apiSecret) {
  const body = JSON.stringify({
    id: `EV_${Math.random().toString(36).slice(2)}`,
    createdAt: String(Math.floor(sys.clock.now().getTime() / 1000)),
    ...event,
  })
  const at = new AccessToken(TEST_LIVEKIT.apiKey, secret)
  at.sha256 = createHash('sha256').update(body).digest('base64')
  const token = await at.toJwt()
  return sys.call('POST', '/api/livekit/webhook', {
    body,
    headers: { authorization: token, 'content-type': 'application/webhook+json' },
  })
}

/** Runs a test with the clock moved, and puts it back after (sessions and codes are bound to it). */
async function withClock(test: (move: (to: Date) => void) => Promise<void>) {
  const saved = sys.clock.now()
  try {
    await test((to) => sys.clock.set(to))
  } finally {
    sys.clock.set(saved)
  }
}

describe('scheduling', () => {
  it('the mediator schedules a session; parties get an SMS with the time (China time) and the link', async () => {
    const c = await consentedCase()
    const s = await schedule(c.id, [], 60)
    expect(s).toMatchObject({ status: 'scheduled', caseId: c.id, joinable: false, me: { role: 'mediator' } })
    expect(s.participants.map((p: { role: string; side?: string }) => `${p.role}:${p.side ?? ''}`)).toEqual([
      'mediator:',
      'party:applicant',
      'party:respondent',
    ])
    const china = new Date(Date.parse(s.startsAt) + 8 * 3600_000).toISOString()
    const expectedTime = `${china.slice(0, 10)} ${china.slice(11, 16)}`
    for (const phone of [APPLICANT, RESPONDENT]) {
      const sms = sys.outbox.read(phone).at(-1)?.text ?? ''
      expect(sms).toContain(`/sessions/${s.id}`)
      expect(sms).toContain(expectedTime)
    }
    const timeline = (await json(await sys.call('GET', `/api/cases/${c.id}`, { cookie: c.applicant }))).body
      .timeline
    expect(timeline.at(-1)).toMatchObject({ type: 'session.scheduled' })
  })

  it('room names and identities carry no personal data', async () => {
    const c = await consentedCase()
    const s = await schedule(c.id)
    const stored = await sys.deps.store.getVideoSession(s.id)
    expect(stored?.room).toMatch(/^jf-[0-9a-z]{26}$/)
    for (const p of stored?.participants ?? []) expect(p.id).toMatch(/^p[A-Za-z0-9]{8,16}$/)
    expect(JSON.stringify(stored)).not.toContain(APPLICANT)
    expect(JSON.stringify(stored)).not.toContain(RESPONDENT)
  })

  it('refuses a case not yet consented, a party, another mediator, and an outsider', async () => {
    // Accepted, but the respondent has not agreed yet.
    const cookie = await sys.signIn('13600002222')
    const created = await sys.call('POST', '/api/cases', {
      cookie,
      body: validCase(),
      headers: { 'idempotency-key': newKey() },
    })
    const fresh = (await created.json()).id
    await sys.call('POST', `/api/cases/${fresh}/actions`, {
      cookie: mediator1,
      body: { action: 'accept', expectedVersion: 1, mediatorId: 'mediator1' },
    })
    const body = { startsAt: inMinutes(60) }
    const early = await json(await post(mediator1, `/api/cases/${fresh}/sessions`, body))
    expect(early).toMatchObject({ status: 409, body: { error: { code: 'session.case_not_ready' } } })
    const c = await consentedCase()
    expect((await post(c.applicant, `/api/cases/${c.id}/sessions`, body)).status).toBe(403)
    expect((await post(mediator2, `/api/cases/${c.id}/sessions`, body)).status).toBe(403)
    expect((await post(police1, `/api/cases/${c.id}/sessions`, body)).status).toBe(404)
    expect((await post(await sys.signIn('13600003333'), `/api/cases/${c.id}/sessions`, body)).status).toBe(
      404,
    )
  })

  it('explains bad input field by field, in the caller’s language', async () => {
    const c = await consentedCase()
    const bad = async (body: unknown) => {
      const res = await sys.call('POST', `/api/cases/${c.id}/sessions`, {
        cookie: mediator1,
        body,
        headers: { 'accept-language': 'en' },
      })
      expect(res.status).toBe(400)
      return (await res.json()).error
    }
    expect((await bad({ startsAt: inMinutes(-30) })).fields).toEqual({ startsAt: 'session.starts_in_past' })
    expect((await bad({ startsAt: 'tomorrow' })).fields).toMatchObject({ startsAt: 'validation.date' })
    expect((await bad({ startsAt: inMinutes(60), durationMinutes: 5 })).fields).toMatchObject({
      durationMinutes: 'session.duration',
    })
    const extra = await bad({
      startsAt: inMinutes(60),
      extras: [{ role: 'interpreter', name: '翻译' }],
    })
    expect(extra.fields).toMatchObject({
      'extras.0.phone': 'session.extra_contact',
      'extras.0.side': 'session.extra_side',
    })
    const unknown = await bad({
      startsAt: inMinutes(60),
      extras: [{ role: 'observer', name: '民警', staffUsername: 'nobody-here' }],
    })
    expect(unknown.fields).toEqual({ 'extras.0.staffUsername': 'session.unknown_staff' })
    expect(unknown.message).toMatch(/[A-Za-z]/)
    expect((await bad({ startsAt: inMinutes(60), record: true })).fields).toMatchObject({
      record: 'validation.unknown_field',
    })
  })
})

describe('joining: window, waiting room, admission and tokens', () => {
  it('shows the join button from 15 minutes before, and not after the end', async () => {
    const c = await consentedCase()
    const s = await schedule(c.id, [], 60)
    const list = async () =>
      (await json(await sys.call('GET', `/api/cases/${c.id}/sessions`, { cookie: c.applicant }))).body
        .items[0]
    expect(await list()).toMatchObject({ id: s.id, joinable: false })
    await withClock(async (move) => {
      move(new Date(Date.parse(s.startsAt) - 15 * 60_000))
      expect(await list()).toMatchObject({ joinable: true })
      expect((await post(c.applicant, `/api/sessions/${s.id}/wait`)).status).toBe(200)
      move(new Date(Date.parse(s.startsAt) + 4 * 3600_000))
      expect(await list()).toMatchObject({ joinable: false, status: 'ended' })
      const late = await json(await post(c.applicant, `/api/sessions/${s.id}/token`))
      expect(late).toMatchObject({ status: 409, body: { error: { code: 'session.ended' } } })
    })
  })

  it('parties wait until admitted; then get a 10-minute token with only camera and microphone', async () => {
    const c = await consentedCase()
    const later = await schedule(c.id, [], 60)
    const early = await json(await post(c.applicant, `/api/sessions/${later.id}/wait`))
    expect(early).toMatchObject({ status: 409, body: { error: { code: 'session.not_open' } } })
    const s = await schedule(c.id)
    const waiting = await json(await post(c.applicant, `/api/sessions/${s.id}/token`))
    expect(waiting).toMatchObject({ status: 409, body: { error: { code: 'session.waiting' } } })

    const me = (await json(await post(c.applicant, `/api/sessions/${s.id}/wait`))).body.me
    expect(me).toMatchObject({ role: 'party', side: 'applicant', state: 'waiting' })
    const seen = (await json(await sys.call('GET', `/api/sessions/${s.id}`, { cookie: mediator1 }))).body
    expect(seen.participants.find((p: { id: string }) => p.id === me.id)).toMatchObject({ waiting: true })
    // The respondent, also waiting, does not see the applicant until both are admitted.
    await post(c.respondent, `/api/sessions/${s.id}/wait`)
    const theirs = (await json(await sys.call('GET', `/api/sessions/${s.id}`, { cookie: c.respondent }))).body
    expect(theirs.participants.map((p: { side: string }) => p.side)).toEqual(['respondent'])

    expect((await control(s.id, { action: 'admit', participantId: me.id })).status).toBe(200)
    const issued = await json(await post(c.applicant, `/api/sessions/${s.id}/token`))
    expect(issued.status).toBe(200)
    expect(issued.body).toMatchObject({ room: s.room ?? expect.any(String), identity: me.id })
    expect(issued.body.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/)
    const claims = await verifier.verify(issued.body.token)
    expect(claims.sub).toBe(me.id)
    expect(claims.video).toMatchObject({
      roomJoin: true,
      room: issued.body.room,
      canPublish: true,
      canSubscribe: true,
      canPublishData: false,
      canUpdateOwnMetadata: false,
      hidden: false,
    })
    expect(claims.video?.roomAdmin).toBeFalsy()
    expect(claims.video?.canPublishSources).toEqual(['camera', 'microphone'])
    expect(claims.attributes).toEqual({ role: 'party', side: 'applicant' })
    expect((claims.exp ?? 0) - (claims.nbf ?? 0)).toBe(600)
    expect(issued.body.room).toMatch(/^jf-/)
  })

  it('the mediator gets a room-admin token at once; others get nothing', async () => {
    const c = await consentedCase()
    const s = await schedule(c.id)
    const mine = await json(await post(mediator1, `/api/sessions/${s.id}/token`))
    expect(mine.status).toBe(200)
    const claims = await verifier.verify(mine.body.token)
    expect(claims.video).toMatchObject({
      roomJoin: true,
      roomAdmin: true,
      canPublish: true,
      canSubscribe: true,
    })
    expect(claims.video?.room).toBe(mine.body.room)

    for (const outsider of [mediator2, police1, await sys.signIn('13600004444')]) {
      const res = await json(await post(outsider, `/api/sessions/${s.id}/token`))
      expect(res).toMatchObject({ status: 404, body: { error: { code: 'session.not_found' } } })
      expect((await sys.call('GET', `/api/sessions/${s.id}`, { cookie: outsider })).status).toBe(404)
    }
    expect((await sys.call('POST', `/api/sessions/${s.id}/token`)).status).toBe(401)
    expect((await sys.call('GET', '/api/sessions/not-a-session-id', { cookie: mediator1 })).status).toBe(404)
    // Parties cannot use the mediator's controls.
    const me = (await json(await post(c.applicant, `/api/sessions/${s.id}/wait`))).body.me
    const selfAdmit = await post(c.applicant, `/api/sessions/${s.id}/control`, {
      action: 'admit',
      participantId: me.id,
    })
    expect(selfAdmit.status).toBe(403)
  })

  it('an interpreter joins with their party and an observer is hidden and listen-only', async () => {
    const c = await consentedCase()
    const s = await schedule(c.id, [
      { role: 'interpreter', name: '阿依古丽', phone: INTERPRETER, side: 'applicant' },
      { role: 'observer', name: '社区民警', staffUsername: 'police1' },
    ])
    expect(sys.outbox.read(INTERPRETER).at(-1)?.text).toContain(`/sessions/${s.id}`)
    const interpreter = await sys.signIn(INTERPRETER)
    const party = (await json(await post(c.applicant, `/api/sessions/${s.id}/wait`))).body.me
    const mine = (await json(await post(interpreter, `/api/sessions/${s.id}/wait`))).body.me
    expect(mine).toMatchObject({ role: 'interpreter', side: 'applicant', name: '阿依古丽' })
    await control(s.id, { action: 'admit', participantId: party.id })
    const token = await json(await post(interpreter, `/api/sessions/${s.id}/token`))
    expect(token.status).toBe(200)

    const watching = await json(await post(police1, `/api/sessions/${s.id}/token`))
    expect(watching.status).toBe(409) // observers wait to be admitted too
    const observer = s.participants.find((p: { role: string }) => p.role === 'observer')
    await control(s.id, { action: 'admit', participantId: observer.id })
    const claims = await verifier.verify(
      (await json(await post(police1, `/api/sessions/${s.id}/token`))).body.token,
    )
    expect(claims.video).toMatchObject({
      hidden: true,
      canPublish: false,
      canSubscribe: true,
      canPublishData: false,
    })
    // Parties do not see the observer in the list.
    const partyView = (await json(await sys.call('GET', `/api/sessions/${s.id}`, { cookie: c.applicant })))
      .body
    expect(partyView.participants.some((p: { role: string }) => p.role === 'observer')).toBe(false)
  })

  it('answers 503 with a clear message when video is not configured', async () => {
    const bare = await makeSystem({ seedStaff: true, video: null })
    const m = await bare.staffSignIn('mediator1')
    const cookie = await bare.signIn(APPLICANT)
    const id = (
      await (
        await bare.call('POST', '/api/cases', {
          cookie,
          body: validCase(),
          headers: { 'idempotency-key': newKey() },
        })
      ).json()
    ).id
    const stored = await bare.deps.store.getCase(id)
    if (!stored) throw new Error('case missing')
    await bare.deps.store.applyTransition(
      { ...stored, status: 'in_mediation', mediatorId: 'mediator1', version: stored.version + 1 },
      stored.version,
      { at: stored.createdAt, type: 'case.accept', actorRole: 'staff' },
      stored,
    )
    const s = (
      await (
        await bare.call('POST', `/api/cases/${id}/sessions`, {
          cookie: m,
          body: { startsAt: new Date(bare.clock.now().getTime() + 5 * 60_000).toISOString() },
        })
      ).json()
    ).id
    const res = await bare.call('POST', `/api/sessions/${s}/token`, { cookie: m })
    expect(res.status).toBe(503)
    expect((await res.json()).error.code).toBe('video.not_configured')
  })
})

describe('room control goes to LiveKit server-side', () => {
  async function liveSession() {
    const c = await consentedCase()
    const s = await schedule(c.id, [
      { role: 'interpreter', name: '翻译', phone: INTERPRETER, side: 'respondent' },
    ])
    const a = (await json(await post(c.applicant, `/api/sessions/${s.id}/wait`))).body.me
    const r = (await json(await post(c.respondent, `/api/sessions/${s.id}/wait`))).body.me
    const i = s.participants.find((p: { role: string }) => p.role === 'interpreter')
    await control(s.id, { action: 'admit', participantId: a.id })
    await control(s.id, { action: 'admit', participantId: r.id })
    const stored = await sys.deps.store.getVideoSession(s.id)
    for (const id of [a.id, r.id, i.id])
      expect(
        (
          await webhook({
            event: 'participant_joined',
            room: { name: stored?.room },
            participant: { identity: id },
          })
        ).status,
      ).toBe(200)
    calls.length = 0
    return { c, s, a, r, i, room: stored?.room as string }
  }

  it('a caucus holds the other side (and its interpreter) without hearing or being heard, then brings them back', async () => {
    const { c, s, a, r, i, room } = await liveSession()
    const res = await json(await control(s.id, { action: 'caucus', side: 'applicant' }))
    expect(res.body.caucus).toBe('applicant')
    const updates = calls.filter((x) => x.method === 'UpdateParticipant')
    const perm = (id: string) =>
      updates.find((u) => u.body.identity === id)?.body.permission as
        | { canPublish?: boolean; canSubscribe?: boolean }
        | undefined
    // Proto JSON leaves out false values: absent is false.
    for (const id of [r.id, i.id]) {
      expect(perm(id)?.canPublish ?? false).toBe(false)
      expect(perm(id)?.canSubscribe ?? false).toBe(false)
    }
    expect(perm(a.id)).toMatchObject({ canPublish: true, canSubscribe: true })
    for (const u of updates) {
      expect(u.body.room).toBe(room)
      expect(u.grants.video).toMatchObject({ roomAdmin: true, room })
    }
    // A held party who reconnects gets a token that still cannot hear.
    const held = await verifier.verify(
      (await json(await post(c.respondent, `/api/sessions/${s.id}/token`))).body.token,
    )
    expect(held.video).toMatchObject({ canPublish: false, canSubscribe: false })
    const seen = (await json(await sys.call('GET', `/api/sessions/${s.id}`, { cookie: c.respondent }))).body
    expect(seen.me.location).toBe('held')

    calls.length = 0
    await control(s.id, { action: 'end_caucus' })
    const back = calls.filter((x) => x.method === 'UpdateParticipant')
    expect(back.map((u) => u.body.identity).sort()).toEqual([a.id, r.id, i.id].sort())
    for (const u of back) expect(u.body.permission).toMatchObject({ canPublish: true, canSubscribe: true })
    const timeline = (await json(await sys.call('GET', `/api/cases/${c.id}`, { cookie: mediator1 }))).body
      .timeline
    expect(timeline.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['session.caucus_started', 'session.caucus_ended']),
    )
  })

  it('mute and remove are Twirp calls; a removed party cannot come back, even with an old token', async () => {
    const { c, s, r, room } = await liveSession()
    const before = await json(await post(c.respondent, `/api/sessions/${s.id}/token`))
    expect(before.status).toBe(200)
    await control(s.id, { action: 'mute', participantId: r.id, trackSid: 'TR_mic1' })
    expect(calls.at(-1)).toMatchObject({
      method: 'MutePublishedTrack',
      body: { room, identity: r.id, trackSid: 'TR_mic1', muted: true },
    })
    // Without a track id (the mediator's own video is not connected): every live microphone track.
    calls.length = 0
    await control(s.id, { action: 'mute', participantId: r.id })
    expect(calls.map((x) => [x.method, x.body.trackSid ?? x.body.identity])).toEqual([
      ['GetParticipant', r.id],
      ['MutePublishedTrack', 'TR_mic9'],
    ])
    await control(s.id, { action: 'remove', participantId: r.id })
    const removal = calls.at(-1)
    expect(removal).toMatchObject({ method: 'RemoveParticipant', body: { room, identity: r.id } })
    expect(Number(removal?.body.revokeTokenTs)).toBeGreaterThanOrEqual(
      Math.floor(sys.clock.now().getTime() / 1000),
    )
    const again = await json(await post(c.respondent, `/api/sessions/${s.id}/token`))
    expect(again).toMatchObject({ status: 403, body: { error: { code: 'session.removed' } } })
    // Reconnecting with the token issued before removal: the join webhook removes them again.
    calls.length = 0
    await webhook({ event: 'participant_joined', room: { name: room }, participant: { identity: r.id } })
    expect(calls.map((x) => x.method)).toEqual(['RemoveParticipant'])
  })

  it('records only once every party consented; a withdrawn consent stops the recording', async () => {
    const { c, s, r } = await liveSession()
    const refused = await json(await control(s.id, { action: 'start_recording' }))
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'session.consent_missing' } } })
    expect(calls.some((x) => x.method === 'StartRoomCompositeEgress')).toBe(false)

    const interpreter = await sys.signIn(INTERPRETER)
    for (const who of [c.applicant, c.respondent, interpreter])
      expect((await post(who, `/api/sessions/${s.id}/consent`, { recording: true })).status).toBe(200)
    expect((await post(mediator1, `/api/sessions/${s.id}/consent`, { recording: true })).status).toBe(409)
    const started = await json(await control(s.id, { action: 'start_recording' }))
    expect(started.body.recording.state).toBe('active')
    expect(calls.find((x) => x.method === 'StartRoomCompositeEgress')?.body).toMatchObject({
      roomName: expect.stringMatching(/^jf-/),
    })
    expect((await sys.deps.store.getVideoSession(s.id))?.recording?.egressId).toBe('EG_test1')

    const withdrawn = await json(
      await post(c.respondent, `/api/sessions/${s.id}/consent`, { recording: false }),
    )
    expect(withdrawn.body.recording.state).toBe('off')
    expect(calls.at(-1)).toMatchObject({ method: 'StopEgress', body: { egressId: 'EG_test1' } })
    const types = (
      await json(await sys.call('GET', `/api/cases/${c.id}`, { cookie: c.applicant }))
    ).body.timeline.map((e: { type: string }) => e.type)
    expect(types).toEqual(
      expect.arrayContaining([
        'session.recording_consented',
        'session.recording_started',
        'session.recording_refused',
        'session.recording_stopped',
      ]),
    )
    expect(r.side).toBe('respondent')
  })

  it('shares the mediator’s notes with the parties, who cannot edit them', async () => {
    const { c, s } = await liveSession()
    const saved = await sys.call('PUT', `/api/sessions/${s.id}/notes`, {
      cookie: mediator1,
      body: { text: '双方同意：王某于12月10日前支付工资6000元。' },
    })
    expect(saved.status).toBe(200)
    const seen = (await json(await sys.call('GET', `/api/sessions/${s.id}`, { cookie: c.applicant }))).body
    expect(seen.notes.text).toContain('6000元')
    const edit = await sys.call('PUT', `/api/sessions/${s.id}/notes`, {
      cookie: c.applicant,
      body: { text: 'x' },
    })
    expect(edit.status).toBe(403)
    const long = await sys.call('PUT', `/api/sessions/${s.id}/notes`, {
      cookie: mediator1,
      body: { text: 'x'.repeat(4001) },
    })
    expect(long.status).toBe(400)
  })

  it('ending the session closes the room; nobody can join afterwards', async () => {
    const { c, s, room } = await liveSession()
    const ended = await json(await control(s.id, { action: 'end' }))
    expect(ended.body.status).toBe('ended')
    expect(calls.at(-1)).toMatchObject({ method: 'DeleteRoom', body: { room } })
    const res = await json(await post(c.applicant, `/api/sessions/${s.id}/token`))
    expect(res).toMatchObject({ status: 409, body: { error: { code: 'session.ended' } } })
  })
})

describe('webhooks: attendance on the timeline, forgeries refused', () => {
  it('writes who joined and left, and for how long, from signed events', async () => {
    const c = await consentedCase()
    const s = await schedule(c.id)
    const me = (await json(await post(c.applicant, `/api/sessions/${s.id}/wait`))).body.me
    await control(s.id, { action: 'admit', participantId: me.id })
    const room = (await sys.deps.store.getVideoSession(s.id))?.room
    const joined = await json(
      await webhook({ event: 'participant_joined', room: { name: room }, participant: { identity: me.id } }),
    )
    expect(joined.body.result).toBe('applied')
    const live = (await json(await sys.call('GET', `/api/sessions/${s.id}`, { cookie: mediator1 }))).body
    expect(live.participants.find((p: { id: string }) => p.id === me.id)).toMatchObject({ connected: true })
    sys.clock.advance(25 * 60)
    await webhook({ event: 'participant_left', room: { name: room }, participant: { identity: me.id } })
    await webhook({ event: 'room_finished', room: { name: room } })
    const timeline = (await json(await sys.call('GET', `/api/cases/${c.id}`, { cookie: c.applicant }))).body
      .timeline
    const video = timeline.filter((e: { type: string }) => e.type.startsWith('video.'))
    expect(video).toEqual([
      expect.objectContaining({ type: 'video.joined', meta: { role: 'party', side: 'applicant' } }),
      expect.objectContaining({
        type: 'video.left',
        meta: { role: 'party', side: 'applicant', minutes: 25 },
      }),
      expect.objectContaining({ type: 'video.attendance', meta: { 'party.applicant': 25 } }),
    ])
    expect(JSON.stringify(video)).not.toContain(APPLICANT)
  })

  it('refuses forged, unsigned, tampered and stale events, and applies a repeated delivery once', async () => {
    const c = await consentedCase()
    const s = await schedule(c.id)
    const room = (await sys.deps.store.getVideoSession(s.id))?.room
    const event = { event: 'room_finished', room: { name: room } }
    const forged = await json(await webhook(event, 'some-other-secret-some-other-secret-xx'))
    expect(forged).toMatchObject({ status: 401, body: { error: { code: 'webhook.invalid' } } })
    const unsigned = await sys.call('POST', '/api/livekit/webhook', {
      body: JSON.stringify(event),
      headers: { 'content-type': 'application/webhook+json' },
    })
    expect(unsigned.status).toBe(401)

    // A signature for one body does not cover another.
    const body = JSON.stringify({
      id: 'EV_a',
      createdAt: String(Math.floor(sys.clock.now().getTime() / 1000)),
      ...event,
    })
    const at = new AccessToken(TEST_LIVEKIT.apiKey, TEST_LIVEKIT.apiSecret)
    at.sha256 = createHash('sha256').update(body).digest('base64')
    const token = await at.toJwt()
    const tampered = await sys.call('POST', '/api/livekit/webhook', {
      body: body.replace('room_finished', 'participant_left'),
      headers: { authorization: token },
    })
    expect(tampered.status).toBe(401)

    const stale = await json(
      await webhook({ ...event, createdAt: String(Math.floor(sys.clock.now().getTime() / 1000) - 3600) }),
    )
    expect(stale).toMatchObject({ status: 401, body: { error: { code: 'webhook.stale' } } })

    const once = await sys.call('POST', '/api/livekit/webhook', { body, headers: { authorization: token } })
    const twice = await sys.call('POST', '/api/livekit/webhook', { body, headers: { authorization: token } })
    expect((await once.json()).result).toBe('applied')
    expect((await twice.json()).result).toBe('duplicate')
    const timeline = (await json(await sys.call('GET', `/api/cases/${c.id}`, { cookie: mediator1 }))).body
      .timeline
    expect(timeline.filter((e: { type: string }) => e.type === 'video.attendance')).toHaveLength(1)
  })
})

describe('authorization matrix: session routes', () => {
  it('every session route refuses outsiders as a missing session, and anonymous callers with 401', async () => {
    const c = await consentedCase()
    const s = await schedule(c.id)
    const doc = await (await sys.call('GET', '/api/openapi.json')).json()
    const routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .filter(([path]) => path.includes('{sessionId}'))
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
    const bodies: Record<string, unknown> = {
      'POST /api/sessions/{sessionId}/consent': { recording: true },
      'POST /api/sessions/{sessionId}/control': { action: 'end' },
      'PUT /api/sessions/{sessionId}/notes': { text: '越权' },
    }
    expect(routes.sort()).toEqual(
      [
        'GET /api/sessions/{sessionId}',
        'POST /api/sessions/{sessionId}/consent',
        'POST /api/sessions/{sessionId}/control',
        'PUT /api/sessions/{sessionId}/notes',
        'POST /api/sessions/{sessionId}/token',
        'POST /api/sessions/{sessionId}/wait',
      ].sort(),
    )
    const outsiders = [
      mediator2,
      police1,
      await sys.signIn('13600005555'),
      await sys.staffSignIn('supervisor1'),
    ]
    for (const route of routes) {
      const [method, path] = route.split(' ') as [string, string]
      const url = path.replace('{sessionId}', s.id)
      const anon = await sys.call(method, url, { body: bodies[route] })
      expect(anon.status, route).toBe(401)
      for (const cookie of outsiders) {
        const res = await sys.call(method, url, { cookie, body: bodies[route] })
        expect(res.status, `${route}`).toBe(404)
        expect((await res.json()).error.code).toBe('session.not_found')
      }
    }
    expect((await sys.deps.store.getVideoSession(s.id))?.status).toBe('scheduled')
  })
})

describe('when LiveKit cannot be reached', () => {
  it('room control answers 503 with a clear message after the roster is written, and can be retried', async () => {
    const down = await makeSystem({ seedStaff: true }) // LiveKit at a closed port
    const mediator = await down.staffSignIn('mediator1')
    const applicant = await down.signIn(APPLICANT)
    const id = (
      await (
        await down.call('POST', '/api/cases', {
          cookie: applicant,
          body: validCase(),
          headers: { 'idempotency-key': newKey() },
        })
      ).json()
    ).id
    const stored = await down.deps.store.getCase(id)
    if (!stored) throw new Error('case missing')
    await down.deps.store.applyTransition(
      { ...stored, status: 'in_mediation', mediatorId: 'mediator1', version: stored.version + 1 },
      stored.version,
      { at: stored.createdAt, type: 'case.accept', actorRole: 'staff' },
      stored,
    )
    const s = await (
      await down.call('POST', `/api/cases/${id}/sessions`, {
        cookie: mediator,
        body: { startsAt: new Date(down.clock.now().getTime() + 5 * 60_000).toISOString() },
      })
    ).json()
    const me = (await (await down.call('POST', `/api/sessions/${s.id}/wait`, { cookie: applicant })).json())
      .me
    const control = (body: unknown) =>
      down.call('POST', `/api/sessions/${s.id}/control`, { cookie: mediator, body })
    for (let attempt = 0; attempt < 2; attempt++) {
      const res = await control({ action: 'remove', participantId: me.id })
      expect(res.status).toBe(503)
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
      expect((await res.json()).error.code).toBe('video.unreachable')
    }
    expect(
      (await down.deps.store.getVideoSession(s.id))?.participants.find((p) => p.id === me.id)?.state,
    ).toBe('removed')
    // Ending does not depend on reaching LiveKit: no token is issued for an ended session.
    const ended = await control({ action: 'end' })
    expect(ended.status).toBe(200)
    expect((await ended.json()).status).toBe('ended')
  })
})
