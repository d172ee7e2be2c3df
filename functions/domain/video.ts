import { z } from 'zod'
import { assertCanSee, relationTo } from './access.ts'
import type { Actor } from './actor.ts'
import { type CaseRecord, chinaDate, type TimelineEvent } from './case.ts'
import { VisibleError } from './errors.ts'
import { textAfterWrite } from './notify.ts'
import { Phone } from './phone.ts'
import type { Deps, VideoPermission, VideoService } from './ports.ts'

/**
 * Video mediation sessions. The roster (who may join, who is waiting, who is admitted, who is in a
 * caucus) lives here and in DynamoDB; LiveKit only carries the media. Every decision — a token, an
 * admission, a caucus, a removal — is taken server-side from the roster and enforced by LiveKit
 * through tokens and room-control calls, never trusted to the client.
 */

export const SESSION_ROLES = ['mediator', 'party', 'interpreter', 'support', 'observer'] as const
export type SessionRole = (typeof SESSION_ROLES)[number]
export const SIDES = ['applicant', 'respondent'] as const
export type Side = (typeof SIDES)[number]
export const SESSION_STATUSES = ['scheduled', 'live', 'ended', 'cancelled'] as const
export type SessionStatus = (typeof SESSION_STATUSES)[number]
export const PARTICIPANT_STATES = ['expected', 'waiting', 'admitted', 'removed'] as const
export type ParticipantState = (typeof PARTICIPANT_STATES)[number]

/** A token only gates the first connect, so it is short-lived. */
export const TOKEN_TTL_SECONDS = 600
/** The room opens this long before the start. */
export const JOIN_OPENS_MINUTES = 15
/** How long after its planned end a session can still be joined, when nobody ended it. */
const GRACE_MINUTES = 120
/** A waiting participant counts as present while their heartbeat is younger than this. */
const WAITING_FRESH_SECONDS = 30

export interface SessionParticipant {
  /** Also the LiveKit identity: random, no personal data. */
  id: string
  role: SessionRole
  side?: Side
  /** Display name given by the mediator for extras; empty for parties and the mediator. */
  name: string
  /** Staff who join by their account (the mediator, staff observers). */
  staff?: string
  /** Extras who join with their phone: the keyed hash only. */
  phoneKey?: string
  state: ParticipantState
  seenAt?: string
  recordingConsent?: boolean
  /** Set while connected (from webhooks). */
  connectedSince?: string
  attendedSeconds: number
}

export interface VideoSession {
  id: string
  caseId: string
  caseNumber: string
  orgId: string
  /** `jf-<id>`: no personal data. */
  room: string
  startsAt: string
  durationMinutes: number
  status: SessionStatus
  createdBy: string
  createdAt: string
  updatedAt: string
  version: number
  participants: SessionParticipant[]
  caucus?: Side
  recording?: { state: 'active' | 'off'; egressId?: string; startedAt?: string }
  notes: { text: string; updatedAt?: string }
}

const displayName = z
  .string({ error: 'validation.required' })
  .trim()
  .min(1, { error: 'validation.required' })
  .max(40, { error: 'validation.too_long' })

export const ScheduleInput = z
  .strictObject({
    startsAt: z.iso.datetime({ offset: true, error: 'validation.date' }),
    durationMinutes: z
      .number({ error: 'validation.number' })
      .int({ error: 'validation.number' })
      .min(15, { error: 'session.duration' })
      .max(240, { error: 'session.duration' })
      .default(60),
    extras: z
      .array(
        z
          .strictObject({
            role: z.enum(['interpreter', 'support', 'observer'], { error: 'validation.option' }),
            name: displayName,
            phone: Phone.optional(),
            staffUsername: z.string().trim().min(1).max(64).optional(),
            side: z.enum(SIDES, { error: 'validation.option' }).optional(),
          })
          .superRefine((x, ctx) => {
            if (!x.phone === !x.staffUsername)
              ctx.addIssue({ code: 'custom', path: ['phone'], message: 'session.extra_contact' })
            if (x.role !== 'observer' && !x.side)
              ctx.addIssue({ code: 'custom', path: ['side'], message: 'session.extra_side' })
          }),
      )
      .max(6, { error: 'session.too_many_extras' })
      .default([]),
  })
  .meta({ id: 'ScheduleSession' })
export type ScheduleInput = z.infer<typeof ScheduleInput>

export const ControlInput = z
  .discriminatedUnion(
    'action',
    [
      z.strictObject({ action: z.literal('admit'), participantId: z.string().min(1).max(40) }),
      z.strictObject({ action: z.literal('remove'), participantId: z.string().min(1).max(40) }),
      z.strictObject({
        action: z.literal('mute'),
        participantId: z.string().min(1).max(40),
        /** One track; without it, every microphone track the participant publishes. */
        trackSid: z.string().min(1).max(64).optional(),
      }),
      z.strictObject({ action: z.literal('caucus'), side: z.enum(SIDES, { error: 'validation.option' }) }),
      z.strictObject({ action: z.literal('end_caucus') }),
      z.strictObject({ action: z.literal('start_recording') }),
      z.strictObject({ action: z.literal('stop_recording') }),
      z.strictObject({ action: z.literal('end') }),
    ],
    { error: 'session.unknown_action' },
  )
  .meta({ id: 'SessionControl' })
export type ControlInput = z.infer<typeof ControlInput>

export const NotesInput = z
  .strictObject({ text: z.string({ error: 'validation.type' }).max(4000, { error: 'validation.too_long' }) })
  .meta({ id: 'SessionNotes' })

export const ConsentInput = z.strictObject({ recording: z.boolean({ error: 'validation.type' }) })

const ParticipantView = z
  .object({
    id: z.string(),
    role: z.enum(SESSION_ROLES),
    side: z.enum(SIDES).optional(),
    name: z.string(),
    state: z.enum(PARTICIPANT_STATES),
    location: z.enum(['main', 'caucus', 'held']),
    connected: z.boolean(),
    waiting: z.boolean(),
    recordingConsent: z.boolean().nullable(),
  })
  .meta({ id: 'SessionParticipant' })
export type ParticipantView = z.infer<typeof ParticipantView>

export const SessionSummary = z
  .object({
    id: z.string(),
    startsAt: z.string(),
    durationMinutes: z.number(),
    status: z.enum(SESSION_STATUSES),
    joinOpensAt: z.string(),
    joinable: z.boolean(),
  })
  .meta({ id: 'SessionSummary' })

export const SessionView = SessionSummary.extend({
  caseId: z.string(),
  caseNumber: z.string(),
  me: ParticipantView,
  participants: z.array(ParticipantView),
  caucus: z.enum(SIDES).nullable(),
  recording: z.object({ state: z.enum(['off', 'active']), startedAt: z.string().optional() }),
  consentsComplete: z.boolean(),
  notes: z.object({ text: z.string(), updatedAt: z.string().optional() }),
  version: z.number(),
}).meta({ id: 'VideoSession' })
export type SessionView = z.infer<typeof SessionView>

export const JoinToken = z
  .object({
    url: z.string(),
    token: z.string(),
    room: z.string(),
    identity: z.string(),
    expiresAt: z.string(),
  })
  .meta({ id: 'JoinToken' })

// ---------- pure rules ----------

const addMinutes = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000)
export const joinOpensAt = (s: Pick<VideoSession, 'startsAt'>) => addMinutes(s.startsAt, -JOIN_OPENS_MINUTES)
const closesAt = (s: VideoSession) => addMinutes(s.startsAt, s.durationMinutes + GRACE_MINUTES)
const isOver = (s: VideoSession, now: Date) =>
  s.status === 'ended' || s.status === 'cancelled' || now > closesAt(s)
export const isJoinable = (s: VideoSession, now: Date) => now >= joinOpensAt(s) && !isOver(s, now)

/** Everyone whose picture and voice would be recorded: all but the mediator and observers. */
const mustConsent = (p: SessionParticipant) =>
  p.role !== 'mediator' && p.role !== 'observer' && p.state !== 'removed'
export const consentsComplete = (s: VideoSession) =>
  s.participants.filter(mustConsent).every((p) => p.recordingConsent === true)

export function locationOf(s: VideoSession, p: SessionParticipant): 'main' | 'caucus' | 'held' {
  if (!s.caucus || p.role === 'mediator' || p.role === 'observer') return 'main'
  return p.side === s.caucus ? 'caucus' : 'held'
}

/** The least a participant needs: parties camera and microphone only; observers hidden and listening. */
export function permissionFor(s: VideoSession, p: SessionParticipant): VideoPermission {
  if (p.role === 'mediator') return { canPublish: true, canSubscribe: true, canPublishData: true }
  if (p.role === 'observer')
    return { canPublish: false, canSubscribe: true, canPublishData: false, hidden: true }
  const held = locationOf(s, p) === 'held'
  return {
    canPublish: !held,
    canSubscribe: !held,
    canPublishData: false,
    canPublishSources: ['camera', 'microphone'],
  }
}

/** The words for a participant on the timeline: role and side, never a name or number. */
const who = (p: SessionParticipant) => ({ role: p.role, ...(p.side ? { side: p.side } : {}) })

// ---------- service ----------

const video = (deps: Deps): VideoService => {
  if (!deps.video) throw new VisibleError('unavailable', 'video.not_configured')
  return deps.video
}

const isController = (actor: Actor, record: CaseRecord) =>
  actor.kind === 'staff' &&
  relationTo(actor, record) === 'handling_org' &&
  (actor.role === 'centre_admin' || (actor.role === 'mediator' && record.mediatorId === actor.username))

const roomName = (id: string) => `jf-${id.toLowerCase()}`
export const sessionIdFromRoom = (room: string) =>
  room.startsWith('jf-') ? room.slice(3).toUpperCase() : undefined

function newParticipant(deps: Deps, fields: Omit<SessionParticipant, 'id' | 'state' | 'attendedSeconds'>) {
  return {
    id: `p${deps.crypto
      .randomToken()
      .replace(/[^a-zA-Z0-9]/g, '')
      .slice(0, 16)}`,
    state: 'expected',
    attendedSeconds: 0,
    ...fields,
  } as SessionParticipant
}

/** The mediator schedules a session for a consented case; the parties get an SMS with the time and the link. */
export async function scheduleSession(deps: Deps, actor: Actor, caseId: string, input: ScheduleInput) {
  const { record } = assertCanSee(actor, await deps.store.getCase(caseId))
  if (!isController(actor, record) || actor.kind !== 'staff')
    throw new VisibleError('forbidden', 'auth.forbidden')
  if (record.status !== 'in_mediation' || !record.mediatorId)
    throw new VisibleError('conflict', 'session.case_not_ready')
  const now = deps.clock.now()
  if (Date.parse(input.startsAt) < now.getTime() - 60_000)
    throw new VisibleError('input', 'validation.failed', undefined, { startsAt: 'session.starts_in_past' })
  const fields: Record<string, string> = {}
  for (const [i, x] of input.extras.entries()) {
    if (!x.staffUsername) continue
    const staff = await deps.store.getStaff(x.staffUsername)
    if (!staff?.active) fields[`extras.${i}.staffUsername`] = 'session.unknown_staff'
  }
  if (Object.keys(fields).length) throw new VisibleError('input', 'validation.failed', undefined, fields)

  const id = deps.crypto.id()
  const participants: SessionParticipant[] = [
    newParticipant(deps, { role: 'mediator', name: '', staff: record.mediatorId }),
    newParticipant(deps, { role: 'party', side: 'applicant', name: '' }),
    newParticipant(deps, { role: 'party', side: 'respondent', name: '' }),
    ...input.extras.map((x) =>
      newParticipant(deps, {
        role: x.role,
        side: x.side,
        name: x.name,
        staff: x.staffUsername,
        phoneKey: x.phone ? deps.crypto.hmac(`phone:${x.phone}`) : undefined,
      }),
    ),
  ]
  const session: VideoSession = {
    id,
    caseId,
    caseNumber: record.number,
    orgId: record.orgId ?? '',
    room: roomName(id),
    startsAt: new Date(input.startsAt).toISOString(),
    durationMinutes: input.durationMinutes,
    status: 'scheduled',
    createdBy: actor.username,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    version: 1,
    participants,
    notes: { text: '' },
  }
  await deps.store.createVideoSession(session, {
    at: now.toISOString(),
    type: 'session.scheduled',
    actorRole: 'staff',
    by: actor.username,
    meta: { startsAt: session.startsAt, durationMinutes: session.durationMinutes },
  })

  const when = chinaTime(session.startsAt)
  const text = `【解纷】案件${record.number}的视频调解定于${when}（北京时间）进行，无需到场。请在开始前15分钟内打开以下链接，用本手机号登录后进入调解室：${deps.publicUrl ?? ''}/sessions/${id}`
  const phones = [record.applicantPhone, record.input.respondent.phone, ...input.extras.map((x) => x.phone)]
  for (const phone of new Set(phones.filter((p): p is string => !!p)))
    await textAfterWrite(deps, 'session-scheduled', phone, text)
  return view(session, session.participants[0] as SessionParticipant, now)
}

/** 2026-11-25 14:30, China time. */
function chinaTime(iso: string) {
  const d = new Date(Date.parse(iso) + 8 * 3600_000)
  return `${chinaDate(new Date(iso))} ${d.toISOString().slice(11, 16)}`
}

/** A case's sessions, for anyone who can see the case. */
export async function sessionsOfCase(deps: Deps, actor: Actor, caseId: string) {
  assertCanSee(actor, await deps.store.getCase(caseId))
  const now = deps.clock.now()
  return (await deps.store.videoSessionsOfCase(caseId)).map((s) => summary(s, now))
}

function summary(s: VideoSession, now: Date): z.infer<typeof SessionSummary> {
  return {
    id: s.id,
    startsAt: s.startsAt,
    durationMinutes: s.durationMinutes,
    status: s.status === 'scheduled' && now > closesAt(s) ? 'ended' : s.status,
    joinOpensAt: joinOpensAt(s).toISOString(),
    joinable: isJoinable(s, now),
  }
}

function participantView(s: VideoSession, p: SessionParticipant, now: Date): ParticipantView {
  return {
    id: p.id,
    role: p.role,
    ...(p.side ? { side: p.side } : {}),
    name: p.name,
    state: p.state,
    location: locationOf(s, p),
    connected: !!p.connectedSince,
    waiting:
      p.state === 'waiting' &&
      !!p.seenAt &&
      now.getTime() - Date.parse(p.seenAt) < WAITING_FRESH_SECONDS * 1000,
    recordingConsent: p.recordingConsent ?? null,
  }
}

function view(s: VideoSession, me: SessionParticipant, now: Date): SessionView {
  const everyone = me.role === 'mediator'
  return {
    ...summary(s, now),
    caseId: s.caseId,
    caseNumber: s.caseNumber,
    me: participantView(s, me, now),
    participants: s.participants
      .filter((p) => everyone || p.id === me.id || (p.state === 'admitted' && p.role !== 'observer'))
      .map((p) => participantView(s, p, now)),
    caucus: s.caucus ?? null,
    recording: {
      state: s.recording?.state ?? 'off',
      ...(s.recording?.state === 'active' && s.recording.startedAt
        ? { startedAt: s.recording.startedAt }
        : {}),
    },
    consentsComplete: consentsComplete(s),
    notes: s.notes,
    version: s.version,
  }
}

/**
 * Who the caller is in this session, or a 404 that looks like a missing session. Parties are
 * recognised through the case (applicant or invited respondent); extras by phone or staff account;
 * the case's mediator and the centre's admins are mediators (an admin gets a roster entry on first
 * use).
 */
async function find(deps: Deps, actor: Actor, sessionId: string) {
  const session = await deps.store.getVideoSession(sessionId)
  const notFound = new VisibleError('not_found', 'session.not_found')
  if (!session || actor.kind === 'anonymous' || actor.kind === 'system') throw notFound
  let me: SessionParticipant | undefined
  if (actor.kind === 'staff') {
    const entry = session.participants.find((p) => p.staff === actor.username)
    if (entry && entry.role !== 'mediator') me = entry
    else {
      // Control follows the case: a mediator whose case moved on is no longer in charge.
      const record = await deps.store.getCase(session.caseId)
      if (record && isController(actor, record)) {
        if (entry) me = entry
        else {
          const added = newParticipant(deps, { role: 'mediator', name: '', staff: actor.username })
          return { session, me: added, added: true }
        }
      }
    }
  } else {
    const phoneKey = deps.crypto.hmac(`phone:${actor.phone}`)
    me = session.participants.find((p) => p.phoneKey === phoneKey)
    if (!me) {
      const record = await deps.store.getCase(session.caseId)
      const relation = record ? relationTo(actor, record) : undefined
      if (relation === 'applicant' || relation === 'respondent')
        me = session.participants.find((p) => p.role === 'party' && p.side === relation)
    }
  }
  if (!me) throw notFound
  return { session, me, added: false }
}

/**
 * Read, change, write with a conditional write on the version; retried a few times because
 * heartbeats, webhooks and the mediator's controls touch the same session.
 */
async function mutate(
  deps: Deps,
  actor: Actor,
  sessionId: string,
  change: (
    s: VideoSession,
    me: SessionParticipant,
    now: Date,
  ) => Promise<TimelineEvent[] | undefined> | TimelineEvent[] | undefined,
): Promise<SessionView> {
  for (let attempt = 0; ; attempt++) {
    const found = await find(deps, actor, sessionId)
    const now = deps.clock.now()
    const next: VideoSession = structuredClone(found.session)
    if (found.added) next.participants.push(found.me)
    const me = next.participants.find((p) => p.id === found.me.id) as SessionParticipant
    const events = await change(next, me, now)
    next.version = found.session.version + 1
    next.updatedAt = now.toISOString()
    if (await deps.store.updateVideoSession(next, found.session.version, events ?? []))
      return view(next, me, now)
    if (attempt >= 4) throw new VisibleError('conflict', 'session.busy')
  }
}

export async function getSession(deps: Deps, actor: Actor, sessionId: string) {
  const { session, me } = await find(deps, actor, sessionId)
  return view(session, me, deps.clock.now())
}

function assertOpen(s: VideoSession, now: Date) {
  if (isOver(s, now)) throw new VisibleError('conflict', 'session.ended')
  if (now < joinOpensAt(s)) throw new VisibleError('conflict', 'session.not_open')
}

/** A participant in the waiting room says they are still there. */
export function wait(deps: Deps, actor: Actor, sessionId: string) {
  return mutate(deps, actor, sessionId, (s, me, now) => {
    assertOpen(s, now)
    if (me.state === 'removed') throw new VisibleError('forbidden', 'session.removed')
    if (me.state === 'expected') me.state = me.role === 'mediator' ? 'admitted' : 'waiting'
    me.seenAt = now.toISOString()
    return []
  })
}

export async function consent(deps: Deps, actor: Actor, sessionId: string, recording: boolean) {
  let stop: string | undefined
  const out = await mutate(deps, actor, sessionId, (s, me, now) => {
    if (!mustConsent(me)) throw new VisibleError('conflict', 'session.consent_not_needed')
    if (isOver(s, now)) throw new VisibleError('conflict', 'session.ended')
    me.recordingConsent = recording
    const events: TimelineEvent[] = [
      event(actor, now, recording ? 'session.recording_consented' : 'session.recording_refused', who(me)),
    ]
    if (!recording && s.recording?.state === 'active') {
      stop = s.recording.egressId
      s.recording = { state: 'off' }
      events.push(event(actor, now, 'session.recording_stopped', { reason: 'consent_withdrawn' }))
    }
    return events
  })
  if (stop) await video(deps).stopRecording(stop)
  return out
}

/** A join token with the least grants for the caller's place in the roster, or a refusal. */
export async function issueToken(deps: Deps, actor: Actor, sessionId: string) {
  const service = video(deps)
  let mine: SessionParticipant | undefined
  let session: VideoSession | undefined
  await mutate(deps, actor, sessionId, (s, me, now) => {
    assertOpen(s, now)
    if (me.state === 'removed') throw new VisibleError('forbidden', 'session.removed')
    if (me.role === 'mediator') {
      me.state = 'admitted'
      if (s.status === 'scheduled') s.status = 'live'
    } else if (me.state !== 'admitted') throw new VisibleError('conflict', 'session.waiting')
    me.seenAt = now.toISOString()
    mine = me
    session = s
    return []
  })
  const s = session as VideoSession
  const me = mine as SessionParticipant
  const now = deps.clock.now()
  const token = await service.token({
    room: s.room,
    identity: me.id,
    name: me.role,
    attributes: { role: me.role, ...(me.side ? { side: me.side } : {}) },
    admin: me.role === 'mediator',
    permission: permissionFor(s, me),
    ttlSeconds: TOKEN_TTL_SECONDS,
  })
  return {
    url: service.url,
    token,
    room: s.room,
    identity: me.id,
    expiresAt: new Date(now.getTime() + TOKEN_TTL_SECONDS * 1000).toISOString(),
  }
}

const event = (
  actor: Actor,
  now: Date,
  type: string,
  meta?: Record<string, string | number>,
): TimelineEvent => ({
  at: now.toISOString(),
  type,
  actorRole: actor.kind === 'staff' ? 'staff' : actor.kind === 'system' ? 'system' : 'citizen',
  ...(actor.kind === 'staff' ? { by: actor.username } : {}),
  ...(meta ? { meta } : {}),
})

/** The mediator's controls; LiveKit is told after the roster is written, so a retry cannot undo a decision. */
export async function control(deps: Deps, actor: Actor, sessionId: string, input: ControlInput) {
  const service = video(deps)
  const calls: (() => Promise<unknown>)[] = []
  const out = await mutate(deps, actor, sessionId, (s, me, now) => {
    calls.length = 0
    if (me.role !== 'mediator') throw new VisibleError('forbidden', 'auth.forbidden')
    if (isOver(s, now)) throw new VisibleError('conflict', 'session.ended')
    const target = (id: string) => {
      const p = s.participants.find((x) => x.id === id && x.role !== 'mediator')
      if (!p) throw new VisibleError('not_found', 'session.no_participant')
      return p
    }
    /** An interpreter or support person follows the party they came with. */
    const companions = (p: SessionParticipant) =>
      s.participants.filter(
        (x) =>
          x.id !== p.id &&
          p.role === 'party' &&
          x.side === p.side &&
          (x.role === 'interpreter' || x.role === 'support'),
      )
    const repermit = () => {
      for (const p of s.participants)
        if (p.connectedSince && p.role !== 'mediator' && p.role !== 'observer')
          calls.push(() => service.setPermission(s.room, p.id, permissionFor(s, p)))
    }
    switch (input.action) {
      case 'admit': {
        const p = target(input.participantId)
        if (p.state === 'removed') throw new VisibleError('conflict', 'session.removed')
        const admitted = [p, ...companions(p)].filter((x) => x.state !== 'removed')
        for (const x of admitted) x.state = 'admitted'
        return [event(actor, now, 'session.admitted', who(p))]
      }
      case 'remove': {
        const p = target(input.participantId)
        p.state = 'removed'
        p.recordingConsent = undefined
        calls.push(() => service.remove(s.room, p.id, now))
        return [event(actor, now, 'session.removed', who(p))]
      }
      case 'mute': {
        const p = target(input.participantId)
        calls.push(() => service.mute(s.room, p.id, input.trackSid))
        return []
      }
      case 'caucus':
        s.caucus = input.side
        repermit()
        return [event(actor, now, 'session.caucus_started', { side: input.side })]
      case 'end_caucus':
        if (!s.caucus) return []
        s.caucus = undefined
        repermit()
        return [event(actor, now, 'session.caucus_ended')]
      case 'start_recording': {
        if (s.recording?.state === 'active') return []
        if (!consentsComplete(s)) throw new VisibleError('conflict', 'session.consent_missing')
        s.recording = { state: 'active', startedAt: now.toISOString() }
        return [event(actor, now, 'session.recording_started')]
      }
      case 'stop_recording': {
        if (s.recording?.state !== 'active') return []
        const egressId = s.recording.egressId
        if (egressId) calls.push(() => service.stopRecording(egressId))
        s.recording = { state: 'off' }
        return [event(actor, now, 'session.recording_stopped', { reason: 'mediator' })]
      }
      case 'end': {
        s.status = 'ended'
        const egressId = s.recording?.state === 'active' ? s.recording.egressId : undefined
        if (egressId) calls.push(() => service.stopRecording(egressId))
        s.recording = s.recording ? { state: 'off' } : undefined
        // Ended in the roster is what counts: no token is issued for it any more, and LiveKit closes an
        // empty room by itself. An unreachable server does not keep the session open.
        calls.push(() =>
          service.endRoom(s.room).catch((e) => {
            if (!(e instanceof VisibleError && e.kind === 'unavailable')) throw e
          }),
        )
        return [event(actor, now, 'session.ended', attendance(s, now))]
      }
    }
  })
  for (const call of calls) await call()
  if (input.action !== 'start_recording' || out.recording.state !== 'active') return out
  // Recording starts only after the consents were checked and written; its id is kept to stop it.
  const session = (await deps.store.getVideoSession(sessionId)) as VideoSession
  if (session.recording?.egressId) return out
  let egressId: string
  try {
    egressId = await service.startRecording(session.room, `recordings/${sessionId}/{time}.mp4`)
  } catch {
    await mutate(deps, actor, sessionId, (s, _me, now) => {
      s.recording = { state: 'off' }
      return [event(actor, now, 'session.recording_failed')]
    })
    throw new VisibleError('unavailable', 'session.recording_failed')
  }
  return mutate(deps, actor, sessionId, (s) => {
    if (s.recording?.state === 'active') s.recording.egressId = egressId
    return []
  })
}

/** Minutes each role attended, for the timeline: no names. */
function attendance(s: VideoSession, now: Date): Record<string, number> {
  const out: Record<string, number> = {}
  for (const p of s.participants) {
    const open = p.connectedSince ? (now.getTime() - Date.parse(p.connectedSince)) / 1000 : 0
    const minutes = Math.round((p.attendedSeconds + open) / 60)
    if (p.attendedSeconds + open > 0) {
      const key = p.side ? `${p.role}.${p.side}` : p.role
      out[key] = (out[key] ?? 0) + minutes
    }
  }
  return out
}

export function saveNotes(deps: Deps, actor: Actor, sessionId: string, text: string) {
  return mutate(deps, actor, sessionId, (s, me, now) => {
    if (me.role !== 'mediator') throw new VisibleError('forbidden', 'auth.forbidden')
    if (isOver(s, now)) throw new VisibleError('conflict', 'session.ended')
    s.notes = { text, updatedAt: now.toISOString() }
    return []
  })
}

/** How far a webhook's own timestamp may lag: older deliveries are refused as replays. */
const WEBHOOK_MAX_AGE_SECONDS = 300

/**
 * LiveKit tells us who joined and left, and when rooms and recordings end. Verified, deduplicated
 * by event id, and used to enforce the roster: someone removed or held who reconnects with an old
 * token is removed or held again at once.
 */
export async function handleWebhook(
  deps: Deps,
  body: string,
  authorization: string | undefined,
): Promise<'applied' | 'duplicate' | 'ignored'> {
  const service = video(deps)
  let e: Awaited<ReturnType<VideoService['receiveWebhook']>>
  try {
    e = await service.receiveWebhook(body, authorization)
  } catch {
    throw new VisibleError('unauthorized', 'webhook.invalid')
  }
  const now = deps.clock.now()
  if (Math.abs(now.getTime() - e.createdAt.getTime()) > WEBHOOK_MAX_AGE_SECONDS * 1000)
    throw new VisibleError('unauthorized', 'webhook.stale')
  if (!(await deps.store.claimOnce('livekit', e.id, new Date(now.getTime() + 86_400_000)))) return 'duplicate'
  const sessionId = e.room ? sessionIdFromRoom(e.room) : undefined
  if (!sessionId) return 'ignored'
  const system: Actor = { kind: 'system', name: 'livekit' }
  const calls: (() => Promise<unknown>)[] = []
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await deps.store.getVideoSession(sessionId)
    if (!current) return 'ignored'
    const s: VideoSession = structuredClone(current)
    const p = e.identity ? s.participants.find((x) => x.id === e.identity) : undefined
    const at = e.createdAt
    const events: TimelineEvent[] = []
    calls.length = 0
    switch (e.event) {
      case 'participant_joined':
        if (!p) break
        if (p.state === 'removed' || (p.role !== 'mediator' && p.state !== 'admitted')) {
          calls.push(() => service.remove(s.room, p.id, at))
          break
        }
        if (locationOf(s, p) === 'held')
          calls.push(() => service.setPermission(s.room, p.id, permissionFor(s, p)))
        p.connectedSince = at.toISOString()
        if (s.status === 'scheduled') s.status = 'live'
        events.push(event(system, at, 'video.joined', who(p)))
        break
      case 'participant_left': {
        if (!p?.connectedSince) break
        const seconds = Math.max(0, (at.getTime() - Date.parse(p.connectedSince)) / 1000)
        p.attendedSeconds += Math.round(seconds)
        p.connectedSince = undefined
        events.push(event(system, at, 'video.left', { ...who(p), minutes: Math.round(seconds / 60) }))
        break
      }
      case 'room_finished':
        for (const x of s.participants) {
          if (!x.connectedSince) continue
          x.attendedSeconds += Math.round(Math.max(0, at.getTime() - Date.parse(x.connectedSince)) / 1000)
          x.connectedSince = undefined
        }
        events.push(event(system, at, 'video.attendance', attendance(s, at)))
        break
      case 'egress_started':
        events.push(event(system, at, 'session.recording_running'))
        break
      case 'egress_ended':
        events.push(event(system, at, 'session.recording_saved'))
        break
      default:
        return 'ignored'
    }
    if (!events.length && !calls.length) return 'ignored'
    s.version = current.version + 1
    s.updatedAt = now.toISOString()
    if (!events.length || (await deps.store.updateVideoSession(s, current.version, events))) {
      for (const call of calls) await call()
      return 'applied'
    }
  }
  throw new VisibleError('conflict', 'session.busy')
}
