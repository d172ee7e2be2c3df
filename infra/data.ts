import { CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib'
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb'
import { Key } from 'aws-cdk-lib/aws-kms'
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  HttpMethods,
  type IBucket,
  ObjectOwnership,
  StorageClass,
} from 'aws-cdk-lib/aws-s3'
import { Secret } from 'aws-cdk-lib/aws-secretsmanager'
import type { Construct } from 'constructs'
import { TABLE_SCHEMA } from '../functions/store/schema.ts'
import { acknowledgeAutoDelete } from './cdk-owned.ts'
import { stageSettings } from './stage.ts'

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
 * encrypts both, and the secrets. Kept apart from compute so the API can be torn down and
 * redeployed freely while the data stays put: every resource here is retained on delete, except in
 * the disposable `dev` stage (infra/stage.ts), where `cdk destroy` removes it all.
 */
export class DataStack extends Stack {
  readonly table: Table
  readonly evidenceBucket: Bucket
  /** The export holding the evidence bucket's ARN, for IAM statements in other stacks. */
  readonly evidenceBucketArnExport: string
  readonly secret: Secret
  /** LiveKit API key and secret as JSON {"apiKey","apiSecret"}, set by the operator (docs/OPERATING.md). */
  readonly liveKitSecret: Secret
  /**
   * What CloudFront puts in every request it sends to the API (`x-jiefen-origin`), so the API can
   * tell them from calls made to API Gateway directly and believe CloudFront's viewer address.
   */
  readonly originSecret: Secret
  readonly key: Key

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props)
    const settings = stageSettings(props.stage)
    const removalPolicy = settings.removalPolicy

    // One customer-managed key so that who may read case data is decided by our key policy and
    // shows up in CloudTrail, not only by IAM; rotated yearly.
    this.key = new Key(this, 'DataKey', {
      description: `Jiefen ${props.stage}: case table, evidence and secrets`,
      enableKeyRotation: true,
      // In dev the key is scheduled for deletion with the stack, after the shortest wait KMS allows.
      pendingWindow: Duration.days(7),
      removalPolicy,
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
      // Restores to any second of the last 35 days, in every stage (docs/OPERATING.md).
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: 35 },
      // Cases are legal records: neither a stray `cdk destroy` nor a console click may drop them.
      deletionProtection: settings.deletionProtection,
      removalPolicy,
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
      removalPolicy,
      autoDeleteObjects: settings.autoDeleteObjects,
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
      // Browsers upload with a presigned POST and view files through presigned GET URLs, both
      // straight from the portal. The signatures, not CORS, are what authorise a request; CORS
      // only lets the portal's own scripts read the answers, so it names the portal alone.
      cors: [
        {
          allowedMethods: [HttpMethods.POST, HttpMethods.GET],
          allowedOrigins: props.siteOrigins,
          allowedHeaders: ['*'],
          exposedHeaders: ['ETag', 'Location'],
          maxAge: 3000,
        },
      ],
      lifecycleRules: [
        // A multipart upload the browser never finished is invisible but billed; one day is far
        // longer than any presigned upload stays valid.
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        // Current objects never expire: evidence is the record. Older versions only exist when a
        // key was written again (an upload re-sent while its POST policy was still valid, a
        // verification re-run after a crash); the table's SHA-256 always names the current one.
        // They are kept a year so an overwrite can still be looked into, in the cheaper
        // infrequent-access class after 30 days (available in every region, China included), and
        // then removed: old copies of citizens' files are personal data with no further use.
        {
          id: 'old-versions',
          noncurrentVersionTransitions: [
            { storageClass: StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) },
          ],
          noncurrentVersionExpiration: Duration.days(365),
        },
      ],
      removalPolicy,
      autoDeleteObjects: settings.autoDeleteObjects,
    })
    if (settings.autoDeleteObjects) acknowledgeAutoDelete(this)

    // IAM statements in the API stack name evidence objects through this named export rather than
    // a CDK cross-stack reference, whose rendering changes during synthesis: cdk-nag then reports
    // their key patterns the same way every time, so they can be acknowledged exactly. The ARN of
    // a retained bucket never changes, so the export's lock on it costs nothing.
    this.evidenceBucketArnExport = `${this.stackName}-EvidenceBucketArn`
    new CfnOutput(this, 'EvidenceBucketArn', {
      description: "The evidence bucket, for the API stack's IAM statements and notifications",
      value: this.evidenceBucket.bucketArn,
      exportName: this.evidenceBucketArnExport,
    })

    // The HMAC key that turns phone numbers into table keys and hashes one-time codes.
    this.secret = new Secret(this, 'Secret', {
      description: `Jiefen ${props.stage}: HMAC key for phone keys and one-time code hashes`,
      encryptionKey: this.key,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy,
    })
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Not rotated automatically: citizen records are keyed by an HMAC of the phone number under this key, so a rotation without re-keying the table would orphan every citizen. Rotation needs a planned migration.',
    })

    // LiveKit's API key and secret, issued by LiveKit (Cloud project or our own server's config),
    // not by us: the stack creates the secret with a placeholder and the operator puts the real
    // pair in after deploying (docs/OPERATING.md). An empty apiKey means "not set yet". Kept here
    // with the other secrets so redeploying or removing the API stack never loses it.
    this.liveKitSecret = new Secret(this, 'LiveKitSecret', {
      description: `Jiefen ${props.stage}: LiveKit API key and secret, JSON {"apiKey","apiSecret"}; set by the operator`,
      encryptionKey: this.key,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ apiKey: '' }),
        generateStringKey: 'apiSecret',
        excludePunctuation: true,
      },
      removalPolicy,
    })
    // Not encrypted with the data key: CloudFormation resolves it into the distribution's origin
    // header, and it protects no data, only the per-address limits' trust in CloudFront's header.
    this.originSecret = new Secret(this, 'OriginSecret', {
      description: `Jiefen ${props.stage}: value CloudFront sends in x-jiefen-origin to the API`,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy,
    })
    Validations.of(this.originSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Not rotated by Secrets Manager: the value lives in the CloudFront distribution too, so a rotation is a redeploy of the web stack (docs/OPERATING.md); until both agree the API only falls back to API Gateway’s source address.',
    })
    // Named outputs for the operator's commands in docs/OPERATING.md.
    new CfnOutput(this, 'TableName', { value: this.table.tableName })
    new CfnOutput(this, 'EvidenceBucketName', { value: this.evidenceBucket.bucketName })
    new CfnOutput(this, 'SecretArn', { value: this.secret.secretArn })
    new CfnOutput(this, 'LiveKitSecretArn', { value: this.liveKitSecret.secretArn })
    Validations.of(this.liveKitSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Not rotated by Secrets Manager: the key pair is issued by LiveKit, which Secrets Manager cannot ask for a new one. Rotation is a documented manual step (docs/OPERATING.md): issue a new pair in LiveKit, put it here, new tokens use it within one cold start.',
    })
  }
}

/**
 * The origin browsers reach the evidence bucket at: presigned POST uploads and GET links point at
 * the bucket's regional host, which the portal's CSP must allow. functions/handlers/api.ts derives
 * the same origin from EVIDENCE_BUCKET and AWS_REGION for the API's own responses.
 */
export const evidenceOrigin = (bucket: IBucket) => `https://${bucket.bucketRegionalDomainName}`
