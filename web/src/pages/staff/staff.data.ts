import { query, revalidate } from '@solidjs/router'
import type { ActionInput } from '../../../../functions/domain/workflow.ts'
import { api, call } from '../../api/client.ts'
import { getMe } from '../../api/session.ts'
import { getCase } from '../cases.data.ts'

export interface QueueFilters {
  status?: string
  risk?: 'red' | 'orange' | 'yellow' | 'none'
  overdue?: 'true' | 'false'
  closed?: 'true'
}

/** The signed-in member of staff's work list, soonest deadline first. */
export const getQueue = query(
  async (filters: QueueFilters) => (await call(() => api.queue.$get({ query: filters }))).items,
  'staffQueue',
)

/** The organisation's follow-ups due soon or still missing an answer (回访), from the same work list. */
/** The organisation's work lists beside its cases (follow-ups, referrals): one request, shared. */
const getWorkLists = query(async () => call(() => api.queue.$get({ query: {} })), 'workLists')

export const getFollowUpWork = query(async () => (await getWorkLists()).followUps ?? [], 'followUpWork')

export const getReferralWork = query(async () => (await getWorkLists()).referrals ?? [], 'referralWork')

export const getOrgs = query(async () => (await call(() => api.orgs.$get())).items, 'orgs')

export const getMediators = query(
  async (id: string, skill?: 'law' | 'labour' | 'family' | 'psychology') =>
    (await call(() => api.cases[':id'].mediators.$get({ param: { id }, query: skill ? { skill } : {} })))
      .items,
  'mediators',
)

/**
 * One workflow action on a case. The answer is the case as it now stands; the cached case and
 * the work list are refreshed either way (after a 409 the page must show the newer version).
 */
export async function act(id: string, input: ActionInput) {
  try {
    return await call(() => api.cases[':id'].actions.$post({ param: { id }, json: input }))
  } finally {
    await revalidate([getCase.keyFor(id), getQueue.key])
  }
}

/** Ends every session of this account, then forgets what was cached. */
export async function signOutEverywhere(): Promise<void> {
  await call(() => api.auth['logout-everywhere'].$post())
  await revalidate()
}

export { getMe }
