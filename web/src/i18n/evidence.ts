import { evidenceEn } from './evidence.en.ts'
import { evidenceZhCN } from './evidence.zh-CN.ts'
import { withStrings } from './index.ts'

export type { EvidenceKey } from './evidence.zh-CN.ts'

/** `t` for the evidence section: its own strings, then the portal's. */
export const t = withStrings({ 'zh-CN': evidenceZhCN, en: evidenceEn })
