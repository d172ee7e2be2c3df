import { z } from 'zod'
import type { StoredContent } from './agreement.ts'
import type { FollowUpFacts } from './insight.ts'

/**
 * Follow-up visits (回访) after a signed agreement: when they fall due, what a party answers, and
 * what each caller may see of them. Pure: time, ids and tokens come in.
 */

/** Days after signing on which both parties are asked whether the agreement was carried out. */
export const FOLLOW_UP_DAYS = [7, 30] as const
/** How long the link in a follow-up SMS works. */
export const FOLLOW_UP_TOKEN_DAYS = 14
/**
 * An instalment is asked about on its due date at 20:00 China time (12:00 UTC): late enough that
 * a payment made that day counts, early enough that nobody is texted at night.
 */
const INSTALMENT_ASK_TIME = 'T12:00:00.000Z'
const DAY = 86400_000

export const FOLLOW_UP_PARTIES = ['applicant', 'respondent'] as const
export type FollowUpParty = (typeof FOLLOW_UP_PARTIES)[number]
export const CARRIED_OUT = ['yes', 'partly', 'no'] as const
export type CarriedOut = (typeof CARRIED_OUT)[number]

export interface FollowUpRecord {
  caseId: string
  /** `d7`, `d30`, `i1`, `i2`…: fixed per agreement, so scheduling twice writes the same items. */
  id: string
  kind: 'days' | 'instalment'
  dueAt: string
  /** The case's jurisdiction when scheduled: the due index is read per jurisdiction, like the job's boards. */
  jurisdiction: string
  /** The handling organisation and case number, for the organisation's follow-up list (gsi2). */
  orgId?: string
  caseNumber?: string
  instalment?: { amount: number; dueOn: string }
  /** `skipped`: the case was no longer resolved (reopened) when it fell due. */
  status: 'scheduled' | 'sent' | 'skipped'
  sentAt?: string
  /** The parties texted a link when it was sent, and those who have answered (by link or phone). */
  parties?: FollowUpParty[]
  answeredBy?: FollowUpParty[]
  createdAt: string
}

/** Still wants someone's attention: not skipped, and not every party texted has answered. */
export const awaitsAnswers = (f: Pick<FollowUpRecord, 'status' | 'parties' | 'answeredBy'>) =>
  f.status === 'scheduled' ||
  (f.status === 'sent' && (f.parties ?? []).some((p) => !(f.answeredBy ?? []).includes(p)))

/** The SMS link's credential, stored as its SHA-256. */
export interface FollowUpToken {
  tokenHash: string
  caseId: string
  followUpId: string
  party: FollowUpParty
  expiresAt: string
}

export interface FollowUpAnswer {
  caseId: string
  followUpId: string
  party: FollowUpParty
  carriedOut: CarriedOut
  satisfaction?: number
  comment?: string
  channel: 'sms' | 'phone'
  /** Staff username for a phone follow-up. */
  by?: string
  answeredAt: string
  /** What the answer added to the supervisor figures, kept so a rebuild adds the same. */
  facts?: FollowUpFacts
}

const Satisfaction = z
  .number({ error: 'follow_up.satisfaction' })
  .int({ error: 'follow_up.satisfaction' })
  .min(1, { error: 'follow_up.satisfaction' })
  .max(5, { error: 'follow_up.satisfaction' })
const Comment = z.string({ error: 'validation.type' }).trim().max(500, { error: 'validation.too_long' })
const Carried = z.enum(CARRIED_OUT, { error: 'validation.option' })

export const FollowUpAnswerInput = z
  .strictObject({ carriedOut: Carried, satisfaction: Satisfaction, comment: Comment.optional() })
  .meta({ id: 'FollowUpAnswerInput' })
export type FollowUpAnswerInput = z.infer<typeof FollowUpAnswerInput>

/** A phone follow-up noted by staff: the party may not have given a score. */
export const RecordFollowUpInput = z
  .strictObject({
    party: z.enum(FOLLOW_UP_PARTIES, { error: 'validation.option' }),
    carriedOut: Carried,
    satisfaction: Satisfaction.optional(),
    comment: Comment.optional(),
  })
  .meta({ id: 'RecordFollowUpInput' })
export type RecordFollowUpInput = z.infer<typeof RecordFollowUpInput>

/**
 * The follow-ups of a freshly signed agreement: 7 and 30 days after signing, and one at each
 * instalment still to come. An instalment already due at signing was settled at the table.
 */
export function scheduleFollowUps(args: {
  caseId: string
  caseNumber: string
  orgId?: string
  jurisdiction: string
  signedAt: Date
  content: Pick<StoredContent, 'payment'>
}): FollowUpRecord[] {
  const createdAt = args.signedAt.toISOString()
  const base = {
    caseId: args.caseId,
    caseNumber: args.caseNumber,
    ...(args.orgId ? { orgId: args.orgId } : {}),
    jurisdiction: args.jurisdiction,
    status: 'scheduled' as const,
    createdAt,
  }
  const out: FollowUpRecord[] = FOLLOW_UP_DAYS.map((d) => ({
    ...base,
    id: `d${d}`,
    kind: 'days',
    dueAt: new Date(args.signedAt.getTime() + d * DAY).toISOString(),
  }))
  ;(args.content.payment?.instalments ?? []).forEach((i, n) => {
    const dueAt = `${i.dueOn}${INSTALMENT_ASK_TIME}`
    if (dueAt > createdAt)
      out.push({ ...base, id: `i${n + 1}`, kind: 'instalment', dueAt, instalment: { ...i } })
  })
  return out.sort((a, b) => a.dueAt.localeCompare(b.dueAt))
}

/** "Not carried out" is a relapse (反弹); "partly" is progress the mediator watches, not a relapse. */
export const isRelapse = (answer: Pick<FollowUpAnswer, 'carriedOut'>) => answer.carriedOut === 'no'

export const FollowUpView = z
  .object({
    id: z.string(),
    kind: z.enum(['days', 'instalment']),
    dueAt: z.string(),
    status: z.enum(['scheduled', 'sent', 'skipped']),
    sentAt: z.string().optional(),
    instalment: z.object({ amount: z.number(), dueOn: z.string() }).optional(),
    answeredBy: z.array(z.enum(FOLLOW_UP_PARTIES)),
    answers: z
      .array(
        z.object({
          party: z.enum(FOLLOW_UP_PARTIES),
          carriedOut: z.enum(CARRIED_OUT),
          satisfaction: z.number().optional(),
          comment: z.string().optional(),
          channel: z.enum(['sms', 'phone']),
          by: z.string().optional(),
          answeredAt: z.string(),
        }),
      )
      .optional()
      .meta({ description: 'Staff only' }),
  })
  .meta({ id: 'FollowUp' })
export type FollowUpView = z.infer<typeof FollowUpView>

/** A follow-up as the caller may see it: parties see the schedule, staff also see the answers. */
export function followUpView(
  record: FollowUpRecord,
  answers: FollowUpAnswer[],
  staff: boolean,
): FollowUpView {
  const mine = answers.filter((a) => a.followUpId === record.id)
  return {
    id: record.id,
    kind: record.kind,
    dueAt: record.dueAt,
    status: record.status,
    ...(record.sentAt ? { sentAt: record.sentAt } : {}),
    ...(record.instalment ? { instalment: record.instalment } : {}),
    answeredBy: mine.map((a) => a.party),
    ...(staff
      ? {
          answers: mine.map(({ party, carriedOut, satisfaction, comment, channel, by, answeredAt }) => ({
            party,
            carriedOut,
            satisfaction,
            comment,
            channel,
            by,
            answeredAt,
          })),
        }
      : {}),
  }
}

/** What the page behind an SMS link shows: the case number and the question, no names. */
export const FollowUpQuestion = z
  .object({
    caseNumber: z.string(),
    party: z.enum(FOLLOW_UP_PARTIES),
    kind: z.enum(['days', 'instalment']),
    dueAt: z.string(),
    instalment: z.object({ amount: z.number(), dueOn: z.string() }).optional(),
    answered: z.boolean(),
    expiresAt: z.string(),
  })
  .meta({ id: 'FollowUpQuestion' })
export type FollowUpQuestion = z.infer<typeof FollowUpQuestion>

/** A follow-up in the organisation's work list: due soon, or sent and still missing an answer. */
export const QueueFollowUp = z
  .object({
    caseId: z.string(),
    caseNumber: z.string().optional(),
    followUpId: z.string(),
    dueAt: z.string(),
    status: z.enum(['scheduled', 'sent', 'skipped']),
    awaiting: z.array(z.enum(FOLLOW_UP_PARTIES)),
  })
  .meta({ id: 'QueueFollowUp' })
export type QueueFollowUp = z.infer<typeof QueueFollowUp>

/** How far back and ahead the work list looks: a link lives FOLLOW_UP_TOKEN_DAYS; three days' notice. */
export const QUEUE_FOLLOW_UP_WINDOW = { backDays: FOLLOW_UP_TOKEN_DAYS, aheadDays: 3 }

export function queueFollowUp(f: FollowUpRecord): QueueFollowUp {
  return {
    caseId: f.caseId,
    ...(f.caseNumber ? { caseNumber: f.caseNumber } : {}),
    followUpId: f.id,
    dueAt: f.dueAt,
    status: f.status,
    awaiting: (f.status === 'scheduled' ? [...FOLLOW_UP_PARTIES] : (f.parties ?? [])).filter(
      (p) => !(f.answeredBy ?? []).includes(p),
    ),
  }
}
