import type { DisputeType } from '../../../functions/domain/case.ts'
import { MONEY_DISPUTES } from '../../../functions/domain/case-options.ts'
import type { DraftValues } from './apply-draft.ts'

/**
 * Where each form field's answer lands in CreateCaseInput: the schema's issue paths, which are
 * also the keys of the API's `fields` on a 400.
 */
export const FIELD_PATHS = {
  disputeType: 'disputeType',
  description: 'description',
  district: 'location.district',
  street: 'location.street',
  village: 'location.village',
  address: 'location.address',
  occurredOn: 'occurredOn',
  respondentName: 'respondent.name',
  respondentPhone: 'respondent.phone',
  amount: 'amountInDispute',
  desiredOutcome: 'desiredOutcome',
  meetingPreference: 'meetingPreference',
} as const satisfies Record<keyof DraftValues, string>

export type FieldName = keyof typeof FIELD_PATHS

/** In the order the form shows them: the first one in error gets the focus on submit. */
export const FIELD_ORDER = Object.keys(FIELD_PATHS) as FieldName[]

const blankToUndefined = (s: string) => (s.trim() === '' ? undefined : s)

/** Full-width digits and point, as Chinese keyboards type them, become ASCII; thousands separators go. */
function parseAmount(raw: string): number | undefined {
  const s = raw
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[．。]/g, '.')
    .replace(/[,，\s]/g, '')
  if (s === '') return undefined
  // Anything but a plain decimal is not a number here (no "1e3", no "0x10").
  return /^\d+(\.\d+)?$/.test(s) ? Number(s) : Number.NaN
}

/** The request body the form's answers make; empty optional answers are left out. */
export function toInput(v: DraftValues): unknown {
  return {
    disputeType: blankToUndefined(v.disputeType),
    description: v.description,
    location: {
      district: v.district,
      street: blankToUndefined(v.street),
      village: blankToUndefined(v.village),
      address: blankToUndefined(v.address),
    },
    occurredOn: blankToUndefined(v.occurredOn),
    respondent: { name: v.respondentName, phone: blankToUndefined(v.respondentPhone) },
    amountInDispute: parseAmount(v.amount),
    desiredOutcome: v.desiredOutcome,
    meetingPreference: blankToUndefined(v.meetingPreference),
  }
}

/** Today on this phone, YYYY-MM-DD: the latest date a dispute can have happened on. */
export function today(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
}

export const isMoneyDispute = (type: string) => MONEY_DISPUTES.has(type as DisputeType)

/** The API's field errors (keyed by schema path) mapped back onto the form's fields. */
export function serverErrors(fields: Record<string, string> | undefined): Partial<Record<FieldName, string>> {
  const out: Partial<Record<FieldName, string>> = {}
  if (!fields) return out
  for (const name of FIELD_ORDER) {
    const code = fields[FIELD_PATHS[name]]
    if (code) out[name] = code
  }
  return out
}
