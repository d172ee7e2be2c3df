import { z } from 'zod'
import type { ReferralFacts } from './insight.ts'
import { maskPhone, Phone } from './phone.ts'

/**
 * Referrals to partner departments (信息互通): a case or a clue handed to a court, procuratorate,
 * labour inspection…, a due date, the department's answers by link, and chasing when it is late.
 * Pure: time, ids and tokens come in.
 */

export const DEPARTMENT_KINDS = [
  'court',
  'procuratorate',
  'hrss',
  'labour_inspection',
  'womens_federation',
  'petition_office',
  'other',
] as const
export type DepartmentKind = (typeof DEPARTMENT_KINDS)[number]

/** A partner department of a jurisdiction, configured by its supervisors or a system admin. */
export interface Department {
  id: string
  jurisdiction: string
  kind: DepartmentKind
  name: string
  /** The registered contact: the answer code goes here, never to whoever holds the link. */
  contactPhone: string
  /** The due date a referral gets when staff do not choose one. */
  defaultDays: number
  active: boolean
  updatedAt: string
}

/** How long a department has when nobody says otherwise, and the longest anyone may give. */
export const DEFAULT_DUE_DAYS = 7
export const MAX_DUE_DAYS = 60
/** Chasing: on the due date, then every CHASE_EVERY_DAYS, at most MAX_CHASES times. */
export const CHASE_EVERY_DAYS = 3
export const MAX_CHASES = 3
/** The link in the SMS works this long after it is sent (answers often come after the due date). */
export const LINK_DAYS = 90
/** After the code, the department's page may read and answer for this long without a new code. */
export const ACCESS_MINUTES = 60
/** A closed referral's link still opens (to read what was answered) for this long, then no more. */
export const CLOSED_LINK_DAYS = 30

const DAY = 86400_000

const Name = z
  .string({ error: 'validation.required' })
  .trim()
  .min(2, { error: 'validation.too_short' })
  .max(40, { error: 'validation.too_long' })
const Days = z
  .number({ error: 'validation.number' })
  .int({ error: 'validation.number' })
  .min(1, { error: 'referral.due_range' })
  .max(MAX_DUE_DAYS, { error: 'referral.due_range' })

export const NewDepartmentInput = z
  .strictObject({
    kind: z.enum(DEPARTMENT_KINDS, { error: 'validation.option' }),
    name: Name,
    contactPhone: Phone,
    defaultDays: Days.default(DEFAULT_DUE_DAYS),
  })
  .meta({ id: 'NewDepartmentInput' })
export type NewDepartmentInput = z.infer<typeof NewDepartmentInput>

export const UpdateDepartmentInput = z
  .strictObject({
    name: Name.optional(),
    contactPhone: Phone.optional(),
    defaultDays: Days.optional(),
    active: z.boolean({ error: 'validation.type' }).optional(),
  })
  .meta({ id: 'UpdateDepartmentInput' })
export type UpdateDepartmentInput = z.infer<typeof UpdateDepartmentInput>

/** A department as staff see it: the contact masked, like every phone number on a page. */
export const DepartmentView = z
  .object({
    id: z.string(),
    kind: z.enum(DEPARTMENT_KINDS),
    name: z.string(),
    contactPhone: z.string().meta({ description: 'Masked' }),
    defaultDays: z.number(),
    active: z.boolean(),
  })
  .meta({ id: 'Department' })
export type DepartmentView = z.infer<typeof DepartmentView>

export const departmentView = (d: Department): DepartmentView => ({
  id: d.id,
  kind: d.kind,
  name: d.name,
  contactPhone: maskPhone(d.contactPhone),
  defaultDays: d.defaultDays,
  active: d.active,
})

const DATE = /^\d{4}-\d{2}-\d{2}$/

export const CreateReferralInput = z
  .strictObject({
    departmentId: z.string({ error: 'validation.required' }).min(1, { error: 'validation.required' }).max(64),
    /** The whole case, or a clue found in it (e.g. other workers unpaid by the same employer). */
    kind: z.enum(['case', 'clue'], { error: 'validation.option' }),
    message: z
      .string({ error: 'validation.required' })
      .trim()
      .min(10, { error: 'validation.too_short' })
      .max(1000, { error: 'validation.too_long' }),
    /** The last day to answer (China time); the department's default when absent. */
    dueOn: z
      .string({ error: 'validation.date' })
      .regex(DATE, { error: 'validation.date' })
      // A real day: 2026-02-30 would parse as 2 March.
      .refine(
        (s) => {
          const d = new Date(`${s}T00:00:00Z`)
          return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s
        },
        { error: 'validation.date' },
      )
      .optional(),
    /** Share the parties' names and phone numbers with the department; masked otherwise. */
    shareParties: z.boolean({ error: 'validation.type' }).default(false),
  })
  .meta({ id: 'CreateReferralInput' })
export type CreateReferralInput = z.infer<typeof CreateReferralInput>

export const REPLY_OUTCOMES = ['in_progress', 'done', 'declined'] as const
export type ReplyOutcome = (typeof REPLY_OUTCOMES)[number]

export const ReferralReplyInput = z
  .strictObject({
    outcome: z.enum(REPLY_OUTCOMES, { error: 'validation.option' }),
    text: z
      .string({ error: 'validation.required' })
      .trim()
      .min(2, { error: 'validation.too_short' })
      .max(2000, { error: 'validation.too_long' }),
    responder: Name,
  })
  .meta({ id: 'ReferralReplyInput' })
export type ReferralReplyInput = z.infer<typeof ReferralReplyInput>

export const ReferralCodeInput = z
  .strictObject({
    code: z.string({ error: 'validation.required' }).regex(/^\d{6}$/, { error: 'validation.otp_format' }),
  })
  .meta({ id: 'ReferralCodeInput' })

export interface ReferralReply {
  at: string
  outcome: ReplyOutcome
  text: string
  responder: string
}

export interface ReferralRecord {
  caseId: string
  /** A ULID: time-ordered within the case. */
  id: string
  kind: 'case' | 'clue'
  departmentId: string
  departmentName: string
  departmentKind: DepartmentKind
  message: string
  shareParties: boolean
  /** The last day to answer, and the moment that day ends in China (16:00 UTC). */
  dueOn: string
  dueAt: string
  sentAt: string
  /** Staff username and display name of whoever referred it. */
  by: string
  byName: string
  orgId?: string
  caseNumber: string
  jurisdiction: string
  /** awaiting: no answer yet; answered: in progress; closed: done or declined. */
  status: 'awaiting' | 'answered' | 'closed'
  replies: ReferralReply[]
  /** When the chasing job next looks at it (while awaiting), and how many reminders went out. */
  nextChaseAt?: string
  chases: number
  /** Counted in the supervisor figures as they stand; kept so a rebuild counts the same. */
  facts: ReferralFacts
  /** SHA-256 of department and text: while open, the same referral cannot be sent twice. */
  dedupeKey: string
  /** When staff last sent the link again by hand. */
  lastRemindedAt?: string
  /** When a done or declined answer closed it. */
  closedAt?: string
  version: number
}

/** The end of a China-time day, as an instant: YYYY-MM-DD 24:00 +08:00. */
export const endOfChinaDay = (day: string) => new Date(Date.parse(`${day}T16:00:00.000Z`)).toISOString()

/** Today's date in China. */
const chinaToday = (now: Date) => new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10)

/** The chosen (or default) due date, checked: not in the past, not beyond MAX_DUE_DAYS. */
export function dueDate(input: { dueOn?: string }, department: Department, now: Date): string {
  const today = chinaToday(now)
  const dueOn = input.dueOn ?? chinaToday(new Date(now.getTime() + department.defaultDays * DAY)).slice(0, 10)
  const latest = chinaToday(new Date(now.getTime() + MAX_DUE_DAYS * DAY))
  if (dueOn < today || dueOn > latest) throw new RangeError('referral.due_range')
  return dueOn
}

export function newReferral(args: {
  id: string
  caseId: string
  caseNumber: string
  orgId?: string
  jurisdiction: string
  area: string
  department: Department
  input: CreateReferralInput
  dueOn: string
  by: { username: string; name: string }
  dedupeKey: string
  now: Date
}): ReferralRecord {
  const sentAt = args.now.toISOString()
  const dueAt = endOfChinaDay(args.dueOn)
  return {
    caseId: args.caseId,
    id: args.id,
    kind: args.input.kind,
    departmentId: args.department.id,
    departmentName: args.department.name,
    departmentKind: args.department.kind,
    message: args.input.message,
    shareParties: args.input.shareParties,
    dueOn: args.dueOn,
    dueAt,
    sentAt,
    by: args.by.username,
    byName: args.by.name,
    ...(args.orgId ? { orgId: args.orgId } : {}),
    caseNumber: args.caseNumber,
    jurisdiction: args.jurisdiction,
    status: 'awaiting',
    replies: [],
    nextChaseAt: dueAt,
    chases: 0,
    facts: { jurisdiction: args.jurisdiction, area: args.area, sentAt, dueAt, overdue: false },
    dedupeKey: args.dedupeKey,
    version: 1,
  }
}

/**
 * A reply from the department. The first one answers the referral (and takes back an "overdue"
 * it may have earned); done or declined closes it. A closed referral takes no more replies.
 */
export function withReply(record: ReferralRecord, reply: ReferralReply): ReferralRecord {
  if (record.status === 'closed') throw new RangeError('referral.closed')
  const first = record.status === 'awaiting'
  const { nextChaseAt: _n, ...rest } = record
  const closes = reply.outcome !== 'in_progress'
  return {
    ...rest,
    status: closes ? 'closed' : 'answered',
    ...(closes ? { closedAt: reply.at } : {}),
    replies: [...record.replies, reply],
    facts: first ? { ...record.facts, answeredAt: reply.at, overdue: false } : record.facts,
    version: record.version + 1,
  }
}

/** Overdue: past its due date with no answer at all. */
export const isOverdue = (r: Pick<ReferralRecord, 'status' | 'dueAt'>, now: Date) =>
  r.status === 'awaiting' && r.dueAt <= now.toISOString()

/**
 * The chasing job's step for a referral it found due: marked overdue (the first time) and one
 * reminder more; after MAX_CHASES it leaves the chase index and stays overdue on every list.
 */
export function chased(record: ReferralRecord, now: Date): ReferralRecord {
  const chases = record.chases + 1
  const { nextChaseAt: _n, ...rest } = record
  return {
    ...rest,
    chases,
    ...(chases < MAX_CHASES
      ? { nextChaseAt: new Date(now.getTime() + CHASE_EVERY_DAYS * DAY).toISOString() }
      : {}),
    facts: { ...record.facts, overdue: true },
    version: record.version + 1,
  }
}

/** The link's credential and the department's code state, stored by the token's SHA-256. */
export interface ReferralLink {
  tokenHash: string
  caseId: string
  referralId: string
  expiresAt: string
}

const ReplyShape = z.object({
  at: z.string(),
  outcome: z.enum(REPLY_OUTCOMES),
  text: z.string(),
  responder: z.string(),
})

const PartyShape = z.object({
  role: z.enum(['applicant', 'respondent']),
  name: z.string(),
  phone: z.string(),
})

/** What staff see of a referral: everything, the contact masked. */
export const ReferralView = z
  .object({
    id: z.string(),
    kind: z.enum(['case', 'clue']),
    departmentId: z.string(),
    departmentName: z.string(),
    departmentKind: z.enum(DEPARTMENT_KINDS),
    message: z.string(),
    shareParties: z.boolean(),
    dueOn: z.string(),
    sentAt: z.string(),
    byName: z.string(),
    status: z.enum(['awaiting', 'answered', 'closed']),
    overdue: z.boolean(),
    chases: z.number(),
    replies: z.array(ReplyShape),
  })
  .meta({ id: 'Referral' })
export type ReferralView = z.infer<typeof ReferralView>

export const referralView = (r: ReferralRecord, now: Date): ReferralView => ({
  id: r.id,
  kind: r.kind,
  departmentId: r.departmentId,
  departmentName: r.departmentName,
  departmentKind: r.departmentKind,
  message: r.message,
  shareParties: r.shareParties,
  dueOn: r.dueOn,
  sentAt: r.sentAt,
  byName: r.byName,
  status: r.status,
  overdue: isOverdue(r, now),
  chases: r.chases,
  replies: r.replies,
})

/** Before the code: enough to know whose link it is and where the code will go. No case details. */
export const ReferralAbout = z
  .object({
    departmentName: z.string(),
    orgName: z.string(),
    contactPhone: z.string().meta({ description: 'Masked' }),
    dueOn: z.string(),
    status: z.enum(['awaiting', 'answered', 'closed']),
  })
  .meta({ id: 'ReferralAbout' })
export type ReferralAbout = z.infer<typeof ReferralAbout>

/** After the code: the referral, the dispute in outline, the parties (masked unless shared). */
export const ReferralForDepartment = z
  .object({
    caseNumber: z.string(),
    orgName: z.string(),
    byName: z.string(),
    kind: z.enum(['case', 'clue']),
    message: z.string(),
    dueOn: z.string(),
    overdue: z.boolean(),
    status: z.enum(['awaiting', 'answered', 'closed']),
    disputeType: z.string(),
    area: z.string(),
    description: z.string(),
    amount: z.number().optional(),
    parties: z.array(PartyShape),
    replies: z.array(ReplyShape),
  })
  .meta({ id: 'ReferralForDepartment' })
export type ReferralForDepartment = z.infer<typeof ReferralForDepartment>

/** A referral in the organisation's work list: awaiting an answer, overdue first. */
export const QueueReferral = z
  .object({
    caseId: z.string(),
    caseNumber: z.string(),
    referralId: z.string(),
    departmentName: z.string(),
    dueOn: z.string(),
    overdue: z.boolean(),
  })
  .meta({ id: 'QueueReferral' })
export type QueueReferral = z.infer<typeof QueueReferral>

export const queueReferral = (r: ReferralRecord, now: Date): QueueReferral => ({
  caseId: r.caseId,
  caseNumber: r.caseNumber,
  referralId: r.id,
  departmentName: r.departmentName,
  dueOn: r.dueOn,
  overdue: isOverdue(r, now),
})
