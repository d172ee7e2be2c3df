import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import fontkit from '@pdf-lib/fontkit'
import { PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib'
import { reportHeader, reportRows } from '../domain/insight-report.ts'
import type { MonthlyReport } from '../domain/insight-service.ts'
import { padSubsetGlyphs } from './fontkit-subset-fix.ts'

/**
 * The monthly report as an A4 PDF in Chinese. The CJK font is Noto Sans SC Regular (SIL OFL) from
 * `@expo-google-fonts/noto-sans-sc` — the same package and file issue 6's agreement PDF uses — and
 * only the characters printed are embedded (subset), so the file stays a few tens of KB. This
 * module is imported on first use, so neither pdf-lib nor the font touch the API's cold start.
 */
const FONT_MODULE = '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'
/** In Lambda the font is copied beside the bundle under this name (issue 6's infra does it). */
const FONT_BESIDE_BUNDLE = 'NotoSansSC-Regular.ttf'

let font: Promise<Uint8Array> | undefined

function fontBytes(): Promise<Uint8Array> {
  font ??= (async () => {
    const root = process.env.LAMBDA_TASK_ROOT
    if (root) {
      try {
        return await readFile(join(root, FONT_BESIDE_BUNDLE))
      } catch {
        // Not copied beside the bundle: fall back to the package (local, tests).
      }
    }
    return readFile(createRequire(import.meta.url).resolve(FONT_MODULE))
  })().then((bytes) => {
    padSubsetGlyphs(bytes)
    return bytes
  })
  font.catch(() => {
    font = undefined
  })
  return font
}

const A4: [number, number] = [595.28, 841.89]
const MARGIN = 48
const INK = rgb(0.1, 0.1, 0.12)
const GREY = rgb(0.4, 0.4, 0.45)
const RULE = rgb(0.82, 0.82, 0.86)

export async function renderReportPdf(report: MonthlyReport): Promise<Uint8Array> {
  const doc = await PDFDocument.create()
  doc.registerFontkit(fontkit)
  const cjk = await doc.embedFont(await fontBytes(), { subset: true, customName: 'NotoSansSC-Regular' })
  doc.setTitle(`${reportHeader(report, 'zh-CN').title} ${report.month}`)
  doc.setCreator('解纷 Jiefen')
  // A fixed date keeps the same figures producing the same bytes.
  doc.setCreationDate(new Date(report.generatedAt))
  doc.setModificationDate(new Date(report.generatedAt))

  let page: PDFPage = doc.addPage(A4)
  let y = A4[1] - MARGIN
  const room = (h: number) => {
    if (y - h < MARGIN) {
      page = doc.addPage(A4)
      y = A4[1] - MARGIN
    }
  }
  const text = (s: string, x: number, size: number, f: PDFFont = cjk, color = INK) =>
    page.drawText(s, { x, y, size, font: f, color })

  const header = reportHeader(report, 'zh-CN')
  const titleSize = 18
  text(header.title, (A4[0] - cjk.widthOfTextAtSize(header.title, titleSize)) / 2, titleSize)
  y -= 30
  for (const [label, value] of header.lines) {
    text(`${label}：${value}`, MARGIN, 10, cjk, GREY)
    y -= 15
  }
  y -= 6
  let section = ''
  const valueX = A4[0] - MARGIN
  for (const row of reportRows(report, 'zh-CN')) {
    if (row.section !== section) {
      section = row.section
      room(34)
      y -= 10
      text(section, MARGIN, 12)
      y -= 8
      page.drawLine({ start: { x: MARGIN, y }, end: { x: valueX, y }, thickness: 0.8, color: RULE })
      y -= 14
    }
    room(16)
    text(row.item, MARGIN + 12, 10.5)
    text(row.value, valueX - cjk.widthOfTextAtSize(row.value, 10.5), 10.5)
    y -= 16
  }
  return doc.save({ useObjectStreams: false })
}
