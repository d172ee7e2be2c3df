import { Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib'
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb'
import { Key } from 'aws-cdk-lib/aws-kms'
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods, ObjectOwnership } from 'aws-cdk-lib/aws-s3'
import { Secret } from 'aws-cdk-lib/aws-secretsmanager'
import type { Construct } from 'constructs'
import { TABLE_SCHEMA } from '../functions/store/schema.ts'

export interface DataStackProps extends StackProps {
  stage: string
  /**
   * Origins the portal is served from; browsers upload evidence straight to the bucket from them.
   * The CloudFront host name is only known after the web stack exists (which depends on this one),
   * so it comes in from outside.
   */
  siteOrigins: string[]
}

/**
 * Everything that holds the mediation record: the one table, the evidence bucket and the key that
 * encrypts both. Kept apart from compute so the API can be torn down and redeployed freely while
 * the data stays put (every resource here is retained on delete).
 */
export class DataStack extends Stack {
  readonly table: Table
  readonly evidenceBucket: Bucket
  readonly secret: Secret
  readonly key: Key

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props)

    // One customer-managed key so that who may read case data is decided by our key policy and
    // shows up in CloudTrail, not only by IAM; rotated yearly.
    this.key = new Key(this, 'DataKey', {
      description: `Jiefen ${props.stage}: case table, evidence and secrets`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    })

    // The single table; its shape comes from functions/store/schema.ts, the same definition local
    // start-up and the integration tests create DynamoDB Local's table from.
    const stringKey = (name: string) => ({ name, type: AttributeType.STRING })
    this.table = new Table(this, 'Table', {
      partitionKey: stringKey(TABLE_SCHEMA.partitionKey),
      sortKey: stringKey(TABLE_SCHEMA.sortKey),
      timeToLiveAttribute: TABLE_SCHEMA.ttlAttribute,
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // Cases are legal records: neither a stray `cdk destroy` nor a console click may drop them.
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    })
    for (const index of TABLE_SCHEMA.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: stringKey(index.partitionKey),
        sortKey: stringKey(index.sortKey),
        projectionType: ProjectionType.ALL,
      })
    }

    // S3 server access logs cannot be written to a KMS-encrypted bucket, hence S3-managed keys.
    const accessLogs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(400) }],
      removalPolicy: RemovalPolicy.RETAIN,
    })
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket receives the evidence bucket access logs; logging it too would only log the logging.',
    })

    // Evidence: citizens' photos and documents. Private and versioned, so an overwrite can never
    // silently replace what a mediator has already seen.
    this.evidenceBucket = new Bucket(this, 'Evidence', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      // Fewer KMS calls per object: the per-request KMS cost of uploads and downloads stays small.
      bucketKeyEnabled: true,
      enforceSSL: true,
      versioned: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'evidence/',
      // Browsers upload with a presigned POST straight from the portal. The POST policy, not CORS,
      // is what authorises an upload; CORS only lets the portal read the answer.
      cors: [
        {
          allowedMethods: [HttpMethods.POST],
          allowedOrigins: props.siteOrigins,
          allowedHeaders: ['*'],
          exposedHeaders: ['ETag', 'Location'],
          maxAge: 3000,
        },
      ],
      lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      removalPolicy: RemovalPolicy.RETAIN,
    })

    // The HMAC key that turns phone numbers into table keys and hashes one-time codes.
    this.secret = new Secret(this, 'Secret', {
      description: `Jiefen ${props.stage}: HMAC key for phone keys and one-time code hashes`,
      encryptionKey: this.key,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    })
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Not rotated automatically: citizen records are keyed by an HMAC of the phone number under this key, so a rotation without re-keying the table would orphan every citizen. Rotation needs a planned migration.',
    })
  }
}
