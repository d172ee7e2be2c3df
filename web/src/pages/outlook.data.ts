import { query } from '@solidjs/router'
import { api, call } from '../api/client.ts'

/** How disputes like this case's usually go: anonymous figures from the aggregates. */
export const getOutlook = query(
  (id: string) => call(() => api.cases[':id'].outlook.$get({ param: { id } })),
  'caseOutlook',
)
