import { TransactionCanceledException } from '@aws-sdk/client-dynamodb'
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb'
import type { AgreementRecord, VerificationRecord } from '../domain/agreement.ts'
import type { CaseRecord, TimelineEvent } from '../domain/case.ts'
import type { AgreementStore } from '../domain/ports.ts'
import { followUpItem } from './follow-ups.ts'
import { Keys } from './keys.ts'

type Item = Record<string, unknown>
type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>

/**
 * Runs a transaction whose conditions all guard against a concurrent writer: false when any of
 * them failed (someone else signed or edited first). A transaction cancelled only because another
 * touched the same item at once (the shared aggregate cells) goes again; anything else is an error.
 */
export async function transactIfAllHold(db: DynamoDBDocumentClient, items: TransactItems) {
  for (let attempt = 1; ; attempt++) {
    try {
      await db.send(new TransactWriteCommand({ TransactItems: items }))
      return true
    } catch (e) {
      if (!(e instanceof TransactionCanceledException)) throw e
      if (e.CancellationReasons?.some((r) => r.Code === 'ConditionalCheckFailed')) return false
      const conflict = e.CancellationReasons?.some((r) => r.Code === 'TransactionConflict')
      if (!conflict || attempt >= 5) throw e
      await new Promise((r) => setTimeout(r, 10 * attempt + Math.random() * 40))
    }
  }
}

/**
 * The agreement's items: one per case beside the case item (`CASE#id / AGREEMENT`), revised in
 * place under a revision number, and one public verification record per signed agreement
 * (`VERIFY#code`). The case and event item builders come from the main store so every write of a
 * case keeps its index keys.
 */
export function agreementStore(
  db: DynamoDBDocumentClient,
  table: string,
  items: {
    caseItem(record: CaseRecord): Item
    eventItem(caseId: string, event: TimelineEvent): Item
    /** The supervisor figures' deltas for a case write, so a resolution by signature is counted too. */
    aggregateItems(before: CaseRecord, after: CaseRecord): TransactItems
  },
): AgreementStore {
  const agreementPut = (next: AgreementRecord, expectedRevision: number) => ({
    Put: {
      TableName: table,
      Item: { ...Keys.agreement(next.caseId), entity: 'agreement', ...next },
      ...(expectedRevision === 0
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : {
            ConditionExpression: 'revision = :r',
            ExpressionAttributeValues: { ':r': expectedRevision },
          }),
    },
  })
  const events = (caseId: string, list: TimelineEvent[]) =>
    list.map((e) => ({ Put: { TableName: table, Item: items.eventItem(caseId, e) } }))

  return {
    // Access pattern: a case's agreement.
    async getAgreement(caseId) {
      const out = await db.send(
        new GetCommand({ TableName: table, Key: Keys.agreement(caseId), ConsistentRead: true }),
      )
      if (!out.Item) return undefined
      const { pk: _pk, sk: _sk, entity: _e, ...rest } = out.Item
      return rest as AgreementRecord
    },

    // Access pattern: draft, revise or sign — the agreement on its revision, with its events.
    async putAgreement(next, expectedRevision, list) {
      return transactIfAllHold(db, [agreementPut(next, expectedRevision), ...events(next.caseId, list)])
    },

    // Access pattern: the last signature resolves the case — agreement, case, verification record,
    // events and the follow-up schedule in one transaction, so a signed agreement never leaves the
    // case open or unvisited.
    async completeAgreement({
      agreement,
      expectedRevision,
      before,
      next,
      expectedVersion,
      verification,
      events: list,
      followUps = [],
    }) {
      return transactIfAllHold(db, [
        agreementPut(agreement, expectedRevision),
        {
          Put: {
            TableName: table,
            Item: items.caseItem(next),
            ConditionExpression: 'version = :v',
            ExpressionAttributeValues: { ':v': expectedVersion },
          },
        },
        {
          Put: {
            TableName: table,
            Item: { ...Keys.verification(verification.code), entity: 'verification', ...verification },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...events(next.id, list),
        ...items.aggregateItems(before, next),
        ...followUps.map((f) => ({
          Put: { TableName: table, Item: followUpItem(f), ConditionExpression: 'attribute_not_exists(pk)' },
        })),
      ])
    },

    // Access pattern: a verification code from a printed agreement (public).
    async getVerification(code) {
      const out = await db.send(new GetCommand({ TableName: table, Key: Keys.verification(code) }))
      if (!out.Item) return undefined
      const { pk: _pk, sk: _sk, entity: _e, ...rest } = out.Item
      return rest as VerificationRecord
    },
  }
}
