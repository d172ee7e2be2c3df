/**
 * The unsent application, kept on the phone so a reload, a dropped connection or a closed tab
 * loses nothing. Storage only — no schema here, so the first page can clear it on sign-out
 * without loading the validation code.
 */
export interface DraftValues {
  disputeType: string
  description: string
  district: string
  street: string
  village: string
  address: string
  occurredOn: string
  respondentName: string
  respondentPhone: string
  amount: string
  desiredOutcome: string
  meetingPreference: string
}

export interface Draft {
  values: DraftValues
  /** Made once per draft and sent with every try, so a retry after a lost answer files the case once. */
  idempotencyKey: string
}

export const DRAFT_KEY = 'jiefen.apply.draft.v1'

export const emptyValues = (): DraftValues => ({
  disputeType: '',
  description: '',
  district: '',
  street: '',
  village: '',
  address: '',
  occurredOn: '',
  respondentName: '',
  respondentPhone: '',
  amount: '',
  desiredOutcome: '',
  meetingPreference: '',
})

/** A random UUID; older WebViews without crypto.randomUUID get one made from getRandomValues. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID()
  const b = crypto.getRandomValues(new Uint8Array(16))
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

export function loadDraft(): Draft | undefined {
  try {
    const raw = localStorage.getItem(DRAFT_KEY)
    if (!raw) return undefined
    const parsed = JSON.parse(raw) as Partial<Draft>
    if (typeof parsed.idempotencyKey !== 'string' || !parsed.values) return undefined
    const values = emptyValues()
    for (const key of Object.keys(values) as (keyof DraftValues)[]) {
      const v = (parsed.values as Partial<Record<keyof DraftValues, unknown>>)[key]
      if (typeof v === 'string') values[key] = v
    }
    return { values, idempotencyKey: parsed.idempotencyKey }
  } catch {
    return undefined
  }
}

export function saveDraft(draft: Draft): void {
  try {
    localStorage.setItem(DRAFT_KEY, JSON.stringify(draft))
  } catch {
    // Storage full or blocked: the form still works, it just won't survive a reload.
  }
}

export function clearDraft(): void {
  try {
    localStorage.removeItem(DRAFT_KEY)
  } catch {
    // Nothing stored.
  }
}

/** True when nothing has been typed yet. */
export const isBlank = (v: DraftValues) => Object.values(v).every((x) => x.trim() === '')
