import { describe, expect, it } from 'vitest'
import { agreementPdf } from '../../functions/adapters/agreement-pdf.ts'
import {
  AgreementContent,
  type AgreementRecord,
  agreementTemplate,
  assertMaySign,
  canonicalJson,
  confirmationDeadline,
  idCheckChar,
  isValidIdNumber,
  maskIdNumber,
  missingSigners,
  VERIFY_CODE,
  verifyCodeFrom,
} from '../../functions/domain/agreement.ts'

const ID = '11010519491231002X' // the standard's own example

const record = (signed: AgreementRecord['signatures'][number]['role'][] = []): AgreementRecord => ({
  caseId: '01J00000000000000000000000',
  caseNumber: 'TJ-2026-000001',
  revision: 1,
  content: {
    template: 'general',
    applicant: { name: '甲', idNumber: ID },
    respondent: { name: '乙', idNumber: ID },
    facts: '双方因借款发生纠纷，经调解达成一致。',
    terms: ['乙方于2026年12月31日前归还借款。'],
    performanceCheck: '调解员回访核实。',
  },
  documentHash: 'a'.repeat(64),
  signatures: signed.map((role) => ({
    role,
    name: role,
    by: role,
    at: '2026-11-23T08:00:00.000Z',
    documentHash: 'a'.repeat(64),
    method: 'typed' as const,
  })),
  draftedBy: 'mediator1',
  createdAt: '2026-11-23T08:00:00.000Z',
  updatedAt: '2026-11-23T08:00:00.000Z',
})

describe('ID numbers', () => {
  it('checks the GB 11643 check character and masks all but the region and the last four', () => {
    expect(idCheckChar(ID.slice(0, 17))).toBe('X')
    expect(isValidIdNumber(ID)).toBe(true)
    expect(isValidIdNumber('110105194912310021')).toBe(false)
    expect(maskIdNumber(ID)).toBe('110105********002X')
  })
})

describe('signing order', () => {
  it('parties sign in any order, the mediator only after both', () => {
    expect(missingSigners(record())).toEqual(['applicant', 'respondent', 'mediator'])
    expect(() => assertMaySign(record(['respondent']), 'mediator', 'a'.repeat(64))).toThrow(
      'agreement.parties_first',
    )
    expect(() => assertMaySign(record(['respondent']), 'applicant', 'a'.repeat(64))).not.toThrow()
    expect(() => assertMaySign(record(['applicant', 'respondent']), 'mediator', 'a'.repeat(64))).not.toThrow()
  })

  it('refuses a second signature by the same role and a signature over other text', () => {
    expect(() => assertMaySign(record(['applicant']), 'applicant', 'a'.repeat(64))).toThrow(
      'agreement.already_signed',
    )
    expect(() => assertMaySign(record(), 'applicant', 'b'.repeat(64))).toThrow('agreement.changed')
  })
})

describe('content', () => {
  it('hashes the same whatever order the keys came in', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe(canonicalJson({ a: [{ c: 3, d: 2 }], b: 1 }))
  })

  it('the wage template pays the amount in dispute in one instalment a month out, and validates once named', () => {
    const t = agreementTemplate(
      {
        disputeType: 'wage_arrears',
        amountInDispute: 6000,
        description: '老板拖欠两个月工资六千元。',
        respondentName: '王某',
      },
      new Date('2026-11-23T08:00:00Z'),
    )
    expect(t.payment).toEqual({
      payer: 'respondent',
      total: 6000,
      instalments: [{ amount: 6000, dueOn: '2026-12-23' }],
    })
    const named = {
      ...t,
      applicant: { name: '李某', idNumber: ID },
      respondent: { name: '王某', idNumber: ID },
    }
    expect(AgreementContent.safeParse(named).success).toBe(true)
  })

  it('refuses instalments that do not add up to the total, to the cent', () => {
    const result = AgreementContent.safeParse({
      ...record().content,
      payment: {
        payer: 'respondent',
        total: 100.1,
        instalments: [
          { amount: 50.05, dueOn: '2026-12-01' },
          { amount: 50.06, dueOn: '2027-01-01' },
        ],
      },
    })
    expect(result.success).toBe(false)
    expect(result.error?.issues[0]?.message).toBe('agreement.instalments_sum')
  })

  it('gives the last day for judicial confirmation, 30 days on from the China date of signing', () => {
    expect(confirmationDeadline('2026-11-23T17:00:00Z')).toBe('2026-12-24')
  })

  it('makes verification codes people can type', () => {
    const code = verifyCodeFrom(Uint8Array.from({ length: 12 }, (_, i) => i * 37))
    expect(code).toMatch(VERIFY_CODE)
  })
})

describe('the PDF', () => {
  const input = (terms: string[]) => ({
    agreement: {
      ...record(['applicant', 'respondent', 'mediator']),
      content: { ...record().content, terms },
    },
    orgName: '城东街道人民调解委员会',
    mediatorName: '张调解员',
    signedAt: '2026-11-23T08:00:00.000Z',
    verifyCode: 'ABCD-EFGH-JKMN',
    verifyUrl: 'https://example.test/verify/ABCD-EFGH-JKMN',
  })

  it('renders the same bytes for the same agreement, so a copy can be compared by fingerprint', async () => {
    const pdf = agreementPdf()
    const a = await pdf.render(input(['乙方归还借款。']))
    const b = await pdf.render(input(['乙方归还借款。']))
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true)
    expect(a.byteLength).toBeLessThan(100_000)
  })

  it('embeds every glyph intact: each one in the subset is drawn exactly as in the font', async () => {
    // A subset whose glyph records are misaligned renders some characters blank while the text
    // still extracts (pdftotext would pass); compare outlines with the font itself.
    const { PDFDocument, PDFDict, PDFRawStream, PDFName, decodePDFRawStream } = await import('pdf-lib')
    const fontkit = (await import('@pdf-lib/fontkit')).default
    const { readFileSync } = await import('node:fs')
    const { createRequire } = await import('node:module')
    const { FONT_MODULE } = await import('../../functions/adapters/agreement-font.ts')
    const terms = ['乙方于二〇二六年十二月三十一日前归还借款壹万贰仟元整，逾期按约定承担违约责任。']
    const doc = await PDFDocument.load(await agreementPdf().render(input(terms)))
    const descriptor = doc.context
      .enumerateIndirectObjects()
      .map(([, o]) => o)
      .find((o) => o instanceof PDFDict && o.has(PDFName.of('FontFile2'))) as
      | { get(key: unknown): unknown }
      | undefined
    const file = descriptor && doc.context.lookup(descriptor.get(PDFName.of('FontFile2')) as never)
    if (!(file instanceof PDFRawStream)) throw new Error('no embedded TrueType font')
    const subset = fontkit.create(Buffer.from(decodePDFRawStream(file).decode()))
    const original = fontkit.create(readFileSync(createRequire(import.meta.url).resolve(FONT_MODULE)))
    const outline = (g: { path: { toSVG(): string } }) => g.path.toSVG()
    // Every character the PDF can print: its own wording (in the renderer's source) and the input.
    const source = readFileSync(new URL('../../functions/adapters/agreement-pdf.ts', import.meta.url), 'utf8')
    const chars = [...new Set(source + JSON.stringify(input(terms)))]
    // Characters map to glyphs one by one, and in running text also through the font's substitutions.
    const glyphs = [
      ...chars.map((ch) => original.glyphForCodePoint(ch.codePointAt(0) ?? 0)),
      ...(source + JSON.stringify(input(terms))).split('\n').flatMap((line) => original.layout(line).glyphs),
    ]
    const known = new Set(glyphs.map(outline))
    let drawn = 0
    for (let id = 1; id < subset.numGlyphs; id++) {
      const svg = outline(subset.getGlyph(id))
      if (!svg) continue
      drawn++
      expect(known.has(svg), `glyph ${id}`).toBe(true)
    }
    expect(drawn).toBeGreaterThan(80)
  })

  it('flows long agreements onto further pages', async () => {
    const { PDFDocument } = await import('pdf-lib')
    const long = Array.from(
      { length: 20 },
      (_, i) => `第${i + 1}项约定：${'双方应当诚实守信、按期履行约定的各项义务。'.repeat(8)}`,
    )
    const doc = await PDFDocument.load(await agreementPdf().render(input(long)))
    expect(doc.getPageCount()).toBeGreaterThan(1)
  })
})
