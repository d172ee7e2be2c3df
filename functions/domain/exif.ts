/**
 * Removes GPS position from photos before anyone else sees them: a photo of a leaking ceiling
 * must not tell the other party where the applicant lives. Everything else in the file is kept,
 * byte for byte, so orientation and capture time survive.
 */
export function stripGps(bytes: Uint8Array, contentType: string): { bytes: Uint8Array; stripped: boolean } {
  if (contentType === 'image/jpeg') return stripJpegGps(bytes)
  if (contentType === 'image/png') return stripPngExif(bytes)
  return { bytes, stripped: false }
}

const GPS_IFD_TAG = 0x8825
const TYPE_SIZES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 9: 4, 10: 8 }

function stripJpegGps(input: Uint8Array): { bytes: Uint8Array; stripped: boolean } {
  const bytes = new Uint8Array(input) // a copy: the caller's buffer stays as uploaded
  let stripped = false
  let pos = 2
  while (pos + 4 <= bytes.length && bytes[pos] === 0xff) {
    const marker = bytes[pos + 1] ?? 0
    if (marker === 0xda || marker === 0xd9) break // start of scan / end: no more metadata
    const length = ((bytes[pos + 2] ?? 0) << 8) | (bytes[pos + 3] ?? 0)
    const start = pos + 4
    if (marker === 0xe1 && String.fromCharCode(...bytes.subarray(start, start + 6)) === 'Exif\0\0') {
      stripped = clearGpsIfd(bytes, start + 6, Math.min(pos + 2 + length, bytes.length)) || stripped
    }
    pos += 2 + length
  }
  return { bytes, stripped }
}

/** Zeroes the GPS IFD (entries and the values they point to) inside a TIFF block. */
function clearGpsIfd(b: Uint8Array, tiff: number, end: number): boolean {
  const little = b[tiff] === 0x49
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength)
  const u16 = (at: number) => view.getUint16(at, little)
  const u32 = (at: number) => view.getUint32(at, little)
  const inside = (at: number, n: number) => at >= tiff && at + n <= end
  if (!inside(tiff, 8)) return false
  const ifd0 = tiff + u32(tiff + 4)
  if (!inside(ifd0, 2)) return false
  const count = u16(ifd0)
  for (let i = 0; i < count; i++) {
    const entry = ifd0 + 2 + i * 12
    if (!inside(entry, 12) || u16(entry) !== GPS_IFD_TAG) continue
    const gps = tiff + u32(entry + 8)
    if (!inside(gps, 2)) return false
    const gpsCount = u16(gps)
    for (let j = 0; j < gpsCount; j++) {
      const e = gps + 2 + j * 12
      if (!inside(e, 12)) break
      const size = (TYPE_SIZES[u16(e + 2)] ?? 1) * u32(e + 4)
      if (size > 4) {
        const at = tiff + u32(e + 8)
        if (inside(at, size)) b.fill(0, at, at + size)
      }
      b.fill(0, e, e + 12)
    }
    view.setUint16(gps, 0, little) // an empty GPS directory: readers find no position
    return true
  }
  return false
}

/** PNG keeps EXIF in an eXIf chunk: drop the chunk whole (PNG has no orientation to lose there). */
function stripPngExif(bytes: Uint8Array): { bytes: Uint8Array; stripped: boolean } {
  const parts: Uint8Array[] = [bytes.subarray(0, 8)]
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let pos = 8
  let stripped = false
  while (pos + 12 <= bytes.length) {
    const length = view.getUint32(pos)
    const type = String.fromCharCode(...bytes.subarray(pos + 4, pos + 8))
    const next = pos + 12 + length
    if (type === 'eXIf') stripped = true
    else parts.push(bytes.subarray(pos, Math.min(next, bytes.length)))
    pos = next
  }
  if (!stripped) return { bytes, stripped }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return { bytes: out, stripped }
}
