import { ArnFormat, Stack, type StackProps } from 'aws-cdk-lib'
import { LogGroup } from 'aws-cdk-lib/aws-logs'
import { CfnLoggingConfiguration, CfnWebACL } from 'aws-cdk-lib/aws-wafv2'
import type { Construct } from 'constructs'
import { type StageSettings, stageSettings } from './stage.ts'

export interface EdgeStackProps extends StackProps {
  stage: string
}

/** The region CloudFront-scope WAF resources must be created in (AWS WAF developer guide). */
export const CLOUDFRONT_WAF_REGION = 'us-east-1'

/** Paths whose abuse costs money or guesses secrets: sign-in codes by SMS, passwords, TOTP. */
export const AUTH_PATH_PREFIX = '/api/auth/'

/** WAF's rate-based rules count over this window; the limits in infra/stage.ts are per window. */
const RATE_WINDOW_SECONDS = 300

/**
 * The CloudFront web ACL, in us-east-1 because WAF only accepts CLOUDFRONT-scope web ACLs there.
 * A stack of its own so the rest of the app stays in the region its data lives in; the web stack
 * reads the ACL's ARN through CDK's cross-region references (an SSM parameter in us-east-1 that a
 * small custom resource in the web stack's region reads at deploy time).
 *
 * Rules, cheapest first: per-address rate limits (a tighter one on sign-in), then AWS's free
 * managed groups: IP reputation, known bad inputs, the common rule set. Blocks answer 429 (rate)
 * or 403 (managed rules); the app's own per-phone OTP limits still apply behind all of this.
 */
export class EdgeStack extends Stack {
  readonly webAcl: CfnWebACL

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props)
    const settings = stageSettings(props.stage)
    const metricPrefix = `jiefen-${props.stage}`
    const visibility = (name: string): CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName: `${metricPrefix}-${name}`,
      sampledRequestsEnabled: true,
    })

    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      name: `jiefen-${props.stage}`,
      description: `Jiefen ${props.stage}: rate limits and AWS managed rules in front of CloudFront`,
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('all'),
      customResponseBodies: {
        'too-many': {
          contentType: 'APPLICATION_JSON',
          // The same error shape the API answers with; the portal shows its own text for the code.
          content: JSON.stringify({ error: { code: 'request.rate_limited', message: 'Too many requests' } }),
        },
      },
      rules: [
        rateRule('RateLimitAuth', 0, settings.wafRateLimits.auth, visibility('rate-auth'), {
          byteMatchStatement: {
            fieldToMatch: { uriPath: {} },
            positionalConstraint: 'STARTS_WITH',
            searchString: AUTH_PATH_PREFIX,
            textTransformations: [{ priority: 0, type: 'LOWERCASE' }],
          },
        }),
        rateRule('RateLimitAll', 1, settings.wafRateLimits.all, visibility('rate-all')),
        managedRule('AWSManagedRulesAmazonIpReputationList', 2, visibility('ip-reputation')),
        managedRule('AWSManagedRulesKnownBadInputsRuleSet', 3, visibility('bad-inputs')),
        // The common rule set blocks bodies over 8 KB; a case description in Chinese can pass
        // that, and the app refuses anything over 64 KB itself. That one rule only counts.
        managedRule('AWSManagedRulesCommonRuleSet', 4, visibility('common'), ['SizeRestrictions_BODY']),
      ],
    })

    this.logBlocked(props.stage, settings)
  }

  /**
   * Logs only what WAF blocked or counted (allowed requests are the API's access logs' business),
   * with cookies, the authorization header and query strings redacted: a session cookie in a log
   * line would be a live credential. The name prefix `aws-waf-logs-` is WAF's requirement.
   */
  private logBlocked(stage: string, settings: StageSettings) {
    const logGroupName = `aws-waf-logs-jiefen-${stage}`
    new LogGroup(this, 'WafLogs', {
      logGroupName,
      retention: settings.logRetention,
      removalPolicy: settings.removalPolicy,
    })
    const logGroupArn = this.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: logGroupName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    })
    const logging = new CfnLoggingConfiguration(this, 'WafLogging', {
      resourceArn: this.webAcl.attrArn,
      // WAF wants the log group's ARN without the trailing ":*" that LogGroup.logGroupArn has.
      logDestinationConfigs: [logGroupArn],
      redactedFields: [
        { singleHeader: { Name: 'cookie' } },
        { singleHeader: { Name: 'authorization' } },
        { queryString: {} },
      ],
      loggingFilter: {
        DefaultBehavior: 'DROP',
        Filters: [
          {
            Behavior: 'KEEP',
            Requirement: 'MEETS_ANY',
            Conditions: [{ ActionCondition: { Action: 'BLOCK' } }, { ActionCondition: { Action: 'COUNT' } }],
          },
        ],
      },
    })
    logging.node.addDependency(this.node.findChild('WafLogs'))
  }
}

function rateRule(
  name: string,
  priority: number,
  limit: number,
  visibilityConfig: CfnWebACL.VisibilityConfigProperty,
  scopeDownStatement?: CfnWebACL.StatementProperty,
): CfnWebACL.RuleProperty {
  return {
    name,
    priority,
    statement: {
      rateBasedStatement: {
        limit,
        evaluationWindowSec: RATE_WINDOW_SECONDS,
        aggregateKeyType: 'IP',
        ...(scopeDownStatement ? { scopeDownStatement } : {}),
      },
    },
    action: {
      block: {
        // No Retry-After: WAF prefixes custom header names with x-amzn-waf-, so it would not be one.
        customResponse: { responseCode: 429, customResponseBodyKey: 'too-many' },
      },
    },
    visibilityConfig,
  }
}

function managedRule(
  name: string,
  priority: number,
  visibilityConfig: CfnWebACL.VisibilityConfigProperty,
  countOnly: string[] = [],
): CfnWebACL.RuleProperty {
  return {
    name,
    priority,
    statement: {
      managedRuleGroupStatement: {
        vendorName: 'AWS',
        name,
        ...(countOnly.length > 0
          ? { ruleActionOverrides: countOnly.map((rule) => ({ name: rule, actionToUse: { count: {} } })) }
          : {}),
      },
    },
    overrideAction: { none: {} },
    visibilityConfig,
  }
}
