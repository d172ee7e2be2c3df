import { Match, type Template } from 'aws-cdk-lib/assertions'
import { beforeAll, describe, expect, it } from 'vitest'
import { TABLE_SCHEMA } from '../../functions/store/schema.ts'
import { synthesize, templateOf, unacknowledgedFindings } from './synth.ts'

let built: ReturnType<typeof synthesize>
let template: Template

beforeAll(() => {
  built = synthesize()
  template = templateOf(built.data)
})

const onlyResource = (type: string) => {
  const all = Object.values(template.findResources(type))
  expect(all).toHaveLength(1)
  return all[0] as { Properties: Record<string, unknown>; DeletionPolicy?: string }
}

describe('the data stack', () => {
  it('creates exactly one table, keyed as TABLE_SCHEMA says', () => {
    const table = onlyResource('AWS::DynamoDB::Table')
    expect(table.Properties.KeySchema).toEqual([
      { AttributeName: TABLE_SCHEMA.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_SCHEMA.sortKey, KeyType: 'RANGE' },
    ])
  })

  it('gives the table every global secondary index in TABLE_SCHEMA, projecting all attributes', () => {
    const table = onlyResource('AWS::DynamoDB::Table')
    const indexes = table.Properties.GlobalSecondaryIndexes as { IndexName: string }[]
    expect(indexes).toEqual(
      TABLE_SCHEMA.indexes.map((i) => ({
        IndexName: i.name,
        KeySchema: [
          { AttributeName: i.partitionKey, KeyType: 'HASH' },
          { AttributeName: i.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    )
  })

  it('declares every key attribute as a string, and nothing else', () => {
    const table = onlyResource('AWS::DynamoDB::Table')
    const names = [
      TABLE_SCHEMA.partitionKey,
      TABLE_SCHEMA.sortKey,
      ...TABLE_SCHEMA.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
    ]
    expect(table.Properties.AttributeDefinitions).toEqual(
      expect.arrayContaining(names.map((AttributeName) => ({ AttributeName, AttributeType: 'S' }))),
    )
    expect(table.Properties.AttributeDefinitions).toHaveLength(names.length)
  })

  it('expires items through the TTL attribute named in TABLE_SCHEMA', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: TABLE_SCHEMA.ttlAttribute, Enabled: true },
    })
  })

  it('bills on demand, keeps point-in-time recovery and refuses deletion', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
    })
    expect(onlyResource('AWS::DynamoDB::Table').DeletionPolicy).toBe('Retain')
  })

  it('encrypts the table with the stack’s own rotating KMS key', () => {
    const keyId = Object.keys(template.findResources('AWS::KMS::Key'))[0]
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true })
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: {
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      },
    })
  })

  it('keeps the evidence bucket private, versioned, KMS-encrypted and logged', () => {
    const keyId = Object.keys(template.findResources('AWS::KMS::Key'))[0]
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] },
            },
            BucketKeyEnabled: true,
          },
        ],
      },
      LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 'evidence/' },
    })
  })

  it('lets the portal POST uploads to and GET files from the evidence bucket, from its origins only', () => {
    const { data } = synthesize({
      siteOrigins: ['https://jiefen.example.cn', 'https://www.jiefen.example.cn'],
    })
    const evidence = templateOf(data).findResources('AWS::S3::Bucket', {
      Properties: { VersioningConfiguration: { Status: 'Enabled' } },
    })
    const rules = Object.values(evidence)[0]?.Properties.CorsConfiguration.CorsRules
    expect(rules).toEqual([
      expect.objectContaining({
        AllowedMethods: ['POST', 'GET'],
        AllowedOrigins: ['https://jiefen.example.cn', 'https://www.jiefen.example.cn'],
      }),
    ])
  })

  it('keeps evidence forever, old versions for a year, and unfinished uploads for a day', () => {
    const evidence = template.findResources('AWS::S3::Bucket', {
      Properties: { VersioningConfiguration: { Status: 'Enabled' } },
    })
    expect(Object.keys(evidence)).toHaveLength(1)
    const rules = Object.values(evidence)[0]!.Properties.LifecycleConfiguration.Rules as Record<
      string,
      unknown
    >[]
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Status: 'Enabled',
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        }),
        expect.objectContaining({
          Status: 'Enabled',
          NoncurrentVersionTransitions: [expect.objectContaining({ TransitionInDays: 30 })],
          NoncurrentVersionExpiration: { NoncurrentDays: 365 },
        }),
      ]),
    )
    // Evidence is the record: no rule may expire or move the current version of an object.
    for (const rule of rules) {
      expect(rule).not.toHaveProperty('ExpirationInDays')
      expect(rule).not.toHaveProperty('ExpirationDate')
      expect(rule).not.toHaveProperty('Transitions')
      expect(rule).not.toHaveProperty('ExpiredObjectDeleteMarker')
    }
  })

  it('exports the evidence bucket ARN under a fixed name for the API stack', () => {
    template.hasOutput('EvidenceBucketArn', {
      Export: { Name: built.data.evidenceBucketArnExport },
      Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Evidence'), 'Arn'] },
    })
    expect(built.data.evidenceBucketArnExport).toBe('Jiefen-test-Data-EvidenceBucketArn')
  })

  it('refuses plain-HTTP requests on every bucket', () => {
    const buckets = Object.keys(template.findResources('AWS::S3::Bucket'))
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy'))
    expect(buckets.length).toBeGreaterThan(0)
    for (const bucket of buckets) {
      const policy = policies.find(
        (p) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: bucket }),
      )
      expect(policy?.Properties.PolicyDocument.Statement, bucket).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      )
    }
  })

  it('blocks public access on every bucket', () => {
    for (const [id, bucket] of Object.entries(template.findResources('AWS::S3::Bucket'))) {
      expect(bucket.Properties.PublicAccessBlockConfiguration, id).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      })
      expect(bucket.Properties.BucketEncryption, id).toBeDefined()
    }
  })

  it('generates the HMAC secret, at least 32 characters, encrypted with the data key', () => {
    const keyId = Object.keys(template.findResources('AWS::KMS::Key'))[0]
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: Match.anyValue() },
      KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
    })
    const secret = Object.values(template.findResources('AWS::SecretsManager::Secret'))[0]
    expect(secret?.Properties.GenerateSecretString.PasswordLength).toBeGreaterThanOrEqual(32)
  })

  it('retains everything that holds data when the stack is deleted', () => {
    for (const type of [
      'AWS::DynamoDB::Table',
      'AWS::S3::Bucket',
      'AWS::KMS::Key',
      'AWS::SecretsManager::Secret',
    ]) {
      for (const [id, resource] of Object.entries(template.findResources(type))) {
        expect(resource.DeletionPolicy, id).toBe('Retain')
      }
    }
  })

  it('has no AwsSolutions finding left unfixed or unexplained', () => {
    expect(unacknowledgedFindings(built.app, built.data)).toEqual([])
  })
})
