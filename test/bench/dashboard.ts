import { BatchWriteCommand, type BatchWriteCommandOutput } from '@aws-sdk/lib-dynamodb'
import type { Actor } from '../../functions/domain/actor.ts'
import type { CaseRecord, CaseStatus, DisputeType } from '../../functions/domain/case.ts'
import { accumulate, boardEntry, type CellDelta, contribution } from '../../functions/domain/insight.ts'
import { deadlines, mediatorPerformance, riskBoard, summary } from '../../functions/domain/insight-service.ts'
import { boardItem, fullCellItem } from '../../functions/store/aggregates.ts'
import { documentClient } from '../../functions/store/dynamo.ts'
import { caseIndexKeys, Keys } from '../../functions/store/keys.ts'
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../infra/local/dynamodb-local.ts'
import { DEMO_ORGS } from '../../infra/local/seed.ts'
import { LOCAL_TABLE, startSystem } from '../../infra/local/system.ts'

const TYPES: DisputeType[] = ['family', 'neighbour', 'wage_arrears', 'contract_debt', 'property', 'consumer']
const STREETS = ['城东街道', '城西街道', '滨江街道', '江南街道', '新城镇', '']
const ENDS: CaseStatus[] = ['resolved', 'resolved', 'resolved', 'failed', 'withdrawn', 'declined', 'closed']
const DAY = 86400_000

/**
 * The supervisor dashboard's load — summary for 12 months, risk board, deadlines and mediator
 * performance, the four reads the page makes — with 1,000 and then 100,000 cases in the table. The
 * supervisor's own workload (200 open cases) is the same in both; the other 99,000 are closed history
 * and other districts. Cases and their aggregate cells are written directly in bulk, as the
 * transactions would have left them, to keep the fill fast.
 */
export async function dashboardScaling(say: (line?: string) => void, runs = 100) {
  const system = await startSystem({ print: () => undefined, seed: false })
  try {
    const db = documentClient({
      tableName: LOCAL_TABLE,
      region: LOCAL_REGION,
      endpoint: system.dynamoEndpoint,
      credentials: LOCAL_CREDENTIALS,
    })
    for (const org of DEMO_ORGS) await system.deps.store.putOrg(org)
    const now = new Date('2026-11-23T08:00:00Z')
    const cells = new Map<string, CellDelta>()
    const board: Record<string, unknown>[] = []
    let written = 0
    const put = async (items: Record<string, unknown>[]) => {
      for (let i = 0; i < items.length; i += 25) {
        let batch: unknown[] | undefined = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }))
        while (batch?.length) {
          const out: BatchWriteCommandOutput = await db.send(
            new BatchWriteCommand({ RequestItems: { [LOCAL_TABLE]: batch as never } }),
          )
          batch = out.UnprocessedItems?.[LOCAL_TABLE]
        }
      }
    }
    const fill = async (total: number) => {
      const items: Record<string, unknown>[] = []
      for (; written < total; written++) {
        const i = written
        const open = i < 200
        const jurisdiction = i < 1000 || i % 3 === 0 ? '滨河区' : i % 3 === 1 ? '临江区' : '东湖区'
        const created = new Date(now.getTime() - (open ? i % 20 : 20 + (i % 700)) * DAY - (i % 24) * 3600_000)
        const status: CaseStatus = open
          ? i % 2
            ? 'in_mediation'
            : 'submitted'
          : (ENDS[i % ENDS.length] as CaseStatus)
        const id = `BENCH${String(i).padStart(21, '0')}`
        const ended = new Date(created.getTime() + (i % 45) * DAY).toISOString()
        const record: CaseRecord = {
          id,
          number: `TJ-2026-${String(i).padStart(6, '0')}`,
          status,
          version: 3,
          applicantId: '',
          applicantPhone: '13900000000',
          input: {
            disputeType: TYPES[i % TYPES.length] as DisputeType,
            description: '楼上漏水，已经三次了，需要调解。',
            location: { district: jurisdiction, street: STREETS[i % STREETS.length] || undefined },
            respondent: { name: '对方' },
            desiredOutcome: '赔偿',
            meetingPreference: 'either',
          },
          createdAt: created.toISOString(),
          updatedAt: open ? created.toISOString() : ended,
          source: 'online',
          orgId: i % 2 ? 'binhe-chengdong-room' : 'binhe-chengxi-room',
          tier: 1,
          jurisdiction,
          mediatorId: status === 'submitted' ? undefined : `mediator${i % 12}`,
          riskLevel: (['none', 'none', 'yellow', 'orange', 'none', 'red'] as const)[i % 6],
          stageDeadline: open ? new Date(now.getTime() + ((i % 30) - 10) * DAY).toISOString() : undefined,
          acceptedAt: status === 'submitted' ? undefined : new Date(created.getTime() + DAY).toISOString(),
          concludedAt: open ? undefined : ended,
        }
        items.push({
          ...Keys.case(id),
          ...caseIndexKeys(record, open),
          entity: 'case',
          ...JSON.parse(JSON.stringify(record)),
        })
        accumulate(cells, contribution(record))
        const entry = boardEntry(record)
        if (entry) board.push(boardItem(entry))
      }
      await put(items)
      await put([...cells.values()].map(fullCellItem))
      await put(board.splice(0))
    }
    const supervisor: Actor = {
      kind: 'staff',
      username: 'supervisor1',
      name: '刘科长',
      role: 'supervisor',
      orgId: 'binhe-justice',
      tier: 3,
      jurisdiction: '滨河区',
    }
    const deps = { ...system.deps, clock: { now: () => now } }
    const period = { from: '2025-12', to: '2026-11' }
    const time = async () => {
      const times: number[] = []
      let received = 0
      // Warm up first, so the first size measured does not also pay for JIT and connections.
      for (let i = 0; i < 10; i++) await summary(deps, supervisor, period)
      for (let i = 0; i < runs; i++) {
        const t = performance.now()
        const [s] = await Promise.all([
          summary(deps, supervisor, period),
          riskBoard(deps, supervisor),
          deadlines(deps, supervisor),
          mediatorPerformance(deps, supervisor, period),
        ])
        times.push(performance.now() - t)
        received = s.results.received
      }
      times.sort((a, b) => a - b)
      return { median: times[Math.floor(times.length / 2)] ?? 0, received }
    }
    await fill(1_000)
    const small = await time()
    const started = performance.now()
    await fill(100_000)
    const fillSeconds = (performance.now() - started) / 1000
    const large = await time()
    say('## Supervisor dashboard: 1,000 vs 100,000 cases in the table (DynamoDB Local)')
    say(
      `- The page's four reads together (12-month summary, risk board, deadlines, mediator performance), ${runs} loads each: median **${small.median.toFixed(1)} ms** at 1,000 cases (${small.received} received in the period), **${large.median.toFixed(1)} ms** at 100,000 cases (${large.received} received)`,
    )
    say(
      `- Ratio 100k / 1k: **${(large.median / small.median).toFixed(2)}** (target ≤ 1.5: figures come from ${cells.size} aggregate cells, not from the cases). Filling 99,000 cases and their cells took ${fillSeconds.toFixed(0)} s.`,
    )
    say()
  } finally {
    await system.stop()
  }
}
