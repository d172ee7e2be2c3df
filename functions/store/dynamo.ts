import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb'
import {
  BatchGetCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb'
import { encodeTime, monotonicFactory } from 'ulid'
import type { CaseRecord, TimelineEvent } from '../domain/case.ts'
import type { EvidenceRecord } from '../domain/evidence.ts'
import { aggregateDeltas } from '../domain/insight.ts'
import type { OtpState } from '../domain/otp.ts'
import type { IdempotencyRecord, SessionRecord, Store } from '../domain/ports.ts'
import type { Organisation, StaffRecord } from '../domain/staff.ts'
import type { VideoSession } from '../domain/video.ts'
import { isOpen } from '../domain/workflow.ts'
import { aggregateWriteItems, insightStore } from './aggregates.ts'
import { agreementStore } from './agreements.ts'
import { followUpStore } from './follow-ups.ts'
import { caseIndexKeys, epochSeconds, Keys } from './keys.ts'
import { referralStore } from './referrals.ts'

export interface DynamoConfig {
  tableName: string
  region: string
  endpoint?: string
  credentials?: { accessKeyId: string; secretAccessKey: string }
}

/** One client per process, with timeouts so an outage fails fast instead of hanging a request. */
export function documentClient(config: DynamoConfig): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: config.region,
    endpoint: config.endpoint,
    credentials: config.credentials,
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 1000, requestTimeout: 3000 },
  })
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } })
}

/**
 * Runs a transaction whose first item carries the condition the caller cares about (an
 * idempotency record, a version, a budget): false when that condition did not hold; anything
 * else that cancels it is an error.
 */
async function transactIfFirstHolds(
  db: DynamoDBDocumentClient,
  input: ConstructorParameters<typeof TransactWriteCommand>[0],
) {
  for (let attempt = 1; ; attempt++) {
    try {
      await db.send(new TransactWriteCommand(input))
      return true
    } catch (e) {
      if (
        e instanceof TransactionCanceledException &&
        e.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
      )
        return false
      // Aggregate cells are shared by every case of an area and month, so two transactions may
      // touch one at once; the loser is cancelled before writing anything and may simply go again.
      const conflict =
        e instanceof TransactionCanceledException &&
        e.CancellationReasons?.some((r) => r.Code === 'TransactionConflict')
      if (!conflict || attempt >= 5) throw e
      await new Promise((r) => setTimeout(r, 10 * attempt + Math.random() * 40))
    }
  }
}

const isConditionFailure = (e: unknown) =>
  (e as { name?: string })?.name === 'ConditionalCheckFailedException'

/** The DynamoDB implementation of the domain's Store port. No Scan anywhere. */
export function dynamoStore(db: DynamoDBDocumentClient, table: string): Store {
  let orgCache: { orgs: Organisation[]; until: number } | undefined
  const queryIndex = async (index: string, pkName: string, pk: string, skName: string, open: boolean) => {
    const out = await db.send(
      new QueryCommand({
        TableName: table,
        IndexName: index,
        KeyConditionExpression: `${pkName} = :pk AND begins_with(${skName}, :s)`,
        ExpressionAttributeValues: { ':pk': pk, ':s': open ? 'OPEN#' : 'DONE#' },
        ScanIndexForward: open,
        Limit: 200,
      }),
    )
    return (out.Items ?? []).map(toCase)
  }
  const get = async (key: { pk: string; sk: string }) =>
    (await db.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item

  return {
    ...insightStore(db, table),
    // Access pattern: allocate the next case number of a year (atomic counter).
    async nextCaseSequence(year) {
      const out = await db.send(
        new UpdateCommand({
          TableName: table,
          Key: Keys.counter(`CASE#${year}`),
          UpdateExpression: 'ADD #v :one SET entity = :e',
          ExpressionAttributeNames: { '#v': 'value' },
          ExpressionAttributeValues: { ':one': 1, ':e': 'counter' },
          ReturnValues: 'UPDATED_NEW',
        }),
      )
      return Number(out.Attributes?.value)
    },

    // Access pattern: file a case — case item, number lookup, first timeline event and the
    // idempotency record in one transaction, so a retry can never see half a case.
    async createCase({ record, event, idempotency, links = [] }) {
      const idemKey = Keys.idempotency(idempotency.scope, idempotency.key)
      return (await transactIfFirstHolds(db, {
        TransactItems: [
          {
            Put: {
              TableName: table,
              Item: {
                ...idemKey,
                entity: 'idempotency',
                bodyHash: idempotency.bodyHash,
                caseId: record.id,
                ttl: epochSeconds(idempotency.expiresAt),
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: table,
              Item: caseItem(record),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: table,
              Item: { ...Keys.caseNumber(record.number), entity: 'caseNumber', caseId: record.id },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: table,
              Item: {
                ...Keys.timelineEvent(record.id, event.at, '0'), // the filing event sorts first
                entity: 'event',
                caseId: record.id,
                ...event,
              },
            },
          },
          ...links.map((owner) => ({
            Put: {
              TableName: table,
              Item: {
                ...Keys.link(owner, record.id),
                entity: 'link',
                caseId: record.id,
                at: record.createdAt,
              },
            },
          })),
          ...aggregateWriteItems(table, aggregateDeltas(undefined, record)),
        ],
      }))
        ? 'created'
        : 'duplicate'
    },

    // Access pattern: replay a create call by (caller, Idempotency-Key).
    async getIdempotency(scope, key) {
      const item = await get(Keys.idempotency(scope, key))
      return item ? ({ bodyHash: item.bodyHash, caseId: item.caseId } as IdempotencyRecord) : undefined
    },

    // Access pattern: case by id.
    async getCase(id) {
      const item = await get(Keys.case(id))
      return item ? toCase(item) : undefined
    },

    // Access pattern: a citizen's cases, newest first (gsi1).
    async listCasesByApplicant(applicantId) {
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :case)',
          ExpressionAttributeValues: {
            ':pk': Keys.caseByApplicant(applicantId, '').gsi1pk,
            ':case': 'CASE#',
          },
          ScanIndexForward: false,
          Limit: 100,
        }),
      )
      return (out.Items ?? []).map(toCase)
    },

    // Access pattern: a case's timeline in time order.
    async timeline(caseId) {
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :ev)',
          ExpressionAttributeValues: { ':pk': Keys.case(caseId).pk, ':ev': 'EVENT#' },
          ConsistentRead: true,
        }),
      )
      return (out.Items ?? []).map(
        (i): TimelineEvent => ({
          at: i.at,
          type: i.type,
          actorRole: i.actorRole,
          from: i.from,
          to: i.to,
          note: i.note,
          evidenceId: i.evidenceId,
          by: i.by,
          meta: i.meta,
        }),
      )
    },

    // Access pattern: citizen by phone (keyed hash, never the number itself).
    async citizenFor(phoneKey, newId, now) {
      try {
        await db.send(
          new PutCommand({
            TableName: table,
            Item: {
              ...Keys.citizen(phoneKey),
              entity: 'citizen',
              citizenId: newId,
              createdAt: now.toISOString(),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        )
        return newId
      } catch (e) {
        if (!isConditionFailure(e)) throw e
        const item = await get(Keys.citizen(phoneKey))
        return String(item?.citizenId)
      }
    },

    // Access pattern: the current sign-in code of a phone.
    async getOtp(phoneKey) {
      const item = await get(Keys.otp(phoneKey))
      if (!item) return undefined
      const state: OtpState = {
        codeHash: item.codeHash,
        sentAt: item.sentAt,
        expiresAt: item.expiresAt,
        wrongTries: item.wrongTries,
      }
      if (item.lockedUntil) state.lockedUntil = item.lockedUntil
      return state
    },

    async putOtp(phoneKey, state, expected) {
      // Kept until the later of code expiry and lock-out, then removed by TTL.
      const until =
        state.lockedUntil && state.lockedUntil > state.expiresAt ? state.lockedUntil : state.expiresAt
      try {
        await db.send(
          new PutCommand({
            TableName: table,
            Item: { ...Keys.otp(phoneKey), entity: 'otp', ...state, ttl: epochSeconds(until) + 60 },
            ...(expected
              ? {
                  ConditionExpression: 'sentAt = :s AND wrongTries = :w',
                  ExpressionAttributeValues: { ':s': expected.sentAt, ':w': expected.wrongTries },
                }
              : { ConditionExpression: 'attribute_not_exists(pk)' }),
          }),
        )
        return true
      } catch (e) {
        if (isConditionFailure(e)) return false
        throw e
      }
    },

    async consumeOtp(phoneKey, expected) {
      try {
        await db.send(
          new DeleteCommand({
            TableName: table,
            Key: Keys.otp(phoneKey),
            ConditionExpression: 'codeHash = :h AND wrongTries = :w',
            ExpressionAttributeValues: { ':h': expected.codeHash, ':w': expected.wrongTries },
          }),
        )
        return true
      } catch (e) {
        if (isConditionFailure(e)) return false
        throw e
      }
    },

    // Access pattern: session by cookie token (stored as its SHA-256).
    async putSession(tokenHash, session) {
      await db.send(
        new PutCommand({
          TableName: table,
          Item: {
            ...Keys.session(tokenHash),
            entity: 'session',
            ...session,
            ttl: epochSeconds(session.expiresAt),
          },
        }),
      )
    },
    async getSession(tokenHash) {
      const item = await get(Keys.session(tokenHash))
      if (!item) return undefined
      const { ttl: _ttl, ...session } = strip(item)
      return session as unknown as SessionRecord
    },
    async deleteSession(tokenHash) {
      await db.send(new DeleteCommand({ TableName: table, Key: Keys.session(tokenHash) }))
    },

    // Access pattern: add evidence — the item plus the case's byte budget, one transaction.
    async createEvidence(item, maxCaseBytes) {
      return (await transactIfFirstHolds(db, {
        TransactItems: [
          {
            Update: {
              TableName: table,
              Key: Keys.case(item.caseId),
              UpdateExpression: 'ADD evidenceBytes :size',
              ConditionExpression:
                'attribute_exists(pk) AND (attribute_not_exists(evidenceBytes) OR evidenceBytes <= :room)',
              ExpressionAttributeValues: { ':size': item.size, ':room': maxCaseBytes - item.size },
            },
          },
          {
            Put: {
              TableName: table,
              Item: { ...Keys.evidence(item.caseId, item.id), entity: 'evidence', ...item },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }))
        ? 'created'
        : 'quota'
    },

    // Access pattern: one evidence item of a case.
    async getEvidence(caseId, evidenceId) {
      const item = await get(Keys.evidence(caseId, evidenceId))
      return item ? toEvidence(item) : undefined
    },

    // Access pattern: a case's evidence, oldest first.
    async listEvidence(caseId) {
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :ev)',
          ExpressionAttributeValues: { ':pk': Keys.case(caseId).pk, ':ev': 'EVIDENCE#' },
          ConsistentRead: true,
        }),
      )
      return (out.Items ?? []).map(toEvidence)
    },

    async updateEvidence(next, expected, also = {}) {
      const items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> = [
        {
          Put: {
            TableName: table,
            Item: { ...Keys.evidence(next.caseId, next.id), entity: 'evidence', ...next },
            ConditionExpression: '#s = :s AND updatedAt = :u',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':s': expected.status, ':u': expected.updatedAt },
          },
        },
      ]
      if (also.releaseBytes) {
        items.push({
          Update: {
            TableName: table,
            Key: Keys.case(next.caseId),
            UpdateExpression: 'ADD evidenceBytes :minus',
            ExpressionAttributeValues: { ':minus': -also.releaseBytes },
          },
        })
      }
      if (also.event) items.push({ Put: { TableName: table, Item: eventItem(next.caseId, also.event) } })
      return transactIfFirstHolds(db, { TransactItems: items })
    },

    // Access pattern: a transition — the case (only if still at the expected version) and its
    // timeline event, together.
    async applyTransition(next, expectedVersion, event, before) {
      return transactIfFirstHolds(db, {
        TransactItems: [
          {
            Put: {
              TableName: table,
              Item: caseItem(next),
              ConditionExpression: 'version = :v',
              ExpressionAttributeValues: { ':v': expectedVersion },
            },
          },
          { Put: { TableName: table, Item: eventItem(next.id, event) } },
          ...aggregateWriteItems(table, aggregateDeltas(before, next)),
        ],
      })
    },

    async getCases(ids) {
      const unique = [...new Set(ids)]
      const out: CaseRecord[] = []
      for (let i = 0; i < unique.length; i += 100) {
        const keys = unique.slice(i, i + 100).map((id) => Keys.case(id))
        const res = await db.send(
          new BatchGetCommand({ RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } }),
        )
        out.push(...(res.Responses?.[table] ?? []).map(toCase))
      }
      return out
    },

    // Access pattern: an organisation's queue by deadline (gsi2).
    async casesOfOrg(orgId, open) {
      return queryIndex('gsi2', 'gsi2pk', `ORG#${orgId}`, 'gsi2sk', open)
    },

    // Access pattern: a jurisdiction's board by deadline (gsi3).
    async casesOfJurisdiction(jurisdiction, open) {
      return queryIndex('gsi3', 'gsi3pk', `JUR#${jurisdiction}`, 'gsi3sk', open)
    },

    // Access pattern: a party's (by phone key) or a sending organisation's cases.
    async link(owner, caseId, at) {
      await db.send(
        new PutCommand({
          TableName: table,
          Item: { ...Keys.link(owner, caseId), entity: 'link', caseId, at },
        }),
      )
    },
    async linkedCaseIds(owner, options = {}) {
      const pk = Keys.link(owner, '').pk
      // Case ids are ULIDs, so "created since" is a key range: no reading old cases to filter them.
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: options.since
            ? 'pk = :pk AND sk > :from'
            : 'pk = :pk AND begins_with(sk, :c)',
          ExpressionAttributeValues: options.since
            ? { ':pk': pk, ':from': `CASE#${encodeTime(options.since.getTime(), 10)}` }
            : { ':pk': pk, ':c': 'CASE#' },
          ScanIndexForward: false,
          Limit: options.limit ?? 200,
        }),
      )
      return (out.Items ?? []).map((i) => String(i.caseId))
    },

    async getOrg(id) {
      const item = await get(Keys.org(id))
      return item ? (strip(item) as unknown as Organisation) : undefined
    },
    // Access pattern: every organisation (a few hundred at most per deployment), by jurisdiction.
    async listOrgs() {
      // Organisations change a few times a year; every filing routes by them, so keep them a minute.
      if (orgCache && orgCache.until > Date.now()) return orgCache.orgs
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :o',
          ExpressionAttributeValues: { ':o': 'ORGS' },
        }),
      )
      const orgs = (out.Items ?? []).map((i) => strip(i) as unknown as Organisation)
      orgCache = { orgs, until: Date.now() + 60_000 }
      return orgs
    },
    async putOrg(org) {
      orgCache = undefined
      await db.send(
        new PutCommand({
          TableName: table,
          Item: { ...Keys.org(org.id), ...Keys.allOrgs(org.jurisdiction, org.id), entity: 'org', ...org },
        }),
      )
    },
    async getStaff(username) {
      const item = await get(Keys.staff(username))
      return item ? (strip(item) as unknown as StaffRecord) : undefined
    },
    // Access pattern: an organisation's staff (the mediator pool).
    async staffOfOrg(orgId) {
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :o',
          ExpressionAttributeValues: { ':o': Keys.staffOfOrg(orgId, '').gsi1pk },
        }),
      )
      return (out.Items ?? []).map((i) => strip(i) as unknown as StaffRecord)
    },
    async putStaff(staff, expected, options = {}) {
      try {
        await db.send(
          new PutCommand({
            TableName: table,
            Item: {
              ...Keys.staff(staff.username),
              ...Keys.staffOfOrg(staff.orgId, staff.username),
              entity: 'staff',
              ...staff,
            },
            ...(expected
              ? {
                  ConditionExpression: 'failedLogins = :f AND sessionEpoch = :e',
                  ExpressionAttributeValues: { ':f': expected.failedLogins, ':e': expected.sessionEpoch },
                }
              : options.mustBeNew
                ? { ConditionExpression: 'attribute_not_exists(pk)' }
                : {}),
          }),
        )
        return true
      } catch (e) {
        if (isConditionFailure(e)) return false
        throw e
      }
    },

    // Access pattern: append to a case's timeline.
    async appendEvent(caseId, event) {
      await db.send(new PutCommand({ TableName: table, Item: eventItem(caseId, event) }))
    },

    // Access pattern: a video session by id (tokens, webhooks) and a case's sessions (gsi1).
    async createVideoSession(session, event) {
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: table,
                Item: videoItem(session),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Put: { TableName: table, Item: eventItem(session.caseId, event) } },
          ],
        }),
      )
    },
    async getVideoSession(id) {
      const item = await get(Keys.videoSession(id))
      return item ? toVideo(item) : undefined
    },
    async videoSessionsOfCase(caseId) {
      const res = await db.send(
        new QueryCommand({
          TableName: table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': `CASEVIDEO#${caseId}` },
        }),
      )
      return (res.Items ?? []).map(toVideo)
    },
    async updateVideoSession(next, expectedVersion, events = []) {
      return transactIfFirstHolds(db, {
        TransactItems: [
          {
            Put: {
              TableName: table,
              Item: videoItem(next),
              ConditionExpression: 'version = :v',
              ExpressionAttributeValues: { ':v': expectedVersion },
            },
          },
          ...events.map((e) => ({ Put: { TableName: table, Item: eventItem(next.caseId, e) } })),
        ],
      })
    },
    // Access pattern: a rate-limit bucket, counted atomically and refused at the limit.
    async withinLimit(bucket, limit, expiresAt) {
      try {
        await db.send(
          new UpdateCommand({
            TableName: table,
            Key: Keys.rate(bucket),
            UpdateExpression: 'ADD uses :one SET #ttl = if_not_exists(#ttl, :ttl), entity = :entity',
            ConditionExpression: 'attribute_not_exists(uses) OR uses < :limit',
            ExpressionAttributeNames: { '#ttl': 'ttl' },
            ExpressionAttributeValues: {
              ':one': 1,
              ':limit': limit,
              ':ttl': epochSeconds(expiresAt),
              ':entity': 'rate',
            },
          }),
        )
        return true
      } catch (e) {
        if (isConditionFailure(e)) return false
        throw e
      }
    },
    async claimOnce(scope, key, expiresAt) {
      try {
        await db.send(
          new PutCommand({
            TableName: table,
            Item: { ...Keys.once(scope, key), entity: 'once', ttl: epochSeconds(expiresAt) },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        )
        return true
      } catch (e) {
        if (isConditionFailure(e)) return false
        throw e
      }
    },

    async ping() {
      await db.send(new GetCommand({ TableName: table, Key: Keys.counter('HEALTH') }))
    },

    ...agreementStore(db, table, {
      caseItem,
      eventItem,
      aggregateItems: (before, after) => aggregateWriteItems(table, aggregateDeltas(before, after)),
    }),
    ...followUpStore(db, table, { eventItem }),
    ...referralStore(db, table, { eventItem }),
  }
}

function caseItem(record: CaseRecord) {
  return {
    ...Keys.case(record.id),
    ...caseIndexKeys(record, isOpen(record.status)),
    entity: 'case',
    ...record,
  }
}

function videoItem(session: VideoSession) {
  return {
    ...Keys.videoSession(session.id),
    ...Keys.videoSessionOfCase(session.caseId, session.startsAt, session.id),
    entity: 'video',
    ...session,
  }
}

function toVideo(item: Record<string, unknown>): VideoSession {
  return strip(item) as unknown as VideoSession
}

function strip(item: Record<string, unknown>) {
  const {
    pk: _pk,
    sk: _sk,
    gsi1pk: _a,
    gsi1sk: _b,
    gsi2pk: _c,
    gsi2sk: _d,
    gsi3pk: _e,
    gsi3sk: _f,
    entity: _g,
    ...rest
  } = item
  return rest
}

const nextEventId = monotonicFactory()

function eventItem(caseId: string, event: TimelineEvent) {
  // Monotonic ids keep events written in the same millisecond in the order they were written.
  return { ...Keys.timelineEvent(caseId, event.at, nextEventId()), entity: 'event', caseId, ...event }
}

function toEvidence(item: Record<string, unknown>): EvidenceRecord {
  const { pk: _pk, sk: _sk, entity: _entity, ...rest } = item
  return rest as unknown as EvidenceRecord
}

function toCase(item: Record<string, unknown>): CaseRecord {
  return strip(item) as unknown as CaseRecord
}
