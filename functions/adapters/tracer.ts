/**
 * The entry of the tracer's own bundle (`tracer.mjs`, built beside each function's `index.mjs` by
 * infra/function.ts). Kept out of the handler bundle: aws-xray-sdk-core is large, and even unused
 * code in the bundle is parsed on every cold start. observability.ts loads it on first invocation.
 */
export { Tracer } from '@aws-lambda-powertools/tracer'
