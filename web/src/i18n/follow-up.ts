import { followUpEn } from './follow-up.en.ts'
import { followUpZhCN } from './follow-up.zh-CN.ts'
import { withStrings } from './index.ts'

export type { FollowUpKey } from './follow-up.zh-CN.ts'

/** `t` for follow-ups: their strings, then the portal's. Arrives with its lazy chunk. */
export const t = withStrings({ 'zh-CN': followUpZhCN, en: followUpEn })
