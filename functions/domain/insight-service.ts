import { z } from 'zod'
import { assertCanSee } from './access.ts'
import { type Actor, assertStaff, type Staff } from './actor.ts'
import { CASE_STATUSES, type CaseRecord, DisputeType } from './case.ts'
import {
  areaOf,
  checkPeriod,
  chinaMonth,
  concludedAtOf,
  daysToEnd,
  inPeriod,
  mediatorFigures,
  outlook,
  type PeriodQuery,
  periodShape,
  results,
  sourceOf,
  sumCells,
  whereWhen,
} from './insight.ts'
import type { Deps } from './ports.ts'

/**
 * The supervisor's questions, answered from the read models (aggregate cells, the risk board) and
 * key-range reads of the jurisdiction's cases. Every function asserts the role and works only
 * inside the caller's own jurisdiction: there is no parameter to ask for another one.
 */
const INSIGHT_ROLES = ['supervisor', 'centre_admin', 'system_admin'] as const

function insightActor(actor: Actor): Staff {
  return assertStaff(actor, ...INSIGHT_ROLES)
}

const DAY = 86400_000

async function orgNames(deps: Deps): Promise<Record<string, { name: string; tier: number }>> {
  return Object.fromEntries((await deps.store.listOrgs()).map((o) => [o.id, { name: o.name, tier: o.tier }]))
}

/** Red first, then orange and yellow; within a level the longest flagged first. */
export async function riskBoard(deps: Deps, actor: Actor) {
  const staff = insightActor(actor)
  const now = deps.clock.now()
  const [{ entries, truncated }, orgs] = await Promise.all([
    deps.store.riskBoard(staff.jurisdiction, 300),
    orgNames(deps),
  ])
  return {
    jurisdiction: staff.jurisdiction,
    truncated,
    counts: {
      red: entries.filter((e) => e.level === 'red').length,
      orange: entries.filter((e) => e.level === 'orange').length,
      yellow: entries.filter((e) => e.level === 'yellow').length,
    },
    items: entries.map((e) => ({
      caseId: e.caseId,
      number: e.number,
      level: e.level,
      since: e.since,
      hoursSince: Math.max(0, Math.floor((now.getTime() - new Date(e.since).getTime()) / 3600_000)),
      status: e.status,
      disputeType: e.disputeType,
      area: e.area,
      orgId: e.orgId,
      orgName: e.orgId ? orgs[e.orgId]?.name : undefined,
      tier: e.tier,
      mediatorId: e.mediatorId,
      stageDeadline: e.stageDeadline,
      overdue: Boolean(e.stageDeadline && new Date(e.stageDeadline) < now),
    })),
  }
}

/** Overdue and due within seven days, by organisation and by mediator, from a deadline-range read. */
export async function deadlines(deps: Deps, actor: Actor) {
  const staff = insightActor(actor)
  const now = deps.clock.now()
  const weekEnd = new Date(now.getTime() + 7 * DAY)
  const [{ records, truncated }, orgs] = await Promise.all([
    deps.store.openCasesDueBefore(staff.jurisdiction, weekEnd, 5000),
    orgNames(deps),
  ])
  const group = (key: (r: CaseRecord) => string | undefined) => {
    const m = new Map<string, { overdue: number; dueThisWeek: number }>()
    for (const r of records) {
      const k = key(r) ?? '-'
      const g = m.get(k) ?? { overdue: 0, dueThisWeek: 0 }
      if (r.stageDeadline && new Date(r.stageDeadline) < now) g.overdue++
      else g.dueThisWeek++
      m.set(k, g)
    }
    return [...m.entries()].sort((a, b) => b[1].overdue - a[1].overdue || b[1].dueThisWeek - a[1].dueThisWeek)
  }
  return {
    jurisdiction: staff.jurisdiction,
    weekEnd: weekEnd.toISOString(),
    truncated,
    overdue: records.filter((r) => r.stageDeadline && new Date(r.stageDeadline) < now).length,
    dueThisWeek: records.filter((r) => !r.stageDeadline || new Date(r.stageDeadline) >= now).length,
    byOrg: group((r) => r.orgId).map(([orgId, g]) => ({ orgId, orgName: orgs[orgId]?.name, ...g })),
    byMediator: group((r) => r.mediatorId).map(([mediatorId, g]) => ({ mediatorId, ...g })),
    items: records.slice(0, 100).map((r) => ({
      caseId: r.id,
      number: r.number,
      status: r.status,
      orgId: r.orgId,
      orgName: r.orgId ? orgs[r.orgId]?.name : undefined,
      mediatorId: r.mediatorId,
      riskLevel: r.riskLevel ?? 'none',
      stageDeadline: r.stageDeadline,
      overdue: Boolean(r.stageDeadline && new Date(r.stageDeadline) < now),
    })),
  }
}

/** Results and "where and when" for a period and, optionally, one area. */
export async function summary(deps: Deps, actor: Actor, q: PeriodQuery) {
  const staff = insightActor(actor)
  const [cells, orgs] = await Promise.all([
    deps.store.monthCells(staff.jurisdiction, q.from, q.to),
    orgNames(deps),
  ])
  const ww = whereWhen(cells, q)
  const areas = [
    ...new Set(cells.filter((c) => c.cell.kind === 'month' && (c.add.rcv ?? 0) > 0).map((c) => c.cell.area)),
  ].sort()
  return {
    jurisdiction: staff.jurisdiction,
    period: { from: q.from, to: q.to, area: q.area },
    areas,
    results: results(sumCells(cells, q)),
    ...ww,
    byOrg: ww.byOrg.map((o) => ({ ...o, orgName: orgs[o.orgId]?.name })),
  }
}

/** Per-mediator figures: supervisors only (not centre admins, not the mediators themselves). */
export async function mediatorPerformance(deps: Deps, actor: Actor, q: PeriodQuery) {
  const staff = assertStaff(actor, 'supervisor')
  const cells = await deps.store.monthCells(staff.jurisdiction, q.from, q.to)
  const rows = mediatorFigures(cells, q)
  const people = await Promise.all(rows.map((r) => deps.store.getStaff(r.mediatorId)))
  return {
    jurisdiction: staff.jurisdiction,
    period: { from: q.from, to: q.to, area: q.area },
    items: rows.map((r, i) => ({ ...r, name: people[i]?.name, orgId: people[i]?.orgId })),
  }
}

export const CaseListQuery = z
  .strictObject({
    ...periodShape,
    status: z.enum(CASE_STATUSES, { error: 'validation.option' }).optional(),
    disputeType: DisputeType.optional(),
    format: z.enum(['json', 'csv'], { error: 'insight.format' }).optional(),
  })
  .superRefine(checkPeriod)
  .meta({ id: 'CaseListQuery' })
export type CaseListQuery = z.infer<typeof CaseListQuery>

/** Hard ceiling of one export's read; a bigger jurisdiction is exported by shorter periods. */
export const EXPORT_READ_LIMIT = 50_000

/**
 * The cases behind a period's figures: every case of the jurisdiction (and area) that was
 * received, accepted or ended in the period, with flags saying which — so the report's figures
 * can be recounted from the list. No personal data: no names, no phone numbers, no account.
 */
export async function caseList(deps: Deps, actor: Actor, q: CaseListQuery) {
  const staff = insightActor(actor)
  const { records, truncated } = await deps.store.allCasesOfJurisdiction(
    staff.jurisdiction,
    EXPORT_READ_LIMIT,
  )
  const period = { from: q.from, to: q.to }
  const rows = records
    .filter((r) => r.jurisdiction === staff.jurisdiction)
    .filter((r) => !q.area || areaOf(r) === q.area)
    .filter((r) => !q.status || r.status === q.status)
    .filter((r) => !q.disputeType || r.input.disputeType === q.disputeType)
    .map((r) => {
      const ended = concludedAtOf(r)
      return {
        caseId: r.id,
        number: r.number,
        createdAt: r.createdAt,
        acceptedAt: r.acceptedAt,
        concludedAt: ended,
        status: r.status,
        source: sourceOf(r),
        disputeType: r.input.disputeType,
        area: areaOf(r),
        orgId: r.orgId,
        mediatorId: r.mediatorId,
        riskLevel: r.riskLevel ?? 'none',
        daysToEnd: daysToEnd(r),
        receivedInPeriod: inPeriod(chinaMonth(r.createdAt), period),
        acceptedInPeriod: Boolean(r.acceptedAt && inPeriod(chinaMonth(r.acceptedAt), period)),
        endedInPeriod: Boolean(ended && inPeriod(chinaMonth(ended), period)),
      }
    })
    .filter((r) => r.receivedInPeriod || r.acceptedInPeriod || r.endedInPeriod)
    .sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1))
  return { jurisdiction: staff.jurisdiction, period: { ...period, area: q.area }, truncated, items: rows }
}
export type CaseListRow = Awaited<ReturnType<typeof caseList>>['items'][number]

export const ReportQuery = z
  .strictObject({
    month: z.string({ error: 'insight.month' }).regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: 'insight.month' }),
    area: z.string().trim().min(1).max(60, { error: 'validation.too_long' }).optional(),
    format: z.enum(['json', 'csv', 'pdf'], { error: 'insight.format' }).optional(),
  })
  .meta({ id: 'ReportQuery' })

/** The month's report: the figures a justice office files, with the organisations' and areas' tables. */
export async function monthlyReport(deps: Deps, actor: Actor, q: { month: string; area?: string }) {
  const staff = insightActor(actor)
  const figures = await summary(deps, actor, { from: q.month, to: q.month, area: q.area })
  const office = (await deps.store.getOrg(staff.orgId))?.name ?? staff.jurisdiction
  return { ...figures, month: q.month, office, generatedAt: deps.clock.now().toISOString() }
}
export type MonthlyReport = Awaited<ReturnType<typeof monthlyReport>>

/**
 * For a party: how disputes of the same type in the same street (else the district) usually end
 * and how long they take. Anonymous counts, and nothing until enough cases have ended.
 */
export async function caseOutlook(deps: Deps, actor: Actor, caseId: string) {
  const { record } = assertCanSee(actor, await deps.store.getCase(caseId))
  if (!record.jurisdiction) return { scope: 'none' as const, minimum: 10 }
  const cells = await deps.store.typeCells(record.jurisdiction, record.input.disputeType)
  return outlook(cells, areaOf(record))
}
