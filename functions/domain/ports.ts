import type { AgreementRecord, VerificationRecord } from './agreement.ts'
import type { CaseRecord, CaseStatus, TimelineEvent } from './case.ts'
import type { EvidenceLimits, EvidenceRecord } from './evidence.ts'
import type { FollowUpAnswer, FollowUpRecord, FollowUpToken } from './follow-up.ts'
import type { BoardEntry, CellDelta } from './insight.ts'
import type { OtpState } from './otp.ts'
import type { Department, ReferralLink, ReferralRecord } from './referral.ts'
import type { Organisation, StaffRecord } from './staff.ts'
import type { VideoSession } from './video.ts'

/**
 * What the domain needs from the outside world. Implemented by functions/store (DynamoDB) and
 * functions/adapters; tests use the same implementations against DynamoDB Local.
 */
export interface IdempotencyRecord {
  bodyHash: string
  caseId: string
}

export type SessionRecord =
  | { kind?: 'citizen'; citizenId: string; phone: string; expiresAt: string }
  | { kind: 'staff'; username: string; epoch: number; expiresAt: string }

export interface Store extends AgreementStore, InsightStore, FollowUpStore, ReferralStore {
  /** Next number in the year's case sequence; numbers may skip but never repeat. */
  nextCaseSequence(year: number): Promise<number>
  /** Writes the case, its first timeline event and the idempotency record together, or none of them. */
  createCase(args: {
    record: CaseRecord
    event: TimelineEvent
    idempotency: { scope: string; key: string; bodyHash: string; expiresAt: Date }
    /** Lists the case must appear in (a party's phone, a sending station, repeat detection). */
    links?: string[]
  }): Promise<'created' | 'duplicate'>
  getIdempotency(scope: string, key: string): Promise<IdempotencyRecord | undefined>
  getCase(id: string): Promise<CaseRecord | undefined>
  listCasesByApplicant(applicantId: string): Promise<CaseRecord[]>
  timeline(caseId: string): Promise<TimelineEvent[]>

  /** The citizen id for a phone key, created on first sign-in. */
  citizenFor(phoneKey: string, newId: string, now: Date): Promise<string>

  getOtp(phoneKey: string): Promise<OtpState | undefined>
  /** Writes the state; with `expected`, only if nobody changed it since it was read. */
  putOtp(phoneKey: string, state: OtpState, expected?: OtpState): Promise<boolean>
  /** Removes a used code; false if it was already used or replaced. */
  consumeOtp(phoneKey: string, expected: OtpState): Promise<boolean>

  putSession(tokenHash: string, session: SessionRecord): Promise<void>
  getSession(tokenHash: string): Promise<SessionRecord | undefined>
  deleteSession(tokenHash: string): Promise<void>

  /** Adds an evidence item and reserves its bytes in the case's budget; 'quota' when that is spent. */
  createEvidence(item: EvidenceRecord, maxCaseBytes: number): Promise<'created' | 'quota'>
  getEvidence(caseId: string, evidenceId: string): Promise<EvidenceRecord | undefined>
  listEvidence(caseId: string): Promise<EvidenceRecord[]>
  /**
   * Replaces an item if it is still as `expected` (same status and updatedAt); with it, optionally,
   * gives bytes back to the case's budget and appends a timeline event, all in one transaction.
   */
  updateEvidence(
    next: EvidenceRecord,
    expected: EvidenceRecord,
    also?: { releaseBytes?: number; event?: TimelineEvent },
  ): Promise<boolean>
  appendEvent(caseId: string, event: TimelineEvent): Promise<void>

  /**
   * Writes a transition if the case is still at `expectedVersion`; false when someone else got there
   * first. `before` is the record as read: the figures and the risk board change by the difference,
   * in the same transaction.
   */
  applyTransition(
    next: CaseRecord,
    expectedVersion: number,
    event: TimelineEvent,
    before: CaseRecord,
  ): Promise<boolean>
  /** Cases by id, in any order, missing ones left out. */
  getCases(ids: string[]): Promise<CaseRecord[]>
  /** Open cases of an organisation by deadline, or closed ones newest first. */
  casesOfOrg(orgId: string, open: boolean): Promise<CaseRecord[]>
  casesOfJurisdiction(jurisdiction: string, open: boolean): Promise<CaseRecord[]>
  /** Links a party's phone key (or an organisation that sent a case) to a case, for their lists. */
  link(owner: string, caseId: string, at: string): Promise<void>
  /** Case ids linked to an owner, newest first; with `since`, only cases created after it (ids are time-ordered). */
  linkedCaseIds(owner: string, options?: { since?: Date; limit?: number }): Promise<string[]>

  getOrg(id: string): Promise<Organisation | undefined>
  listOrgs(): Promise<Organisation[]>
  putOrg(org: Organisation): Promise<void>
  getStaff(username: string): Promise<StaffRecord | undefined>
  staffOfOrg(orgId: string): Promise<StaffRecord[]>
  /** Writes a staff record; with `expected`, only if unchanged since read (failed-login counting). */
  putStaff(staff: StaffRecord, expected?: StaffRecord, options?: { mustBeNew?: boolean }): Promise<boolean>

  /** Writes a new video session and its timeline event together. */
  createVideoSession(session: VideoSession, event: TimelineEvent): Promise<void>
  getVideoSession(id: string): Promise<VideoSession | undefined>
  /** A case's video sessions, earliest first. */
  videoSessionsOfCase(caseId: string): Promise<VideoSession[]>
  /** Replaces a session if it is still at `expectedVersion`, with its timeline events, in one transaction. */
  updateVideoSession(next: VideoSession, expectedVersion: number, events?: TimelineEvent[]): Promise<boolean>
  /**
   * Counts one use of a fixed-window bucket (e.g. code requests from one address this hour); false,
   * without counting, once `limit` uses are spent.
   */
  withinLimit(bucket: string, limit: number, expiresAt: Date): Promise<boolean>
  /** True the first time a key is claimed (webhook deliveries), false on every repeat until it expires. */
  claimOnce(scope: string, key: string, expiresAt: Date): Promise<boolean>

  /** Cheap round trip used by the health check. */
  ping(): Promise<void>
}

export interface SmsSender {
  send(phone: string, text: string): Promise<void>
}

/** Where evidence files live (S3): presigned upload and download, and the verifier's reads. */
export interface EvidenceStorage {
  presignUpload(
    key: string,
    contentType: string,
    maxBytes: number,
    expiresSeconds: number,
  ): Promise<{ url: string; fields: Record<string, string> }>
  /** At most `maxBytes + 1` bytes, so an oversized object is seen without reading all of it; undefined if absent. */
  read(key: string, maxBytes: number): Promise<{ bytes: Uint8Array; size: number } | undefined>
  write(key: string, bytes: Uint8Array, contentType: string): Promise<void>
  presignDownload(key: string, fileName: string, contentType: string, expiresSeconds: number): Promise<string>
}

/** What a participant may do in a video room; LiveKit enforces it. */
export interface VideoPermission {
  canPublish: boolean
  canSubscribe: boolean
  canPublishData: boolean
  /** When set, only these sources may be published. */
  canPublishSources?: ('camera' | 'microphone')[]
  /** Invisible to the others (observers). */
  hidden?: boolean
}

export interface VideoEvent {
  id: string
  event: string
  createdAt: Date
  room?: string
  identity?: string
  egressId?: string
}

/** The video service (LiveKit): join tokens, room control done server-side, signed webhooks. */
export interface VideoService {
  /** Where clients connect (wss://…). */
  url: string
  token(args: {
    room: string
    identity: string
    name: string
    attributes: Record<string, string>
    admin: boolean
    permission: VideoPermission
    ttlSeconds: number
  }): Promise<string>
  /** Changes a connected participant's permissions; a participant who is not connected is no error. */
  setPermission(room: string, identity: string, permission: VideoPermission): Promise<void>
  /** Removes a participant and revokes tokens issued before `revokeBefore`. */
  remove(room: string, identity: string, revokeBefore: Date): Promise<void>
  /** Mutes one published track, or (without `trackSid`) every microphone track of the participant. */
  mute(room: string, identity: string, trackSid?: string): Promise<void>
  endRoom(room: string): Promise<void>
  /** Starts recording the room to `filepath`; returns the recording's (egress) id. */
  startRecording(room: string, filepath: string): Promise<string>
  stopRecording(egressId: string): Promise<void>
  /** The event, if its signature is valid; throws otherwise. */
  receiveWebhook(body: string, authorization: string | undefined): Promise<VideoEvent>
}

export interface Clock {
  now(): Date
}

export interface Crypto {
  /** A keyed hash: keeps phone numbers and codes out of keys and stored values. */
  hmac(value: string): string
  sha256(value: string): string
  /** Hex SHA-256 of bytes: the fingerprint people compare with their own file. */
  sha256Hex(bytes: Uint8Array): string
  hashPassword(password: string): Promise<string>
  verifyPassword(password: string, hash: string): Promise<boolean>
  verifyTotp(secret: string, code: string, at: Date): boolean
  randomToken(): string
  otpCode(): string
  id(): string
}

export interface Deps {
  store: Store
  sms: SmsSender
  clock: Clock
  crypto: Crypto
  evidence: EvidenceStorage
  limits: EvidenceLimits
  /** Time limits per stage in days, overriding the defaults (STAGE_DAYS). */
  stageDays?: Partial<Record<CaseStatus, number>>
  /** The video service; absent when a deployment has not configured LiveKit. */
  video?: VideoService
  /** The portal's address, for links in SMS (https://… in AWS; set after listening locally). */
  publicUrl?: string
  /** Renders the signed agreement; loaded on first use, so the font stays off the cold start. */
  pdf: AgreementPdf
  /** For failures the caller is not told about (an SMS after its write). Masks personal data. */
  log?: { error(message: string, data?: Record<string, unknown>): void }
}

/** The agreement of a case and its public verification record. */
export interface AgreementStore {
  getAgreement(caseId: string): Promise<AgreementRecord | undefined>
  /** Writes a revision if the stored one is still `expectedRevision` (0: none yet), with its timeline events. */
  putAgreement(next: AgreementRecord, expectedRevision: number, events: TimelineEvent[]): Promise<boolean>
  /**
   * The last signature: the agreement (on its revision), the case's transition (on its version),
   * the verification record and the events, all or nothing.
   */
  completeAgreement(args: {
    agreement: AgreementRecord
    expectedRevision: number
    /** The case as read, so the supervisor figures move by exactly this write. */
    before: CaseRecord
    next: CaseRecord
    expectedVersion: number
    verification: VerificationRecord
    events: TimelineEvent[]
    /** The follow-up visits the signed agreement schedules, written with it. */
    followUps?: FollowUpRecord[]
  }): Promise<boolean>
  getVerification(code: string): Promise<VerificationRecord | undefined>
}

/** Follow-up visits (回访): the schedule, the SMS links' tokens, the answers. */
export interface FollowUpStore {
  /** Scheduled follow-ups of a jurisdiction due by `until`, soonest first. */
  dueFollowUps(jurisdiction: string, until: Date, limit: number): Promise<FollowUpRecord[]>
  /**
   * Marks a scheduled follow-up sent (or skipped) with its links' tokens and a timeline event, if it
   * is still scheduled; false when another run got there first.
   */
  markFollowUpSent(next: FollowUpRecord, tokens: FollowUpToken[], event: TimelineEvent): Promise<boolean>
  getFollowUp(caseId: string, id: string): Promise<FollowUpRecord | undefined>
  followUpsOfCase(caseId: string): Promise<{ followUps: FollowUpRecord[]; answers: FollowUpAnswer[] }>
  getFollowUpToken(tokenHash: string): Promise<FollowUpToken | undefined>
  getFollowUpAnswer(caseId: string, id: string, party: string): Promise<FollowUpAnswer | undefined>
  /**
   * Stores a party's answer if there is none yet, with its timeline event and its counters in the
   * supervisor figures, in one transaction; false when already answered.
   */
  putFollowUpAnswer(
    answer: FollowUpAnswer,
    event: TimelineEvent,
    cells: CellDelta[],
    /** The follow-up after this answer: its `answeredBy` grows, and it leaves the queue once complete. */
    followUp: FollowUpRecord,
  ): Promise<boolean>
  /** An organisation's follow-ups still awaiting answers, due between `from` and `until`, soonest first. */
  followUpsOfOrg(orgId: string, from: Date, until: Date, limit: number): Promise<FollowUpRecord[]>
  /** The answers of a jurisdiction (rebuilding the figures), up to `limit`. */
  followUpAnswersOfJurisdiction(jurisdiction: string, limit: number): Promise<FollowUpAnswer[]>
}

/** Partner departments and referrals to them (信息互通). */
export interface ReferralStore {
  getDepartment(id: string): Promise<Department | undefined>
  /** Writes a department; with `expectedUpdatedAt`, only if unchanged since read; without, only if new. */
  putDepartment(department: Department, expectedUpdatedAt?: string): Promise<boolean>
  departmentsOf(jurisdiction: string): Promise<Department[]>
  /**
   * A new referral with its link, timeline event and figures, together; false when the same
   * referral (its `dedupeKey`) is already open on the case.
   */
  createReferral(
    referral: ReferralRecord,
    link: ReferralLink,
    event: TimelineEvent,
    cells: CellDelta[],
  ): Promise<boolean>
  getReferral(caseId: string, id: string): Promise<ReferralRecord | undefined>
  /** A case's referrals, oldest first. */
  referralsOfCase(caseId: string): Promise<ReferralRecord[]>
  /**
   * Replaces a referral if still at `expectedVersion`, with its events, figures and any new link
   * (a reminder carries a fresh one), in one transaction; false when someone else changed it.
   */
  updateReferral(
    next: ReferralRecord,
    expectedVersion: number,
    events: TimelineEvent[],
    cells: CellDelta[],
    link?: ReferralLink,
  ): Promise<boolean>
  getReferralLink(tokenHash: string): Promise<ReferralLink | undefined>
  putReferralAccess(grantHash: string, tokenHash: string, expiresAt: string): Promise<void>
  getReferralAccess(grantHash: string): Promise<{ tokenHash: string; expiresAt: string } | undefined>
  /** Awaiting referrals of a jurisdiction whose next chase is due by `until`. */
  referralsToChase(jurisdiction: string, until: Date, limit: number): Promise<ReferralRecord[]>
  /** An organisation's referrals awaiting an answer, soonest due first. */
  referralsOfOrg(orgId: string, limit: number): Promise<ReferralRecord[]>
  /** Every referral of a jurisdiction (rebuilding the figures), up to `limit`. */
  referralsOfJurisdiction(jurisdiction: string, limit: number): Promise<ReferralRecord[]>
}

/** Everything printed on the signed agreement. */
export interface AgreementPdfInput {
  agreement: AgreementRecord
  orgName: string
  mediatorName: string
  signedAt: string
  verifyCode: string
  verifyUrl: string
}

export interface AgreementPdf {
  render(input: AgreementPdfInput): Promise<Uint8Array>
}

/** Supervisor figures: aggregate cells, the risk board, and jurisdiction-wide case reads (no Scan). */
export interface InsightStore {
  /** Month × area cells of a jurisdiction for months `from`…`to` (YYYY-MM). */
  monthCells(jurisdiction: string, from: string, to: string): Promise<CellDelta[]>
  /** All-time dispute type × area cells of a jurisdiction. */
  typeCells(jurisdiction: string, disputeType: string): Promise<CellDelta[]>
  riskBoard(jurisdiction: string, limit: number): Promise<{ entries: BoardEntry[]; truncated: boolean }>
  /** Open cases whose stage deadline falls before `until`, soonest first. */
  openCasesDueBefore(
    jurisdiction: string,
    until: Date,
    limit: number,
  ): Promise<{ records: CaseRecord[]; truncated: boolean }>
  /** Every case of a jurisdiction (exports), up to `limit`. */
  allCasesOfJurisdiction(
    jurisdiction: string,
    limit: number,
  ): Promise<{ records: CaseRecord[]; truncated: boolean }>
}
