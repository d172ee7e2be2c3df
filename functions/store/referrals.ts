import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb'
import type { TimelineEvent } from '../domain/case.ts'
import type { ReferralStore } from '../domain/ports.ts'
import type { Department, ReferralLink, ReferralRecord } from '../domain/referral.ts'
import { cellUpdate, queryAll } from './aggregates.ts'
import { transactIfAllHold } from './agreements.ts'
import { epochSeconds, Keys, withoutKeys } from './keys.ts'

type Item = Record<string, unknown>
type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>

/** A referral item and the index entries its state calls for (see Keys.referral). */
export function referralItem(r: ReferralRecord): Item {
  return {
    ...Keys.referral(r.caseId, r.id),
    ...(r.status === 'awaiting' && r.nextChaseAt
      ? Keys.referralChase(r.jurisdiction, r.nextChaseAt, r.caseId, r.id)
      : {}),
    ...(r.status === 'awaiting' && r.orgId ? Keys.referralOfOrg(r.orgId, r.dueAt, r.caseId, r.id) : {}),
    ...Keys.referralOfJurisdiction(r.jurisdiction, r.sentAt, r.caseId, r.id),
    entity: 'referral',
    ...r,
  }
}

const strip = withoutKeys

const linkItem = (table: string, link: ReferralLink) => ({
  Put: {
    TableName: table,
    Item: {
      ...Keys.referralLink(link.tokenHash),
      entity: 'referralLink',
      ...link,
      ttl: epochSeconds(link.expiresAt),
    },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
})

export function referralStore(
  db: DynamoDBDocumentClient,
  table: string,
  items: { eventItem(caseId: string, event: TimelineEvent): Item },
): ReferralStore {
  /** True when written; false when a condition failed. Aggregate cells are shared: conflicts retry. */
  const transact = (list: TransactItems) => transactIfAllHold(db, list)
  const byIndex = async (index: 'gsi1' | 'gsi2', pk: string, until: string, limit: number) => {
    const out = await db.send(
      new QueryCommand({
        TableName: table,
        IndexName: index,
        KeyConditionExpression: `${index}pk = :pk AND ${index}sk <= :until`,
        ExpressionAttributeValues: { ':pk': pk, ':until': until },
        Limit: limit,
      }),
    )
    return (out.Items ?? []).map((i) => strip<ReferralRecord>(i))
  }

  return {
    // Access pattern: one department.
    async getDepartment(id) {
      const out = await db.send(
        new GetCommand({ TableName: table, Key: Keys.department(id), ConsistentRead: true }),
      )
      return out.Item ? strip<Department>(out.Item) : undefined
    },

    // Access pattern: add or change a department (optimistic on updatedAt).
    async putDepartment(d, expectedUpdatedAt) {
      try {
        await db.send(
          new PutCommand({
            TableName: table,
            Item: {
              ...Keys.department(d.id),
              ...Keys.departmentOfJurisdiction(d.jurisdiction, d.kind, d.id),
              entity: 'department',
              ...d,
            },
            ...(expectedUpdatedAt
              ? {
                  ConditionExpression: 'updatedAt = :u',
                  ExpressionAttributeValues: { ':u': expectedUpdatedAt },
                }
              : { ConditionExpression: 'attribute_not_exists(pk)' }),
          }),
        )
        return true
      } catch (e) {
        if ((e as Error).name === 'ConditionalCheckFailedException') return false
        throw e
      }
    },

    // Access pattern: a jurisdiction's departments (gsi1 DEPTS#jurisdiction, by kind).
    async departmentsOf(jurisdiction) {
      const { items: found } = await queryAll(db, {
        TableName: table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': `DEPTS#${jurisdiction}` },
      })
      return found.map((i) => strip<Department>(i))
    },

    // Access pattern: refer — the referral, its SMS link, the timeline event and the figures, together.
    async createReferral(referral, link, event, cells) {
      return transact([
        {
          Put: {
            TableName: table,
            Item: {
              ...Keys.referralOpen(referral.caseId, referral.dedupeKey),
              entity: 'referralOpen',
              id: referral.id,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: table,
            Item: referralItem(referral),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        linkItem(table, link),
        { Put: { TableName: table, Item: items.eventItem(referral.caseId, event) } },
        ...cells.map((d) => cellUpdate(table, d)),
      ])
    },

    async getReferral(caseId, id) {
      const out = await db.send(
        new GetCommand({ TableName: table, Key: Keys.referral(caseId, id), ConsistentRead: true }),
      )
      return out.Item ? strip<ReferralRecord>(out.Item) : undefined
    },

    // Access pattern: a case's referrals (a key range of the case's partition).
    async referralsOfCase(caseId) {
      const { items: found } = await queryAll(db, {
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': Keys.case(caseId).pk, ':p': 'REFERRAL#' },
        ConsistentRead: true,
      })
      return found.map((i) => strip<ReferralRecord>(i))
    },

    // Access pattern: change a referral (a reply, a chase) on its version, with events, figures, a new link.
    async updateReferral(next, expectedVersion, events, cells, link) {
      return transact([
        {
          Put: {
            TableName: table,
            Item: referralItem(next),
            ConditionExpression: 'version = :v',
            ExpressionAttributeValues: { ':v': expectedVersion },
          },
        },
        ...(link ? [linkItem(table, link)] : []),
        // Closing frees the department and text for a new referral.
        ...(next.status === 'closed' && next.dedupeKey
          ? [{ Delete: { TableName: table, Key: Keys.referralOpen(next.caseId, next.dedupeKey) } }]
          : []),
        ...events.map((e) => ({ Put: { TableName: table, Item: items.eventItem(next.caseId, e) } })),
        ...cells.map((d) => cellUpdate(table, d)),
      ])
    },

    // Access pattern: the referral behind an SMS link.
    async getReferralLink(tokenHash) {
      const out = await db.send(
        new GetCommand({ TableName: table, Key: Keys.referralLink(tokenHash), ConsistentRead: true }),
      )
      return out.Item ? strip<ReferralLink>(out.Item) : undefined
    },

    async putReferralAccess(grantHash, tokenHash, expiresAt) {
      await db.send(
        new PutCommand({
          TableName: table,
          Item: {
            ...Keys.referralAccess(grantHash),
            entity: 'referralAccess',
            tokenHash,
            expiresAt,
            ttl: epochSeconds(expiresAt),
          },
        }),
      )
    },

    async getReferralAccess(grantHash) {
      // Read back right after the code wrote it: it must be there.
      const out = await db.send(
        new GetCommand({ TableName: table, Key: Keys.referralAccess(grantHash), ConsistentRead: true }),
      )
      return out.Item
        ? { tokenHash: String(out.Item.tokenHash), expiresAt: String(out.Item.expiresAt) }
        : undefined
    },

    // Access pattern: referrals of a jurisdiction to chase by now (gsi1 REFDUE#, by next chase time).
    async referralsToChase(jurisdiction, until, limit) {
      return byIndex('gsi1', `REFDUE#${jurisdiction}`, `${until.toISOString()}#\uffff`, limit)
    },

    // Access pattern: an organisation's referrals awaiting answers (gsi2 REFORG#, by due time).
    async referralsOfOrg(orgId, limit) {
      return byIndex('gsi2', `REFORG#${orgId}`, '\uffff', limit)
    },

    // Access pattern: every referral of a jurisdiction (gsi3 REFS#), for rebuilding the figures.
    async referralsOfJurisdiction(jurisdiction, limit) {
      const { items: found, truncated } = await queryAll(
        db,
        {
          TableName: table,
          IndexName: 'gsi3',
          KeyConditionExpression: 'gsi3pk = :pk',
          ExpressionAttributeValues: { ':pk': `REFS#${jurisdiction}` },
        },
        limit,
      )
      if (truncated && limit === Number.MAX_SAFE_INTEGER)
        throw new Error('referrals: the query stopped early')
      return found.map((i) => strip<ReferralRecord>(i))
    },
  }
}
