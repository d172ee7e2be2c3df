/**
 * What a file really is, from its first bytes. A declared type is never trusted: a renamed
 * executable or a script must not become "evidence" that a mediator's phone then opens.
 */
export type Sniffed =
  | 'image/jpeg'
  | 'image/png'
  | 'image/webp'
  | 'image/heic'
  | 'application/pdf'
  | 'audio/mpeg'
  | 'audio/aac'
  | 'audio/amr'
  | 'mp4-family'

const ascii = (bytes: Uint8Array, from: number, length: number) =>
  String.fromCharCode(...bytes.subarray(from, from + length))

/** ISO base media (MP4, MOV, M4A, HEIC) carry a brand in their `ftyp` box. */
function ftypBrand(bytes: Uint8Array): string | undefined {
  if (bytes.length < 12 || ascii(bytes, 4, 4) !== 'ftyp') return undefined
  return ascii(bytes, 8, 4)
}

const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1', 'avif'])

export function sniff(bytes: Uint8Array): Sniffed | undefined {
  const b = bytes
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg'
  if (ascii(b, 0, 8) === '\x89PNG\r\n\x1a\n') return 'image/png'
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return 'image/webp'
  if (ascii(b, 0, 5) === '%PDF-') return 'application/pdf'
  if (ascii(b, 0, 6) === '#!AMR\n' || ascii(b, 0, 9) === '#!AMR-WB\n') return 'audio/amr'
  if (ascii(b, 0, 3) === 'ID3') return 'audio/mpeg'
  const brand = ftypBrand(b)
  if (brand) return HEIF_BRANDS.has(brand) ? 'image/heic' : 'mp4-family'
  // QuickTime files from older phones may start with another atom than ftyp.
  if (['moov', 'mdat', 'wide', 'free', 'skip'].includes(ascii(b, 4, 4))) return 'mp4-family'
  if (b[0] === 0xff && b[1] !== undefined) {
    if ((b[1] & 0xf6) === 0xf0) return 'audio/aac' // ADTS sync word, layer 0
    if ((b[1] & 0xe0) === 0xe0) return 'audio/mpeg' // MPEG audio frame sync
  }
  return undefined
}

/** The content types people may declare, and which sniffed kinds each accepts. */
export const ACCEPTED_TYPES: Record<string, { kinds: Sniffed[]; extensions: string[] }> = {
  'image/jpeg': { kinds: ['image/jpeg'], extensions: ['jpg', 'jpeg'] },
  'image/png': { kinds: ['image/png'], extensions: ['png'] },
  'image/webp': { kinds: ['image/webp'], extensions: ['webp'] },
  'image/heic': { kinds: ['image/heic'], extensions: ['heic'] },
  'image/heif': { kinds: ['image/heic'], extensions: ['heif'] },
  'application/pdf': { kinds: ['application/pdf'], extensions: ['pdf'] },
  'audio/mpeg': { kinds: ['audio/mpeg'], extensions: ['mp3'] },
  'audio/mp4': { kinds: ['mp4-family'], extensions: ['m4a'] },
  'audio/x-m4a': { kinds: ['mp4-family'], extensions: ['m4a'] },
  'audio/aac': { kinds: ['audio/aac', 'mp4-family'], extensions: ['aac'] },
  'audio/amr': { kinds: ['audio/amr'], extensions: ['amr'] },
  'video/mp4': { kinds: ['mp4-family'], extensions: ['mp4'] },
  'video/quicktime': { kinds: ['mp4-family'], extensions: ['mov'] },
}

export const matchesDeclared = (declared: string, bytes: Uint8Array): boolean => {
  const kind = sniff(bytes)
  return kind !== undefined && (ACCEPTED_TYPES[declared]?.kinds.includes(kind) ?? false)
}
