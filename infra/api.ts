import { Annotations, CfnOutput, Duration, Fn, Stack, type StackProps, Validations } from 'aws-cdk-lib'
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway'
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2'
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations'
import type { ITable } from 'aws-cdk-lib/aws-dynamodb'
import { PolicyStatement } from 'aws-cdk-lib/aws-iam'
import { LogGroup } from 'aws-cdk-lib/aws-logs'
import { Bucket, EventType, type IBucket } from 'aws-cdk-lib/aws-s3'
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications'
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager'
import type { Construct } from 'constructs'
import { AGREEMENT_FONT_FILE, FONT_MODULE } from '../functions/adapters/agreement-font.ts'
import { cdkOwned } from './cdk-owned.ts'
import { acknowledgeFunctionRole, JiefenFunction } from './function.ts'
import { ScheduledJobs } from './jobs.ts'
import { Monitoring } from './monitoring.ts'
import { stageSettings } from './stage.ts'

export interface ApiStackProps extends StackProps {
  stage: string
  table: ITable
  secret: ISecret
  /** The data stack's evidence bucket (KMS-encrypted with the data key). */
  evidenceBucket: IBucket
  /** The data stack's export of that bucket's ARN (see DataStack.evidenceBucketArnExport). */
  evidenceBucketArnExport: string
  /**
   * The portal's https origin (PUBLIC_URL), for the links in SMS. Not taken from the web stack's
   * distribution: that stack depends on this one (the API is its origin), so naming its domain here
   * would be a cycle. See BuildOptions.publicUrl.
   */
  publicUrl?: string
  /** The data stack's LiveKit secret ({"apiKey","apiSecret"}, set by the operator). */
  liveKitSecret: ISecret
  /** What CloudFront sends in `x-jiefen-origin` (the data stack's origin secret). */
  originSecret: ISecret
  /** `wss://…` where browsers reach LiveKit; without it the API answers video routes "not configured". */
  liveKitUrl?: string
  /** An address for alarm e-mails (it must confirm the subscription SNS sends it). */
  alarmEmail?: string
}

/**
 * The API: one Lambda running the Hono app behind an HTTP API. Only CloudFront calls it in
 * practice (the portal and `/api/*` share one origin, so no CORS is configured here at all).
 * Also the evidence verifier, the Lambda that S3 calls when a browser's upload lands, and the
 * scheduled job (infra/jobs.ts).
 */
export class ApiStack extends Stack {
  readonly api: HttpApi
  readonly fn: JiefenFunction
  /** Verifies each evidence upload when S3 reports it. */
  readonly verifier: JiefenFunction
  /** The scheduled job (reminders, no-response closing, overdue marks) and its schedule. */
  readonly jobs: ScheduledJobs
  /** The API's own host name, CloudFront's origin for `/api/*`. */
  readonly apiDomain: string
  /** Alarms, their topic and the dashboard. */
  readonly monitoring: Monitoring

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props)
    const settings = stageSettings(props.stage)
    // Declared before any grant: KMS grants then go into this stack's role policy instead of the
    // data key's policy, which would make the data stack depend on this one (a cycle).
    this.addStackDependency(Stack.of(props.table), 'the API reads and writes the table')

    // The bucket as this stack sees it: notifications and their Lambda permission are then made
    // here, not in the data stack (which would then refer to this stack's function: a cycle). A
    // notification set on an imported bucket is unmanaged: removing this stack takes away only
    // its own notification and leaves the bucket and anything else configured on it alone. The
    // ARN comes from the data stack's named export (see DataStack.evidenceBucketArnExport).
    const evidence = Bucket.fromBucketAttributes(this, 'EvidenceBucket', {
      bucketArn: Fn.importValue(props.evidenceBucketArnExport),
      bucketName: props.evidenceBucket.bucketName,
      encryptionKey: props.evidenceBucket.encryptionKey,
    })

    // The API presigns uploads (its role signs the POST policy, so it needs PutObject on uploads),
    // presigns views of verified files, and verifies too when the browser reports an upload done.
    this.fn = new JiefenFunction(this, 'Api', {
      stage: props.stage,
      withVideo: true,
      withPdf: true,
      entry: 'functions/handlers/api.ts',
      description: `Jiefen ${props.stage}: HTTP API (Hono)`,
      environment: {
        JIEFEN_MODE: 'aws',
        AGREEMENT_FONT_PATH: `/var/task/${AGREEMENT_FONT_FILE}`,
        ...(props.publicUrl ? { PUBLIC_URL: props.publicUrl } : {}),
      },
      reservedConcurrentExecutions: settings.apiReservedConcurrency,
      // The agreement PDF's CJK font (10 MB) rides beside the bundle and is read only when an
      // agreement is signed, so it adds to the package but not to a cold start.
      files: { [AGREEMENT_FONT_FILE]: `node_modules/${FONT_MODULE}` },
    })
      .bindTable(props.table)
      .bindSecret(props.secret)
      .bindEvidence(evidence, {
        read: ['upload', 'verified', 'agreement'],
        write: ['upload', 'verified', 'agreement'],
      })
      .bindLiveKit(props.liveKitSecret, props.liveKitUrl)
      .bindOriginSecret(props.originSecret)

    // Sign-in codes go out as SMS straight to a phone number. A direct-to-phone publish has no
    // topic ARN to name, so IAM only accepts "*" here.
    this.fn.addToRolePolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] }))
    acknowledgeFunctionRole(this.fn, {
      arnExport: props.evidenceBucketArnExport,
      star: 'Two actions need "*": X-Ray PutTraceSegments/PutTelemetryRecords have no resource-level permissions, and sns:Publish to a phone number has no ARN to name.',
      objects: {
        upload:
          "Evidence uploads only (cases/<case id>/evidence/<evidence id>/upload): the API signs the browser's POST for exactly one such key, and reads the upload back to verify it.",
        verified:
          'Checked evidence only (cases/<case id>/evidence/<evidence id>/verified): the API writes the checked copy when it verifies, and signs view links to it after its own access check.',
        agreement:
          'Signed agreement PDFs only (cases/<case id>/agreement/<code>.pdf): the API writes one when the last signature is given and reads it back for the parties after its own access check.',
      },
    })

    this.verifier = this.evidenceVerifier(props, evidence)

    // Here rather than in a stack of its own: it uses the same table and secret as the API, and
    // like the API it only refers to the data stack, so no new dependency between stacks appears.
    this.jobs = new ScheduledJobs(this, 'Jobs', {
      stage: props.stage,
      table: props.table,
      secret: props.secret,
      evidenceBucketName: props.evidenceBucket.bucketName,
      publicUrl: props.publicUrl,
    })
    if (!props.publicUrl) {
      Annotations.of(this).addWarningV2(
        'jiefen:publicUrlMissing',
        'PUBLIC_URL is not set, so links in SMS will be bare paths (/cases/…). Deploy again with -c publicUrl=https://<the SiteUrl output>.',
      )
    }

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: settings.logRetention,
      removalPolicy: settings.removalPolicy,
    })

    this.api = new HttpApi(this, 'Http', {
      apiName: `jiefen-${props.stage}`,
      description: `Jiefen ${props.stage} API, reached through CloudFront at /api/*`,
      // The stage is made below so it can carry throttling and access logs.
      createDefaultStage: false,
    })
    this.apiDomain = `${this.api.apiId}.execute-api.${this.region}.${this.urlSuffix}`
    // One catch-all route: every /api/* path, the LiveKit webhook (POST /api/livekit/webhook)
    // included, reaches the Hono app, which routes it.
    const routes = this.api.addRoutes({
      path: '/api/{proxy+}',
      methods: [HttpMethod.ANY],
      integration: new HttpLambdaIntegration('App', this.fn),
    })
    new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      // A ceiling against floods and runaway clients, per stage (infra/stage.ts); the SMS
      // endpoints have their own per-phone limits in the domain and WAF limits each address at the
      // edge, this only protects the account.
      throttle: settings.apiThrottle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // HTTP API context variables (the REST API's standard formats use names it lacks). No
        // query strings or headers: they can carry phone numbers.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            method: '$context.httpMethod',
            path: '$context.path',
            routeKey: '$context.routeKey',
            status: '$context.status',
            bytes: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationLatencyMs: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    })
    for (const route of routes) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'Authorisation happens in the app: sign-in itself must be reachable anonymously, and every other route resolves the session cookie and checks role and relationship to the case (deny by default). An API Gateway authoriser could check neither.',
      })
    }

    this.monitoring = new Monitoring(this, 'Monitoring', {
      stage: props.stage,
      api: this.api,
      functions: { api: this.fn, evidence: this.verifier, jobs: this.jobs.fn },
      table: props.table,
      deadLetters: this.jobs.deadLetters,
      alarmEmail: props.alarmEmail,
    })
    // Named outputs for the operator's commands in docs/OPERATING.md.
    new CfnOutput(this, 'ApiFunctionName', { value: this.fn.functionName })
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.topic.topicArn })
    new CfnOutput(this, 'DashboardName', { value: this.monitoring.dashboard.dashboardName })
  }

  /**
   * S3 calls this function for every object created under `cases/` whose key ends in `/upload`,
   * so the checked copy it writes (`…/verified`) can never set it off again. It runs the same
   * verification as the API's complete call; whichever comes first does the work. It reads the
   * whole upload (up to 50 MB) into memory, hence the memory and timeout. S3 invokes it
   * asynchronously: a failed run is retried twice by Lambda, and the browser's complete call
   * (and the stale-claim takeover in the domain) still verifies anything it missed.
   */
  private evidenceVerifier(props: ApiStackProps, evidence: IBucket): JiefenFunction {
    const fn = new JiefenFunction(this, 'EvidenceUploaded', {
      stage: props.stage,
      entry: 'functions/handlers/evidence-uploaded.ts',
      description: `Jiefen ${props.stage}: verify evidence uploads (type, size, SHA-256, GPS removed)`,
      environment: { JIEFEN_MODE: 'aws' },
      memorySize: 1024,
      timeout: Duration.seconds(60),
      reservedConcurrentExecutions: stageSettings(props.stage).verifierReservedConcurrency,
    })
      .bindTable(props.table)
      .bindSecret(props.secret)
      .bindEvidence(evidence, { read: ['upload'], write: ['verified'] })
    evidence.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(fn), {
      prefix: 'cases/',
      suffix: '/upload',
    })
    // CDK sets bucket notifications through a small function of its own, shared by the stack.
    const notifier = cdkOwned(this, 'BucketNotificationsHandler')
    Validations.of(notifier).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        "CDK's bucket-notification handler, run only during deploys to set the evidence bucket's notification; the managed policy only lets it write its own logs (its other permissions name the evidence bucket alone).",
    })
    acknowledgeFunctionRole(fn, {
      arnExport: props.evidenceBucketArnExport,
      star: 'X-Ray PutTraceSegments/PutTelemetryRecords have no resource-level permissions.',
      objects: {
        upload:
          'Reads evidence uploads only (cases/<case id>/evidence/<evidence id>/upload), the objects whose creation invokes it.',
        verified:
          'Writes checked copies only (cases/<case id>/evidence/<evidence id>/verified); it cannot change the uploads it reads.',
      },
    })
    return fn
  }
}
