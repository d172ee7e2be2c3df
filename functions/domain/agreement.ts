import { z } from 'zod'
import type { CaseRecord, DisputeType } from './case.ts'
import { chinaDate } from './case.ts'
import { VisibleError } from './errors.ts'

/**
 * The mediation agreement (调解协议书): what the mediator drafts, what the parties sign, and the
 * rules that keep a signature tied to the exact words signed. Pure: hashing and time come in.
 */

export const SIGNER_ROLES = ['applicant', 'respondent', 'mediator'] as const
export type SignerRole = (typeof SIGNER_ROLES)[number]
export type PartyRole = Exclude<SignerRole, 'mediator'>

/** Days after signing within which the parties may jointly apply for judicial confirmation (司法确认). */
export const JUDICIAL_CONFIRMATION_DAYS = 30

const text = (min: number, max: number) =>
  z
    .string({ error: 'validation.required' })
    .trim()
    .min(1, { error: 'validation.required' })
    .min(min, { error: 'validation.too_short' })
    .max(max, { error: 'validation.too_long' })

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/
const PlainDate = z
  .string({ error: 'validation.date' })
  .regex(ISO_DATE, { error: 'validation.date' })
  .refine((d) => !Number.isNaN(Date.parse(d)), { error: 'validation.date' })

const Money = z
  .number({ error: 'validation.number' })
  .positive({ error: 'validation.amount' })
  .max(1_000_000_000, { error: 'validation.amount' })
  .refine((n) => Math.round(n * 100) === n * 100, { error: 'validation.amount' })

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const ID_CHECK = '10X98765432'

/** The check character of an 18-character resident ID number (GB 11643). */
export function idCheckChar(first17: string): string {
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * (ID_WEIGHTS[i] ?? 0), 0)
  return ID_CHECK[sum % 11] ?? '?'
}

export function isValidIdNumber(id: string): boolean {
  return /^\d{17}[\dX]$/.test(id) && idCheckChar(id.slice(0, 17)) === id[17]
}

/** Shown, printed and logged instead of the number: 110101********123X. */
export function maskIdNumber(id: string): string {
  return id.length < 10
    ? '*'.repeat(id.length)
    : `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`
}

export const IdNumber = z
  .string({ error: 'validation.required' })
  .trim()
  .transform((s) => s.toUpperCase())
  .pipe(z.string().refine(isValidIdNumber, { error: 'agreement.id_number' }))
  .meta({ description: '18-character resident ID number; never shown unmasked' })

export const Party = z.strictObject({
  name: text(1, 40),
  /** Optional when revising a draft: absent means "as before", so the full number need not travel back. */
  idNumber: IdNumber.optional(),
})

export const Instalment = z.strictObject({ amount: Money, dueOn: PlainDate })

export const Payment = z
  .strictObject({
    payer: z.enum(['applicant', 'respondent'], { error: 'validation.option' }),
    total: Money,
    instalments: z
      .array(Instalment, { error: 'validation.type' })
      .min(1, { error: 'agreement.instalments_required' })
      .max(24, { error: 'validation.too_long' }),
  })
  .superRefine((p, ctx) => {
    const cents = p.instalments.reduce((s, i) => s + Math.round(i.amount * 100), 0)
    if (cents !== Math.round(p.total * 100))
      ctx.addIssue({ code: 'custom', path: ['instalments'], message: 'agreement.instalments_sum' })
    for (let i = 1; i < p.instalments.length; i++) {
      if ((p.instalments[i]?.dueOn ?? '') <= (p.instalments[i - 1]?.dueOn ?? ''))
        ctx.addIssue({
          code: 'custom',
          path: ['instalments', i, 'dueOn'],
          message: 'agreement.instalments_order',
        })
    }
  })

export const AGREEMENT_TEMPLATES = ['wage_arrears', 'general'] as const

export const AgreementContent = z
  .strictObject({
    template: z.enum(AGREEMENT_TEMPLATES, { error: 'validation.option' }),
    applicant: Party,
    respondent: Party,
    /** The dispute: main facts and what was in contention. */
    facts: text(10, 2000),
    /** Who does what, one obligation per line. */
    terms: z.array(text(2, 500), { error: 'validation.type' }).max(20, { error: 'validation.too_long' }),
    payment: Payment.optional(),
    /** How performance is checked (履行情况的核查方式). */
    performanceCheck: text(4, 500),
  })
  .superRefine((c, ctx) => {
    if (c.template === 'wage_arrears' && !c.payment)
      ctx.addIssue({ code: 'custom', path: ['payment'], message: 'agreement.payment_required' })
    if (c.terms.length === 0 && !c.payment)
      ctx.addIssue({ code: 'custom', path: ['terms'], message: 'agreement.terms_required' })
  })
  .meta({ id: 'AgreementContent' })
export type AgreementContent = z.infer<typeof AgreementContent>

/** The content as stored: both ID numbers present. */
export type StoredContent = AgreementContent & {
  applicant: { name: string; idNumber: string }
  respondent: { name: string; idNumber: string }
}

export const DraftAgreementInput = z
  .strictObject({
    /** The revision the mediator edited; 0 for the first draft. */
    expectedRevision: z.number({ error: 'validation.number' }).int().min(0),
    content: AgreementContent,
  })
  .meta({ id: 'DraftAgreement' })
export type DraftAgreementInput = z.infer<typeof DraftAgreementInput>

const HASH = z.string().regex(/^[0-9a-f]{64}$/, { error: 'agreement.hash' })

/** A drawn signature: a small PNG from the phone's canvas (the request body limit is 64 KB). */
const SIGNATURE_PNG = /^data:image\/png;base64,[A-Za-z0-9+/]+={0,2}$/
export const SignatureMark = z.discriminatedUnion(
  'method',
  [
    z.strictObject({ method: z.literal('typed'), name: text(1, 40) }),
    z.strictObject({
      method: z.literal('drawn'),
      image: z
        .string({ error: 'validation.required' })
        .max(48_000, { error: 'agreement.signature_too_large' })
        .regex(SIGNATURE_PNG, { error: 'agreement.signature_image' }),
    }),
  ],
  { error: 'validation.option' },
)

export const SignAgreementInput = z
  .strictObject({
    /** The fingerprint of the text the signer read; refused if the text changed since. */
    documentHash: HASH,
    /** The SMS code (parties only). */
    code: z
      .string({ error: 'validation.required' })
      .regex(/^\d{6}$/, { error: 'validation.otp_format' })
      .optional(),
    signature: SignatureMark,
  })
  .meta({ id: 'SignAgreement' })
export type SignAgreementInput = z.infer<typeof SignAgreementInput>

export interface AgreementSignature {
  role: SignerRole
  name: string
  /** Citizen id or staff username. */
  by: string
  at: string
  /** The document's SHA-256 at the moment of signing. */
  documentHash: string
  method: 'typed' | 'drawn'
  image?: string
}

export interface AgreementCompletion {
  at: string
  verifyCode: string
  pdfSha256: string
  pdfBytes: number
  pdfKey: string
  mediatorName: string
  orgName: string
}

/** The stored agreement of a case: one per case, revised in place, each write a new revision. */
export interface AgreementRecord {
  caseId: string
  caseNumber: string
  revision: number
  content: StoredContent
  documentHash: string
  signatures: AgreementSignature[]
  draftedBy: string
  createdAt: string
  updatedAt: string
  completed?: AgreementCompletion
}

/** What /verify shows: enough to trust a copy, nothing about the people in it. */
export interface VerificationRecord {
  code: string
  caseId: string
  pdfSha256: string
  documentHash: string
  signedAt: string
  orgName: string
  signatures: number
}

/** JSON with sorted keys: the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

/** The bytes a signature is over: the case number and the full content, canonical. */
export function documentBytes(caseNumber: string, content: StoredContent): Uint8Array {
  return new TextEncoder().encode(canonicalJson({ caseNumber, content }))
}

/**
 * A first draft filled from the case: a wage-arrears case gets the amount, one instalment a month
 * out and the usual check ("the worker confirms receipt"); others a general shell.
 */
export function agreementTemplate(
  c: { disputeType: DisputeType; amountInDispute?: number; description: string; respondentName: string },
  now: Date,
): AgreementContent {
  const due = chinaDate(new Date(now.getTime() + 30 * 86400_000))
  if (c.disputeType === 'wage_arrears') {
    const total = c.amountInDispute && c.amountInDispute > 0 ? c.amountInDispute : 1
    return {
      template: 'wage_arrears',
      applicant: { name: '' },
      respondent: { name: c.respondentName },
      facts: c.description,
      terms: ['申请人自愿放弃其他请求，双方就本案劳动报酬再无其他争议。'],
      payment: { payer: 'respondent', total, instalments: [{ amount: total, dueOn: due }] },
      performanceCheck: '每期款项支付后，申请人在三日内通过本平台或电话向调解员确认收款；调解员按期回访。',
    }
  }
  return {
    template: 'general',
    applicant: { name: '' },
    respondent: { name: c.respondentName },
    facts: c.description,
    terms: [''],
    performanceCheck: '双方按约定履行后向调解员告知，调解员按期回访核实。',
  }
}

/**
 * Completes a draft with the ID numbers kept from the previous revision where the mediator left
 * them out; refuses a first draft without them.
 */
export function withIdNumbers(content: AgreementContent, previous?: StoredContent): StoredContent {
  const applicant = content.applicant.idNumber ?? previous?.applicant.idNumber
  const respondent = content.respondent.idNumber ?? previous?.respondent.idNumber
  const fields: Record<string, string> = {}
  if (!applicant) fields['content.applicant.idNumber'] = 'validation.required'
  if (!respondent) fields['content.respondent.idNumber'] = 'validation.required'
  if (!applicant || !respondent) throw new VisibleError('input', 'validation.failed', undefined, fields)
  return {
    ...content,
    applicant: { name: content.applicant.name, idNumber: applicant },
    respondent: { name: content.respondent.name, idNumber: respondent },
  }
}

/** Whose signature is still missing, parties first, the mediator last. */
export function missingSigners(record: Pick<AgreementRecord, 'signatures'>): SignerRole[] {
  const signed = new Set(record.signatures.map((s) => s.role))
  return SIGNER_ROLES.filter((r) => !signed.has(r))
}

/**
 * Checks that `role` may sign `record` now with a signature over `documentHash`: the text must be
 * the one on screen, each role signs once, and the mediator signs only after both parties.
 */
export function assertMaySign(record: AgreementRecord, role: SignerRole, documentHash: string): void {
  if (record.completed) throw new VisibleError('conflict', 'agreement.completed')
  if (documentHash !== record.documentHash) throw new VisibleError('conflict', 'agreement.changed')
  if (record.signatures.some((s) => s.role === role))
    throw new VisibleError('conflict', 'agreement.already_signed')
  if (role === 'mediator' && missingSigners(record).some((r) => r !== 'mediator'))
    throw new VisibleError('conflict', 'agreement.parties_first')
}

/** The party's name as the agreement spells it, for matching a typed signature. */
export const partyName = (content: StoredContent, role: PartyRole) => content[role].name

/** Today's date in China plus the confirmation window: the last day to apply for 司法确认. */
export function confirmationDeadline(signedAt: string): string {
  return chinaDate(new Date(new Date(signedAt).getTime() + JUDICIAL_CONFIRMATION_DAYS * 86400_000))
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/** A verification code people can type from paper: 12 Crockford base-32 characters, 60 random bits. */
export function verifyCodeFrom(random: Uint8Array): string {
  let out = ''
  for (let i = 0; i < 12; i++) out += CROCKFORD[(random[i] ?? 0) % 32]
  return `${out.slice(0, 4)}-${out.slice(4, 8)}-${out.slice(8, 12)}`
}

/** Where the signed PDF is kept in the evidence bucket: beside the case's evidence, named by its code. */
export const agreementPdfKey = (caseId: string, verifyCode: string) =>
  `cases/${caseId}/agreement/${verifyCode}.pdf`

export const VERIFY_CODE = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/

/** What a caller sees of the agreement: ID numbers masked, and what they may do now. */
export const AgreementView = z
  .object({
    caseId: z.string(),
    caseNumber: z.string(),
    revision: z.number().int(),
    documentHash: z.string(),
    content: z.object({
      template: z.enum(AGREEMENT_TEMPLATES),
      applicant: z.object({ name: z.string(), idNumber: z.string().meta({ description: 'masked' }) }),
      respondent: z.object({ name: z.string(), idNumber: z.string().meta({ description: 'masked' }) }),
      facts: z.string(),
      terms: z.array(z.string()),
      payment: z
        .object({
          payer: z.enum(['applicant', 'respondent']),
          total: z.number(),
          instalments: z.array(z.object({ amount: z.number(), dueOn: z.string() })),
        })
        .optional(),
      performanceCheck: z.string(),
    }),
    signatures: z.array(
      z.object({
        role: z.enum(SIGNER_ROLES),
        name: z.string(),
        at: z.string(),
        documentHash: z.string(),
        method: z.enum(['typed', 'drawn']),
        image: z.string().optional(),
      }),
    ),
    missing: z.array(z.enum(SIGNER_ROLES)),
    /** The caller's own part: which role they sign as, if any. */
    myRole: z.enum(SIGNER_ROLES).optional(),
    canEdit: z.boolean(),
    canSign: z.boolean(),
    completed: z
      .object({
        at: z.string(),
        verifyCode: z.string(),
        pdfSha256: z.string(),
        pdfBytes: z.number(),
        mediatorName: z.string(),
        orgName: z.string(),
        confirmBy: z
          .string()
          .meta({ description: 'Last day to apply for judicial confirmation (YYYY-MM-DD)' }),
      })
      .optional(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Agreement' })
export type AgreementView = z.infer<typeof AgreementView>

export function agreementView(
  record: AgreementRecord,
  caller: { myRole?: SignerRole; canEdit: boolean; canSign: boolean },
): AgreementView {
  const { content } = record
  return {
    caseId: record.caseId,
    caseNumber: record.caseNumber,
    revision: record.revision,
    documentHash: record.documentHash,
    content: {
      ...content,
      applicant: { name: content.applicant.name, idNumber: maskIdNumber(content.applicant.idNumber) },
      respondent: { name: content.respondent.name, idNumber: maskIdNumber(content.respondent.idNumber) },
    },
    signatures: record.signatures.map(({ by: _by, ...s }) => s),
    missing: missingSigners(record),
    myRole: caller.myRole,
    canEdit: caller.canEdit,
    canSign: caller.canSign,
    completed: record.completed
      ? {
          at: record.completed.at,
          verifyCode: record.completed.verifyCode,
          pdfSha256: record.completed.pdfSha256,
          pdfBytes: record.completed.pdfBytes,
          mediatorName: record.completed.mediatorName,
          orgName: record.completed.orgName,
          confirmBy: confirmationDeadline(record.completed.at),
        }
      : undefined,
    updatedAt: record.updatedAt,
  }
}

/** The case an agreement may be drafted and signed on: in mediation. */
export function assertInMediation(record: CaseRecord): void {
  if (record.status !== 'in_mediation') throw new VisibleError('conflict', 'agreement.case_not_in_mediation')
}
