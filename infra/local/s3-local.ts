import { mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { freePort } from './dynamodb-local.ts'

interface S3rverInstance {
  run(): Promise<{ port: number }>
  close(): Promise<void>
  on(event: 'event', listener: (notification: unknown) => void): void
}

/** The browser posts uploads straight to the bucket from the portal's origin, as it does in AWS. */
const CORS = Buffer.from(`<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>POST</AllowedMethod>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`)
type S3rverCtor = new (options: Record<string, unknown>) => S3rverInstance

/** The local S3 server (s3rver) knows only this key pair; it is not a secret. */
export const LOCAL_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }

export interface S3Local {
  endpoint: string
  stop(): Promise<void>
}

/**
 * A local S3-compatible server (s3rver) for evidence uploads. It stores objects but does not check
 * signatures or POST policies, so verification re-checks size and type on the stored bytes.
 */
export async function startS3Local(options: {
  directory: string
  buckets: string[]
  port?: number
  /** S3-style notifications (ObjectCreated:Post…), as an S3 event notification would deliver them. */
  onEvent?: (notification: unknown) => void
}): Promise<S3Local> {
  mkdirSync(options.directory, { recursive: true })
  const S3rver = createRequire(import.meta.url)('s3rver') as S3rverCtor
  const port = options.port ?? (await freePort())
  const server = new S3rver({
    address: '127.0.0.1',
    port,
    silent: true,
    directory: options.directory,
    configureBuckets: options.buckets.map((name) => ({ name, configs: [CORS] })),
  })
  if (options.onEvent) server.on('event', options.onEvent)
  await server.run()
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => server.close() }
}
