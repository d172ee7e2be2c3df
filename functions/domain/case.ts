import { z } from 'zod'
import { DISPUTE_TYPES, MEETING_PREFERENCES, MONEY_DISPUTES } from './case-options.ts'
import { VisibleError } from './errors.ts'
import { maskPhone, Phone } from './phone.ts'

export { DISPUTE_TYPES, MEETING_PREFERENCES, MONEY_DISPUTES }

export const DisputeType = z.enum(DISPUTE_TYPES, { error: 'validation.option' })
export type DisputeType = z.infer<typeof DisputeType>

export const MeetingPreference = z.enum(MEETING_PREFERENCES, { error: 'validation.option' })
export type MeetingPreference = z.infer<typeof MeetingPreference>

/**
 * Every status a case can reach. The foundation files cases as `submitted`; the workflow moves
 * them on. Kept in one list so the portal can explain each one in plain language.
 */
export const CASE_STATUSES = [
  'submitted',
  'screening',
  'returned',
  'awaiting_consent',
  'declined',
  'scheduled',
  'in_mediation',
  'resolved',
  'failed',
  'closed',
  'withdrawn',
] as const
export const CaseStatus = z.enum(CASE_STATUSES)
export type CaseStatus = z.infer<typeof CaseStatus>

/** Mirrors risk.ts (which imports this module, so it cannot be imported back without a cycle). */
const CASE_RISK_LEVELS = ['none', 'yellow', 'orange', 'red'] as const
export type RiskLevel = (typeof CASE_RISK_LEVELS)[number]

export const INTAKE_ROUTES = ['transfer', 'entrust', 'joint'] as const
export type IntakeRoute = (typeof INTAKE_ROUTES)[number]

const text = (min: number, max: number) =>
  z
    .string({ error: 'validation.required' })
    .trim()
    .min(1, { error: 'validation.required' })
    .min(min, { error: 'validation.too_short' })
    .max(max, { error: 'validation.too_long' })

const optionalText = (max: number) =>
  z.string({ error: 'validation.type' }).trim().max(max, { error: 'validation.too_long' }).optional()

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

export const Location = z
  .strictObject({
    district: text(1, 40),
    street: optionalText(60),
    village: optionalText(60),
    address: optionalText(120),
  })
  .meta({
    id: 'Location',
    description: 'Where the dispute happened: district, street/town, village/community',
  })

export const Respondent = z
  .strictObject({
    name: text(1, 40),
    phone: Phone.optional(),
  })
  .meta({ id: 'Respondent', description: 'The other party; phone optional when unknown' })

/**
 * What a citizen submits. Strict: unknown fields are refused rather than silently dropped, so a
 * client that drifts from the API finds out at once.
 */
export const CreateCaseInput = z
  .strictObject({
    disputeType: DisputeType,
    description: text(10, 2000),
    location: Location,
    occurredOn: z
      .string({ error: 'validation.type' })
      .regex(ISO_DATE, { error: 'validation.date' })
      .refine((d) => !Number.isNaN(Date.parse(d)), { error: 'validation.date' })
      .optional(),
    respondent: Respondent,
    amountInDispute: z
      .number({ error: 'validation.number' })
      .nonnegative({ error: 'validation.amount' })
      .max(1_000_000_000, { error: 'validation.amount' })
      .refine((n) => Math.round(n * 100) === n * 100, { error: 'validation.amount' })
      .optional(),
    desiredOutcome: text(2, 500),
    meetingPreference: MeetingPreference,
  })
  .superRefine((input, ctx) => {
    if (MONEY_DISPUTES.has(input.disputeType) && input.amountInDispute === undefined) {
      ctx.addIssue({ code: 'custom', path: ['amountInDispute'], message: 'validation.amount_required' })
    }
  })
  .meta({ id: 'CreateCaseInput' })
export type CreateCaseInput = z.infer<typeof CreateCaseInput>

/** Today's date where the citizens are (China Standard Time, UTC+8, no daylight saving). */
export function chinaDate(now: Date): string {
  return new Date(now.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10)
}

/** A case number people can read out on the phone: TJ-2026-000123. */
export function caseNumber(year: number, sequence: number): string {
  return `TJ-${year}-${String(sequence).padStart(6, '0')}`
}

export const CASE_NUMBER = /^TJ-\d{4}-\d{6,}$/

export const TimelineEvent = z
  .object({
    at: z.string(),
    type: z.string().meta({ description: 'What happened, an i18n key such as case.filed' }),
    actorRole: z.enum(['citizen', 'respondent', 'staff', 'system']),
    by: z.string().optional().meta({ description: 'Staff username; absent for citizens' }),
    from: CaseStatus.optional(),
    to: CaseStatus.optional(),
    note: z.string().optional(),
    evidenceId: z.string().optional(),
    meta: z
      .record(z.string(), z.union([z.string(), z.number()]))
      .optional()
      .meta({ description: 'Details for the words, e.g. who joined a video session and for how long' }),
  })
  .meta({ id: 'TimelineEvent' })
export type TimelineEvent = z.infer<typeof TimelineEvent>

export const CaseView = z
  .object({
    id: z.string(),
    number: z.string(),
    status: CaseStatus,
    version: z.number().int(),
    disputeType: DisputeType,
    description: z.string(),
    location: Location,
    occurredOn: z.string().optional(),
    respondent: z.object({ name: z.string(), phone: z.string().optional() }),
    amountInDispute: z.number().optional(),
    desiredOutcome: z.string(),
    meetingPreference: MeetingPreference,
    createdAt: z.string(),
    updatedAt: z.string(),
    timeline: z.array(TimelineEvent),
    /** How the caller stands to the case, and what they may do next (the portal's buttons). */
    relation: z.string(),
    allowedActions: z.array(z.string()),
    source: z.enum(['online', 'police', 'referral']),
    referredBy: z
      .string()
      .optional()
      .meta({ description: 'The partner department that referred the case in, when one did' }),
    orgId: z.string().optional(),
    tier: z.number().int().optional(),
    jurisdiction: z.string().optional(),
    mediatorId: z.string().optional(),
    riskLevel: z.enum(CASE_RISK_LEVELS).optional().meta({ description: 'Staff only' }),
    riskSignals: z.array(z.string()).optional().meta({ description: 'Staff only' }),
    stageDeadline: z.string().optional(),
    overdue: z.boolean(),
    intakeRoute: z.enum(INTAKE_ROUTES).optional(),
    intake: z
      .object({
        route: z.enum(INTAKE_ROUTES),
        officerId: z.string(),
        callTime: z.string(),
        callNumber: z.string(),
        callerName: z.string(),
        address: z.string(),
      })
      .optional()
      .meta({ description: 'The 110 call, for staff only' }),
    applicantPhone: z.string().optional().meta({ description: 'Masked; shown to staff only' }),
    returnReason: z.string().optional(),
    outcome: z
      .object({ kind: z.string(), reason: z.string().optional(), guidance: z.string().optional() })
      .optional(),
  })
  .meta({ id: 'Case', description: 'A case as the caller may see it; phone numbers masked' })
export type CaseView = z.infer<typeof CaseView>

export const CaseSummary = CaseView.pick({
  id: true,
  number: true,
  status: true,
  disputeType: true,
  createdAt: true,
  updatedAt: true,
}).meta({ id: 'CaseSummary' })
export type CaseSummary = z.infer<typeof CaseSummary>

export const CreatedCase = z
  .object({ id: z.string(), number: z.string(), status: CaseStatus, version: z.number().int() })
  .meta({ id: 'CreatedCase' })
export type CreatedCase = z.infer<typeof CreatedCase>

/** The stored case: the view plus who owns it. */

/** What a police officer recorded when handing a 110 call over (移送 / 委托 / 协作). */
export interface PoliceIntake {
  route: IntakeRoute
  officerId: string
  stationOrgId: string
  callTime: string
  callNumber: string
  callerName: string
  address: string
}

export interface ReferredIn {
  departmentId: string
  departmentName: string
  /** The department's own file number, so both sides can find the matter. */
  reference: string
  /** Staff username who registered it. */
  by: string
  applicantName: string
}

export interface CaseOutcome {
  kind: 'resolved' | 'not_resolved' | 'withdrawn' | 'not_accepted' | 'declined' | 'no_response'
  reason?: string
  guidance?: string
}

/** The stored case: what was filed, who owns it, and where it stands in the workflow. */
export interface CaseRecord {
  id: string
  number: string
  status: CaseStatus
  version: number
  /** The online applicant's citizen id; empty for cases that came in from a 110 call. */
  applicantId: string
  applicantPhone: string
  input: CreateCaseInput
  createdAt: string
  updatedAt: string
  source?: 'online' | 'police' | 'referral'
  /** A case referred in by a partner department (诉前委派, 访调对接…): who, their file number, who registered it. */
  referredIn?: ReferredIn
  /** The organisation handling the case now, its tier and jurisdiction (district). */
  orgId?: string
  tier?: 1 | 2 | 3
  jurisdiction?: string
  /** Organisations that handed the case on keep read access and see the outcome (事事有回音). */
  sharedWith?: string[]
  mediatorId?: string
  riskLevel?: RiskLevel
  riskSignals?: string[]
  riskOverride?: { from: RiskLevel; reason: string; by: string }
  /** When the current stage's time limit runs out. */
  stageDeadline?: string
  intake?: PoliceIntake
  invitedAt?: string
  returnReason?: string
  outcome?: CaseOutcome
  /** Earlier cases (90 days) with the same phone, respondent or address: repeat calls. */
  relatedCaseIds?: string[]
  /** Consent reminders sent to the respondent so far. */
  remindersSent?: number
  /** The stage deadline already recorded as missed, so it is marked once. */
  overdueMarkedFor?: string
  /** First accepted by an organisation; when the case ended; when its risk level was last set. For the figures. */
  acceptedAt?: string
  concludedAt?: string
  riskSince?: string
}

/**
 * Files a new case for a signed-in citizen. Pure: ids, the number and the time come from outside
 * so the store can allocate them and tests can fix them.
 */
export function fileCase(args: {
  id: string
  number: string
  applicantId: string
  applicantPhone: string
  input: CreateCaseInput
  now: Date
}): { record: CaseRecord; event: TimelineEvent } {
  const at = args.now.toISOString()
  if (args.input.occurredOn && args.input.occurredOn > chinaDate(args.now)) {
    throw new VisibleError('input', 'validation.failed', undefined, { occurredOn: 'validation.date_future' })
  }
  const record: CaseRecord = {
    id: args.id,
    number: args.number,
    status: 'submitted',
    version: 1,
    applicantId: args.applicantId,
    applicantPhone: args.applicantPhone,
    input: args.input,
    createdAt: at,
    updatedAt: at,
  }
  return { record, event: { at, type: 'case.filed', actorRole: 'citizen', to: 'submitted' } }
}

/**
 * What a caller sees of a case: phone numbers masked, the timeline attached, and the caller's
 * relation and allowed actions (decided by the workflow, passed in).
 */
export function caseView(
  record: CaseRecord,
  timeline: TimelineEvent[],
  caller: { relation: string; allowedActions: string[]; staff: boolean; now: Date },
): CaseView {
  const { input } = record
  return {
    id: record.id,
    number: record.number,
    status: record.status,
    version: record.version,
    disputeType: input.disputeType,
    description: input.description,
    location: input.location,
    occurredOn: input.occurredOn,
    respondent: {
      name: input.respondent.name,
      phone: input.respondent.phone ? maskPhone(input.respondent.phone) : undefined,
    },
    amountInDispute: input.amountInDispute,
    desiredOutcome: input.desiredOutcome,
    meetingPreference: input.meetingPreference,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    timeline,
    relation: caller.relation,
    allowedActions: caller.allowedActions,
    source: record.source ?? 'online',
    ...(record.referredIn ? { referredBy: record.referredIn.departmentName } : {}),
    jurisdiction: record.jurisdiction,
    stageDeadline: record.stageDeadline,
    overdue: Boolean(record.stageDeadline && new Date(record.stageDeadline) < caller.now),
    intakeRoute: record.intake?.route,
    returnReason: record.returnReason,
    // What only staff see: who handles it, how risky it is judged, the 110 call, the applicant's contact.
    ...(caller.staff
      ? {
          orgId: record.orgId,
          tier: record.tier,
          mediatorId: record.mediatorId,
          riskLevel: record.riskLevel ?? 'none',
          riskSignals: record.riskSignals ?? [],
          applicantPhone: maskPhone(record.applicantPhone),
          intake: record.intake ? (({ stationOrgId: _s, ...rest }) => rest)(record.intake) : undefined,
        }
      : { tier: record.tier }),
    outcome: record.outcome,
  }
}
