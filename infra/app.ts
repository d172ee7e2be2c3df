import { App, Validations } from 'aws-cdk-lib'
import { AwsSolutionsChecks } from 'cdk-nag'
import { buildApp } from './stacks.ts'

/**
 * `npx cdk synth|deploy --all -c stage=dev|prod [-c siteOrigin=https://…] [-c publicUrl=https://…]
 * [-c livekitUrl=wss://…] [-c alarmEmail=ops@…] [-c webAclArn=arn:aws:wafv2:us-east-1:…] [-c webDist=…]`.
 * docs/OPERATING.md explains each. `dev` is disposable, every other stage keeps its data (infra/stage.ts).
 * `publicUrl` is the portal's address for links in SMS (see BuildOptions.publicUrl); without it, a
 * `siteOrigin` that names one host serves as it too. The region is the one the CLI resolves
 * (CDK_DEFAULT_REGION from the profile or AWS_REGION); without credentials the stacks are
 * environment-agnostic, which is enough to synthesise offline.
 */
const app = new App()
const stage = String(app.node.tryGetContext('stage') ?? 'dev')
const siteOrigin = app.node.tryGetContext('siteOrigin') as string | undefined
const publicUrl =
  (app.node.tryGetContext('publicUrl') as string | undefined) ??
  (siteOrigin && !siteOrigin.includes('*') ? siteOrigin : undefined)
// The built portal to upload; web/dist when it exists, skipped otherwise.
const webDist = app.node.tryGetContext('webDist') as string | undefined
const liveKitUrl = app.node.tryGetContext('livekitUrl') as string | undefined
const alarmEmail = app.node.tryGetContext('alarmEmail') as string | undefined
const webAclArn = app.node.tryGetContext('webAclArn') as string | undefined

buildApp(app, {
  stage,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  ...(siteOrigin ? { siteOrigins: [siteOrigin] } : {}),
  ...(publicUrl ? { publicUrl } : {}),
  ...(webDist ? { webDist } : {}),
  ...(liveKitUrl ? { liveKitUrl } : {}),
  ...(alarmEmail ? { alarmEmail } : {}),
  ...(webAclArn ? { webAclArn } : {}),
})

// Synthesis fails on any AwsSolutions finding that is neither fixed nor acknowledged with a reason.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app))
app.synth()
