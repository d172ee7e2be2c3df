import { randomUUID } from 'node:crypto'
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb'
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb'
import type { CaseRecord, TimelineEvent } from '../domain/case.ts'
import type { EvidenceRecord } from '../domain/evidence.ts'
import type { OtpState } from '../domain/otp.ts'
import type { IdempotencyRecord, SessionRecord, Store } from '../domain/ports.ts'
import { epochSeconds, Keys } from './keys.ts'

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

const isConditionFailure = (e: unknown) =>
  (e as { name?: string })?.name === 'ConditionalCheckFailedException'

/** The DynamoDB implementation of the domain's Store port. No Scan anywhere. */
export function dynamoStore(db: DynamoDBDocumentClient, table: string): Store {
  const get = async (key: { pk: string; sk: string }) =>
    (await db.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item

  return {
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
    async createCase({ record, event, idempotency }) {
      const idemKey = Keys.idempotency(idempotency.scope, idempotency.key)
      try {
        await db.send(
          new TransactWriteCommand({
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
                  Item: {
                    ...Keys.case(record.id),
                    ...Keys.caseByApplicant(record.applicantId, record.createdAt),
                    entity: 'case',
                    ...record,
                  },
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
                    ...Keys.timelineEvent(record.id, event.at, record.id),
                    entity: 'event',
                    caseId: record.id,
                    ...event,
                  },
                },
              },
            ],
          }),
        )
        return 'created'
      } catch (e) {
        if (
          e instanceof TransactionCanceledException &&
          e.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
        ) {
          return 'duplicate'
        }
        throw e
      }
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
      return item
        ? ({ citizenId: item.citizenId, phone: item.phone, expiresAt: item.expiresAt } as SessionRecord)
        : undefined
    },
    async deleteSession(tokenHash) {
      await db.send(new DeleteCommand({ TableName: table, Key: Keys.session(tokenHash) }))
    },

    // Access pattern: add evidence — the item plus the case's byte budget, one transaction.
    async createEvidence(item, maxCaseBytes) {
      try {
        await db.send(
          new TransactWriteCommand({
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
          }),
        )
        return 'created'
      } catch (e) {
        if (
          e instanceof TransactionCanceledException &&
          e.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
        )
          return 'quota'
        throw e
      }
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
      try {
        await db.send(new TransactWriteCommand({ TransactItems: items }))
        return true
      } catch (e) {
        if (
          e instanceof TransactionCanceledException &&
          e.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
        )
          return false
        throw e
      }
    },

    // Access pattern: append to a case's timeline.
    async appendEvent(caseId, event) {
      await db.send(new PutCommand({ TableName: table, Item: eventItem(caseId, event) }))
    },

    async ping() {
      await db.send(new GetCommand({ TableName: table, Key: Keys.counter('HEALTH') }))
    },
  }
}

function eventItem(caseId: string, event: TimelineEvent) {
  return { ...Keys.timelineEvent(caseId, event.at, randomUUID()), entity: 'event', caseId, ...event }
}

function toEvidence(item: Record<string, unknown>): EvidenceRecord {
  const { pk: _pk, sk: _sk, entity: _entity, ...rest } = item
  return rest as unknown as EvidenceRecord
}

function toCase(item: Record<string, unknown>): CaseRecord {
  const { id, number, status, version, applicantId, applicantPhone, input, createdAt, updatedAt } =
    item as unknown as CaseRecord
  return { id, number, status, version, applicantId, applicantPhone, input, createdAt, updatedAt }
}
