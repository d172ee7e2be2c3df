import { ACCEPTED_TYPES } from '../../../functions/domain/sniff.ts'
import { t } from '../i18n/evidence.ts'
import { locale } from '../i18n/index.ts'

/**
 * The API's per-file limit (functions/domain/evidence.ts, DEFAULT_EVIDENCE_LIMITS), checked here
 * too so nobody waits for a 50 MB video to be refused. The server stays the judge.
 */
export const MAX_FILE_BYTES = 50 * 1024 * 1024
export const DESCRIPTION_MAX = 200

/** What phones and browsers call the accepted types instead of their standard names. */
const ALIASES: Record<string, string> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'audio/mp3': 'audio/mpeg',
  'audio/m4a': 'audio/x-m4a',
  'audio/x-aac': 'audio/aac',
  'audio/amr-wb': 'audio/amr',
  'audio/3gpp-amr': 'audio/amr',
}

const BY_EXTENSION: Record<string, string> = {}
for (const [type, { extensions }] of Object.entries(ACCEPTED_TYPES)) {
  for (const ext of extensions) BY_EXTENSION[ext] ??= type
}

/**
 * The content type to declare for a picked file, or undefined when it is not accepted. Browsers
 * often give an empty or generic type (.amr, .heic, .m4a): the extension decides then.
 */
export function contentTypeFor(file: { name: string; type: string }): string | undefined {
  const given = file.type.toLowerCase()
  const named = ALIASES[given] ?? given
  if (named in ACCEPTED_TYPES) return named
  const ext = /\.([a-z0-9]+)$/i.exec(file.name)?.[1]?.toLowerCase()
  return ext ? BY_EXTENSION[ext] : undefined
}

/** A file name the API accepts as a label: no control characters, at most 200 characters. */
export function cleanFileName(name: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  const clean = name.replace(/[\u0000-\u001f\u007f]/g, '_').trim() || 'file'
  if (clean.length <= 200) return clean
  const ext = /\.[a-z0-9]{1,8}$/i.exec(clean)?.[0] ?? ''
  return clean.slice(0, 200 - ext.length) + ext
}

export type Kind = 'image' | 'pdf' | 'audio' | 'video' | 'file'

export function kindOf(contentType: string): Kind {
  if (contentType === 'application/pdf') return 'pdf'
  const top = contentType.split('/')[0]
  return top === 'image' || top === 'audio' || top === 'video' ? top : 'file'
}

/** Types a phone's browser can show inline; HEIC photos and AMR recordings are opened instead. */
export function playsInline(contentType: string): boolean {
  return !['image/heic', 'image/heif', 'audio/amr'].includes(contentType)
}

/** 12 KB, 3.4 MB */
export function formatSize(bytes: number): string {
  const mb = bytes / (1024 * 1024)
  if (mb >= 1) {
    const n = new Intl.NumberFormat(locale(), { maximumFractionDigits: 1 }).format(mb)
    return t('evidence.size.mb', { n })
  }
  return t('evidence.size.kb', { n: Math.max(1, Math.round(bytes / 1024)) })
}

/** The first and last characters of a SHA-256: enough to compare by eye. */
export function shortHash(hex: string): string {
  return hex.length > 16 ? `${hex.slice(0, 8)}…${hex.slice(-8)}` : hex
}
