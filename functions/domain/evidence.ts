import { z } from 'zod'
import { assertCanSee, type CaseRelation } from './access.ts'
import type { Actor } from './actor.ts'
import type { CaseStatus, TimelineEvent } from './case.ts'
import { VisibleError } from './errors.ts'
import { stripGps } from './exif.ts'
import type { Deps } from './ports.ts'
import { ACCEPTED_TYPES, matchesDeclared } from './sniff.ts'

/** Limits from the issue; configurable per deployment through Deps.limits. */
export const DEFAULT_EVIDENCE_LIMITS = { maxFileBytes: 50 * 1024 * 1024, maxCaseBytes: 200 * 1024 * 1024 }
export type EvidenceLimits = typeof DEFAULT_EVIDENCE_LIMITS

/** A presigned upload or download is good for minutes, not hours. */
export const UPLOAD_URL_SECONDS = 5 * 60
export const DOWNLOAD_URL_SECONDS = 5 * 60

export const EVIDENCE_STATUSES = ['uploading', 'verifying', 'verified', 'rejected'] as const
export const EvidenceStatus = z.enum(EVIDENCE_STATUSES)
export type EvidenceStatus = z.infer<typeof EvidenceStatus>

export const CONTENT_TYPES = Object.keys(ACCEPTED_TYPES) as [string, ...string[]]

/** Evidence can be added while the case is open, and withdrawn only before a session has started. */
const OPEN_FOR_EVIDENCE: ReadonlySet<CaseStatus> = new Set([
  'submitted',
  'screening',
  'returned',
  'awaiting_consent',
  'scheduled',
  'in_mediation',
])
const BEFORE_SESSION: ReadonlySet<CaseStatus> = new Set([
  'submitted',
  'screening',
  'returned',
  'awaiting_consent',
  'scheduled',
])

const hasControlCharacters = (text: string) =>
  [...text].some((ch) => ch.charCodeAt(0) < 32 || ch.charCodeAt(0) === 127)

export const RequestUploadInput = z
  .strictObject({
    fileName: z
      .string({ error: 'validation.required' })
      .trim()
      .min(1, { error: 'validation.required' })
      .max(200, { error: 'validation.too_long' })
      // Only the last path segment: a name is a label, never a path.
      .transform((name) => name.split(/[\\/]/).pop() ?? name)
      .refine((name) => name.length > 0 && !hasControlCharacters(name), {
        error: 'evidence.file_name',
      }),
    contentType: z.enum(CONTENT_TYPES, { error: 'evidence.type_not_accepted' }),
    size: z
      .number({ error: 'validation.number' })
      .int({ error: 'validation.number' })
      .min(1, { error: 'evidence.empty' }),
    description: z
      .string({ error: 'validation.type' })
      .trim()
      .max(200, { error: 'validation.too_long' })
      .optional(),
  })
  .meta({ id: 'RequestEvidenceUpload' })
export type RequestUploadInput = z.infer<typeof RequestUploadInput>

export interface EvidenceRecord {
  id: string
  caseId: string
  uploaderId: string
  uploaderRole: CaseRelation
  fileName: string
  contentType: string
  size: number
  description?: string
  status: EvidenceStatus
  sha256?: string
  rejectReason?: string
  gpsRemoved?: boolean
  withdrawnAt?: string
  createdAt: string
  updatedAt: string
}

export const EvidenceView = z
  .object({
    evidenceId: z.string(),
    fileName: z.string(),
    contentType: z.string(),
    size: z.number().int(),
    description: z.string().optional(),
    status: EvidenceStatus,
    sha256: z.string().optional().meta({ description: 'Hex SHA-256 of the file as served: its fingerprint' }),
    rejectReason: z.string().optional().meta({ description: 'An i18n key such as evidence.type_mismatch' }),
    gpsRemoved: z.boolean().optional(),
    uploadedBy: z.enum([
      'me',
      'applicant',
      'respondent',
      'handling_org',
      'sender_org',
      'police',
      'supervisor',
    ]),
    withdrawn: z.boolean(),
    createdAt: z.string(),
    canWithdraw: z.boolean(),
  })
  .meta({ id: 'Evidence' })
export type EvidenceView = z.infer<typeof EvidenceView>

export const UploadTicket = z
  .object({
    evidenceId: z.string(),
    upload: z.object({ url: z.string(), fields: z.record(z.string(), z.string()) }),
    expiresAt: z.string(),
  })
  .meta({ id: 'EvidenceUploadTicket' })

/** Object keys carry ids only: no names, phones or file names end up in S3 or its logs. */
export const evidenceKeys = (caseId: string, evidenceId: string) => ({
  upload: `cases/${caseId}/evidence/${evidenceId}/upload`,
  verified: `cases/${caseId}/evidence/${evidenceId}/verified`,
})

/** Reads `cases/{caseId}/evidence/{evidenceId}/upload` back into ids (from an S3 event). */
export function parseUploadKey(key: string): { caseId: string; evidenceId: string } | undefined {
  const m = /^cases\/([0-9A-Z]{26})\/evidence\/([0-9A-Z]{26})\/upload$/.exec(key)
  return m?.[1] && m[2] ? { caseId: m[1], evidenceId: m[2] } : undefined
}

function view(item: EvidenceRecord, actorId: string, caseStatus: CaseStatus): EvidenceView {
  const mine = item.uploaderId === actorId
  return {
    evidenceId: item.id,
    fileName: item.fileName,
    contentType: item.contentType,
    size: item.size,
    description: item.description,
    status: item.status,
    sha256: item.sha256,
    rejectReason: item.rejectReason,
    gpsRemoved: item.gpsRemoved,
    uploadedBy: mine ? 'me' : item.uploaderRole,
    withdrawn: Boolean(item.withdrawnAt),
    createdAt: item.createdAt,
    canWithdraw: mine && !item.withdrawnAt && (item.status === 'rejected' || BEFORE_SESSION.has(caseStatus)),
  }
}

/** Parties, the handling organisation, senders and the supervisor see a case's evidence. */
async function openCase(deps: Deps, actor: Actor, caseId: string) {
  const { record, relation } = assertCanSee(actor, await deps.store.getCase(caseId))
  const id = actor.kind === 'citizen' ? actor.citizenId : actor.kind === 'staff' ? actor.username : ''
  return { citizen: { citizenId: id }, record, relation }
}

const event = (deps: Deps, type: string, evidenceId: string, actor?: Actor): TimelineEvent => ({
  at: deps.clock.now().toISOString(),
  type,
  actorRole: !actor ? 'system' : actor.kind === 'staff' ? 'staff' : 'citizen',
  ...(actor?.kind === 'staff' ? { by: actor.username } : {}),
  evidenceId,
})

/** The addition is the uploader's act on the record, though verification writes it. */
const addedBy = (deps: Deps, item: EvidenceRecord): TimelineEvent => ({
  at: deps.clock.now().toISOString(),
  type: 'evidence.added',
  ...(item.uploaderRole === 'handling_org'
    ? { actorRole: 'staff' as const, by: item.uploaderId }
    : { actorRole: item.uploaderRole === 'respondent' ? ('respondent' as const) : ('citizen' as const) }),
  evidenceId: item.id,
})

/** Who may add evidence: the parties and the organisation handling the case. */
const MAY_UPLOAD: ReadonlySet<CaseRelation> = new Set(['applicant', 'respondent', 'handling_org'])

/**
 * Hands out a presigned POST for one file. The case's byte budget is reserved now, in the same
 * write as the evidence item, so parallel uploads cannot together exceed it.
 */
export async function requestUpload(deps: Deps, actor: Actor, caseId: string, input: RequestUploadInput) {
  const { citizen, record, relation } = await openCase(deps, actor, caseId)
  if (!MAY_UPLOAD.has(relation)) throw new VisibleError('forbidden', 'auth.forbidden')
  if (!OPEN_FOR_EVIDENCE.has(record.status)) throw new VisibleError('conflict', 'evidence.case_closed')
  if (input.size > deps.limits.maxFileBytes)
    throw new VisibleError('too_large', 'evidence.too_large', undefined, { size: 'evidence.too_large' })
  const now = deps.clock.now()
  const item: EvidenceRecord = {
    id: deps.crypto.id(),
    caseId,
    uploaderId: citizen.citizenId,
    uploaderRole: relation,
    fileName: input.fileName,
    contentType: input.contentType,
    size: input.size,
    description: input.description || undefined,
    status: 'uploading',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  }
  await releaseAbandoned(deps, caseId, now)
  if ((await deps.store.createEvidence(item, deps.limits.maxCaseBytes)) === 'quota') {
    throw new VisibleError('too_large', 'evidence.case_quota', undefined, { size: 'evidence.case_quota' })
  }
  const upload = await deps.evidence.presignUpload(
    evidenceKeys(caseId, item.id).upload,
    item.contentType,
    deps.limits.maxFileBytes,
    UPLOAD_URL_SECONDS,
  )
  return {
    evidenceId: item.id,
    upload,
    expiresAt: new Date(now.getTime() + UPLOAD_URL_SECONDS * 1000).toISOString(),
  }
}

/** An upload not finished this long after its 5-minute ticket will never arrive. */
const ABANDONED_AFTER_MS = 30 * 60 * 1000

/** Gives the bytes of abandoned uploads back to the case's budget, marking them so. */
async function releaseAbandoned(deps: Deps, caseId: string, now: Date) {
  const stale = (await deps.store.listEvidence(caseId)).filter(
    (i) => i.status === 'uploading' && now.getTime() - new Date(i.createdAt).getTime() > ABANDONED_AFTER_MS,
  )
  for (const item of stale) {
    const next = {
      ...item,
      status: 'rejected' as const,
      rejectReason: 'evidence.upload_expired',
      updatedAt: now.toISOString(),
    }
    await deps.store.updateEvidence(next, item, { releaseBytes: item.size })
  }
}

/** The items a caller may see: someone else's withdrawn items are hidden from them. */
export async function listEvidence(deps: Deps, actor: Actor, caseId: string): Promise<EvidenceView[]> {
  const { citizen, record } = await openCase(deps, actor, caseId)
  const items = await deps.store.listEvidence(caseId)
  return items
    .filter((i) => !i.withdrawnAt || i.uploaderId === citizen.citizenId)
    .filter((i) => i.status !== 'uploading' || i.uploaderId === citizen.citizenId)
    .map((i) => view(i, citizen.citizenId, record.status))
}

async function ownItem(deps: Deps, actor: Actor, caseId: string, evidenceId: string) {
  const opened = await openCase(deps, actor, caseId)
  const item = await deps.store.getEvidence(caseId, evidenceId)
  if (!item || item.uploaderId !== opened.citizen.citizenId)
    throw new VisibleError('not_found', 'evidence.not_found')
  return { ...opened, item }
}

/** The browser's word that its upload finished: verify now unless the S3 event already did. */
export async function completeUpload(
  deps: Deps,
  actor: Actor,
  caseId: string,
  evidenceId: string,
): Promise<EvidenceView> {
  const { citizen, record } = await ownItem(deps, actor, caseId, evidenceId)
  const item = await verifyEvidence(deps, caseId, evidenceId)
  if (item?.status === 'uploading') throw new VisibleError('conflict', 'evidence.not_uploaded')
  if (!item) throw new VisibleError('not_found', 'evidence.not_found')
  return view(item, citizen.citizenId, record.status)
}

/** A verification stuck this long (a crashed run) may be taken over. */
const STALE_VERIFYING_MS = 2 * 60 * 1000

/**
 * Checks a stored upload: real size, magic bytes against the declared type, SHA-256, GPS removed
 * from photos. Safe to run twice at once (S3 event and the browser's complete call): a
 * conditional claim lets one run do the work.
 */
export async function verifyEvidence(
  deps: Deps,
  caseId: string,
  evidenceId: string,
): Promise<EvidenceRecord | undefined> {
  const item = await deps.store.getEvidence(caseId, evidenceId)
  if (!item) return undefined
  const now = deps.clock.now()
  const stale =
    item.status === 'verifying' && now.getTime() - new Date(item.updatedAt).getTime() > STALE_VERIFYING_MS
  if (item.status !== 'uploading' && !stale) return item

  const keys = evidenceKeys(caseId, evidenceId)
  const stored = await deps.evidence.read(keys.upload, deps.limits.maxFileBytes)
  if (!stored) return item // nothing uploaded yet
  const claimed = { ...item, status: 'verifying' as const, updatedAt: now.toISOString() }
  if (!(await deps.store.updateEvidence(claimed, item))) return deps.store.getEvidence(caseId, evidenceId)

  const reject = async (reason: string) => {
    const rejected = {
      ...claimed,
      status: 'rejected' as const,
      rejectReason: reason,
      updatedAt: deps.clock.now().toISOString(),
    }
    await deps.store.updateEvidence(rejected, claimed, {
      releaseBytes: item.size,
      event: event(deps, 'evidence.rejected', evidenceId),
    })
    return rejected
  }
  if (stored.size > deps.limits.maxFileBytes) return reject('evidence.too_large')
  if (stored.size > item.size) return reject('evidence.size_mismatch')
  if (!matchesDeclared(item.contentType, stored.bytes)) return reject('evidence.type_mismatch')

  const clean = stripGps(stored.bytes, item.contentType)
  await deps.evidence.write(keys.verified, clean.bytes, item.contentType)
  const verified: EvidenceRecord = {
    ...claimed,
    status: 'verified',
    size: clean.bytes.length,
    sha256: deps.crypto.sha256Hex(clean.bytes),
    gpsRemoved: clean.stripped,
    updatedAt: deps.clock.now().toISOString(),
  }
  await deps.store.updateEvidence(verified, claimed, { event: addedBy(deps, item) })
  return verified
}

/** A short-lived link to the verified file, after the access check; every view is on the timeline. */
export async function evidenceLink(
  deps: Deps,
  actor: Actor,
  caseId: string,
  evidenceId: string,
): Promise<string> {
  const { citizen } = await openCase(deps, actor, caseId)
  const item = await deps.store.getEvidence(caseId, evidenceId)
  const hidden = !item || (item.withdrawnAt && item.uploaderId !== citizen.citizenId)
  if (hidden || item.status !== 'verified') throw new VisibleError('not_found', 'evidence.not_found')
  // Who saw which evidence when: others' views are the record worth keeping; the uploader's own are not.
  if (item.uploaderId !== citizen.citizenId)
    await deps.store.appendEvent(caseId, event(deps, 'evidence.viewed', evidenceId, actor))
  return deps.evidence.presignDownload(
    evidenceKeys(caseId, evidenceId).verified,
    item.fileName,
    item.contentType,
    DOWNLOAD_URL_SECONDS,
  )
}

/** Withdrawal hides an item from the other party; the file stays for the record. */
export async function withdrawEvidence(
  deps: Deps,
  actor: Actor,
  caseId: string,
  evidenceId: string,
): Promise<EvidenceView> {
  const { citizen, record, item } = await ownItem(deps, actor, caseId, evidenceId)
  if (item.withdrawnAt) return view(item, citizen.citizenId, record.status)
  if (item.status !== 'rejected' && !BEFORE_SESSION.has(record.status))
    throw new VisibleError('conflict', 'evidence.withdraw_too_late')
  const withdrawn = {
    ...item,
    withdrawnAt: deps.clock.now().toISOString(),
    updatedAt: deps.clock.now().toISOString(),
  }
  if (
    !(await deps.store.updateEvidence(withdrawn, item, {
      event: event(deps, 'evidence.withdrawn', evidenceId, actor),
    }))
  ) {
    throw new VisibleError('conflict', 'evidence.changed')
  }
  return view(withdrawn, citizen.citizenId, record.status)
}
