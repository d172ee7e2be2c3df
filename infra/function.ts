import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Duration, Stack, Validations } from 'aws-cdk-lib'
import type { ITable } from 'aws-cdk-lib/aws-dynamodb'
import { PolicyStatement } from 'aws-cdk-lib/aws-iam'
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda'
import { NodejsFunction, type NodejsFunctionProps, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs'
import { LogGroup } from 'aws-cdk-lib/aws-logs'
import type { IBucket } from 'aws-cdk-lib/aws-s3'
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager'
import type { Construct } from 'constructs'
import { TABLE_SCHEMA } from '../functions/store/schema.ts'
import { stageSettings } from './stage.ts'

/** The repository root, found from this file so synth works from any working directory. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/**
 * The bundle is ESM (the code base is `"type": "module"` and uses top-level await), but some
 * dependencies still `require()` Node built-ins; esbuild's ESM output has no `require`, so one
 * is made from the module's own URL.
 */
export const REQUIRE_BANNER =
  "import { createRequire as __jiefenCreateRequire } from 'node:module'; const require = __jiefenCreateRequire(import.meta.url);"

/**
 * The ESM builds of packages that ship both (the AWS SDK clients' `module` field): the API bundle
 * is ~15% smaller than with their CommonJS builds. Exported so test/bench/cold-start.ts bundles
 * the handler exactly as Lambda gets it.
 */
export const HANDLER_MAIN_FIELDS = ['module', 'main'] as const

/** Where each stage's custom metrics go (functions/adapters/observability.ts reads it from the env). */
export const metricsNamespace = (stage: string) => `Jiefen/${stage}`

/**
 * The X-Ray tracer's own bundle, written beside each handler's index.mjs after esbuild bundled the
 * handler. functions/adapters/observability.ts imports `./tracer.mjs` on the first invocation:
 * aws-xray-sdk-core is large enough that merely parsing it as part of index.mjs slowed every
 * cold start of the API by ~7 ms, and importing it with the handler by ~16 ms.
 */
export const TRACER_BUNDLE = 'tracer.mjs'
/** The PDF makers' own bundle (pdf-lib, fontkit): functions/adapters/pdf-loader.ts loads it on first use. */
export const PDF_BUNDLE = 'pdf.mjs'
const pdfBundleCommand = (inputDir: string, outputDir: string) =>
  [
    `"${inputDir}/node_modules/.bin/esbuild"`,
    `"${inputDir}/functions/adapters/pdf.ts"`,
    '--bundle --platform=node --format=esm --target=node22 --minify --main-fields=module,main',
    '--log-level=warning',
    `'--banner:js=${REQUIRE_BANNER.replaceAll("'", '"')}'`,
    `"--outfile=${outputDir}/${PDF_BUNDLE}"`,
  ].join(' ')
/**
 * The S3 adapter's own bundle (the S3 client, its presigners): functions/adapters/s3-loader.ts loads
 * it on the first evidence request. Shipped with every function, since every one is wired with
 * awsDeps (functions/handlers/deps.ts).
 */
export const S3_BUNDLE = 's3.mjs'
const s3BundleCommand = (inputDir: string, outputDir: string) =>
  [
    `"${inputDir}/node_modules/.bin/esbuild"`,
    `"${inputDir}/functions/adapters/evidence-s3.ts"`,
    '--bundle --platform=node --format=esm --target=node22 --minify --main-fields=module,main',
    '--log-level=warning',
    `'--banner:js=${REQUIRE_BANNER.replaceAll("'", '"')}'`,
    `"--outfile=${outputDir}/${S3_BUNDLE}"`,
  ].join(' ')
/** livekit-server-sdk's own bundle, for the same reason (functions/adapters/livekit.ts loads it on first video use). */
export const LIVEKIT_BUNDLE = 'livekit.mjs'
const liveKitBundleCommand = (inputDir: string, outputDir: string) =>
  [
    `"${inputDir}/node_modules/.bin/esbuild"`,
    `"${inputDir}/node_modules/livekit-server-sdk/dist/index.js"`,
    '--bundle --platform=node --format=esm --target=node22 --minify --main-fields=module,main',
    '--log-level=warning',
    `'--banner:js=${REQUIRE_BANNER.replaceAll("'", '"')}'`,
    `"--outfile=${outputDir}/${LIVEKIT_BUNDLE}"`,
  ].join(' ')
const tracerBundleCommand = (inputDir: string, outputDir: string) =>
  [
    `"${inputDir}/node_modules/.bin/esbuild"`,
    `"${inputDir}/functions/adapters/tracer.ts"`,
    '--bundle --platform=node --format=esm --target=node22 --minify --main-fields=module,main',
    '--sourcemap --sources-content=false --log-level=warning',
    // The same require shim as the handler (aws-xray-sdk-core is CommonJS), in double quotes for the shell.
    `'--banner:js=${REQUIRE_BANNER.replaceAll("'", '"')}'`,
    `"--outfile=${outputDir}/${TRACER_BUNDLE}"`,
  ].join(' ')

// Item reads (GetItem also serves transactions' condition reads); no Scan, no streams.
const TABLE_READ = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
]
// TransactWriteItems is authorised per item through these same actions.
const TABLE_WRITE = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
]
const KEY_READ = ['kms:Decrypt', 'kms:DescribeKey']
const KEY_WRITE = ['kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*']
// What S3 asks KMS for on the caller's behalf: a data key to store an object, a decrypt to read one.
const EVIDENCE_KEY = ['kms:Decrypt', 'kms:GenerateDataKey']

/**
 * The two objects of one evidence item (functions/domain/evidence.ts `evidenceKeys`): what the
 * browser uploaded, and the checked copy (GPS removed) that mediators view. The wildcards stand for
 * the case id and the evidence id, the narrowest IAM can say.
 */
export const EVIDENCE_OBJECTS = {
  upload: 'cases/*/evidence/*/upload',
  verified: 'cases/*/evidence/*/verified',
  /** Signed agreement PDFs (functions/domain/agreement.ts `agreementPdfKey`): case id, file name. */
  agreement: 'cases/*/agreement/*',
} as const
export type EvidenceObject = keyof typeof EVIDENCE_OBJECTS

export interface EvidenceAccess {
  /** Objects the function may read (GetObject, also through URLs it presigns). */
  read: EvidenceObject[]
  /** Objects the function may write (PutObject, also through POST policies it presigns). */
  write: EvidenceObject[]
}

/**
 * What a function may set for itself; everything else (runtime, architecture, bundling, tracing,
 * logs) is decided once in JiefenFunction. The passed-through options are the ones an
 * asynchronously invoked function needs: a concurrency cap, its async retries and a dead-letter queue.
 */
export interface JiefenFunctionProps
  extends Pick<
    NodejsFunctionProps,
    'reservedConcurrentExecutions' | 'retryAttempts' | 'maxEventAge' | 'deadLetterQueue'
  > {
  /** The stage, which decides log retention and where metrics go (infra/stage.ts). */
  stage: string
  /** Handler file, relative to the repository root (e.g. `functions/handlers/api.ts`). */
  entry: string
  description: string
  memorySize?: number
  timeout?: Duration
  environment?: Record<string, string>
  /**
   * Files copied beside the bundle (name in /var/task → path from the repository root), for data
   * the code reads at run time rather than imports, such as the agreement PDF's font.
   */
  files?: Record<string, string>
  /** Ships `livekit.mjs` beside the handler (the API: video sessions). */
  withVideo?: boolean
  /** Ships `pdf.mjs` beside the handler (the API: agreements and monthly reports). */
  withPdf?: boolean
}

/**
 * Every Jiefen Lambda function, with the defaults decided once: Node 22 (the runtime the code and
 * the AWS SDK are tested against), ARM64 (cheaper per ms and quick to start), ESM bundled locally
 * by esbuild (no Docker on CI machines), source maps so stack traces point at the TypeScript,
 * X-Ray tracing (Lambda's own segments, Powertools' subsegments from tracer.mjs), Powertools metrics
 * in the stage's namespace, and a log group we own so retention is explicit instead of "never expire".
 */
export class JiefenFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: JiefenFunctionProps) {
    const settings = stageSettings(props.stage)
    // Logs are diagnostics, not records (the audit trail lives in the table), but the law asks
    // for them for a while: kept for the stage's retention, and outlive the stack outside dev.
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: settings.logRetention,
      removalPolicy: settings.removalPolicy,
    })
    super(scope, id, {
      entry: resolve(REPO_ROOT, props.entry),
      depsLockFilePath: resolve(REPO_ROOT, 'package-lock.json'),
      projectRoot: REPO_ROOT,
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      logGroup,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      retryAttempts: props.retryAttempts,
      maxEventAge: props.maxEventAge,
      deadLetterQueue: props.deadLetterQueue,
      environment: {
        // Without this flag Node ignores the bundled source map.
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_METRICS_NAMESPACE: metricsNamespace(props.stage),
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        platform: 'node',
        mainFields: [...HANDLER_MAIN_FIELDS],
        banner: REQUIRE_BANNER,
        minify: true,
        sourceMap: true,
        // Stack traces need only the mappings; the sources themselves would double the upload.
        sourcesContent: false,
        // The AWS SDK is bundled rather than taken from the runtime, so Lambda runs the exact
        // versions in package-lock.json that the tests ran, not whatever the runtime ships.
        bundleAwsSDK: true,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir, outputDir) => [
            tracerBundleCommand(inputDir, outputDir),
            s3BundleCommand(inputDir, outputDir),
            ...(props.withVideo ? [liveKitBundleCommand(inputDir, outputDir)] : []),
            ...(props.withPdf ? [pdfBundleCommand(inputDir, outputDir)] : []),
            ...Object.entries(props.files ?? {}).map(
              ([name, from]) => `cp "${resolve(REPO_ROOT, from)}" "${outputDir}/${name}"`,
            ),
          ],
        },
      },
    })
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node 22 is pinned on purpose: it is the runtime the code, the AWS SDK and the tests are checked against; moving to a newer runtime is a deliberate upgrade, not a drift.',
    })
  }

  /**
   * Lets the function use the table and tells it which one, in one step, so a function can never
   * have the name without the permission or the permission without the name. Narrower than
   * `table.grantReadWriteData`: the indexes are named rather than `index/*`, and Scan is not
   * granted at all, since no request path may scan.
   */
  bindTable(table: ITable, access: 'read' | 'readWrite' = 'readWrite'): this {
    const actions = access === 'read' ? TABLE_READ : [...TABLE_READ, ...TABLE_WRITE]
    this.addToRolePolicy(
      new PolicyStatement({
        actions,
        resources: [
          table.tableArn,
          ...TABLE_SCHEMA.indexes.map((index) => `${table.tableArn}/index/${index.name}`),
        ],
      }),
    )
    // The same key actions CDK's own table grants use; DynamoDB calls KMS on the caller's behalf.
    table.encryptionKey?.grant(this, ...(access === 'read' ? KEY_READ : [...KEY_READ, ...KEY_WRITE]))
    Validations.of(this.role!).acknowledge(
      ...(access === 'read'
        ? []
        : [
            {
              id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
              reason:
                'Scoped to the table key alone; DynamoDB asks for whichever GenerateDataKey variant it needs when writing, the same actions CDK grants for tables.',
            },
            {
              id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
              reason:
                'Scoped to the table key alone; ReEncryptFrom/To are what DynamoDB needs when the table key rotates, the same actions CDK grants for tables.',
            },
          ]),
    )
    this.addEnvironment('TABLE_NAME', table.tableName)
    return this
  }

  /**
   * Read access to a secret plus its ARN; the handler fetches it once per cold start. Granted in
   * the role only: `secret.grantRead` would also add this role to the data key's policy, making the
   * data stack depend on every stack with a function (a cycle). The key's default policy already
   * delegates to IAM, and the condition keeps the key usable only through Secrets Manager.
   */
  bindSecret(secret: ISecret): this {
    this.grantSecretRead(secret)
    this.addEnvironment('JIEFEN_SECRET_ARN', secret.secretArn)
    return this
  }

  /**
   * LiveKit for video (issue 5): where clients connect (`LIVEKIT_URL`, only when the stage has
   * one: without it the API answers the video routes "video not configured") and the secret with
   * the API key pair (`LIVEKIT_SECRET_ARN`), read the same way as the HMAC secret.
   */
  bindLiveKit(secret: ISecret, url?: string): this {
    this.grantSecretRead(secret)
    this.addEnvironment('LIVEKIT_SECRET_ARN', secret.secretArn)
    if (url) this.addEnvironment('LIVEKIT_URL', url)
    return this
  }

  /** The value CloudFront adds as `x-jiefen-origin` (`ORIGIN_SECRET_ARN`), read on first need. */
  bindOriginSecret(secret: ISecret): this {
    this.grantSecretRead(secret)
    this.addEnvironment('ORIGIN_SECRET_ARN', secret.secretArn)
    return this
  }

  private grantSecretRead(secret: ISecret) {
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        resources: [secret.secretArn],
      }),
    )
    if (secret.encryptionKey) {
      this.addToRolePolicy(
        new PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: [secret.encryptionKey.keyArn],
          conditions: {
            StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com` },
          },
        }),
      )
    }
  }

  /**
   * Object-level access to the evidence bucket, per key pattern, plus its name. Never ListBucket
   * or DeleteObject: a function handles one item's known keys, and evidence is never deleted.
   * Presigned URLs and POST policies act with the signing role's permissions, so the API needs
   * PutObject on uploads for the browser's POST to be accepted. KMS is granted in the role (the
   * data key's policy delegates to IAM) and only through S3.
   */
  bindEvidence(bucket: IBucket, access: EvidenceAccess): this {
    const objects = (which: EvidenceObject[]) => which.map((o) => bucket.arnForObjects(EVIDENCE_OBJECTS[o]))
    if (access.read.length > 0) {
      this.addToRolePolicy(
        new PolicyStatement({ actions: ['s3:GetObject'], resources: objects(access.read) }),
      )
    }
    if (access.write.length > 0) {
      this.addToRolePolicy(
        new PolicyStatement({ actions: ['s3:PutObject'], resources: objects(access.write) }),
      )
    }
    if (bucket.encryptionKey) {
      // The same service name CDK's own S3 key grants use (also in aws-cn).
      this.addToRolePolicy(
        new PolicyStatement({
          actions: EVIDENCE_KEY,
          resources: [bucket.encryptionKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` } },
        }),
      )
    }
    this.addEnvironment('EVIDENCE_BUCKET', bucket.bucketName)
    return this
  }
}

/**
 * The findings on a Lambda role that CDK's grants and ours produce by design, explained once here
 * so every function built the same way carries the same reasons; `star` says why this function
 * needs "*", and `objects` why it was given each evidence key pattern (the ARN spelled through
 * `arnExport`, the data stack's export of the evidence bucket's ARN).
 */
export function acknowledgeFunctionRole(
  fn: JiefenFunction,
  why: {
    star: string
    objects?: Partial<Record<EvidenceObject, string>>
    arnExport?: string
  },
) {
  const objects = Object.entries(why.objects ?? {})
  if (objects.length > 0 && !why.arnExport) throw new Error('evidence objects need the bucket ARN export')
  Validations.of(fn.role!).acknowledge(
    {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        "AWS's basic execution policy only allows writing the function's own CloudWatch logs; a hand-written copy would say the same and drift.",
    },
    { id: 'AwsSolutions-IAM5[Resource::*]', reason: why.star },
    ...objects.map(([object, reason]) => ({
      id: `AwsSolutions-IAM5[Resource::${nagObjectArn(why.arnExport!, EVIDENCE_OBJECTS[object as EvidenceObject])}]`,
      reason: `${reason} The two wildcards stand for the case id and the evidence id; IAM has no narrower way to say it.`,
    })),
  )
}

/** Evidence objects' ARN as cdk-nag prints it: an Fn::ImportValue becomes the export's name. */
const nagObjectArn = (arnExport: string, pattern: string) => `${arnExport}/${pattern}`
