import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb'
import { createTableInput, TABLE_SCHEMA } from '../../functions/store/schema.ts'

/** Credentials DynamoDB Local and the local S3 server accept; not secrets. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' }
export const LOCAL_REGION = 'local'

export const JAVA_HELP =
  'Jiefen runs DynamoDB Local (AWS\'s emulator) on Java 17 or newer, and no "java" was found.\n' +
  '  Debian/Ubuntu:  sudo apt-get install -y openjdk-17-jre-headless\n' +
  '  macOS:          brew install openjdk@17\n' +
  'Then run the command again.'

/** True when a Java runtime of version 17+ is on PATH. */
export function javaVersion(): number | undefined {
  const out = spawnSync('java', ['-version'], { encoding: 'utf8' })
  if (out.error || out.status !== 0) return undefined
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${out.stderr}${out.stdout}`)
  if (!match) return undefined
  const major = Number(match[1])
  return major === 1 ? Number(match[2]) : major
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer()
    srv.once('error', rej)
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address()
      const port = typeof address === 'object' && address ? address.port : 0
      srv.close(() => res(port))
    })
  })
}

export interface DynamoLocal {
  endpoint: string
  port: number
  process: ChildProcess
  stop(): Promise<void>
}

/**
 * Starts AWS's DynamoDB Local from the jar that amplify-dynamodb-simulator ships. In a temporary
 * working directory, since it writes a metadata file there. `dbPath` persists; otherwise in memory.
 */
export async function startDynamoLocal(
  options: { dbPath?: string; port?: number } = {},
): Promise<DynamoLocal> {
  const version = javaVersion()
  if (!version || version < 17) throw new MissingJavaError()
  const require = createRequire(import.meta.url)
  const dir = join(dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator')
  const port = options.port ?? (await freePort())
  const args = [
    `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(dir, 'DynamoDBLocal.jar'),
    '-port',
    String(port),
    '-disableTelemetry',
  ]
  if (options.dbPath) {
    mkdirSync(options.dbPath, { recursive: true })
    args.push('-dbPath', resolve(options.dbPath))
  } else {
    args.push('-inMemory')
  }
  const child = spawn('java', args, {
    cwd: mkdtempSync(join(tmpdir(), 'jiefen-ddb-')),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (d) => {
    output += d
  })
  child.stderr?.on('data', (d) => {
    output += d
  })
  // If this process dies (a crash, an uncaught error), DynamoDB Local must not outlive it.
  const killChild = () => child.kill('SIGKILL')
  process.once('exit', killChild)
  child.once('exit', () => process.removeListener('exit', killChild))
  const endpoint = `http://127.0.0.1:${port}`
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  })
  const started = Date.now()
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`DynamoDB Local exited (${child.exitCode}): ${output.slice(-2000)}`)
    try {
      await client.send(new DescribeTableCommand({ TableName: 'probe' }))
      break
    } catch (e) {
      if ((e as Error).name === 'ResourceNotFoundException') break
      if (Date.now() - started > 30_000) {
        child.kill('SIGKILL')
        throw new Error(`DynamoDB Local did not start in 30 s: ${output.slice(-2000)}`)
      }
      await new Promise((r) => setTimeout(r, 150))
    }
  }
  client.destroy()
  return {
    endpoint,
    port,
    process: child,
    stop: () =>
      new Promise<void>((res) => {
        if (child.exitCode !== null) return res()
        child.once('exit', () => res())
        child.kill('SIGTERM')
        setTimeout(() => child.kill('SIGKILL'), 3000).unref()
      }),
  }
}

export class MissingJavaError extends Error {
  constructor() {
    super(JAVA_HELP)
    this.name = 'MissingJavaError'
  }
}

/** Creates the table (and its TTL) from the shared schema, unless it exists already. */
export async function ensureTable(endpoint: string, tableName: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS })
  try {
    const existing = await client.send(new DescribeTableCommand({ TableName: tableName }))
    // Data kept in .data/ from an older version may lack an index added since: add it.
    const have = new Set((existing.Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName))
    const wanted = createTableInput(tableName)
    for (const index of wanted.GlobalSecondaryIndexes.filter((i) => !have.has(i.IndexName))) {
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          AttributeDefinitions: wanted.AttributeDefinitions,
          GlobalSecondaryIndexUpdates: [{ Create: index }],
        }),
      )
    }
  } catch (e) {
    if ((e as Error).name !== 'ResourceNotFoundException') throw e
    await client.send(new CreateTableCommand(createTableInput(tableName)))
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TABLE_SCHEMA.ttlAttribute, Enabled: true },
      }),
    )
  } finally {
    client.destroy()
  }
}
