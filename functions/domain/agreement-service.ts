import { assertCanSee, type CaseRelation } from './access.ts'
import type { Actor } from './actor.ts'
import {
  type AgreementRecord,
  type AgreementSignature,
  agreementPdfKey,
  agreementView,
  assertInMediation,
  assertMaySign,
  confirmationDeadline,
  type DraftAgreementInput,
  documentBytes,
  missingSigners,
  type PartyRole,
  type SignAgreementInput,
  type SignerRole,
  VERIFY_CODE,
  type VerificationRecord,
  verifyCodeFrom,
  withIdNumbers,
} from './agreement.ts'
import type { CaseRecord, TimelineEvent } from './case.ts'
import { chinaDate } from './case.ts'
import { VisibleError } from './errors.ts'
import { scheduleFollowUps } from './follow-up.ts'
import type { Locale } from './messages.ts'
import { textAfterWrite } from './notify.ts'
import { assertMaySend, issued, OTP_POLICY, verify } from './otp.ts'
import type { Deps } from './ports.ts'
import { tellReferringDepartment } from './referral-service.ts'
import { transition } from './workflow.ts'
import { adjustLoad } from './workflow-service.ts'

/** Signed PDFs are small (tens of KB); anything past this is not ours. */
const MAX_PDF_BYTES = 5 * 1024 * 1024
/** A drawn signature's PNG, decoded. */
const MAX_SIGNATURE_BYTES = 36 * 1024

/** The role the caller signs as on this case, if any: a party by relation, the assigned mediator. */
function signerRole(actor: Actor, relation: CaseRelation, record: CaseRecord): SignerRole | undefined {
  if (relation === 'applicant' || relation === 'respondent') return relation
  if (
    actor.kind === 'staff' &&
    actor.role === 'mediator' &&
    relation === 'handling_org' &&
    record.mediatorId === actor.username
  )
    return 'mediator'
  return undefined
}

const actorRoleOf = (relation: CaseRelation, actor: Actor): TimelineEvent['actorRole'] =>
  actor.kind === 'staff' ? 'staff' : relation === 'respondent' ? 'respondent' : 'citizen'

const hashOf = (deps: Deps, caseNumber: string, content: AgreementRecord['content']) =>
  deps.crypto.sha256Hex(documentBytes(caseNumber, content))

async function loadAgreement(deps: Deps, caseId: string) {
  const agreement = await deps.store.getAgreement(caseId)
  if (!agreement) throw new VisibleError('not_found', 'agreement.not_found')
  return agreement
}

function mayEdit(role: SignerRole | undefined, record: CaseRecord, agreement?: AgreementRecord) {
  return role === 'mediator' && record.status === 'in_mediation' && !agreement?.completed
}

function maySign(role: SignerRole | undefined, record: CaseRecord, agreement: AgreementRecord) {
  if (!role || record.status !== 'in_mediation') return false
  try {
    assertMaySign(agreement, role, agreement.documentHash)
    return true
  } catch {
    return false
  }
}

/** The case's agreement as the caller may see it; anyone who may see the case may read it. */
export async function getAgreement(deps: Deps, actor: Actor, caseId: string) {
  const { record, relation } = assertCanSee(actor, await deps.store.getCase(caseId))
  const agreement = await loadAgreement(deps, caseId)
  const role = signerRole(actor, relation, record)
  return agreementView(agreement, {
    myRole: role,
    canEdit: mayEdit(role, record, agreement),
    canSign: maySign(role, record, agreement),
  })
}

/**
 * The assigned mediator writes or revises the agreement. A revision that changes the text voids
 * every signature given so far — each was over the old text — and the timeline says so; the
 * parties who had signed are told by SMS to read and sign again.
 */
export async function draftAgreement(deps: Deps, actor: Actor, caseId: string, input: DraftAgreementInput) {
  const { record, relation } = assertCanSee(actor, await deps.store.getCase(caseId))
  if (signerRole(actor, relation, record) !== 'mediator' || actor.kind !== 'staff')
    throw new VisibleError('forbidden', 'auth.forbidden')
  assertInMediation(record)
  const previous = await deps.store.getAgreement(caseId)
  if ((previous?.revision ?? 0) !== input.expectedRevision)
    throw new VisibleError('conflict', 'agreement.changed')
  if (previous?.completed) throw new VisibleError('conflict', 'agreement.completed')
  const content = withIdNumbers(input.content, previous?.content)
  const documentHash = hashOf(deps, record.number, content)
  if (previous && previous.documentHash === documentHash) return getAgreement(deps, actor, caseId)

  const at = deps.clock.now().toISOString()
  const base = { at, actorRole: 'staff' as const, by: actor.username, from: record.status, to: record.status }
  const voided = previous?.signatures ?? []
  const events: TimelineEvent[] = [
    {
      ...base,
      type: previous ? 'agreement.revised' : 'agreement.drafted',
      note: `SHA-256 ${documentHash.slice(0, 16)}…`,
    },
  ]
  if (voided.length > 0) events.push({ ...base, type: 'agreement.signatures_voided' })
  const next: AgreementRecord = {
    caseId,
    caseNumber: record.number,
    revision: (previous?.revision ?? 0) + 1,
    content,
    documentHash,
    signatures: [],
    draftedBy: actor.username,
    createdAt: previous?.createdAt ?? at,
    updatedAt: at,
  }
  if (!(await deps.store.putAgreement(next, previous?.revision ?? 0, events)))
    throw new VisibleError('conflict', 'agreement.changed')
  for (const s of voided) {
    const phone =
      s.role === 'applicant'
        ? record.applicantPhone
        : s.role === 'respondent'
          ? record.input.respondent.phone
          : undefined
    if (phone)
      await textAfterWrite(
        deps,
        'signatures-voided',
        phone,
        `【解纷】案件${record.number}的调解协议书内容已修改，您之前的签名已作废。请登录阅读修改后的协议并重新签署：${deps.publicUrl ?? ''}/cases/${caseId}`,
      )
  }
  return getAgreement(deps, actor, caseId)
}

const signKey = (deps: Deps, caseId: string, phone: string) => deps.crypto.hmac(`sign:${caseId}:${phone}`)
/** The code confirms this text: a code sent for one revision does not sign another. */
const signCodeHash = (deps: Deps, caseId: string, phone: string, documentHash: string, code: string) =>
  deps.crypto.hmac(`sign:${caseId}:${phone}:${documentHash}:${code}`)

async function partyContext(deps: Deps, actor: Actor, caseId: string) {
  const { record, relation } = assertCanSee(actor, await deps.store.getCase(caseId))
  const role = signerRole(actor, relation, record)
  if (actor.kind !== 'citizen' || (role !== 'applicant' && role !== 'respondent'))
    throw new VisibleError('forbidden', 'auth.forbidden')
  assertInMediation(record)
  const agreement = await loadAgreement(deps, caseId)
  return { record, relation, role: role as PartyRole, agreement, phone: actor.phone }
}

/**
 * Sends a party the code that confirms their signature, by SMS to the phone they signed in with,
 * within the same resend and lock-out rules as sign-in codes.
 */
export async function requestSigningCode(deps: Deps, actor: Actor, caseId: string, locale: Locale) {
  const { record, role, agreement, phone } = await partyContext(deps, actor, caseId)
  assertMaySign(agreement, role, agreement.documentHash)
  const now = deps.clock.now()
  const key = signKey(deps, caseId, phone)
  const previous = await deps.store.getOtp(key)
  assertMaySend(previous, now)
  const code = deps.crypto.otpCode()
  const next = issued(previous, signCodeHash(deps, caseId, phone, agreement.documentHash, code), now)
  if (!(await deps.store.putOtp(key, next, previous)))
    throw new VisibleError(
      'rate_limited',
      'auth.otp_too_soon',
      undefined,
      undefined,
      OTP_POLICY.resendAfterSeconds,
    )
  const print = agreement.documentHash.slice(0, 8)
  await deps.sms.send(
    phone,
    // The code comes first: people (and phones that offer to fill codes in) read the first number.
    locale === 'en'
      ? `[Jiefen] ${code} is your code to sign the agreement of case ${record.number} (fingerprint ${print}…). Valid 5 minutes. Never share it.`
      : `【解纷】确认码${code}，用于签署案件${record.number}的调解协议书（指纹${print}…），5分钟内有效。如非本人操作请勿告诉他人。`,
  )
  return { resendAfter: OTP_POLICY.resendAfterSeconds }
}

/** Checks a signing code; wrong tries count and lock like sign-in codes; a good code works once. */
async function checkSigningCode(
  deps: Deps,
  caseId: string,
  phone: string,
  documentHash: string,
  code: string,
) {
  const key = signKey(deps, caseId, phone)
  for (let attempt = 0; attempt < 5; attempt++) {
    const state = await deps.store.getOtp(key)
    const outcome = verify(state, signCodeHash(deps, caseId, phone, documentHash, code), deps.clock.now())
    if (outcome.ok && state) {
      if (await deps.store.consumeOtp(key, state)) return
      throw new VisibleError('input', 'auth.otp_invalid', undefined, { code: 'auth.otp_invalid' })
    }
    if (!outcome.ok) {
      const error = new VisibleError(
        outcome.error.kind,
        outcome.error.code,
        undefined,
        { code: outcome.error.code },
        outcome.error.retryAfter,
      )
      if (!outcome.next || outcome.next === state) throw error
      if (await deps.store.putOtp(key, outcome.next, state)) throw error
    }
  }
  throw new VisibleError('rate_limited', 'auth.otp_too_soon', undefined, undefined, 1)
}

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

function assertSignatureImage(dataUrl: string) {
  const b64 = dataUrl.slice(dataUrl.indexOf(',') + 1)
  const bin = atob(b64)
  const ok = bin.length <= MAX_SIGNATURE_BYTES && PNG_MAGIC.every((b, i) => bin.charCodeAt(i) === b)
  if (!ok)
    throw new VisibleError('input', 'validation.failed', undefined, {
      'signature.image': 'agreement.signature_image',
    })
}

/**
 * Signs the agreement. Parties confirm with their SMS code and sign in any order; the assigned
 * mediator signs last, and that signature completes it: the PDF is made and stored, and the case
 * resolves through the state machine — agreement, case and verification record in one
 * transaction.
 */
export async function signAgreement(deps: Deps, actor: Actor, caseId: string, input: SignAgreementInput) {
  const { record, relation } = assertCanSee(actor, await deps.store.getCase(caseId))
  const role = signerRole(actor, relation, record)
  if (!role) throw new VisibleError('forbidden', 'auth.forbidden')
  assertInMediation(record)
  const agreement = await loadAgreement(deps, caseId)
  assertMaySign(agreement, role, input.documentHash)
  if (input.signature.method === 'drawn') assertSignatureImage(input.signature.image)

  const name = role === 'mediator' ? (actor.kind === 'staff' ? actor.name : '') : agreement.content[role].name
  if (
    input.signature.method === 'typed' &&
    input.signature.name.replace(/\s/g, '') !== name.replace(/\s/g, '')
  )
    throw new VisibleError('input', 'validation.failed', undefined, {
      'signature.name': 'agreement.name_mismatch',
    })
  if (role !== 'mediator') {
    if (!input.code)
      throw new VisibleError('input', 'validation.failed', undefined, { code: 'validation.required' })
    if (actor.kind !== 'citizen') throw new VisibleError('forbidden', 'auth.forbidden')
    await checkSigningCode(deps, caseId, actor.phone, agreement.documentHash, input.code)
  }

  const now = deps.clock.now()
  const at = now.toISOString()
  const signature: AgreementSignature = {
    role,
    name,
    by: actor.kind === 'staff' ? actor.username : actor.kind === 'citizen' ? actor.citizenId : 'system',
    at,
    documentHash: agreement.documentHash,
    method: input.signature.method,
    ...(input.signature.method === 'drawn' ? { image: input.signature.image } : {}),
  }
  const signedEvent: TimelineEvent = {
    at,
    type: 'agreement.signed',
    actorRole: actorRoleOf(relation, actor),
    ...(actor.kind === 'staff' ? { by: actor.username } : {}),
    from: record.status,
    to: record.status,
    note: `SHA-256 ${agreement.documentHash.slice(0, 16)}…`,
  }
  const withSignature = (current: AgreementRecord): AgreementRecord => ({
    ...current,
    revision: current.revision + 1,
    signatures: [...current.signatures, signature],
    updatedAt: at,
  })
  const signed = withSignature(agreement)
  if (missingSigners(signed).length > 0) {
    // The other party may sign at the same moment: their write moves the revision but not the
    // text, so this signature (its code already spent on this text) is added to theirs.
    let current = agreement
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await deps.store.putAgreement(withSignature(current), current.revision, [signedEvent]))
        return getAgreement(deps, actor, caseId)
      current = await loadAgreement(deps, caseId)
      assertMaySign(current, role, input.documentHash)
    }
    throw new VisibleError('conflict', 'agreement.changed')
  }
  await complete(deps, actor, relation, record, agreement, signed, signedEvent)
  return getAgreement(deps, actor, caseId)
}

async function complete(
  deps: Deps,
  actor: Actor,
  relation: CaseRelation,
  record: CaseRecord,
  before: AgreementRecord,
  signed: AgreementRecord,
  signedEvent: TimelineEvent,
) {
  if (actor.kind !== 'staff') throw new VisibleError('forbidden', 'auth.forbidden')
  const now = deps.clock.now()
  const random = deps.crypto.sha256Hex(new TextEncoder().encode(deps.crypto.randomToken()))
  const code = verifyCodeFrom(Uint8Array.from(random.match(/../g) ?? [], (h) => Number.parseInt(h, 16)))
  const { next, event } = transition(
    actor,
    relation,
    record,
    { action: 'resolve', expectedVersion: record.version, summary: `各方已签署调解协议书（校验码 ${code}）` },
    { now, actorId: actor.username, stageDays: deps.stageDays },
  )
  const org = record.orgId ? await deps.store.getOrg(record.orgId) : undefined
  const orgName = org?.name ?? record.orgId ?? ''
  const pdf = await deps.pdf.render({
    agreement: signed,
    orgName,
    mediatorName: actor.name,
    signedAt: now.toISOString(),
    verifyCode: code,
    verifyUrl: `${deps.publicUrl ?? ''}/verify/${code}`,
  })
  const pdfSha256 = deps.crypto.sha256Hex(pdf)
  const pdfKey = agreementPdfKey(record.id, code)
  await deps.evidence.write(pdfKey, pdf, 'application/pdf')
  const completed: AgreementRecord = {
    ...signed,
    completed: {
      at: now.toISOString(),
      verifyCode: code,
      pdfSha256,
      pdfBytes: pdf.byteLength,
      pdfKey,
      mediatorName: actor.name,
      orgName,
    },
  }
  const verification: VerificationRecord = {
    code,
    caseId: record.id,
    pdfSha256,
    documentHash: signed.documentHash,
    signedAt: now.toISOString(),
    orgName,
    signatures: signed.signatures.length,
  }
  const ok = await deps.store.completeAgreement({
    agreement: completed,
    expectedRevision: before.revision,
    before: record,
    next,
    expectedVersion: record.version,
    verification,
    events: [signedEvent, event],
    followUps: scheduleFollowUps({
      caseId: record.id,
      caseNumber: record.number,
      orgId: record.orgId,
      jurisdiction: record.jurisdiction ?? '',
      signedAt: now,
      content: signed.content,
    }),
  })
  if (!ok) throw new VisibleError('conflict', 'agreement.changed')
  if (record.mediatorId) await adjustLoad(deps, record.mediatorId, -1)
  await tellReferringDepartment(deps, record, next)
  const deadline = confirmationDeadline(now.toISOString())
  const text = `【解纷】案件${record.number}的调解协议书已经各方签署生效（校验码${code}），请按约定履行。如需申请司法确认，请于${deadline}前与对方共同向人民法院提出。下载协议书：${deps.publicUrl ?? ''}/cases/${record.id}`
  for (const phone of [record.applicantPhone, record.input.respondent.phone])
    if (phone) await textAfterWrite(deps, 'agreement-signed', phone, text)
}

/** The signed PDF, for anyone who may see the case, once every signature is on it. */
export async function agreementPdfFile(deps: Deps, actor: Actor, caseId: string) {
  assertCanSee(actor, await deps.store.getCase(caseId))
  const agreement = await loadAgreement(deps, caseId)
  if (!agreement.completed) throw new VisibleError('conflict', 'agreement.not_signed')
  const file = await deps.evidence.read(agreement.completed.pdfKey, MAX_PDF_BYTES)
  if (!file) throw new VisibleError('unavailable', 'service.unavailable', undefined, undefined, 2)
  return {
    bytes: file.bytes,
    fileName: `调解协议书-${agreement.caseNumber}.pdf`,
    asciiName: `agreement-${agreement.caseNumber}.pdf`,
  }
}

/**
 * Public: does a copy match what was signed? Answers with the date, the organisation and how many
 * signed — never names, numbers or terms. `sha256` may be the file's fingerprint (computed in the
 * browser, the file never leaves the phone) or the content fingerprint printed on the paper.
 */
export async function verifyAgreement(deps: Deps, rawCode: string, sha256?: string) {
  const code = rawCode.toUpperCase()
  const found = VERIFY_CODE.test(code) ? await deps.store.getVerification(code) : undefined
  if (!found) throw new VisibleError('not_found', 'verify.not_found')
  const given = sha256?.toLowerCase()
  return {
    code: found.code,
    signedOn: chinaDate(new Date(found.signedAt)),
    organisation: found.orgName,
    signatures: found.signatures,
    ...(given
      ? {
          match:
            given === found.pdfSha256
              ? ('file' as const)
              : given === found.documentHash
                ? ('content' as const)
                : ('none' as const),
        }
      : {}),
  }
}
