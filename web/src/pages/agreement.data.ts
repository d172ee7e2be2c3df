import { query } from '@solidjs/router'
import type { CaseStatus } from '../../../functions/domain/case.ts'
import { ApiError, api, call } from '../api/client.ts'

/** The case's agreement, or null while none has been drafted (a 404 agreement.not_found is an answer). */
export const getAgreement = query(async (id: string) => {
  try {
    return await call(() => api.cases[':id'].agreement.$get({ param: { id } }))
  } catch (e) {
    if (e instanceof ApiError && e.code === 'agreement.not_found') return null
    throw e
  }
}, 'agreement')

/** Cases that may have an agreement: in mediation (being drafted or signed) or resolved. */
export const mayHaveAgreement = (status: CaseStatus) => status === 'in_mediation' || status === 'resolved'

export type Agreement = NonNullable<Awaited<ReturnType<typeof getAgreement>>>

/** Where the signed PDF downloads from (same origin, the session cookie goes along). */
export const agreementPdfUrl = (caseId: string) => `/api/cases/${caseId}/agreement/pdf`
