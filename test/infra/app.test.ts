import { App, Stack, Validations } from 'aws-cdk-lib'
import { Bucket } from 'aws-cdk-lib/aws-s3'
import { AwsSolutionsChecks } from 'cdk-nag'
import { describe, expect, it } from 'vitest'
import { buildApp } from '../../infra/stacks.ts'
import { synthesize, unacknowledgedFindings } from './synth.ts'

describe('the CDK app', () => {
  it('names one stack per concern after the stage', () => {
    const { data, api, web } = synthesize({ stage: 'staging' })
    expect([data.stackName, api.stackName, web.stackName]).toEqual([
      'Jiefen-staging-Data',
      'Jiefen-staging-Api',
      'Jiefen-staging-Web',
    ])
  })

  it('deploys data before the API and the API before the web front', () => {
    const { app, data, api, web } = synthesize()
    const assembly = app.synth()
    const dependsOn = (name: string) => assembly.getStackByName(name).dependencies.map((d) => d.id)
    expect(dependsOn(api.stackName)).toContain(data.artifactId)
    expect(dependsOn(web.stackName)).toContain(api.artifactId)
  })

  it('keeps that order with the portal address given to the API (no stack refers back to a later one)', () => {
    const { app, data, api, web } = synthesize({ publicUrl: 'https://jiefen.example.cn' })
    const assembly = app.synth()
    const dependsOn = (name: string) => assembly.getStackByName(name).dependencies.map((d) => d.id)
    expect(dependsOn(data.stackName)).not.toContain(api.artifactId)
    expect(dependsOn(data.stackName)).not.toContain(web.artifactId)
    expect(dependsOn(api.stackName)).not.toContain(web.artifactId)
    expect(dependsOn(web.stackName)).toContain(api.artifactId)
  })

  it('refuses a stage name that cannot be part of resource names', () => {
    expect(() => buildApp(new App(), { stage: 'Prod_1', webDist: null })).toThrow(/stage must match/)
  })

  it('synthesises with the cdk-nag plugin registered, as `cdk synth` does', () => {
    const { app } = synthesize()
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app))
    expect(() => app.synth()).not.toThrow()
  })

  it('reports a finding nobody acknowledged (the checks are live, not vacuous)', () => {
    const app = new App()
    const stack = new Stack(app, 'Bare')
    new Bucket(stack, 'Unlogged')
    expect(unacknowledgedFindings(app, stack)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^AwsSolutions-S1 @ Bare\/Unlogged/)]),
    )
  })
})
