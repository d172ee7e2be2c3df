import { DISPUTE_TYPES } from './case.ts'
import type { CaseListRow, MonthlyReport } from './insight-service.ts'
import type { Locale } from './messages.ts'

/**
 * The monthly report as rows (section, item, value), the shape a justice office files
 * (人民调解工作统计月报表): intake by source, mediation results, timeliness, follow-up and
 * referrals, then distributions by dispute type, area and organisation. The CSV and the PDF both
 * print these rows, so they cannot disagree.
 */
const LABELS = {
  'zh-CN': {
    title: '人民调解工作统计月报表',
    office: '填报单位',
    jurisdiction: '辖区',
    month: '统计月份',
    area: '区域',
    allAreas: '全辖区',
    generated: '生成时间',
    s1: '一、受理情况',
    received: '新收纠纷',
    'src.online': '其中：群众网上申请',
    'src.transfer': '其中：公安移送',
    'src.entrust': '其中：公安委托',
    'src.joint': '其中：警民协作',
    'src.referral': '其中：部门转介',
    accepted: '受理调解',
    s2: '二、调解结果',
    resolved: '调解成功',
    notResolved: '调解不成功',
    failed: '其中：调解未达成协议',
    declined: '其中：对方不同意调解',
    noResponse: '其中：对方逾期未答复',
    withdrawn: '申请人撤回',
    resolutionRate: '调解成功率',
    s3: '三、办理时效',
    medianDays: '调解成功用时中位数（天）',
    p90Days: '90%案件调解成功用时（天）',
    overdue: '超期环节',
    s4: '四、回访与信息互通',
    satisfaction: '回访满意度（1–5）',
    followUps: '回访次数',
    carriedOut: '协议已履行',
    relapsed: '纠纷反弹',
    referralsSent: '推送部门',
    referralsAnswered: '部门已反馈',
    referralsOverdue: '部门逾期未反馈',
    s5: '五、纠纷类型分布（新收 / 调解成功）',
    s6: '六、区域分布（新收 / 调解成功）',
    s7: '七、调解组织（新收 / 受理 / 成功 / 不成功 / 超期）',
    section: '栏目',
    item: '项目',
    value: '数值',
    noArea: '未填街道',
  },
  en: {
    title: 'People’s mediation monthly statistics',
    office: 'Reporting office',
    jurisdiction: 'Jurisdiction',
    month: 'Month',
    area: 'Area',
    allAreas: 'Whole jurisdiction',
    generated: 'Generated',
    s1: '1. Intake',
    received: 'Disputes received',
    'src.online': 'of which: online applications',
    'src.transfer': 'of which: police transfers',
    'src.entrust': 'of which: police entrustments',
    'src.joint': 'of which: joint police work',
    'src.referral': 'of which: referrals from departments',
    accepted: 'Accepted for mediation',
    s2: '2. Results',
    resolved: 'Resolved',
    notResolved: 'Not resolved',
    failed: 'of which: no agreement',
    declined: 'of which: respondent declined',
    noResponse: 'of which: no response',
    withdrawn: 'Withdrawn by applicant',
    resolutionRate: 'Resolution rate',
    s3: '3. Timeliness',
    medianDays: 'Median days to resolution',
    p90Days: '90th percentile days to resolution',
    overdue: 'Stages overdue',
    s4: '4. Follow-up and referrals',
    satisfaction: 'Satisfaction (1–5)',
    followUps: 'Follow-ups answered',
    carriedOut: 'Agreements carried out',
    relapsed: 'Relapsed',
    referralsSent: 'Referrals sent',
    referralsAnswered: 'Referrals answered',
    referralsOverdue: 'Referrals overdue',
    s5: '5. By dispute type (received / resolved)',
    s6: '6. By area (received / resolved)',
    s7: '7. By organisation (received / accepted / resolved / not resolved / overdue)',
    section: 'Section',
    item: 'Item',
    value: 'Value',
    noArea: 'No street given',
  },
} as const

export const DISPUTE_LABELS: Record<Locale, Record<string, string>> = {
  'zh-CN': {
    family: '家庭婚恋',
    neighbour: '邻里纠纷',
    wage_arrears: '劳资欠薪',
    contract_debt: '合同债务',
    land: '土地宅基地',
    property: '物业纠纷',
    consumer: '消费纠纷',
    minor_public_order: '轻微治安',
    other: '其他',
  },
  en: {
    family: 'Family & marriage',
    neighbour: 'Neighbours',
    wage_arrears: 'Unpaid wages',
    contract_debt: 'Contract & debt',
    land: 'Land & homestead',
    property: 'Property management',
    consumer: 'Consumer',
    minor_public_order: 'Minor public order',
    other: 'Other',
  },
}

export interface ReportRow {
  section: string
  item: string
  value: string
}

/** "—" where there is nothing to measure yet, never a made-up zero rate. */
const dash = (v: number | null | undefined, suffix = '') =>
  v === null || v === undefined ? '—' : `${v}${suffix}`
const dashIfNone = (v: number, any: number) => (any > 0 ? String(v) : '—')

export function reportHeader(report: MonthlyReport, locale: Locale) {
  const L = LABELS[locale]
  return {
    title: L.title,
    lines: [
      [L.office, report.office],
      [L.jurisdiction, report.jurisdiction],
      [L.month, report.month],
      [L.area, report.period.area ?? L.allAreas],
      [
        L.generated,
        `${new Date(new Date(report.generatedAt).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ')} (UTC+8)`,
      ],
    ] as [string, string][],
  }
}

export function reportRows(report: MonthlyReport, locale: Locale): ReportRow[] {
  const L = LABELS[locale]
  const r = report.results
  const rows: ReportRow[] = []
  const push = (section: string, item: string, value: string | number) =>
    rows.push({ section, item, value: String(value) })
  push(L.s1, L.received, r.received)
  for (const s of ['online', 'transfer', 'entrust', 'joint', 'referral'] as const)
    push(L.s1, L[`src.${s}`], r.bySource[s])
  push(L.s1, L.accepted, r.accepted)
  push(L.s2, L.resolved, r.resolved)
  push(L.s2, L.notResolved, r.notResolved)
  push(L.s2, L.failed, r.failed)
  push(L.s2, L.declined, r.declined)
  push(L.s2, L.noResponse, r.noResponse)
  push(L.s2, L.withdrawn, r.withdrawn)
  push(L.s2, L.resolutionRate, r.resolutionRate === null ? '—' : `${(r.resolutionRate * 100).toFixed(1)}%`)
  push(L.s3, L.medianDays, dash(r.medianDays))
  push(L.s3, L.p90Days, dash(r.p90Days))
  push(L.s3, L.overdue, r.overdue)
  push(L.s4, L.satisfaction, dash(r.satisfaction))
  push(L.s4, L.followUps, dashIfNone(r.followUps.answered, r.followUps.answered))
  push(L.s4, L.carriedOut, dashIfNone(r.followUps.carriedOut, r.followUps.answered))
  push(L.s4, L.relapsed, dashIfNone(r.followUps.relapsed, r.followUps.answered))
  push(L.s4, L.referralsSent, dashIfNone(r.referrals.sent, r.referrals.sent))
  push(L.s4, L.referralsAnswered, dashIfNone(r.referrals.answered, r.referrals.sent))
  push(L.s4, L.referralsOverdue, dashIfNone(r.referrals.overdue, r.referrals.sent))
  const byType = new Map(report.byType.map((t) => [t.disputeType, t]))
  for (const type of DISPUTE_TYPES) {
    const t = byType.get(type)
    push(L.s5, DISPUTE_LABELS[locale][type] ?? type, `${t?.received ?? 0} / ${t?.resolved ?? 0}`)
  }
  for (const a of report.byArea)
    push(L.s6, a.area === '-' ? L.noArea : a.area, `${a.received} / ${a.resolved}`)
  for (const o of report.byOrg)
    push(
      L.s7,
      o.orgName ?? o.orgId,
      `${o.received} / ${o.accepted} / ${o.resolved} / ${o.notResolved} / ${o.overdue}`,
    )
  return rows
}

/** A CSV field: quoted when it must be, and never read as a formula by a spreadsheet. */
export function csvField(value: unknown): string {
  let s = value === undefined || value === null ? '' : String(value)
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** UTF-8 with a byte-order mark, so spreadsheet programs read the Chinese correctly. */
export const toCsv = (rows: unknown[][]) =>
  `\uFEFF${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`

export function reportCsv(report: MonthlyReport, locale: Locale): string {
  const L = LABELS[locale]
  const header = reportHeader(report, locale)
  return toCsv([
    [header.title],
    ...header.lines,
    [],
    [L.section, L.item, L.value],
    ...reportRows(report, locale).map((r) => [r.section, r.item, r.value]),
  ])
}

/** Column names of the case list export; the keys are the JSON field names. */
export const CASE_LIST_COLUMNS = [
  'number',
  'createdAt',
  'acceptedAt',
  'concludedAt',
  'status',
  'source',
  'disputeType',
  'area',
  'orgId',
  'mediatorId',
  'riskLevel',
  'daysToEnd',
  'receivedInPeriod',
  'acceptedInPeriod',
  'endedInPeriod',
] as const satisfies readonly (keyof CaseListRow)[]

export function caseListCsv(rows: CaseListRow[]): string {
  return toCsv([[...CASE_LIST_COLUMNS], ...rows.map((r) => CASE_LIST_COLUMNS.map((c) => r[c]))])
}
