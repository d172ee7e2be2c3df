import { query } from '@solidjs/router'
import { api, call } from '../../api/client.ts'

export interface Period {
  from: string
  to: string
  area?: string
}

/** The dashboard's reads; each is one or two DynamoDB queries on the server, whatever the table's size. */
export const getBoard = query(async () => call(() => api.insight.board.$get()), 'insightBoard')
export const getDeadlines = query(async () => call(() => api.insight.deadlines.$get()), 'insightDeadlines')
export const getSummary = query(
  async (p: Period) => call(() => api.insight.summary.$get({ query: p })),
  'insightSummary',
)
export const getMediators = query(
  async (p: Period) => call(() => api.insight.mediators.$get({ query: p })),
  'insightMediators',
)

const qs = (o: Record<string, string | undefined>) =>
  new URLSearchParams(Object.entries(o).filter((e): e is [string, string] => Boolean(e[1]))).toString()

/** Download links: plain GETs the browser saves (Content-Disposition: attachment). */
export const reportUrl = (month: string, format: 'pdf' | 'csv', area?: string) =>
  `/api/insight/report?${qs({ month, area, format })}`
export const caseListUrl = (p: Period) => `/api/insight/cases?${qs({ ...p, format: 'csv' })}`
