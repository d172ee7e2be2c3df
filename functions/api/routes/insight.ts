import { createRoute } from '@hono/zod-openapi'
import { z } from 'zod'
import { loadPdf } from '../../adapters/pdf-loader.ts'
import { PeriodQuery } from '../../domain/insight.ts'
import { caseListCsv, reportCsv } from '../../domain/insight-report.ts'
import {
  CaseListQuery,
  caseList,
  caseOutlook,
  deadlines,
  mediatorPerformance,
  monthlyReport,
  ReportQuery,
  riskBoard,
  summary,
} from '../../domain/insight-service.ts'
import { errorResponses, router } from '../env.ts'
import { CaseIdParam } from '../params.ts'

/** A JSON answer whose exact shape is the domain function's return type (documented by description). */
const shapeOf = <T>(description: string) => ({
  description,
  content: { 'application/json': { schema: z.custom<T>(() => true).meta({ type: 'object' }) } },
})

const download = (c: { header: (k: string, v: string) => void }, name: string, type: string) => {
  c.header('Content-Type', type)
  c.header('Content-Disposition', `attachment; filename="${name}"`)
}

/**
 * Supervisor insight: the risk board, deadlines, results, where and when, mediator performance,
 * the monthly report and case-list exports. Mounted behind a staff-only guard; each domain call
 * checks the role again and answers for the caller's own jurisdiction only.
 */
export function insightRoutes() {
  return router()
    .openapi(
      createRoute({
        method: 'get',
        path: '/board',
        summary:
          'Risk board of the jurisdiction: open red/orange/yellow cases, red first, longest flagged first',
        responses: {
          200: shapeOf<Awaited<ReturnType<typeof riskBoard>>>('The board'),
          ...errorResponses(401, 403),
        },
      }),
      async (c) => c.json(await riskBoard(c.var.deps, c.var.actor), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/deadlines',
        summary: 'Overdue and due-this-week cases of the jurisdiction, by organisation and by mediator',
        responses: {
          200: shapeOf<Awaited<ReturnType<typeof deadlines>>>('Deadlines'),
          ...errorResponses(401, 403),
        },
      }),
      async (c) => c.json(await deadlines(c.var.deps, c.var.actor), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/summary',
        summary:
          'Results (received by source, accepted, resolved, not resolved, withdrawn, rate, median/p90 days, follow-ups, referrals) and where & when, for months from…to and an optional area',
        request: { query: PeriodQuery },
        responses: {
          200: shapeOf<Awaited<ReturnType<typeof summary>>>('Figures from the aggregate cells'),
          ...errorResponses(400, 401, 403),
        },
      }),
      async (c) => c.json(await summary(c.var.deps, c.var.actor, c.req.valid('query')), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/mediators',
        summary: 'Supervisors only: per-mediator cases, resolution rate, satisfaction and overdue stages',
        request: { query: PeriodQuery },
        responses: {
          200: shapeOf<Awaited<ReturnType<typeof mediatorPerformance>>>('Per mediator'),
          ...errorResponses(400, 401, 403),
        },
      }),
      async (c) => c.json(await mediatorPerformance(c.var.deps, c.var.actor, c.req.valid('query')), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/cases',
        summary:
          'The cases behind a period’s figures (received, accepted or ended in it), filtered; JSON or CSV (format=csv). No personal data.',
        request: { query: CaseListQuery },
        responses: {
          200: {
            ...shapeOf<Awaited<ReturnType<typeof caseList>>>('The case list'),
            content: {
              ...shapeOf<Awaited<ReturnType<typeof caseList>>>('').content,
              'text/csv': { schema: z.string() },
            },
          },
          ...errorResponses(400, 401, 403),
        },
      }),
      async (c) => {
        const q = c.req.valid('query')
        const list = await caseList(c.var.deps, c.var.actor, q)
        if (q.format !== 'csv') return c.json(list, 200)
        download(
          c,
          `cases-${list.jurisdiction}-${q.from}-${q.to}.csv`.replace(/[^\w.-]/g, '_'),
          'text/csv; charset=utf-8',
        )
        return c.body(caseListCsv(list.items), 200)
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/report',
        summary: 'The monthly report in the justice office’s format: JSON, CSV or PDF (format=)',
        request: { query: ReportQuery },
        responses: {
          200: {
            ...shapeOf<Awaited<ReturnType<typeof monthlyReport>>>('The report'),
            content: {
              ...shapeOf<Awaited<ReturnType<typeof monthlyReport>>>('').content,
              'text/csv': { schema: z.string() },
              'application/pdf': { schema: z.string().meta({ format: 'binary' }) },
            },
          },
          ...errorResponses(400, 401, 403),
        },
      }),
      async (c) => {
        const q = c.req.valid('query')
        const report = await monthlyReport(c.var.deps, c.var.actor, q)
        const name = `report-${q.month}`
        if (q.format === 'csv') {
          download(c, `${name}.csv`, 'text/csv; charset=utf-8')
          return c.body(reportCsv(report, c.var.locale), 200)
        }
        if (q.format === 'pdf') {
          const { renderReportPdf } = await loadPdf()
          const pdf = await renderReportPdf(report)
          download(c, `${name}.pdf`, 'application/pdf')
          return c.body(pdf.buffer.slice(pdf.byteOffset, pdf.byteOffset + pdf.byteLength) as ArrayBuffer, 200)
        }
        return c.json(report, 200)
      },
    )
}

/** For anyone who may see the case: anonymous figures for disputes like it. */
export function outlookRoutes() {
  return router().openapi(
    createRoute({
      method: 'get',
      path: '/{id}/outlook',
      summary:
        'How disputes of the same type in the same area usually end and how long they take (anonymous; shown from 10 ended cases)',
      request: { params: CaseIdParam },
      responses: {
        200: shapeOf<Awaited<ReturnType<typeof caseOutlook>>>(
          'Typical duration and outcomes, or scope "none"',
        ),
        ...errorResponses(401, 404),
      },
    }),
    async (c) => c.json(await caseOutlook(c.var.deps, c.var.actor, c.req.valid('param').id), 200),
  )
}
