import { Duration, Stack } from 'aws-cdk-lib'
import type { ITable } from 'aws-cdk-lib/aws-dynamodb'
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam'
import {
  type IScheduleTarget,
  Schedule,
  ScheduleExpression,
  ScheduleGroup,
  TimeWindow,
} from 'aws-cdk-lib/aws-scheduler'
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager'
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs'
import { Construct } from 'constructs'
import { acknowledgeFunctionRole, JiefenFunction } from './function.ts'

export interface ScheduledJobsProps {
  stage: string
  table: ITable
  secret: ISecret
  /**
   * The evidence bucket's name, passed only because functions/config.ts requires EVIDENCE_BUCKET of
   * every function. The job never reads or writes evidence, so no access to it is granted.
   */
  evidenceBucketName: string
  /** The portal's https origin, for the links in the reminder SMS (PUBLIC_URL). */
  publicUrl?: string
}

/** How often the job runs; reminders and overdue marks are at day granularity, so this is plenty. */
export const JOBS_RATE = Duration.minutes(15)

/**
 * The scheduled job (functions/handlers/jobs.ts): consent reminders, closing cases the respondent
 * never answered, overdue marks. EventBridge Scheduler invokes it every 15 minutes through a role
 * that may invoke this one function and nothing else.
 *
 * Failures land in one queue, from either side of the asynchronous invocation Scheduler makes:
 * Scheduler sends an event there when it cannot hand it to Lambda at all (role, permission, the
 * function missing), and Lambda sends an event there when the run itself failed every attempt or
 * waited too long to start. Nothing reads the queue: it is the record of runs that did not happen,
 * kept 14 days. A missed run is never lost work, since the next run picks up whatever is due.
 */
export class ScheduledJobs extends Construct {
  readonly fn: JiefenFunction
  readonly schedule: Schedule
  /** The role Scheduler assumes to invoke the function. */
  readonly schedulerRole: Role
  readonly deadLetters: Queue

  constructor(scope: Construct, id: string, props: ScheduledJobsProps) {
    super(scope, id)

    // Holds only the scheduler's or Lambda's own event (no case data), so the SQS-managed key is
    // enough, and neither role needs a KMS grant to write to it.
    this.deadLetters = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    })

    this.fn = new JiefenFunction(this, 'Function', {
      stage: props.stage,
      entry: 'functions/handlers/jobs.ts',
      description: `Jiefen ${props.stage}: scheduled job (consent reminders, no-response closing, overdue marks)`,
      environment: {
        JIEFEN_MODE: 'aws',
        EVIDENCE_BUCKET: props.evidenceBucketName,
        ...(props.publicUrl ? { PUBLIC_URL: props.publicUrl } : {}),
      },
      // One run walks every open case of every jurisdiction; it is small work, but it must finish
      // well inside the 15 minutes between runs, with room for a slow SMS gateway.
      timeout: Duration.minutes(5),
      memorySize: 512,
      // Never two runs at once (a Lambda retry meeting the next scheduled run, or a slow run still
      // going). Correctness does not depend on it: every change is a conditional write on the
      // case's version and the SMS goes out only after that write won, so two runs never text
      // twice. But two runs would walk the same open cases and fight case by case, each wasting
      // the other's reads and writes, and together they would draw on the account's SMS rate, which
      // sign-in codes from the API share. With the cap at 1, an invocation that arrives while a
      // run is going waits in Lambda's own queue (bounded by maxEventAge below) instead.
      reservedConcurrentExecutions: 1,
      // Scheduler invokes asynchronously, so a failed run is retried by Lambda (after about one
      // and then two minutes). An event older than the interval is not worth starting: by then the
      // next scheduled run does the same work. Either way it ends up in the dead-letter queue.
      retryAttempts: 2,
      maxEventAge: JOBS_RATE,
      deadLetterQueue: this.deadLetters,
    })
      .bindTable(props.table)
      .bindSecret(props.secret)
    // Reminders go out as SMS straight to a phone number: no topic ARN to name, so IAM only takes "*".
    this.fn.addToRolePolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] }))
    acknowledgeFunctionRole(this.fn, {
      star: 'Two actions need "*": X-Ray PutTraceSegments/PutTelemetryRecords have no resource-level permissions, and sns:Publish to a phone number (the reminder SMS) has no ARN to name.',
    })

    // A group of its own, so that the role below trusts only schedules in this group, not any
    // schedule someone may create in the account's default group.
    const group = new ScheduleGroup(this, 'Group')
    const stack = Stack.of(this)
    this.schedulerRole = new Role(this, 'SchedulerRole', {
      description: `Jiefen ${props.stage}: lets EventBridge Scheduler invoke the scheduled job, nothing else`,
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account, 'aws:SourceArn': group.scheduleGroupArn },
        },
      }),
    })
    // The unqualified ARN only, which is what the schedule invokes: not `:*` (versions and aliases),
    // which `grantInvoke` would add.
    this.schedulerRole.addToPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.fn.functionArn] }),
    )
    this.schedulerRole.addToPolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.deadLetters.queueArn] }),
    )

    // Our own target rather than aws-scheduler-targets' LambdaInvoke, which would grant `:*` too.
    const target: IScheduleTarget = {
      bind: () => ({
        arn: this.fn.functionArn,
        role: this.schedulerRole,
        // Only delivery is retried here (a run's own failure is Lambda's retry, above); a delivery
        // that has not succeeded within one interval is dropped to the queue, the next run is due.
        retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: JOBS_RATE.toSeconds() },
        deadLetterConfig: { arn: this.deadLetters.queueArn },
      }),
    }
    this.schedule = new Schedule(this, 'Schedule', {
      description: `Jiefen ${props.stage}: run the scheduled job every ${JOBS_RATE.toMinutes()} minutes`,
      schedule: ScheduleExpression.rate(JOBS_RATE),
      scheduleGroup: group,
      // On the quarter hour as scheduled; spreading the start buys nothing for one small job.
      timeWindow: TimeWindow.off(),
      target,
    })
  }
}
