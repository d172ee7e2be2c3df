import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import fontkit from '@pdf-lib/fontkit'
import { PDFDocument, type PDFFont, type PDFImage, type PDFPage, rgb } from 'pdf-lib'
import { maskIdNumber, type SignerRole } from '../domain/agreement.ts'
import type { AgreementPdf, AgreementPdfInput } from '../domain/ports.ts'
import { FONT_MODULE } from './agreement-font.ts'
import { padSubsetGlyphs } from './fontkit-subset-fix.ts'

const A4: [number, number] = [595.28, 841.89]
const MARGIN = 56
const FOOTER = 36
const INK = rgb(0.1, 0.1, 0.12)
const GREY = rgb(0.38, 0.38, 0.42)

const ROLE_LABEL: Record<SignerRole, string> = {
  applicant: '申请人',
  respondent: '被申请人',
  mediator: '人民调解员',
}
const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十']
const numeral = (n: number) =>
  n <= 10
    ? NUMERALS[n - 1]
    : n < 20
      ? `十${NUMERALS[n - 11]}`
      : `${NUMERALS[Math.floor(n / 10) - 1]}十${n % 10 ? NUMERALS[(n % 10) - 1] : ''}`

/** Never at the start of a line (Chinese line-breaking rule, 避头点). */
const NO_LINE_START = new Set([...'，。、；：？！）》」』”’,.;:?!)'])

/** 2026年11月23日 16:05, in China time (UTC+8, no daylight saving). */
export function chinaDateTime(iso: string, withTime = true): string {
  const d = new Date(new Date(iso).getTime() + 8 * 3600_000)
  const date = `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`
  const time = `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`
  return withTime ? `${date} ${time}` : date
}

const plainDate = (ymd: string) => {
  const [y, m, d] = ymd.split('-').map(Number)
  return `${y}年${m}月${d}日`
}

const yuan = (n: number) =>
  `人民币${new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n)}元`

/** Lays text out top-down, page after page, wrapping by measured width (CJK text has no spaces). */
class Writer {
  page: PDFPage
  y: number
  constructor(
    readonly doc: PDFDocument,
    readonly font: PDFFont,
  ) {
    this.page = doc.addPage(A4)
    this.y = A4[1] - MARGIN
  }
  get width() {
    return A4[0] - 2 * MARGIN
  }
  room(height: number) {
    if (this.y - height < MARGIN + FOOTER) {
      this.page = this.doc.addPage(A4)
      this.y = A4[1] - MARGIN
    }
  }
  wrap(text: string, size: number, width: number): string[] {
    const lines: string[] = []
    const fits = (t: string) => this.font.widthOfTextAtSize(t, size) <= width
    for (const paragraph of text.split(/\r?\n/)) {
      let line = ''
      // A number, a date or a Latin word stays on one line; Chinese breaks between any characters.
      for (const token of paragraph.match(/[0-9A-Za-z.,:/*-]+|./gu) ?? []) {
        if (!line || fits(line + token) || NO_LINE_START.has(token)) {
          line += token
          continue
        }
        if (!fits(token)) {
          // Longer than a line on its own (a fingerprint): break it anywhere.
          for (const ch of token) {
            if (line && !fits(line + ch)) {
              lines.push(line)
              line = ''
            }
            line += ch
          }
          continue
        }
        lines.push(line)
        line = token
      }
      lines.push(line)
    }
    return lines
  }
  text(
    text: string,
    o: { size?: number; indent?: number; after?: number; color?: typeof INK; center?: boolean } = {},
  ) {
    const size = o.size ?? 11
    const lead = size * 1.65
    const indent = o.indent ?? 0
    for (const line of this.wrap(text, size, this.width - indent)) {
      this.room(lead)
      this.y -= lead
      const w = this.font.widthOfTextAtSize(line, size)
      const x = o.center ? (A4[0] - w) / 2 : MARGIN + indent
      this.page.drawText(line, { x, y: this.y + size * 0.35, size, font: this.font, color: o.color ?? INK })
    }
    this.y -= o.after ?? 4
  }
  heading(text: string) {
    this.room(40)
    this.y -= 8
    this.text(text, { size: 12.5, after: 2 })
  }
  rule() {
    this.y -= 6
    this.page.drawLine({
      start: { x: MARGIN, y: this.y },
      end: { x: A4[0] - MARGIN, y: this.y },
      thickness: 0.6,
      color: GREY,
    })
    this.y -= 6
  }
}

async function signatureImage(doc: PDFDocument, dataUrl: string | undefined): Promise<PDFImage | undefined> {
  if (!dataUrl) return undefined
  try {
    return await doc.embedPng(Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64'))
  } catch {
    // Checked when it was signed; a picture that still cannot be read is printed as the typed name.
    return undefined
  }
}

/**
 * The signed agreement as a PDF in Chinese. The font is read on the first render and subset into
 * the document, so a file holds only the glyphs it uses (tens of kilobytes, not the font's 10 MB).
 * Dates and the font's name are fixed, so the same input renders the same bytes.
 */
export function agreementPdf(fontPath?: string): AgreementPdf {
  let font: Promise<Uint8Array> | undefined
  const fontBytes = () => {
    font ??= readFile(fontPath ?? createRequire(import.meta.url).resolve(FONT_MODULE)).then((bytes) => {
      padSubsetGlyphs(bytes)
      return bytes
    })
    return font
  }
  return {
    async render(input: AgreementPdfInput) {
      const { agreement: a } = input
      const c = a.content
      const doc = await PDFDocument.create({ updateMetadata: false })
      doc.registerFontkit(fontkit)
      const font = await doc.embedFont(await fontBytes(), { subset: true, customName: 'NotoSansSC-Regular' })
      const when = new Date(input.signedAt)
      doc.setTitle(`人民调解协议书 ${a.caseNumber}`)
      doc.setSubject(`校验码 ${input.verifyCode}`)
      doc.setCreator('解纷 Jiefen')
      doc.setProducer('解纷 Jiefen')
      doc.setLanguage('zh-CN')
      doc.setCreationDate(when)
      doc.setModificationDate(when)

      const w = new Writer(doc, font)
      w.text('人民调解协议书', { size: 20, center: true, after: 6 })
      w.text(`案件编号：${a.caseNumber}　　校验码：${input.verifyCode}`, {
        size: 10,
        center: true,
        color: GREY,
        after: 2,
      })
      w.rule()

      w.heading('当事人')
      w.text(`申请人：${c.applicant.name}　　身份证号：${maskIdNumber(c.applicant.idNumber)}`, { indent: 12 })
      w.text(`被申请人：${c.respondent.name}　　身份证号：${maskIdNumber(c.respondent.idNumber)}`, {
        indent: 12,
      })

      w.heading('纠纷主要事实、争议事项')
      w.text(c.facts, { indent: 12 })

      w.heading('经人民调解，双方当事人自愿达成如下协议')
      let n = 0
      if (c.payment) {
        const p = c.payment
        const payer = p.payer === 'respondent' ? '被申请人' : '申请人'
        const payee = p.payer === 'respondent' ? '申请人' : '被申请人'
        const plan =
          p.instalments.length === 1
            ? `于${plainDate(p.instalments[0]?.dueOn ?? '')}前一次性付清。`
            : `分${p.instalments.length}期支付：${p.instalments
                .map((i, k) => `第${k + 1}期${yuan(i.amount)}，于${plainDate(i.dueOn)}前支付`)
                .join('；')}。`
        w.text(`${numeral(++n)}、${payer}向${payee}支付${yuan(p.total)}，${plan}`, { indent: 12 })
      }
      for (const term of c.terms) w.text(`${numeral(++n)}、${term}`, { indent: 12 })

      w.heading('履行方式、时限及履行情况的核查方式')
      w.text(c.performanceCheck, { indent: 12 })

      w.heading('协议效力')
      w.text(
        '本协议经各方当事人和人民调解员电子签名后生效，具有法律约束力，当事人应当按照约定履行。' +
          '双方当事人可以自本协议生效之日起三十日内，共同向调解组织所在地基层人民法院申请司法确认；' +
          '经确认有效的，一方拒绝履行或者未全部履行的，对方可以向人民法院申请强制执行。',
        { indent: 12 },
      )

      w.heading('签名')
      for (const role of ['applicant', 'respondent', 'mediator'] as const) {
        const s = a.signatures.find((x) => x.role === role)
        if (!s) continue
        w.room(64)
        const top = w.y
        w.page.drawText(`${ROLE_LABEL[role]}（签名）：`, {
          x: MARGIN + 12,
          y: top - 30,
          size: 11,
          font,
          color: INK,
        })
        const image = s.method === 'drawn' ? await signatureImage(doc, s.image) : undefined
        const x = MARGIN + 130
        if (image) {
          const h = 40
          const scaled = image.scale(h / image.height)
          const width = Math.min(scaled.width, 150)
          w.page.drawImage(image, { x, y: top - 46, width, height: (width / scaled.width) * h })
        } else {
          w.page.drawText(s.name, { x, y: top - 34, size: 18, font, color: INK })
        }
        const meta = [
          `${s.name} · 签署时间：${chinaDateTime(s.at)}（北京时间）`,
          `签署时文档指纹：${s.documentHash.slice(0, 32)}…`,
        ]
        meta.forEach((line, i) => {
          w.page.drawText(line, { x: x + 160, y: top - 22 - i * 13, size: 7.5, font, color: GREY })
        })
        w.y = top - 56
      }

      w.rule()
      w.text(`人民调解员：${input.mediatorName}`, { indent: 12, after: 0 })
      w.text(`人民调解组织：${input.orgName}`, { indent: 12, after: 0 })
      w.text(`签订日期：${chinaDateTime(input.signedAt, false)}`, { indent: 12 })
      w.text(`协议内容指纹（SHA-256）：${a.documentHash}`, { size: 8.5, color: GREY, after: 0 })
      w.text(`真伪核验：${input.verifyUrl}（校验码 ${input.verifyCode}，可核对本文件的 SHA-256 指纹）`, {
        size: 8.5,
        color: GREY,
      })

      const pages = doc.getPages()
      pages.forEach((page, i) => {
        const line = `${a.caseNumber} · 校验码 ${input.verifyCode} · 第 ${i + 1} 页 / 共 ${pages.length} 页`
        const size = 8
        page.drawText(line, {
          x: (A4[0] - font.widthOfTextAtSize(line, size)) / 2,
          y: MARGIN / 2,
          size,
          font,
          color: GREY,
        })
      })
      return doc.save({ useObjectStreams: true })
    },
  }
}
