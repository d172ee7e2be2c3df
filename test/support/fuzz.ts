import fc from 'fast-check'

/**
 * Throws malformed, oversized, wrongly typed and hostile input at every operation in the OpenAPI
 * document, as each kind of caller. The answer must never be a 5xx, and never show a stack trace
 * or internal error text. Used by `npm run proof` (many runs) and by the integration suite (few).
 */
export interface FuzzRequest {
  method: string
  path: string
  /** Raw body text (may be invalid JSON on purpose). */
  body?: string
  contentType?: string
}
export type FuzzSend = (req: FuzzRequest) => Promise<{ status: number; text: string }>

const HOSTILE = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "' OR '1'='1' --",
  '1; DROP TABLE cases',
  '{"$ne": null}',
  '{"$gt": ""}',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  'file.pdf\u0000.exe',
  '\u202egpj.exe',
  'a\u200b\u200bb',
  '𠜎𠜱𠝹𠱓',
  '__proto__',
  'constructor',
  '${7*7}',
  '{{7*7}}',
  '\r\nSet-Cookie: x=1',
  'null',
  '',
  ' ',
  '13800138000',
  '-1',
  '1e308',
]

const hostileString = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.string({ maxLength: 50 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.integer({ min: 1000, max: 70_000 }).map((n) => 'x'.repeat(n)),
)

const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(hostileString, fc.constantFrom('__proto__', 'constructor', 'toString')),
      tie('value'),
      {
        maxKeys: 4,
      },
    ),
  ),
})).value

/** A body that looks like what the schema wants, with some values swapped for hostile ones. */
function fromSchema(schema: Record<string, unknown> | undefined, doc: OpenApi): fc.Arbitrary<unknown> {
  const s = resolveRef(schema, doc)
  if (!s) return hostileValue
  const props = s.properties as Record<string, Record<string, unknown>> | undefined
  if (props) {
    const entries = Object.entries(props).map(
      ([k, v]) => [k, fc.oneof(hostileValue, fromSchema(v, doc))] as const,
    )
    return fc.record(Object.fromEntries(entries), { requiredKeys: [] })
  }
  const union = (s.oneOf ?? s.anyOf) as Record<string, unknown>[] | undefined
  if (union?.length) return fc.oneof(...union.map((u) => fromSchema(u, doc)))
  if (Array.isArray(s.enum)) return fc.oneof(fc.constantFrom(...(s.enum as unknown[])), hostileValue)
  return hostileValue
}

interface OpenApi {
  paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: unknown }> } }>>
  components?: { schemas?: Record<string, unknown> }
}

function resolveRef(schema: unknown, doc: OpenApi): Record<string, unknown> | undefined {
  const s = schema as Record<string, unknown> | undefined
  if (s?.$ref && typeof s.$ref === 'string')
    return doc.components?.schemas?.[s.$ref.split('/').at(-1) ?? ''] as never
  return s
}

const ULID_LIKE = fc.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/)
const pathParam = fc.oneof(
  ULID_LIKE,
  fc.constantFrom(...HOSTILE.filter((h) => h && !h.includes('/'))),
  fc.string(),
)

/** Leaks the server must never show: stack frames, source paths, raw exception names. */
const TRACE =
  /(\bat\s+\S+\s+\(|\.ts:\d+|node_modules|TypeError|ReferenceError|SyntaxError: Unexpected|Exception\b|"stack")/

export async function fuzzRoutes(options: {
  doc: OpenApi
  runsPerRoute: number
  senders: Record<string, FuzzSend>
  seed?: number
}) {
  const seed = options.seed ?? Date.now() % 1_000_000
  const serverErrors: string[] = []
  const traces: string[] = []
  let requests = 0
  let routes = 0
  const senders = Object.values(options.senders)
  for (const [template, ops] of Object.entries(options.doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      routes++
      const schema = op.requestBody?.content?.['application/json']?.schema as
        | Record<string, unknown>
        | undefined
      const body = fc.oneof(
        fromSchema(schema, options.doc).map((v) => ({
          text: JSON.stringify(v) ?? 'null',
          type: 'application/json',
        })),
        hostileValue.map((v) => ({ text: JSON.stringify(v) ?? 'null', type: 'application/json' })),
        fc
          .constantFrom('{', '{"a":', '[1,2', 'not json', '\u0000')
          .map((text) => ({ text, type: 'application/json' })),
        hostileString.map((text) => ({ text, type: 'text/plain' })),
      )
      const query = fc.dictionary(
        fc.constantFrom('scope', 'skill', 'language', 'status', 'phone', 'q'),
        hostileString,
        {
          maxKeys: 2,
        },
      )
      await fc.assert(
        fc.asyncProperty(
          fc.nat({ max: senders.length - 1 }),
          fc.array(pathParam, { minLength: 2, maxLength: 2 }),
          body,
          query,
          async (who, params, b, q) => {
            let i = 0
            const path = template.replace(/\{[^}]+\}/g, () => encodeURIComponent(params[i++ % 2] ?? ''))
            const qs = new URLSearchParams(q as Record<string, string>).toString()
            const send = senders[who] as FuzzSend
            const upper = method.toUpperCase()
            const res = await send({
              method: upper,
              path: qs ? `${path}?${qs}` : path,
              ...(upper === 'GET' ? {} : { body: b.text, contentType: b.type }),
            })
            requests++
            if (res.status >= 500 && res.status !== 503)
              serverErrors.push(`${upper} ${template} → ${res.status} ${res.text.slice(0, 120)}`)
            if (TRACE.test(res.text)) traces.push(`${upper} ${template}: ${res.text.slice(0, 160)}`)
            return true
          },
        ),
        { numRuns: options.runsPerRoute, seed },
      )
    }
  }
  return { seed, requests, routes, serverErrors, traces }
}
