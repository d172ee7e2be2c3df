import { query } from '@solidjs/router'
import { api, call } from '../api/client.ts'

/** A case's evidence that the signed-in citizen may see. */
export const getEvidence = query(
  async (id: string) => (await call(() => api.cases[':id'].evidence.$get({ param: { id } }))).items,
  'evidence',
)

/** The file itself: the API records the view and redirects to a short-lived link. */
export const evidenceFileUrl = (caseId: string, evidenceId: string) =>
  `/api/cases/${encodeURIComponent(caseId)}/evidence/${encodeURIComponent(evidenceId)}`
