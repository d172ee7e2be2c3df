import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { startDynamoLocal } from '../../infra/local/dynamodb-local.ts'
import { startS3Local } from '../../infra/local/s3-local.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string
    s3Endpoint: string
  }
}

/** One DynamoDB Local (in memory) and one local S3 server for the whole integration run; each test file makes its own table. */
export default async function setup(project: TestProject) {
  const dynamo = await startDynamoLocal()
  const s3 = await startS3Local({
    directory: mkdtempSync(join(tmpdir(), 'jiefen-s3-test-')),
    buckets: ['jiefen-evidence-test'],
  })
  project.provide('dynamoEndpoint', dynamo.endpoint)
  project.provide('s3Endpoint', s3.endpoint)
  return async () => {
    await s3.stop()
    await dynamo.stop()
  }
}
