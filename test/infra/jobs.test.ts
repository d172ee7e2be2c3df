import type { CfnElement } from 'aws-cdk-lib'
import type { Template } from 'aws-cdk-lib/assertions'
import type { Construct } from 'constructs'
import { beforeAll, describe, expect, it } from 'vitest'
import { synthesize, templateOf, unacknowledgedFindings } from './synth.ts'

let built: ReturnType<typeof synthesize>
let template: Template

beforeAll(() => {
  built = synthesize()
  template = templateOf(built.api)
})

type Statement = { Action: string | string[]; Resource: unknown; Effect: string; Condition?: unknown }

const logicalId = (scope: Construct) => built.api.getLogicalId(scope.node.defaultChild as CfnElement)
const getAtt = (scope: Construct) => ({ 'Fn::GetAtt': [logicalId(scope), 'Arn'] })
const resource = (scope: Construct) => template.toJSON().Resources[logicalId(scope)]
const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action])
/** Every statement of every IAM policy attached to a role. */
const statements = (role: Construct): Statement[] =>
  Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: logicalId(role) }]))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[])
const schedule = () => resource(built.api.jobs.schedule)

describe('the scheduled job', () => {
  it('runs on Node 22 on ARM64, one run at a time, within five minutes and 512 MB', () => {
    expect(resource(built.api.jobs.fn).Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      TracingConfig: { Mode: 'Active' },
      ReservedConcurrentExecutions: 1,
      Timeout: 300,
      MemorySize: 512,
    })
  })

  it('gets the settings functions/config.ts requires, the bucket name included', () => {
    const vars = resource(built.api.jobs.fn).Properties.Environment.Variables
    expect(vars).toEqual({
      JIEFEN_MODE: 'aws',
      TABLE_NAME: expect.anything(),
      JIEFEN_SECRET_ARN: expect.anything(),
      EVIDENCE_BUCKET: expect.anything(),
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_METRICS_NAMESPACE: 'Jiefen/test',
    })
    const dataId = built.data.getLogicalId(built.data.evidenceBucket.node.defaultChild as CfnElement)
    expect(JSON.stringify(vars.EVIDENCE_BUCKET)).toContain(`Ref${dataId}`)
  })

  it('gives up on a run that is older than the interval, and records it in the dead-letter queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: logicalId(built.api.jobs.fn) },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 900,
    })
    expect(resource(built.api.jobs.fn).Properties.DeadLetterConfig).toEqual({
      TargetArn: getAtt(built.api.jobs.deadLetters),
    })
  })

  describe('schedule', () => {
    it('is the only schedule, every 15 minutes on the dot, and enabled', () => {
      template.resourceCountIs('AWS::Scheduler::Schedule', 1)
      expect(schedule().Properties).toMatchObject({
        ScheduleExpression: 'rate(15 minutes)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        State: 'ENABLED',
      })
    })

    it('targets the jobs function, through its own role, with bounded retries and a dead-letter queue', () => {
      expect(schedule().Properties.Target).toEqual({
        Arn: getAtt(built.api.jobs.fn),
        RoleArn: getAtt(built.api.jobs.schedulerRole),
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 900 },
        DeadLetterConfig: { Arn: getAtt(built.api.jobs.deadLetters) },
      })
    })

    it('lives in a group of its own, the only group the role trusts', () => {
      const group = schedule().Properties.GroupName
      const groups = template.findResources('AWS::Scheduler::ScheduleGroup')
      expect(Object.keys(groups)).toHaveLength(1)
      const [groupId, groupResource] = Object.entries(groups)[0]!
      expect(group).toEqual(groupResource.Properties.Name)

      expect(resource(built.api.jobs.schedulerRole).Properties.AssumeRolePolicyDocument.Statement).toEqual([
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: {
            StringEquals: {
              'aws:SourceAccount': { Ref: 'AWS::AccountId' },
              'aws:SourceArn': { 'Fn::GetAtt': [groupId, 'Arn'] },
            },
          },
        },
      ])
    })

    it('lets its role invoke the jobs function alone (no versions, no other function) and write failures', () => {
      const role = built.api.jobs.schedulerRole
      expect(resource(role).Properties.ManagedPolicyArns).toBeUndefined()
      const granted = statements(role).map((s) => ({
        actions: actions(s),
        resource: s.Resource,
        effect: s.Effect,
      }))
      expect(granted).toEqual(
        expect.arrayContaining([
          { actions: ['lambda:InvokeFunction'], resource: getAtt(built.api.jobs.fn), effect: 'Allow' },
          { actions: ['sqs:SendMessage'], resource: getAtt(built.api.jobs.deadLetters), effect: 'Allow' },
        ]),
      )
      expect(granted).toHaveLength(2)
      // Nothing else in the stack hands this role more (no second policy naming it).
      const roleRefs = JSON.stringify(template.toJSON().Resources).split(`{"Ref":"${logicalId(role)}"}`)
      expect(roleRefs).toHaveLength(2)
    })

    it('needs no resource policy on the function: the role is what lets Scheduler invoke it', () => {
      const permissions = Object.values(template.findResources('AWS::Lambda::Permission'))
      const onJobs = permissions.filter(
        (p) => JSON.stringify(p.Properties.FunctionName) === JSON.stringify(getAtt(built.api.jobs.fn)),
      )
      expect(onJobs).toEqual([])
    })
  })

  describe('dead-letter queue', () => {
    it('is encrypted and refuses anything but TLS', () => {
      const queue = resource(built.api.jobs.deadLetters).Properties
      expect(queue.SqsManagedSseEnabled).toBe(true)
      expect(queue.MessageRetentionPeriod).toBe(14 * 86400)
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: logicalId(built.api.jobs.deadLetters) }],
        PolicyDocument: {
          Statement: [
            {
              Effect: 'Deny',
              Action: 'sqs:*',
              Principal: { AWS: '*' },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              Resource: getAtt(built.api.jobs.deadLetters),
            },
          ],
        },
      })
    })
  })

  describe('grants', () => {
    const jobsActions = () => [...new Set(statements(built.api.jobs.fn.role!).flatMap(actions))]

    it('may read and write the table (never Scan), read the secret and send SMS', () => {
      expect(jobsActions()).toEqual(
        expect.arrayContaining([
          'dynamodb:GetItem',
          'dynamodb:Query',
          'dynamodb:UpdateItem',
          'dynamodb:PutItem',
          'secretsmanager:GetSecretValue',
          'sns:Publish',
        ]),
      )
      expect(jobsActions()).not.toContain('dynamodb:Scan')
    })

    it('has no access to evidence: no S3 action, no use of the key through S3', () => {
      expect(jobsActions().filter((a) => a.startsWith('s3:'))).toEqual([])
      const viaS3 = statements(built.api.jobs.fn.role!).filter((s) =>
        JSON.stringify(s.Condition ?? '').includes('"s3.'),
      )
      expect(viaS3).toEqual([])
      const all = JSON.stringify(statements(built.api.jobs.fn.role!))
      expect(all).not.toContain(built.data.evidenceBucketArnExport)
    })

    it('may write to its dead-letter queue and to nothing else outside table, secret, SMS and tracing', () => {
      const others = jobsActions().filter(
        (a) => !/^(dynamodb|kms|secretsmanager|xray):/.test(a) && a !== 'sns:Publish',
      )
      expect(others).toEqual(['sqs:SendMessage'])
      const sqs = statements(built.api.jobs.fn.role!).filter((s) => actions(s).includes('sqs:SendMessage'))
      expect(sqs.map((s) => s.Resource)).toEqual([getAtt(built.api.jobs.deadLetters)])
    })
  })

  it('leaves no AwsSolutions finding in the API stack unfixed or unexplained', () => {
    expect(unacknowledgedFindings(built.app, built.api)).toEqual([])
  })
})

describe('PUBLIC_URL', () => {
  it('is given to the API and the job when the portal address is known', () => {
    const { api } = synthesize({ publicUrl: 'https://jiefen.example.cn' })
    const t = templateOf(api).toJSON().Resources
    for (const fn of [api.fn, api.jobs.fn]) {
      const id = api.getLogicalId(fn.node.defaultChild as CfnElement)
      expect(t[id].Properties.Environment.Variables.PUBLIC_URL, fn.node.path).toBe(
        'https://jiefen.example.cn',
      )
    }
  })

  it('refuses anything but a bare https origin, since SMS links are PUBLIC_URL + "/cases/…"', () => {
    for (const bad of [
      'http://jiefen.example.cn',
      'https://jiefen.example.cn/',
      'https://x.cn/portal',
      'jiefen.cn',
    ]) {
      expect(() => synthesize({ publicUrl: bad }), bad).toThrow(/publicUrl must be an https origin/)
    }
  })
})
