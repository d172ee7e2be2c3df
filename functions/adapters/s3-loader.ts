/**
 * Loads the S3 adapter on first use. In Lambda it is its own bundle beside the handler
 * (infra/function.ts builds `s3.mjs`): the S3 client and its presigners are about 300 KB of code,
 * and merely parsing them inside the API's bundle cost every cold start ~11% (test/bench/results.md),
 * while most requests never touch evidence. Elsewhere the TypeScript module. Variables, so the
 * bundler leaves both imports alone.
 */
export const S3_BUNDLE = './s3.mjs'
const S3_SOURCE = './evidence-s3.ts'
type S3Module = typeof import('./evidence-s3.ts')

let loaded: Promise<S3Module> | undefined
export function loadS3(): Promise<S3Module> {
  loaded ??= import(process.env.AWS_LAMBDA_FUNCTION_NAME ? S3_BUNDLE : S3_SOURCE) as Promise<S3Module>
  return loaded
}
