import { CreateCaseInput } from '../../../functions/domain/case.ts'
import { fieldErrors } from '../../../functions/domain/validation.ts'
import type { DraftValues } from './apply-draft.ts'
import { FIELD_ORDER, FIELD_PATHS, type FieldName, isMoneyDispute, today, toInput } from './apply-form.ts'

/**
 * Checks the answers with the API's own schema, so the form and the server cannot disagree.
 * An empty answer reads "required" rather than the schema's "too short". Two checks run here too because the schema cannot make them while other fields are wrong
 * (zod skips object refinements then) or without a clock: the amount for money disputes, and
 * a date in the future.
 */
export function validate(
  v: DraftValues,
  now = new Date(),
): { errors: Partial<Record<FieldName, string>>; input?: CreateCaseInput } {
  const result = CreateCaseInput.safeParse(toInput(v))
  const byPath = result.success ? {} : fieldErrors(result.error.issues)
  const errors: Partial<Record<FieldName, string>> = {}
  for (const name of FIELD_ORDER) {
    const code = byPath[FIELD_PATHS[name]]
    // The schema says "too short" for an empty text with a minimum length; to a person it is missing.
    if (code)
      errors[name] = code === 'validation.too_short' && v[name].trim() === '' ? 'validation.required' : code
  }
  if (!errors.amount && isMoneyDispute(v.disputeType) && v.amount.trim() === '') {
    errors.amount = 'validation.amount_required'
  }
  if (!errors.occurredOn && v.occurredOn && v.occurredOn > today(now)) {
    errors.occurredOn = 'validation.date_future'
  }
  const valid = result.success && Object.keys(errors).length === 0
  return valid ? { errors, input: result.data } : { errors }
}

export type Validate = typeof validate
