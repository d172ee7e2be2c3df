import { RemovalPolicy } from 'aws-cdk-lib'
import { RetentionDays } from 'aws-cdk-lib/aws-logs'

/**
 * What differs between stages, decided in one place. `dev` is disposable: a `cdk destroy` removes
 * it whole. Every other stage name (`prod`, `staging`, `test`, …) gets the production settings, so a
 * mistyped or new stage is never silently the one that may lose data.
 */
export interface StageSettings {
  /** Removal policy for everything that stores something: table, buckets, keys, secrets, logs. */
  removalPolicy: RemovalPolicy
  /** Buckets are emptied on delete only where the stage is disposable (CDK's auto-delete handler). */
  autoDeleteObjects: boolean
  /** DynamoDB deletion protection: a console click or API call cannot drop the table either. */
  deletionProtection: boolean
  /** Every log group's retention. */
  logRetention: RetentionDays
  /** HTTP API default-route throttling: steady requests per second and burst, account protection. */
  apiThrottle: { rateLimit: number; burstLimit: number }
  /**
   * Concurrency reserved for the API function: guaranteed capacity that a burst of evidence uploads
   * or any other function in the account cannot take away. Undefined = draw from the shared pool
   * (a new account may have only 10 in total, too few to reserve from).
   */
  apiReservedConcurrency?: number
  /**
   * A ceiling for the evidence verifier: an upload flood queues up in Lambda's async queue (retried
   * for hours) instead of taking the API's concurrency and the table's capacity.
   */
  verifierReservedConcurrency?: number
  /** WAF rate limits per client IP per 5 minutes: every request, and the sign-in / code routes. */
  wafRateLimits: { all: number; auth: number }
}

const PRODUCTION: StageSettings = {
  removalPolicy: RemovalPolicy.RETAIN,
  autoDeleteObjects: false,
  deletionProtection: true,
  // China's Cybersecurity Law (art. 21) asks operators to keep network logs at least six months.
  logRetention: RetentionDays.SIX_MONTHS,
  apiThrottle: { rateLimit: 200, burstLimit: 400 },
  apiReservedConcurrency: 100,
  verifierReservedConcurrency: 20,
  // A citizen's whole visit is a few dozen requests; a mediator's working hour a few hundred. A
  // police station or a hospital behind one NAT address still fits well under 2,000 in 5 minutes.
  wafRateLimits: { all: 2000, auth: 100 },
}

const DEV: StageSettings = {
  removalPolicy: RemovalPolicy.DESTROY,
  autoDeleteObjects: true,
  deletionProtection: false,
  logRetention: RetentionDays.TWO_WEEKS,
  apiThrottle: { rateLimit: 50, burstLimit: 100 },
  apiReservedConcurrency: undefined,
  verifierReservedConcurrency: 5,
  wafRateLimits: { all: 1000, auth: 100 },
}

export const isDisposable = (stage: string) => stage === 'dev'

export function stageSettings(stage: string): StageSettings {
  return isDisposable(stage) ? DEV : PRODUCTION
}
