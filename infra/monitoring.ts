import { Duration, Stack } from 'aws-cdk-lib'
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2'
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  SingleValueWidget,
  Stats,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch'
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions'
import type { ITable } from 'aws-cdk-lib/aws-dynamodb'
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam'
import { Key } from 'aws-cdk-lib/aws-kms'
import type { IFunction } from 'aws-cdk-lib/aws-lambda'
import { Topic } from 'aws-cdk-lib/aws-sns'
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions'
import type { IQueue } from 'aws-cdk-lib/aws-sqs'
import { Construct } from 'constructs'
import { METRIC, SERVICE_DIMENSION } from '../functions/adapters/observability.ts'
import { metricsNamespace } from './function.ts'
import { stageSettings } from './stage.ts'

export interface MonitoringProps {
  stage: string
  api: HttpApi
  /** The functions to watch, by the service name each passes to telemetry() in its handler. */
  functions: { api: IFunction; evidence: IFunction; jobs: IFunction }
  table: ITable
  /** The scheduled job's dead-letter queue: any message there is a run that did not happen. */
  deadLetters: IQueue
  /** Subscribed to the alarm topic when given (`-c alarmEmail=…`); it must confirm the subscription. */
  alarmEmail?: string
}

/**
 * Thresholds, named so docs/OPERATING.md and the tests can quote them. Periods are five minutes:
 * short enough to page within a quarter hour, long enough that one slow request does not.
 */
export const ALARM = {
  /** Share of API answers that are 5xx, in percent, with at least `minRequests` requests. */
  serverErrorRate: { percent: 5, minRequests: 10, periods: 3 },
  /** API Gateway latency (whole request, Lambda included), milliseconds. */
  latencyP95Ms: 1000,
  latencyP99Ms: 3000,
} as const

const FIVE_MINUTES = Duration.minutes(5)

/**
 * Alarms, their topic and the dashboard for one stage. Every alarm notifies the topic when it goes
 * into ALARM and again when it recovers (OK), so whoever is on call also hears the all-clear.
 */
export class Monitoring extends Construct {
  readonly topic: Topic
  readonly dashboard: Dashboard
  /** Every alarm by a short name (the name docs/OPERATING.md lists). */
  readonly alarms: Record<string, Alarm> = {}

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id)
    const stack = Stack.of(this)

    // CloudWatch cannot publish to a topic encrypted with the AWS-managed SNS key, so the topic has
    // its own key whose policy lets CloudWatch use it (and nothing else outside the account).
    const key = new Key(this, 'TopicKey', {
      description: `Jiefen ${props.stage}: alarm topic`,
      enableKeyRotation: true,
      pendingWindow: Duration.days(7),
      removalPolicy: stageSettings(props.stage).removalPolicy,
    })
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*')
    this.topic = new Topic(this, 'Alarms', {
      displayName: `Jiefen ${props.stage} alarms`,
      masterKey: key,
      enforceSSL: true,
    })
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail))

    const apiRequests = props.api.metricCount({ period: FIVE_MINUTES, statistic: Stats.SUM })
    const api5xx = props.api.metricServerError({ period: FIVE_MINUTES, statistic: Stats.SUM })
    const rate = ALARM.serverErrorRate
    this.alarm('Api5xxRate', {
      description: `More than ${rate.percent} % of API answers were 5xx (with at least ${rate.minRequests} requests) in ${rate.periods} five-minute periods in a row.`,
      metric: new MathExpression({
        label: 'API 5xx rate (%)',
        expression: `IF(requests >= ${rate.minRequests}, 100 * errors / requests, 0)`,
        usingMetrics: { requests: apiRequests, errors: api5xx },
        period: FIVE_MINUTES,
      }),
      threshold: rate.percent,
      evaluationPeriods: rate.periods,
    })
    const latency = (stat: string) =>
      props.api.metricLatency({ period: FIVE_MINUTES, statistic: stat, label: `API latency ${stat}` })
    this.alarm('ApiLatencyP95', {
      description: `API latency p95 above ${ALARM.latencyP95Ms} ms for 15 minutes.`,
      metric: latency(Stats.p(95)),
      threshold: ALARM.latencyP95Ms,
      evaluationPeriods: 3,
    })
    this.alarm('ApiLatencyP99', {
      description: `API latency p99 above ${ALARM.latencyP99Ms} ms for 15 minutes.`,
      metric: latency(Stats.p(99)),
      threshold: ALARM.latencyP99Ms,
      evaluationPeriods: 3,
    })

    for (const [name, fn] of Object.entries(props.functions)) {
      const title = name[0]!.toUpperCase() + name.slice(1)
      // The API answers every error it can catch itself (500 with a log line); a Lambda error
      // means a crash, a timeout or running out of memory, so a single one is worth a look.
      this.alarm(`${title}Errors`, {
        description: `The ${name} function failed (crash, timeout or out of memory) at least once in five minutes.`,
        metric: fn.metricErrors({ period: FIVE_MINUTES, statistic: Stats.SUM }),
        threshold: 1,
        evaluationPeriods: 1,
      })
      this.alarm(`${title}Throttles`, {
        description: `The ${name} function was throttled (reserved concurrency or the account limit reached).`,
        metric: fn.metricThrottles({ period: FIVE_MINUTES, statistic: Stats.SUM }),
        threshold: 1,
        evaluationPeriods: 1,
      })
    }

    this.alarm('JobsDeadLetters', {
      description:
        'A scheduled job run failed every attempt or could not be delivered; its event is in the dead-letter queue.',
      metric: props.deadLetters.metricApproximateNumberOfMessagesVisible({
        period: FIVE_MINUTES,
        statistic: Stats.MAXIMUM,
      }),
      threshold: 1,
      evaluationPeriods: 1,
    })

    const tableMetric = (metricName: string) =>
      props.table.metric(metricName, { period: FIVE_MINUTES, statistic: Stats.SUM })
    this.alarm('TableThrottles', {
      description:
        'DynamoDB throttled reads or writes on the case table (on-demand capacity outgrown by a sudden spike, or a hot key).',
      metric: new MathExpression({
        label: 'Throttle events',
        expression: 'reads + writes',
        usingMetrics: {
          reads: tableMetric('ReadThrottleEvents'),
          writes: tableMetric('WriteThrottleEvents'),
        },
        period: FIVE_MINUTES,
      }),
      threshold: 1,
      evaluationPeriods: 1,
    })

    const namespace = metricsNamespace(props.stage)
    const custom = (metricName: string, service: keyof MonitoringProps['functions']) =>
      new Metric({
        namespace,
        metricName,
        dimensionsMap: { [SERVICE_DIMENSION]: service },
        period: FIVE_MINUTES,
        statistic: Stats.SUM,
      })

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `Jiefen-${props.stage}`,
      defaultInterval: Duration.hours(6),
    })
    const fns = Object.entries(props.functions)
    const perFunction = (label: string, m: (fn: IFunction) => IMetric) =>
      new GraphWidget({ title: label, width: 8, left: fns.map(([, fn]) => m(fn)) })
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# Jiefen ${props.stage}\nWhat each alarm means and what to do: docs/OPERATING.md. Region ${stack.region}.`,
        width: 24,
        height: 2,
      }),
    )
    this.dashboard.addWidgets(
      new AlarmStatusWidget({ title: 'Alarms', alarms: Object.values(this.alarms), width: 24, height: 4 }),
    )
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'API requests and errors',
        width: 8,
        left: [
          apiRequests,
          props.api.metricClientError({ period: FIVE_MINUTES, statistic: Stats.SUM }),
          api5xx,
        ],
      }),
      new GraphWidget({
        title: 'API latency',
        width: 8,
        left: [latency(Stats.p(50)), latency(Stats.p(95)), latency(Stats.p(99))],
      }),
      new SingleValueWidget({
        title: 'Cases filed, app 5xx',
        width: 8,
        metrics: [custom(METRIC.caseCreated, 'api'), custom(METRIC.serverError, 'api')],
      }),
    )
    this.dashboard.addWidgets(
      perFunction('Lambda errors', (fn) => fn.metricErrors({ period: FIVE_MINUTES })),
      perFunction('Lambda throttles', (fn) => fn.metricThrottles({ period: FIVE_MINUTES })),
      perFunction('Lambda duration p95', (fn) =>
        fn.metricDuration({ period: FIVE_MINUTES, statistic: Stats.p(95) }),
      ),
    )
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'DynamoDB consumed capacity',
        width: 8,
        left: [tableMetric('ConsumedReadCapacityUnits'), tableMetric('ConsumedWriteCapacityUnits')],
      }),
      new GraphWidget({
        title: 'DynamoDB throttles and errors',
        width: 8,
        left: [
          tableMetric('ReadThrottleEvents'),
          tableMetric('WriteThrottleEvents'),
          tableMetric('SystemErrors'),
        ],
      }),
      new GraphWidget({
        title: 'Evidence and scheduled job',
        width: 8,
        left: [
          custom(METRIC.evidenceVerified, 'evidence'),
          custom(METRIC.evidenceRejected, 'evidence'),
          custom(METRIC.jobReminders, 'jobs'),
          custom(METRIC.jobClosedNoResponse, 'jobs'),
          custom(METRIC.jobMarkedOverdue, 'jobs'),
          custom(METRIC.jobFollowUpsSent, 'jobs'),
          custom(METRIC.jobReferralsChased, 'jobs'),
        ],
        right: [
          props.deadLetters.metricApproximateNumberOfMessagesVisible({
            period: FIVE_MINUTES,
            statistic: Stats.MAXIMUM,
            label: 'Job dead letters',
          }),
        ],
      }),
    )
  }

  private alarm(
    name: string,
    props: { description: string; metric: IMetric; threshold: number; evaluationPeriods: number },
  ) {
    const alarm = new Alarm(this, name, {
      alarmDescription: `${props.description} See docs/OPERATING.md, "${name}".`,
      metric: props.metric,
      threshold: props.threshold,
      evaluationPeriods: props.evaluationPeriods,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // No traffic is not an outage signal here: a quiet night must not page anyone.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    })
    alarm.addAlarmAction(new SnsAction(this.topic))
    alarm.addOkAction(new SnsAction(this.topic))
    this.alarms[name] = alarm
    return alarm
  }
}
