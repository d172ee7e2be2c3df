import { afterEach, describe, expect, it } from 'vitest'
import { MissingJavaError, startDynamoLocal } from '../../infra/local/dynamodb-local.ts'

const path = process.env.PATH
afterEach(() => {
  process.env.PATH = path
})

describe('local start-up without Java', () => {
  it('says Java is missing and how to install it, instead of a stack trace', async () => {
    process.env.PATH = '/nonexistent'
    const started = startDynamoLocal()
    await expect(started).rejects.toBeInstanceOf(MissingJavaError)
    await expect(started).rejects.toThrow(/apt-get install -y openjdk-17-jre-headless/)
  })
})
