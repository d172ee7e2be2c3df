import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { App, type Stack } from 'aws-cdk-lib'
import { Template } from 'aws-cdk-lib/assertions'
import { AwsSolutionsChecks } from 'cdk-nag'
import { REPO_ROOT } from '../../infra/function.ts'
import { type BuildOptions, buildApp } from '../../infra/stacks.ts'

/** The feature flags `cdk synth` runs with, so the tests check the same templates. */
const CDK_CONTEXT = JSON.parse(readFileSync(resolve(REPO_ROOT, 'cdk.json'), 'utf8')).context as Record<
  string,
  unknown
>

export interface SynthOptions extends Partial<BuildOptions> {
  /** Run esbuild for the Lambda code; off by default because only the API tests look at the bundle. */
  bundle?: boolean
}

/** Builds the stacks for stage `test` into a fresh App, exactly as infra/app.ts does for the CLI. */
export function synthesize(options: SynthOptions = {}) {
  const { bundle = false, ...build } = options
  const app = new App({
    context: {
      ...CDK_CONTEXT,
      // An empty list tells NodejsFunction to skip esbuild and use a placeholder asset.
      ...(bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
    },
  })
  const stacks = buildApp(app, { stage: 'test', webDist: null, ...build })
  return { app, ...stacks }
}

export const templateOf = (stack: Stack) => Template.fromStack(stack)

/**
 * AwsSolutions findings left in a stack after its acknowledgements, as `rule @ resource` lines
 * so a failure says what to fix.
 */
export function unacknowledgedFindings(app: App, stack: Stack): string[] {
  const report = new AwsSolutionsChecks(app).validateScope(stack)
  return report.violations.flatMap((v) =>
    v.violatingResources.map((r) => `${v.ruleName} @ ${r.constructPath ?? r.resourceLogicalId}`),
  )
}
