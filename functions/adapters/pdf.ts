/** Everything that makes PDFs (pdf-lib, fontkit): one module, bundled on its own for Lambda as pdf.mjs. */
export { agreementPdf } from './agreement-pdf.ts'
export { renderReportPdf } from './report-pdf.ts'
