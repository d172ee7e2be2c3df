import type { z } from 'zod'

/**
 * Turns zod issues into `{ "a.b": "validation.code" }`. Codes are i18n keys, so the API and the
 * portal's form show the same message in the user's language.
 */
export function fieldErrors(issues: readonly z.core.$ZodIssue[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out[[...issue.path, key].join('.')] = 'validation.unknown_field'
      continue
    }
    const path = issue.path.join('.') || '_'
    if (out[path]) continue
    out[path] = codeOf(issue)
  }
  return out
}

function codeOf(issue: z.core.$ZodIssue): string {
  // Schemas name their own codes (i18n keys such as validation.phone or request.idempotency_key).
  if (/^[a-z_]+\.[a-z_.]+$/.test(issue.message)) return issue.message
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'validation.required' : 'validation.type'
    case 'too_small':
      return 'validation.too_short'
    case 'too_big':
      return 'validation.too_long'
    case 'invalid_value':
      return 'validation.option'
    case 'invalid_format':
      return 'validation.format'
    default:
      return 'validation.invalid'
  }
}
