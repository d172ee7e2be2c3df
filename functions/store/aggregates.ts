import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  type TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb'
import type { CaseRecord } from '../domain/case.ts'
import type { FollowUpAnswer } from '../domain/follow-up.ts'
import {
  type AggregateChange,
  type BoardEntry,
  boardEntry,
  boardSortKey,
  type Cell,
  type CellDelta,
  type Counters,
  cellId,
  followUpContribution,
  recount,
  referralContribution,
} from '../domain/insight.ts'
import type { InsightStore } from '../domain/ports.ts'
import { Keys, withoutKeys } from './keys.ts'
import { referralStore } from './referrals.ts'

type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number]

/** Counters are top-level attributes named `c:<counter>`, so `ADD` creates them on first use. */
const COUNTER = 'c:'

export const cellSortKey = (cell: Cell) =>
  cell.kind === 'month' ? `M#${cell.month}#${cell.area}` : `T#${cell.disputeType}#${cell.area}`

const cellMeta = (cell: Cell) =>
  cell.kind === 'month'
    ? { cellKind: 'month', jurisdiction: cell.jurisdiction, month: cell.month, area: cell.area }
    : {
        cellKind: 'typeArea',
        jurisdiction: cell.jurisdiction,
        disputeType: cell.disputeType,
        area: cell.area,
      }

/** One `ADD` per cell: counters move by the delta, atomically with the rest of the transaction. */
export function cellUpdate(table: string, delta: CellDelta): TransactItem {
  const names: Record<string, string> = {}
  const values: Record<string, unknown> = { ':entity': 'aggregate' }
  const adds: string[] = []
  const sets = ['entity = :entity']
  Object.entries(cellMeta(delta.cell)).forEach(([k, v], i) => {
    names[`#m${i}`] = k
    values[`:m${i}`] = v
    sets.push(`#m${i} = :m${i}`)
  })
  Object.entries(delta.add).forEach(([k, v], i) => {
    names[`#c${i}`] = `${COUNTER}${k}`
    values[`:c${i}`] = v
    adds.push(`#c${i} :c${i}`)
  })
  return {
    Update: {
      TableName: table,
      Key: Keys.aggregate(delta.cell.jurisdiction, cellSortKey(delta.cell)),
      UpdateExpression: `SET ${sets.join(', ')} ADD ${adds.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  }
}

export const boardItem = (entry: BoardEntry) => ({
  ...Keys.board(entry.jurisdiction, boardSortKey(entry)),
  entity: 'board',
  ...entry,
})

/**
 * The transaction items that keep the figures and the risk board in step with one case write.
 * Used by every write of a case record (filing, transitions, and any later path).
 */
export function aggregateWriteItems(table: string, change: AggregateChange): TransactItem[] {
  const items: TransactItem[] = change.cells.map((d) => cellUpdate(table, d))
  if (change.board.remove)
    items.push({
      Delete: {
        TableName: table,
        Key: Keys.board(change.board.remove.jurisdiction, boardSortKey(change.board.remove)),
      },
    })
  if (change.board.put) items.push({ Put: { TableName: table, Item: boardItem(change.board.put) } })
  return items
}

export function toCell(item: Record<string, unknown>): CellDelta {
  const cell: Cell =
    item.cellKind === 'typeArea'
      ? {
          kind: 'typeArea',
          jurisdiction: String(item.jurisdiction),
          disputeType: String(item.disputeType),
          area: String(item.area),
        }
      : {
          kind: 'month',
          jurisdiction: String(item.jurisdiction),
          month: String(item.month),
          area: String(item.area),
        }
  const add: Counters = {}
  for (const [k, v] of Object.entries(item))
    if (k.startsWith(COUNTER) && typeof v === 'number') add[k.slice(COUNTER.length)] = v
  return { cell, add }
}

function toBoard(item: Record<string, unknown>): BoardEntry {
  const { pk: _pk, sk: _sk, entity: _e, ...rest } = item
  return rest as unknown as BoardEntry
}

/** Every page of a query, up to `max` items; says whether it stopped early. */
export async function queryAll(db: DynamoDBDocumentClient, input: QueryCommandInput, max = 10_000) {
  const items: Record<string, unknown>[] = []
  let start: Record<string, unknown> | undefined
  do {
    const out = await db.send(new QueryCommand({ ...input, ExclusiveStartKey: start }))
    items.push(...(out.Items ?? []))
    start = out.LastEvaluatedKey
  } while (start && items.length < max)
  return { items: items.slice(0, max), truncated: Boolean(start) || items.length > max }
}

const stripCase = (item: Record<string, unknown>): CaseRecord => withoutKeys<CaseRecord>(item)

/** Reads of the figures, the board and the jurisdiction's cases. No Scan: every read is a Query on a key. */
export function insightStore(db: DynamoDBDocumentClient, table: string): InsightStore {
  return {
    // Access pattern: a jurisdiction's month cells for a period (one partition, a sort-key range).
    async monthCells(jurisdiction, from, to) {
      const { items } = await queryAll(db, {
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': `AGG#${jurisdiction}`,
          ':from': `M#${from}#`,
          ':to': `M#${to}#\uffff`,
        },
      })
      return items.map(toCell)
    },
    // Access pattern: a dispute type's cells of a jurisdiction, every area (the citizen's outlook).
    async typeCells(jurisdiction, disputeType) {
      const { items } = await queryAll(db, {
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :t)',
        ExpressionAttributeValues: { ':pk': `AGG#${jurisdiction}`, ':t': `T#${disputeType}#` },
      })
      return items.map(toCell)
    },
    // Access pattern: a jurisdiction's risk board, red first, longest flagged first.
    async riskBoard(jurisdiction, limit) {
      const { items, truncated } = await queryAll(
        db,
        {
          TableName: table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `BOARD#${jurisdiction}` },
          Limit: Math.min(limit, 1000),
        },
        limit,
      )
      return { entries: items.map(toBoard), truncated }
    },
    // Access pattern: a jurisdiction's open cases whose deadline is before a date (gsi3 range).
    async openCasesDueBefore(jurisdiction, until, limit) {
      const { items, truncated } = await queryAll(
        db,
        {
          TableName: table,
          IndexName: 'gsi3',
          KeyConditionExpression: 'gsi3pk = :pk AND gsi3sk BETWEEN :a AND :b',
          ExpressionAttributeValues: {
            ':pk': `JUR#${jurisdiction}`,
            ':a': 'OPEN#',
            ':b': `OPEN#${until.toISOString()}`,
          },
        },
        limit,
      )
      return { records: items.map(stripCase), truncated }
    },
    // Access pattern: every case of a jurisdiction, open and closed (exports, rebuild): gsi3 by key.
    async allCasesOfJurisdiction(jurisdiction, limit) {
      const { items, truncated } = await queryAll(
        db,
        {
          TableName: table,
          IndexName: 'gsi3',
          KeyConditionExpression: 'gsi3pk = :pk',
          ExpressionAttributeValues: { ':pk': `JUR#${jurisdiction}` },
        },
        limit,
      )
      return { records: items.map(stripCase), truncated }
    },
  }
}

/** A jurisdiction's follow-up answers (gsi1 `FUANSWERS#jurisdiction`), for the rebuild and the store. */
export async function followUpAnswersOf(
  db: DynamoDBDocumentClient,
  table: string,
  jurisdiction: string,
  limit: number,
): Promise<FollowUpAnswer[]> {
  const { items, truncated } = await queryAll(
    db,
    {
      TableName: table,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': `FUANSWERS#${jurisdiction}` },
    },
    limit,
  )
  if (truncated) throw new Error('follow-up answers: the jurisdiction query stopped early')
  return items.map((i) => {
    const { pk: _a, sk: _b, gsi1pk: _c, gsi1sk: _d, entity: _e, ...rest } = i
    return rest as unknown as FollowUpAnswer
  })
}

export interface RebuildReport {
  jurisdiction: string
  cases: number
  cells: number
  boardEntries: number
  /** Cells or board entries that differed from the recount (before writing). */
  differences: string[]
  written: number
}

/**
 * Recomputes a jurisdiction's cells and risk board from its cases (a gsi3 Query, never a Scan) and,
 * unless `check` is set, writes whatever differs. Follow-up answers and referrals are read and
 * counted here too, each with the facts it was counted with when written.
 */
export async function rebuildAggregates(
  db: DynamoDBDocumentClient,
  table: string,
  jurisdiction: string,
  options: { check?: boolean } = {},
): Promise<RebuildReport> {
  const store = insightStore(db, table)
  const { records, truncated } = await store.allCasesOfJurisdiction(jurisdiction, Number.MAX_SAFE_INTEGER)
  if (truncated) throw new Error('rebuild: the jurisdiction query stopped early')
  const mine = records.filter((r) => r.jurisdiction === jurisdiction)
  // Follow-up answers count in the cells too; each keeps the facts it was counted with.
  const followUps = (await followUpAnswersOf(db, table, jurisdiction, Number.MAX_SAFE_INTEGER)).flatMap(
    (a) => (a.facts ? followUpContribution(a.facts) : []),
  )
  const referrals = (
    await referralStore(db, table, { eventItem: () => ({}) }).referralsOfJurisdiction(
      jurisdiction,
      Number.MAX_SAFE_INTEGER,
    )
  ).flatMap((r) => referralContribution(r.facts))
  const expected = recount(mine, [...followUps, ...referrals])
  const stored = new Map<string, { cell: CellDelta; key: { pk: string; sk: string } }>()
  for (const item of (
    await queryAll(
      db,
      {
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `AGG#${jurisdiction}` },
      },
      Number.MAX_SAFE_INTEGER,
    )
  ).items) {
    const cell = toCell(item)
    stored.set(cellId(cell.cell), { cell, key: { pk: String(item.pk), sk: String(item.sk) } })
  }
  const differences: string[] = []
  const puts: Record<string, unknown>[] = []
  const deletes: { pk: string; sk: string }[] = []
  for (const [id, want] of expected) {
    const have = stored.get(id)?.cell.add ?? {}
    if (!sameCounters(want.add, have)) {
      differences.push(`cell ${id}`)
      puts.push(fullCellItem(want))
    }
  }
  for (const [id, have] of stored) {
    if (!expected.has(id) && Object.values(have.cell.add).some((v) => v !== 0)) {
      differences.push(`cell ${id} (no cases)`)
      deletes.push(have.key)
    }
  }
  const wantBoard = new Map(
    mine
      .map(boardEntry)
      .filter((e): e is BoardEntry => Boolean(e))
      .map((e) => [boardSortKey(e), e]),
  )
  const haveBoard = (await store.riskBoard(jurisdiction, Number.MAX_SAFE_INTEGER)).entries
  const haveKeys = new Map(haveBoard.map((e) => [boardSortKey(e), e]))
  for (const [key, e] of wantBoard) {
    const have = haveKeys.get(key)
    if (!have || stable(have) !== stable(e)) {
      differences.push(`board ${key}`)
      puts.push(boardItem(e))
    }
  }
  for (const key of haveKeys.keys()) {
    if (!wantBoard.has(key)) {
      differences.push(`board ${key} (not on the board)`)
      deletes.push(Keys.board(jurisdiction, key))
    }
  }
  if (!options.check) {
    const requests = [
      ...puts.map((Item) => ({ PutRequest: { Item } })),
      ...deletes.map((Key) => ({ DeleteRequest: { Key } })),
    ]
    for (let i = 0; i < requests.length; i += 25) {
      let batch: Record<string, unknown>[] | undefined = requests.slice(i, i + 25)
      while (batch?.length) {
        const out = await db.send(new BatchWriteCommand({ RequestItems: { [table]: batch as never } }))
        batch = out.UnprocessedItems?.[table] as Record<string, unknown>[] | undefined
      }
    }
  }
  return {
    jurisdiction,
    cases: mine.length,
    cells: expected.size,
    boardEntries: wantBoard.size,
    differences,
    written: options.check ? 0 : puts.length + deletes.length,
  }
}

/** A cell as a whole item (rebuilds, bulk loads). */
export function fullCellItem(delta: CellDelta) {
  return {
    ...Keys.aggregate(delta.cell.jurisdiction, cellSortKey(delta.cell)),
    entity: 'aggregate',
    ...cellMeta(delta.cell),
    ...Object.fromEntries(Object.entries(delta.add).map(([k, v]) => [`${COUNTER}${k}`, v])),
  }
}

const stable = (o: object) =>
  JSON.stringify(
    Object.entries(o)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  )

const sameCounters = (a: Counters, b: Counters) => {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)])
  for (const k of keys) if ((a[k] ?? 0) !== (b[k] ?? 0)) return false
  return true
}

/** Stored cells as a map by id, zero counters dropped: what a test compares with `recount`. */
export async function storedCells(db: DynamoDBDocumentClient, table: string, jurisdiction: string) {
  const { items } = await queryAll(
    db,
    {
      TableName: table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `AGG#${jurisdiction}` },
    },
    Number.MAX_SAFE_INTEGER,
  )
  const out = new Map<string, CellDelta>()
  for (const item of items) {
    const c = toCell(item)
    const add = Object.fromEntries(Object.entries(c.add).filter(([, v]) => v !== 0))
    if (Object.keys(add).length) out.set(cellId(c.cell), { cell: c.cell, add })
  }
  return out
}
