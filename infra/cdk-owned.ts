import { CfnResource, Stack, Validations } from 'aws-cdk-lib'
import { CfnFunction } from 'aws-cdk-lib/aws-lambda'
import { LogGroup } from 'aws-cdk-lib/aws-logs'
import type { IConstruct } from 'constructs'
import type { StageSettings } from './stage.ts'

/**
 * A construct CDK adds to a stack by itself (custom-resource providers shared by the stack), found
 * by the id CDK gives it. Throws when it is missing, so a change in how CDK builds it is noticed
 * instead of leaving an acknowledgement that no longer applies.
 */
export function cdkOwned(scope: IConstruct, idPrefix: string): IConstruct {
  const stack = Stack.of(scope)
  const found = stack.node.children.find((c) => c.node.id.startsWith(idPrefix))
  if (!found) throw new Error(`${idPrefix} not found in ${stack.stackName}: CDK changed how it is built`)
  return found
}

const BASIC_EXECUTION =
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]'

/**
 * CDK's bucket auto-delete handler (dev stage only): it empties a bucket when its stack is deleted,
 * so `cdk destroy` removes a disposable stage whole. Its runtime and role are CDK's.
 */
export function acknowledgeAutoDelete(scope: IConstruct) {
  const why = 'CDK-provided handler that empties dev buckets on `cdk destroy`; it runs only during deploys.'
  Validations.of(cdkOwned(scope, 'Custom::S3AutoDeleteObjectsCustomResourceProvider')).acknowledge(
    { id: BASIC_EXECUTION, reason: `${why} The managed policy only lets it write its own logs.` },
    { id: 'AwsSolutions-L1', reason: `${why} CDK picks and updates its runtime.` },
  )
}

/**
 * Gives every Lambda function CDK adds by itself (bucket notifications, auto-delete, portal
 * deployment) a log group of ours with the stage's retention: left alone, Lambda would create
 * `/aws/lambda/<name>` on first run with no expiry, a log group nobody set a retention on. Run
 * after the stack's constructs exist; JiefenFunction's own log groups are already set.
 */
export function boundCdkFunctionLogs(stack: Stack, settings: StageSettings) {
  for (const construct of stack.node.findAll()) {
    if (!(construct instanceof CfnResource) || construct.cfnResourceType !== 'AWS::Lambda::Function') continue
    if (construct instanceof CfnFunction && construct.loggingConfig) continue
    const scope = construct.node.scope ?? stack
    const logs = new LogGroup(scope, `${construct.node.id}Logs`, {
      retention: settings.logRetention,
      removalPolicy: settings.removalPolicy,
    })
    construct.addPropertyOverride('LoggingConfig.LogGroup', logs.logGroupName)
  }
}
