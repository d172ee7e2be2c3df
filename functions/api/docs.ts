/**
 * A self-contained API reference page rendered from the OpenAPI document: no CDN scripts, so it
 * works offline and under the strict CSP.
 */
interface OpenApiDoc {
  info: { title: string; version: string; description?: string }
  paths: Record<string, object>
}
type Operation = { summary?: string; responses?: Record<string, unknown> }

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  )

export function docsPage(doc: OpenApiDoc): string {
  const rows = Object.entries(doc.paths)
    .flatMap(([path, ops]) =>
      Object.entries(ops as Record<string, Operation>).map(([method, op]) => {
        const statuses = Object.keys(op.responses ?? {}).join(' ')
        return `<tr><td><code>${method.toUpperCase()}</code></td><td><code>${escapeHtml(path)}</code></td><td>${escapeHtml(op.summary ?? '')}</td><td>${statuses}</td></tr>`
      }),
    )
    .join('\n')
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(doc.info.title)} API</title></head><body>
<h1>${escapeHtml(doc.info.title)} API ${escapeHtml(doc.info.version)}</h1>
<p>${escapeHtml(doc.info.description ?? '')}</p>
<p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a></p>
<table><thead><tr><th>Method</th><th>Path</th><th>What</th><th>Responses</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>`
}
