/**
 * The choices a case is filed with, as plain lists. Kept apart from their schemas in case.ts so
 * the portal can show the application form's options before its validation code (zod, most of
 * the form's weight) has arrived.
 */
export const DISPUTE_TYPES = [
  'family',
  'neighbour',
  'wage_arrears',
  'contract_debt',
  'land',
  'property',
  'consumer',
  'minor_public_order',
  'other',
] as const

/** Dispute types that are about money: the amount in dispute is asked for, and required. */
export const MONEY_DISPUTES: ReadonlySet<(typeof DISPUTE_TYPES)[number]> = new Set([
  'wage_arrears',
  'contract_debt',
])

export const MEETING_PREFERENCES = ['in_person', 'video', 'either'] as const
