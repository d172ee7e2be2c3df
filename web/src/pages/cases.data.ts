import { query } from '@solidjs/router'
import { api, call } from '../api/client.ts'

/** The signed-in citizen's cases, newest first. */
export const getMyCases = query(async () => (await call(() => api.cases.$get())).items, 'myCases')

/** One of the citizen's cases with its timeline; someone else's answers 404 case.not_found. */
export const getCase = query((id: string) => call(() => api.cases[':id'].$get({ param: { id } })), 'case')
