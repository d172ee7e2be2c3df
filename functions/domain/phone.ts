import { z } from 'zod'

/** Mainland mobile numbers: 11 digits starting 13–19. Input may carry spaces, dashes or +86. */
const MOBILE = /^1[3-9]\d{9}$/

/** Strips what people type around a number (spaces, dashes, +86 / 0086) so one person has one key. */
export function normalizePhone(raw: string): string {
  const digits = raw.replace(/[\s-]/g, '')
  return digits.replace(/^(\+86|0086)/, '')
}

/** Shown and logged instead of the number: 138****5678. */
export function maskPhone(phone: string): string {
  const p = normalizePhone(phone)
  if (p.length < 7) return '*'.repeat(p.length)
  return `${p.slice(0, 3)}****${p.slice(-4)}`
}

export const Phone = z
  .string({ error: 'validation.required' })
  .max(20, { error: 'validation.phone' })
  .transform(normalizePhone)
  .pipe(z.string().regex(MOBILE, { error: 'validation.phone' }))
  .meta({ description: 'Mainland China mobile number', example: '13800138000' })
