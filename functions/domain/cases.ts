import { assertCanSee } from './access.ts'
import { type Actor, assertCitizen } from './actor.ts'
import {
  type CaseSummary,
  type CaseView,
  type CreateCaseInput,
  type CreatedCase,
  caseNumber,
  caseView,
  fileCase,
} from './case.ts'
import { VisibleError } from './errors.ts'
import type { Deps } from './ports.ts'

/** Idempotency records outlive any client's retries by a wide margin, then expire by TTL. */
const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000

/**
 * Files a case once per idempotency key. A retry of the same request answers with the same case;
 * the same key with a different body is refused, so a client bug cannot be mistaken for a retry.
 */
export async function createCase(
  deps: Deps,
  actor: Actor,
  input: CreateCaseInput,
  idempotencyKey: string,
): Promise<CreatedCase & { replayed: boolean }> {
  const citizen = assertCitizen(actor)
  const bodyHash = deps.crypto.sha256(stableJson(input))
  const replay = await replayed(deps, citizen.citizenId, idempotencyKey, bodyHash)
  if (replay) return replay

  const now = deps.clock.now()
  const year = now.getUTCFullYear()
  const sequence = await deps.store.nextCaseSequence(year)
  const { record, event } = fileCase({
    id: deps.crypto.id(),
    number: caseNumber(year, sequence),
    applicantId: citizen.citizenId,
    applicantPhone: citizen.phone,
    input,
    now,
  })
  const outcome = await deps.store.createCase({
    record,
    event,
    idempotency: {
      scope: citizen.citizenId,
      key: idempotencyKey,
      bodyHash,
      expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
    },
  })
  if (outcome === 'duplicate') {
    const again = await replayed(deps, citizen.citizenId, idempotencyKey, bodyHash)
    if (again) return again
    throw new VisibleError('conflict', 'request.idempotency_mismatch')
  }
  return {
    id: record.id,
    number: record.number,
    status: record.status,
    version: record.version,
    replayed: false,
  }
}

async function replayed(deps: Deps, scope: string, key: string, bodyHash: string) {
  const previous = await deps.store.getIdempotency(scope, key)
  if (!previous) return undefined
  if (previous.bodyHash !== bodyHash) throw new VisibleError('unprocessable', 'request.idempotency_mismatch')
  const record = await deps.store.getCase(previous.caseId)
  if (!record) throw new VisibleError('unavailable', 'service.unavailable', undefined, undefined, 1)
  return {
    id: record.id,
    number: record.number,
    status: record.status,
    version: record.version,
    replayed: true,
  }
}

/** The caller's own cases, newest first. */
export async function listMyCases(deps: Deps, actor: Actor): Promise<CaseSummary[]> {
  const citizen = assertCitizen(actor)
  const records = await deps.store.listCasesByApplicant(citizen.citizenId)
  return records.map((r) => ({
    id: r.id,
    number: r.number,
    status: r.status,
    disputeType: r.input.disputeType,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  }))
}

/**
 * One case with its timeline. Someone else's case answers exactly like a missing one, so ids
 * cannot be probed.
 */
export async function getCase(deps: Deps, actor: Actor, id: string): Promise<CaseView> {
  assertCitizen(actor)
  const { record } = assertCanSee(actor, await deps.store.getCase(id))
  return caseView(record, await deps.store.timeline(id))
}

/** JSON with sorted keys, so the same body hashes the same whatever order a client sends. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}
