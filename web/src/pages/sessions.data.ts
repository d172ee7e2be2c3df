import { query, revalidate } from '@solidjs/router'
import type { CaseStatus } from '../../../functions/domain/case.ts'
import type {
  ControlInput,
  ParticipantView,
  ScheduleInput,
  SessionView,
} from '../../../functions/domain/video.ts'
import { api, call } from '../api/client.ts'

export type { ParticipantView, SessionView }
export type SessionSummary = Pick<
  SessionView,
  'id' | 'startsAt' | 'durationMinutes' | 'status' | 'joinOpensAt' | 'joinable'
>

/** Case states in which a case can have video sessions: once both sides agreed to mediation. */
export const SESSION_STATUSES: ReadonlySet<CaseStatus> = new Set([
  'in_mediation',
  'resolved',
  'failed',
  'closed',
])

const session = api.sessions[':sessionId']
const param = (sessionId: string) => ({ param: { sessionId } })

/** The sessions of a case, for its page. */
export const getCaseSessions = query(
  async (id: string) => (await call(() => api.cases[':id'].sessions.$get({ param: { id } }))).items,
  'caseSessions',
)

/** The mediator schedules a session; the parties get a text message. */
export async function scheduleSession(id: string, input: ScheduleInput): Promise<SessionView> {
  try {
    return await call(() => api.cases[':id'].sessions.$post({ param: { id }, json: input }))
  } finally {
    await revalidate(getCaseSessions.keyFor(id))
  }
}

/** One session as the caller may see it. Not cached: the room page polls it. */
export const fetchSession = (id: string): Promise<SessionView> => call(() => session.$get(param(id)))

/** "I am in the waiting room": repeated while waiting, so the mediator sees who is still there. */
export const announceWaiting = (id: string): Promise<SessionView> => call(() => session.wait.$post(param(id)))

/** A short-lived LiveKit token for the first connect; refused until admitted. */
export const fetchToken = (id: string) => call(() => session.token.$post(param(id)))

export const answerConsent = (id: string, recording: boolean): Promise<SessionView> =>
  call(() => session.consent.$post({ ...param(id), json: { recording } }))

/** The mediator's room controls, all decided server-side. */
export const control = (id: string, input: ControlInput): Promise<SessionView> =>
  call(() => session.control.$post({ ...param(id), json: input }))

export const saveNotes = (id: string, text: string): Promise<SessionView> =>
  call(() => session.notes.$put({ ...param(id), json: { text } }))

/** How long a small API answer takes to come back, in ms: the network check. */
export async function roundTrip(id: string): Promise<number> {
  const samples: number[] = []
  for (let i = 0; i < 3; i++) {
    const started = performance.now()
    await fetchSession(id)
    samples.push(performance.now() - started)
  }
  samples.sort((a, b) => a - b)
  return Math.round(samples[1] ?? samples[0] ?? 0)
}
