import type { CaseRecord, TimelineEvent } from './case.ts'
import type { OtpState } from './otp.ts'

/**
 * What the domain needs from the outside world. Implemented by functions/store (DynamoDB) and
 * functions/adapters; tests use the same implementations against DynamoDB Local.
 */
export interface IdempotencyRecord {
  bodyHash: string
  caseId: string
}

export interface SessionRecord {
  citizenId: string
  phone: string
  expiresAt: string
}

export interface Store {
  /** Next number in the year's case sequence; numbers may skip but never repeat. */
  nextCaseSequence(year: number): Promise<number>
  /** Writes the case, its first timeline event and the idempotency record together, or none of them. */
  createCase(args: {
    record: CaseRecord
    event: TimelineEvent
    idempotency: { scope: string; key: string; bodyHash: string; expiresAt: Date }
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

  /** Cheap round trip used by the health check. */
  ping(): Promise<void>
}

export interface SmsSender {
  send(phone: string, text: string): Promise<void>
}

export interface Clock {
  now(): Date
}

export interface Crypto {
  /** A keyed hash: keeps phone numbers and codes out of keys and stored values. */
  hmac(value: string): string
  sha256(value: string): string
  randomToken(): string
  otpCode(): string
  id(): string
}

export interface Deps {
  store: Store
  sms: SmsSender
  clock: Clock
  crypto: Crypto
}
