/**
 * `npm run aggregates:rebuild [-- --check] [-- --jurisdiction 滨河区]`: recounts every jurisdiction's
 * figures and risk board from its cases (a Query on the jurisdiction index, never a Scan) and writes
 * what differs; with --check it only reports. Reads TABLE_NAME, AWS_REGION and, locally,
 * DYNAMODB_ENDPOINT (DynamoDB Local's URL, as `npm start` prints it) from the environment.
 * Run it when writes are quiet: a case written during the rebuild is counted by both.
 */
import { parseArgs } from 'node:util'
import { rebuildAggregates } from '../functions/store/aggregates.ts'
import { documentClient, dynamoStore } from '../functions/store/dynamo.ts'

const { values } = parseArgs({
  options: { check: { type: 'boolean', default: false }, jurisdiction: { type: 'string', multiple: true } },
})
const tableName = process.env.TABLE_NAME
if (!tableName) {
  console.error('Set TABLE_NAME (and DYNAMODB_ENDPOINT for DynamoDB Local).')
  process.exit(2)
}
const local = Boolean(process.env.DYNAMODB_ENDPOINT)
const db = documentClient({
  tableName,
  region: process.env.AWS_REGION ?? (local ? 'local' : 'ap-east-1'),
  endpoint: process.env.DYNAMODB_ENDPOINT,
  credentials: local ? { accessKeyId: 'local', secretAccessKey: 'local' } : undefined,
})
const jurisdictions = values.jurisdiction ?? [
  ...new Set((await dynamoStore(db, tableName).listOrgs()).map((o) => o.jurisdiction)),
]
let differing = 0
for (const jurisdiction of jurisdictions) {
  const r = await rebuildAggregates(db, tableName, jurisdiction, { check: values.check })
  differing += r.differences.length
  console.log(
    `${jurisdiction}: ${r.cases} cases, ${r.cells} cells, ${r.boardEntries} on the risk board; ${r.differences.length} differed${values.check ? '' : `, ${r.written} written`}`,
  )
  for (const d of r.differences.slice(0, 20)) console.log(`  ${d}`)
}
process.exit(values.check && differing > 0 ? 1 : 0)
