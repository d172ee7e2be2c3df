/**
 * Loads the PDF makers on first use. In Lambda they are their own bundle beside the handler
 * (infra/function.ts builds `pdf.mjs`): pdf-lib and fontkit are about 1.4 MB of code, and merely
 * parsing them inside the handler's bundle slowed every cold start of the API by ~40 ms. Elsewhere
 * the TypeScript module. Variables, so the bundler leaves both imports alone.
 */
export const PDF_BUNDLE = './pdf.mjs'
const PDF_SOURCE = './pdf.ts'
type PdfModule = typeof import('./pdf.ts')

let loaded: Promise<PdfModule> | undefined
export function loadPdf(): Promise<PdfModule> {
  loaded ??= import(process.env.AWS_LAMBDA_FUNCTION_NAME ? PDF_BUNDLE : PDF_SOURCE) as Promise<PdfModule>
  return loaded
}
