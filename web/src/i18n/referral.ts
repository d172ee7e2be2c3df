import { withStrings } from './index.ts'
import { referralEn } from './referral.en.ts'
import { referralZhCN } from './referral.zh-CN.ts'

export type { ReferralKey } from './referral.zh-CN.ts'

/** `t` for referrals: their strings, then the portal's. Arrives with its lazy chunk. */
export const t = withStrings({ 'zh-CN': referralZhCN, en: referralEn })
