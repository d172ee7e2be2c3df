import { z } from 'zod'
import { type CaseRecord, type CaseStatus, chinaDate, DISPUTE_TYPES, type RiskLevel } from './case.ts'
import { isOpen } from './workflow.ts'

/**
 * Supervisor figures as read models. Every figure is a sum of small counters kept in aggregate
 * "cells", and what one case adds to the cells is a pure function of the case record
 * (`contribution`). A write changes the cells by `contribution(after) − contribution(before)`
 * (`aggregateDeltas`), in the same transaction as the case, so the cells always equal a recount —
 * which is exactly what the rebuild command and the property test compare.
 *
 * Counting rule (the justice office's monthly flow): a case counts as *received* in the month it was
 * filed, *accepted* in the month it was first accepted, *resolved / not resolved / withdrawn* in the
 * month it ended, *overdue* in the month of the deadline it missed. Months are China time.
 */

export type Counters = Record<string, number>

/** Where counters live: a month × area cell of a jurisdiction, or an all-time dispute type × area cell. */
export type Cell =
  | { kind: 'month'; jurisdiction: string; month: string; area: string }
  | { kind: 'typeArea'; jurisdiction: string; disputeType: string; area: string }

export interface CellDelta {
  cell: Cell
  add: Counters
}

/** The case sources a justice office reports; `referral` is a case referred in by a partner department. */
export const SOURCES = ['online', 'transfer', 'entrust', 'joint', 'referral'] as const
export type Source = (typeof SOURCES)[number]

/** Ends a case can reach, as counted: `failed` mediation, respondent `declined`, `closed` for no response. */
export const ENDINGS = ['resolved', 'failed', 'declined', 'closed', 'withdrawn'] as const
type Ending = (typeof ENDINGS)[number]
const NOT_RESOLVED: readonly Ending[] = ['failed', 'declined', 'closed']

/** Areas are streets/towns as filed; an empty one is its own area so no case is lost from a total. */
export const NO_AREA = '-'
export const areaOf = (record: Pick<CaseRecord, 'input'>) =>
  (record.input.location.street ?? '').trim().replace(/#/g, '＃') || NO_AREA

/** YYYY-MM of an instant in China time. */
export const chinaMonth = (iso: string) => chinaDate(new Date(iso)).slice(0, 7)

/** Monday = 0 … Sunday = 6 and the hour, in China time. */
export function chinaWeekHour(iso: string): { weekday: number; hour: number } {
  const d = new Date(new Date(iso).getTime() + 8 * 3600_000)
  return { weekday: (d.getUTCDay() + 6) % 7, hour: d.getUTCHours() }
}

const DAY = 86400_000

/**
 * Days to resolution kept as a histogram: every day up to 60, then 90, 180 and 365 (meaning "more
 * than 180"). Median and 90th percentile come from it without reading a single case.
 */
export function dayBucket(days: number): number {
  if (days <= 60) return Math.max(0, days)
  if (days <= 90) return 90
  if (days <= 180) return 180
  return 365
}

export const sourceOf = (record: CaseRecord): Source =>
  record.source === 'police'
    ? (record.intake?.route ?? 'transfer')
    : record.source === 'referral'
      ? 'referral'
      : 'online'

/** When the case ended; older records without the stamp ended at their last change. */
export const concludedAtOf = (record: CaseRecord) =>
  isOpen(record.status) ? undefined : (record.concludedAt ?? record.updatedAt)

export const daysToEnd = (record: CaseRecord): number | undefined => {
  const end = concludedAtOf(record)
  return end ? Math.floor((new Date(end).getTime() - new Date(record.createdAt).getTime()) / DAY) : undefined
}

/** What one case adds to the cells. Pure: the same record always gives the same counters. */
export function contribution(record: CaseRecord): CellDelta[] {
  const jurisdiction = record.jurisdiction
  if (!jurisdiction) return []
  const area = areaOf(record)
  const type = record.input.disputeType
  const cells = new Map<string, CellDelta>()
  const add = (cell: Cell, name: string, n = 1) => {
    const id = cellId(cell)
    let entry = cells.get(id)
    if (!entry) {
      entry = { cell, add: {} }
      cells.set(id, entry)
    }
    entry.add[name] = (entry.add[name] ?? 0) + n
  }
  const month = (iso: string): Cell => ({ kind: 'month', jurisdiction, month: chinaMonth(iso), area })
  const typeArea: Cell = { kind: 'typeArea', jurisdiction, disputeType: type, area }
  const org = record.orgId
  const mediator = record.mediatorId

  const received = month(record.createdAt)
  const { weekday, hour } = chinaWeekHour(record.intake?.callTime ?? record.createdAt)
  add(received, 'rcv')
  add(received, `rcv.src.${sourceOf(record)}`)
  add(received, `rcv.type.${type}`)
  add(received, `rcv.wd.${weekday}`)
  add(received, `rcv.hr.${hour}`)
  add(received, `rcv.risk.${record.riskLevel ?? 'none'}`)
  if (org) add(received, `rcv.org.${org}`)
  add(typeArea, 'rcv')

  if (record.acceptedAt) {
    const accepted = month(record.acceptedAt)
    add(accepted, 'acc')
    if (org) add(accepted, `acc.org.${org}`)
    if (mediator) add(accepted, `acc.med.${mediator}`)
  }

  const end = concludedAtOf(record)
  if (end) {
    const ending = record.status as Ending
    const ended = month(end)
    add(ended, `end.${ending}`)
    add(ended, `end.${ending}.type.${type}`)
    if (org) add(ended, `end.${ending}.org.${org}`)
    if (mediator) add(ended, `end.${ending}.med.${mediator}`)
    add(typeArea, `end.${ending}`)
    const days = daysToEnd(record)
    if (ending === 'resolved' && days !== undefined) {
      add(ended, `days.${dayBucket(days)}`)
      add(typeArea, `days.${dayBucket(days)}`)
    }
  }

  if (record.overdueMarkedFor) {
    const missed = month(record.overdueMarkedFor)
    add(missed, 'ovd')
    if (org) add(missed, `ovd.org.${org}`)
    if (mediator) add(missed, `ovd.med.${mediator}`)
  }
  return [...cells.values()]
}

export const cellId = (cell: Cell) =>
  cell.kind === 'month'
    ? `${cell.jurisdiction}|M|${cell.month}|${cell.area}`
    : `${cell.jurisdiction}|T|${cell.disputeType}|${cell.area}`

/** Adds `sign ×` every delta into a map of cells (by id). */
export function accumulate(into: Map<string, CellDelta>, deltas: CellDelta[], sign = 1) {
  for (const d of deltas) {
    const id = cellId(d.cell)
    let entry = into.get(id)
    if (!entry) {
      entry = { cell: d.cell, add: {} }
      into.set(id, entry)
    }
    for (const [k, v] of Object.entries(d.add)) entry.add[k] = (entry.add[k] ?? 0) + sign * v
  }
  return into
}

/** Drops zero counters and empty cells. */
const nonZero = (cells: Iterable<CellDelta>) =>
  [...cells]
    .map((c) => ({ cell: c.cell, add: Object.fromEntries(Object.entries(c.add).filter(([, v]) => v !== 0)) }))
    .filter((c) => Object.keys(c.add).length > 0)

/** The risk board's entry for an open case with a risk level; none for the rest. */
export interface BoardEntry {
  jurisdiction: string
  caseId: string
  number: string
  level: Exclude<RiskLevel, 'none'>
  since: string
  status: CaseStatus
  disputeType: string
  area: string
  orgId?: string
  tier?: number
  mediatorId?: string
  stageDeadline?: string
}

export const RISK_RANK: Record<Exclude<RiskLevel, 'none'>, number> = { red: 0, orange: 1, yellow: 2 }

export function boardEntry(record: CaseRecord): BoardEntry | undefined {
  const level = record.riskLevel ?? 'none'
  if (level === 'none' || !isOpen(record.status) || !record.jurisdiction) return undefined
  return {
    jurisdiction: record.jurisdiction,
    caseId: record.id,
    number: record.number,
    level,
    since: record.riskSince ?? record.createdAt,
    status: record.status,
    disputeType: record.input.disputeType,
    area: areaOf(record),
    orgId: record.orgId,
    tier: record.tier,
    mediatorId: record.mediatorId,
    stageDeadline: record.stageDeadline,
  }
}

/** A board entry's sort position: red first, then orange, yellow; the longest flagged first. */
export const boardSortKey = (e: Pick<BoardEntry, 'level' | 'since' | 'caseId'>) =>
  `${RISK_RANK[e.level]}#${e.since}#${e.caseId}`

export interface BoardChange {
  remove?: Pick<BoardEntry, 'jurisdiction' | 'level' | 'since' | 'caseId'>
  put?: BoardEntry
}

export interface AggregateChange {
  cells: CellDelta[]
  board: BoardChange
}

/**
 * What a case write changes in the read models: counter deltas for the cells and the risk board
 * entry to remove and/or write. `before` is undefined when the case is new. Every write of a case
 * record must carry this in its transaction.
 */
export function aggregateDeltas(before: CaseRecord | undefined, after: CaseRecord): AggregateChange {
  const cells = new Map<string, CellDelta>()
  accumulate(cells, contribution(after))
  if (before) accumulate(cells, contribution(before), -1)
  const was = before ? boardEntry(before) : undefined
  const now = boardEntry(after)
  const board: BoardChange = {}
  if (was && (!now || now.jurisdiction !== was.jurisdiction || boardSortKey(now) !== boardSortKey(was)))
    board.remove = was
  if (now && JSON.stringify(now) !== JSON.stringify(was)) board.put = now
  return { cells: nonZero(cells.values()), board }
}

/**
 * Follow-up visits (回访) and referrals (信息互通) are issue 6's records. What they add to the
 * cells is defined here so their figures share the dashboard and the rebuild: call
 * `followUpAnswered` / `referralDelta` in the transaction that writes the answer.
 */
export interface FollowUpFacts {
  jurisdiction: string
  area: string
  answeredAt: string
  mediatorId?: string
  /** 1–5, when the party gave a score. */
  satisfaction?: number
  /** Has the agreement been carried out? false = relapse (反弹). */
  carriedOut: boolean
}

export function followUpContribution(f: FollowUpFacts): CellDelta[] {
  const cell: Cell = {
    kind: 'month',
    jurisdiction: f.jurisdiction,
    month: chinaMonth(f.answeredAt),
    area: f.area,
  }
  const add: Counters = { fu: 1, [f.carriedOut ? 'fu.done' : 'fu.relapse']: 1 }
  if (f.satisfaction !== undefined) {
    add['fu.sat'] = f.satisfaction
    add['fu.satn'] = 1
    if (f.mediatorId) {
      add[`fu.med.${f.mediatorId}.sat`] = f.satisfaction
      add[`fu.med.${f.mediatorId}.satn`] = 1
    }
  }
  return [{ cell, add }]
}

/** A follow-up answer recorded (or changed: pass what it was). */
export function followUpAnswered(after: FollowUpFacts, before?: FollowUpFacts): CellDelta[] {
  const m = accumulate(new Map(), followUpContribution(after))
  if (before) accumulate(m, followUpContribution(before), -1)
  return nonZero(m.values())
}

export interface ReferralFacts {
  jurisdiction: string
  area: string
  sentAt: string
  dueAt: string
  answeredAt?: string
  /** Set by the chasing job once the due date passed without an answer. */
  overdue: boolean
}

export function referralContribution(r: ReferralFacts): CellDelta[] {
  const cell = (iso: string): Cell => ({
    kind: 'month',
    jurisdiction: r.jurisdiction,
    month: chinaMonth(iso),
    area: r.area,
  })
  const out: CellDelta[] = [{ cell: cell(r.sentAt), add: { ref: 1 } }]
  if (r.answeredAt) out.push({ cell: cell(r.answeredAt), add: { 'ref.answered': 1 } })
  if (r.overdue) out.push({ cell: cell(r.dueAt), add: { 'ref.overdue': 1 } })
  return out
}

/** A referral sent, answered or found overdue: the change from `before` (undefined when new). */
export function referralDelta(after: ReferralFacts, before?: ReferralFacts): CellDelta[] {
  const m = accumulate(new Map(), referralContribution(after))
  if (before) accumulate(m, referralContribution(before), -1)
  return nonZero(m.values())
}

// ───────────────────────────── reading the figures ─────────────────────────────

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/
const monthField = z.string({ error: 'insight.month' }).regex(MONTH, { error: 'insight.month' })
export const MAX_PERIOD_MONTHS = 24

const monthIndex = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1

/** A period of whole months (China time) and, optionally, one area (street/town) of the jurisdiction. */
export const periodShape = {
  from: monthField,
  to: monthField,
  area: z
    .string()
    .trim()
    .min(1, { error: 'validation.required' })
    .max(60, { error: 'validation.too_long' })
    .optional(),
}

/** The last month not before the first, and at most MAX_PERIOD_MONTHS in all. */
export function checkPeriod(q: { from: string; to: string }, ctx: z.core.$RefinementCtx) {
  if (!MONTH.test(q.from) || !MONTH.test(q.to)) return
  const span = monthIndex(q.to) - monthIndex(q.from)
  if (span < 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'insight.period_order' })
  else if (span >= MAX_PERIOD_MONTHS)
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'insight.period_too_long' })
}

export const PeriodQuery = z.strictObject(periodShape).superRefine(checkPeriod).meta({ id: 'PeriodQuery' })
export type PeriodQuery = z.infer<typeof PeriodQuery>

export const inPeriod = (month: string, q: Pick<PeriodQuery, 'from' | 'to'>) =>
  month >= q.from && month <= q.to

/** Sums the month cells of a period (and area) into one set of counters. */
export function sumCells(cells: CellDelta[], q: PeriodQuery): Counters {
  const total: Counters = {}
  for (const { cell, add } of cells) {
    if (cell.kind !== 'month' || !inPeriod(cell.month, q)) continue
    if (q.area && cell.area !== q.area) continue
    for (const [k, v] of Object.entries(add)) total[k] = (total[k] ?? 0) + v
  }
  return total
}

/** Nearest-rank percentile of the days histogram; null without data. */
export function percentileDays(counters: Counters, p: number): number | null {
  const buckets = Object.entries(counters)
    .filter(([k, v]) => k.startsWith('days.') && v > 0)
    .map(([k, v]) => [Number(k.slice(5)), v] as const)
    .sort((a, b) => a[0] - b[0])
  const total = buckets.reduce((s, [, v]) => s + v, 0)
  if (total === 0) return null
  const rank = Math.ceil(p * total)
  let seen = 0
  for (const [day, n] of buckets) {
    seen += n
    if (seen >= rank) return day
  }
  return null
}

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 1000) / 1000 : null)

export function results(c: Counters) {
  const n = (k: string) => c[k] ?? 0
  const resolved = n('end.resolved')
  const notResolved = NOT_RESOLVED.reduce((s, e) => s + n(`end.${e}`), 0)
  return {
    received: n('rcv'),
    bySource: Object.fromEntries(SOURCES.map((s) => [s, n(`rcv.src.${s}`)])) as Record<Source, number>,
    accepted: n('acc'),
    resolved,
    notResolved,
    failed: n('end.failed'),
    declined: n('end.declined'),
    noResponse: n('end.closed'),
    withdrawn: n('end.withdrawn'),
    /** Resolved of those that ended in or out of agreement (withdrawals left out). */
    resolutionRate: ratio(resolved, resolved + notResolved),
    medianDays: percentileDays(c, 0.5),
    p90Days: percentileDays(c, 0.9),
    overdue: n('ovd'),
    satisfaction: n('fu.satn') > 0 ? Math.round((n('fu.sat') / n('fu.satn')) * 100) / 100 : null,
    followUps: { answered: n('fu'), carriedOut: n('fu.done'), relapsed: n('fu.relapse') },
    referrals: { sent: n('ref'), answered: n('ref.answered'), overdue: n('ref.overdue') },
  }
}
export type Results = ReturnType<typeof results>

/** Counts by the part of a counter name after a prefix: `rcv.type.` → { family: 3, … }. */
export function byKey(c: Counters, prefix: string): Record<string, number> {
  const out: Record<string, number> = {}
  for (const [k, v] of Object.entries(c)) {
    if (!k.startsWith(prefix) || v === 0) continue
    const rest = k.slice(prefix.length)
    out[rest] = (out[rest] ?? 0) + v
  }
  return out
}

/** Where and when: by dispute type, area, weekday and hour of intake, organisation. */
export function whereWhen(cells: CellDelta[], q: PeriodQuery) {
  const c = sumCells(cells, q)
  const types = byKey(c, 'rcv.type.')
  const resolvedByType: Record<string, number> = {}
  for (const type of DISPUTE_TYPES) resolvedByType[type] = c[`end.resolved.type.${type}`] ?? 0
  const areas = new Map<string, { received: number; resolved: number }>()
  for (const { cell, add } of cells) {
    if (cell.kind !== 'month' || !inPeriod(cell.month, q) || (q.area && cell.area !== q.area)) continue
    const a = areas.get(cell.area) ?? { received: 0, resolved: 0 }
    a.received += add.rcv ?? 0
    a.resolved += add['end.resolved'] ?? 0
    areas.set(cell.area, a)
  }
  const orgs = new Set(
    Object.keys(c)
      .map((k) => /^(?:rcv|acc|ovd|end\.\w+)\.org\.(.+)$/.exec(k)?.[1])
      .filter((o): o is string => Boolean(o)),
  )
  return {
    byType: DISPUTE_TYPES.map((type) => ({
      disputeType: type,
      received: types[type] ?? 0,
      resolved: resolvedByType[type] ?? 0,
    })).filter((r) => r.received > 0 || r.resolved > 0),
    byArea: [...areas.entries()]
      .map(([area, v]) => ({ area, ...v }))
      .filter((a) => a.received > 0 || a.resolved > 0)
      .sort((a, b) => b.received - a.received || a.area.localeCompare(b.area)),
    byWeekday: Array.from({ length: 7 }, (_, i) => c[`rcv.wd.${i}`] ?? 0),
    byHour: Array.from({ length: 24 }, (_, i) => c[`rcv.hr.${i}`] ?? 0),
    byRisk: Object.fromEntries(['red', 'orange', 'yellow', 'none'].map((r) => [r, c[`rcv.risk.${r}`] ?? 0])),
    byOrg: [...orgs].sort().map((orgId) => ({
      orgId,
      received: c[`rcv.org.${orgId}`] ?? 0,
      accepted: c[`acc.org.${orgId}`] ?? 0,
      resolved: c[`end.resolved.org.${orgId}`] ?? 0,
      notResolved: NOT_RESOLVED.reduce((s, e) => s + (c[`end.${e}.org.${orgId}`] ?? 0), 0),
      overdue: c[`ovd.org.${orgId}`] ?? 0,
    })),
  }
}

/** Per mediator: accepted, resolved, not resolved, rate, satisfaction, overdue. Supervisors only. */
export function mediatorFigures(cells: CellDelta[], q: PeriodQuery) {
  const c = sumCells(cells, q)
  const ids = new Set(
    Object.keys(c)
      .map((k) => /^(?:acc|ovd|end\.\w+)\.med\.(.+)$/.exec(k)?.[1] ?? /^fu\.med\.(.+)\.satn?$/.exec(k)?.[1])
      .filter((m): m is string => Boolean(m)),
  )
  return [...ids].sort().map((mediatorId) => {
    const n = (k: string) => c[k] ?? 0
    const resolved = n(`end.resolved.med.${mediatorId}`)
    const notResolved = NOT_RESOLVED.reduce((s, e) => s + n(`end.${e}.med.${mediatorId}`), 0)
    const satn = n(`fu.med.${mediatorId}.satn`)
    return {
      mediatorId,
      accepted: n(`acc.med.${mediatorId}`),
      resolved,
      notResolved,
      withdrawn: n(`end.withdrawn.med.${mediatorId}`),
      resolutionRate: ratio(resolved, resolved + notResolved),
      satisfaction: satn > 0 ? Math.round((n(`fu.med.${mediatorId}.sat`) / satn) * 100) / 100 : null,
      satisfactionCount: satn,
      overdue: n(`ovd.med.${mediatorId}`),
    }
  })
}

/** A citizen sees figures for the same dispute type only when this many cases have ended. */
export const MIN_CASES_FOR_OUTLOOK = 10

/**
 * What a citizen may see about disputes like theirs: how long resolved ones took and how they
 * ended, for the same type in the same street, else the whole district; nothing below the minimum.
 * Anonymous: counts only, never a case.
 */
export function outlook(cells: CellDelta[], area: string) {
  const summarise = (list: CellDelta[]) => {
    const c: Counters = {}
    for (const { add } of list) for (const [k, v] of Object.entries(add)) c[k] = (c[k] ?? 0) + v
    const ended = ENDINGS.reduce((s, e) => s + (c[`end.${e}`] ?? 0), 0)
    return { c, ended }
  }
  const local = summarise(cells.filter((x) => x.cell.kind === 'typeArea' && x.cell.area === area))
  const wide = summarise(cells.filter((x) => x.cell.kind === 'typeArea'))
  const pick =
    local.ended >= MIN_CASES_FOR_OUTLOOK
      ? { scope: 'area' as const, ...local }
      : wide.ended >= MIN_CASES_FOR_OUTLOOK
        ? { scope: 'district' as const, ...wide }
        : undefined
  if (!pick) return { scope: 'none' as const, minimum: MIN_CASES_FOR_OUTLOOK }
  const share = (k: string) => Math.round(((pick.c[k] ?? 0) / pick.ended) * 100)
  return {
    scope: pick.scope,
    minimum: MIN_CASES_FOR_OUTLOOK,
    cases: pick.ended,
    medianDays: percentileDays(pick.c, 0.5),
    p90Days: percentileDays(pick.c, 0.9),
    outcomes: {
      resolved: share('end.resolved'),
      notResolved: share('end.failed') + share('end.declined') + share('end.closed'),
      withdrawn: share('end.withdrawn'),
    },
  }
}

/** The counters a recount of these cases gives: what the maintained cells must equal. */
export function recount(records: CaseRecord[], extra: CellDelta[] = []): Map<string, CellDelta> {
  const m = new Map<string, CellDelta>()
  for (const r of records) accumulate(m, contribution(r))
  accumulate(m, extra)
  return new Map(nonZero(m.values()).map((c) => [cellId(c.cell), c]))
}
