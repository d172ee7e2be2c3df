import fontkit from '@pdf-lib/fontkit'

type Subset = { glyf: Uint8Array[]; offset: number; _addGlyph(gid: number): number }
let subsetPadded = false

/**
 * @pdf-lib/fontkit writes a TrueType subset's `loca` in the short format (offsets halved) without
 * padding each glyph record to an even length, so after the first odd-length glyph every offset is
 * off by a byte and viewers draw some characters and silently drop others (pdf-lib issue #1232;
 * fixed upstream in fontkit 1.8 by foliojs/fontkit#191, never in this fork). Padding each record
 * as it is added keeps every offset even. Patched once, on the subset class the fork shares, by
 * every PDF that embeds a subset CJK font (the agreement, the monthly report).
 */
export function padSubsetGlyphs(fontBytes: Uint8Array): void {
  if (subsetPadded) return
  const proto = Object.getPrototypeOf(fontkit.create(fontBytes).createSubset()) as Subset
  const addGlyph = proto._addGlyph
  proto._addGlyph = function (this: Subset, gid: number) {
    const index = addGlyph.call(this, gid)
    const record = this.glyf[index]
    if (record && record.length % 2 === 1) {
      // The fork's own Buffer class (its stream refuses Node's): allocate through the record's constructor.
      const padded = (record.constructor as unknown as { alloc(size: number): Uint8Array }).alloc(
        record.length + 1,
      )
      padded.set(record)
      this.glyf[index] = padded
      this.offset += 1
    }
    return index
  }
  subsetPadded = true
}
