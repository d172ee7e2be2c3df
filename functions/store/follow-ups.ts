import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb'
import type { TimelineEvent } from '../domain/case.ts'
import {
  awaitsAnswers,
  type FollowUpAnswer,
  type FollowUpRecord,
  type FollowUpToken,
} from '../domain/follow-up.ts'
import type { FollowUpStore } from '../domain/ports.ts'
import { cellUpdate, followUpAnswersOf, queryAll } from './aggregates.ts'
import { transactIfAllHold } from './agreements.ts'
import { epochSeconds, Keys } from './keys.ts'

type Item = Record<string, unknown>

/**
 * A follow-up item: under its case, and — only while scheduled — in its jurisdiction's due index
 * (gsi1, sparse), so the job reads exactly what is due and nothing else.
 */
export function followUpItem(record: FollowUpRecord): Item {
  return {
    ...Keys.followUp(record.caseId, record.id),
    ...(record.status === 'scheduled'
      ? Keys.followUpDue(record.jurisdiction, record.dueAt, record.caseId, record.id)
      : {}),
    ...(record.orgId && awaitsAnswers(record)
      ? Keys.followUpOfOrg(record.orgId, record.dueAt, record.caseId, record.id)
      : {}),
    entity: 'followUp',
    ...record,
  }
}

const strip = (item: Item) => {
  const {
    pk: _a,
    sk: _b,
    gsi1pk: _c,
    gsi1sk: _d,
    gsi2pk: _g,
    gsi2sk: _h,
    entity: _e,
    ttl: _f,
    ...rest
  } = item
  return rest
}

/** The follow-up records; case and event items come from the main store so their keys stay in one place. */
export function followUpStore(
  db: DynamoDBDocumentClient,
  table: string,
  items: { eventItem(caseId: string, event: TimelineEvent): Item },
): FollowUpStore {
  /** True when written; false when a condition failed (already sent, already answered, changed since read). */
  const transact = (list: Parameters<typeof transactIfAllHold>[1]) => transactIfAllHold(db, list)

  return {
    // Access pattern: follow-ups of a jurisdiction due by a time (gsi1 FUDUE#jurisdiction, by due time).
    async dueFollowUps(jurisdiction, until, limit) {
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk <= :until',
          ExpressionAttributeValues: {
            ':pk': `FUDUE#${jurisdiction}`,
            ':until': `${until.toISOString()}#\uffff`,
          },
          Limit: limit,
        }),
      )
      return (out.Items ?? []).map((i) => strip(i) as unknown as FollowUpRecord)
    },

    // Access pattern: send a follow-up — the item leaves the due index (only if still scheduled),
    // its links' tokens and the timeline event, together.
    async markFollowUpSent(next, tokens, event) {
      return transact([
        {
          Put: {
            TableName: table,
            Item: followUpItem(next),
            ConditionExpression: '#s = :scheduled',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':scheduled': 'scheduled' },
          },
        },
        ...tokens.map((t) => ({
          Put: {
            TableName: table,
            Item: {
              ...Keys.followUpToken(t.tokenHash),
              entity: 'followUpToken',
              ...t,
              ttl: epochSeconds(t.expiresAt),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        })),
        { Put: { TableName: table, Item: items.eventItem(next.caseId, event) } },
      ])
    },

    // Access pattern: one follow-up of a case.
    async getFollowUp(caseId, id) {
      const out = await db.send(
        new GetCommand({ TableName: table, Key: Keys.followUp(caseId, id), ConsistentRead: true }),
      )
      return out.Item ? (strip(out.Item) as unknown as FollowUpRecord) : undefined
    },

    // Access pattern: a case's follow-ups and answers (two key ranges of the case's partition).
    async followUpsOfCase(caseId) {
      const range = async (prefix: string) =>
        (
          await queryAll(db, {
            TableName: table,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
            ExpressionAttributeValues: { ':pk': Keys.case(caseId).pk, ':p': prefix },
            ConsistentRead: true,
          })
        ).items.map(strip)
      const [followUps, answers] = await Promise.all([range('FOLLOWUP#'), range('FUANSWER#')])
      return {
        followUps: (followUps as unknown as FollowUpRecord[]).sort((a, b) => a.dueAt.localeCompare(b.dueAt)),
        answers: answers as unknown as FollowUpAnswer[],
      }
    },

    // Access pattern: the follow-up behind an SMS link (token stored as its SHA-256).
    async getFollowUpToken(tokenHash) {
      const out = await db.send(new GetCommand({ TableName: table, Key: Keys.followUpToken(tokenHash) }))
      return out.Item ? (strip(out.Item) as unknown as FollowUpToken) : undefined
    },

    async getFollowUpAnswer(caseId, id, party) {
      const out = await db.send(
        new GetCommand({
          TableName: table,
          Key: Keys.followUpAnswer(caseId, id, party),
          ConsistentRead: true,
        }),
      )
      return out.Item ? (strip(out.Item) as unknown as FollowUpAnswer) : undefined
    },

    // Access pattern: answer a follow-up once — the answer (only if none), its event and its
    // counters in the supervisor figures, together.
    async putFollowUpAnswer(answer, event, cells, followUp) {
      const key = Keys.followUpAnswer(answer.caseId, answer.followUpId, answer.party)
      const before = (followUp.answeredBy?.length ?? 1) - 1
      return transact([
        {
          Put: {
            TableName: table,
            Item: {
              ...key,
              ...(answer.facts
                ? Keys.followUpAnswerOfJurisdiction(
                    answer.facts.jurisdiction,
                    answer.answeredAt,
                    answer.caseId,
                    key.sk,
                  )
                : {}),
              entity: 'followUpAnswer',
              ...answer,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        // The follow-up as read plus this party: unchanged since read (status, answers), or the
        // caller reads again and retries.
        {
          Put: {
            TableName: table,
            Item: followUpItem(followUp),
            ConditionExpression:
              before === 0
                ? '#s = :s AND attribute_not_exists(answeredBy)'
                : '#s = :s AND size(answeredBy) = :n',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':s': followUp.status, ...(before === 0 ? {} : { ':n': before }) },
          },
        },
        { Put: { TableName: table, Item: items.eventItem(answer.caseId, event) } },
        ...cells.map((d) => cellUpdate(table, d)),
      ])
    },

    // Access pattern: an organisation's follow-ups awaiting answers, by due time (gsi2 FUORG#).
    async followUpsOfOrg(orgId, from, until, limit) {
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk BETWEEN :from AND :until',
          ExpressionAttributeValues: {
            ':pk': `FUORG#${orgId}`,
            ':from': from.toISOString(),
            ':until': `${until.toISOString()}#\uffff`,
          },
          Limit: limit,
        }),
      )
      return (out.Items ?? []).map((i) => strip(i) as unknown as FollowUpRecord)
    },

    // Access pattern: a jurisdiction's follow-up answers (rebuild of the figures): gsi1 FUANSWERS#.
    async followUpAnswersOfJurisdiction(jurisdiction, limit) {
      return followUpAnswersOf(db, table, jurisdiction, limit)
    },
  }
}
