import { RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib'
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway'
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2'
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations'
import type { ITable } from 'aws-cdk-lib/aws-dynamodb'
import { PolicyStatement } from 'aws-cdk-lib/aws-iam'
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs'
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager'
import type { Construct } from 'constructs'
import { JiefenFunction } from './function.ts'

export interface ApiStackProps extends StackProps {
  stage: string
  table: ITable
  secret: ISecret
}

/**
 * The API: one Lambda running the Hono app behind an HTTP API. Only CloudFront calls it in
 * practice (the portal and `/api/*` share one origin, so no CORS is configured here at all).
 */
export class ApiStack extends Stack {
  readonly api: HttpApi
  readonly fn: JiefenFunction
  /** The API's own host name, CloudFront's origin for `/api/*`. */
  readonly apiDomain: string

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props)
    // Declared before any grant: KMS grants then go into this stack's role policy instead of the
    // data key's policy, which would make the data stack depend on this one (a cycle).
    this.addStackDependency(Stack.of(props.table), 'the API reads and writes the table')

    this.fn = new JiefenFunction(this, 'Api', {
      entry: 'functions/handlers/api.ts',
      description: `Jiefen ${props.stage}: HTTP API (Hono)`,
      environment: { JIEFEN_MODE: 'aws' },
    })
      .bindTable(props.table)
      .bindSecret(props.secret)

    // Sign-in codes go out as SMS straight to a phone number. A direct-to-phone publish has no
    // topic ARN to name, so IAM only accepts "*" here.
    this.fn.addToRolePolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] }))
    acknowledgeFunctionRole(this.fn)

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    })

    this.api = new HttpApi(this, 'Http', {
      apiName: `jiefen-${props.stage}`,
      description: `Jiefen ${props.stage} API, reached through CloudFront at /api/*`,
      // The stage is made below so it can carry throttling and access logs.
      createDefaultStage: false,
    })
    this.apiDomain = `${this.api.apiId}.execute-api.${this.region}.${this.urlSuffix}`
    const routes = this.api.addRoutes({
      path: '/api/{proxy+}',
      methods: [HttpMethod.ANY],
      integration: new HttpLambdaIntegration('App', this.fn),
    })
    new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      // A ceiling against floods and runaway clients; the SMS endpoints have their own
      // per-phone limits in the domain, this only protects the account.
      throttle: { rateLimit: 200, burstLimit: 400 },
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
  }
}

/**
 * The findings on the Lambda role that CDK's grants produce by design, each explained once here so
 * every function built the same way carries the same reasons.
 */
function acknowledgeFunctionRole(fn: JiefenFunction) {
  const role = fn.role!
  Validations.of(role).acknowledge(
    {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        "AWS's basic execution policy only allows writing the function's own CloudWatch logs; a hand-written copy would say the same and drift.",
    },
    {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Two actions need "*": X-Ray PutTraceSegments/PutTelemetryRecords have no resource-level permissions, and sns:Publish to a phone number has no ARN to name.',
    },
  )
}
