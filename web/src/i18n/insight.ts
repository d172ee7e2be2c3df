import { withStrings } from './index.ts'
import { insightEn } from './insight.en.ts'
import { insightZhCN } from './insight.zh-CN.ts'
import { staffEn } from './staff.en.ts'
import { staffZhCN } from './staff.zh-CN.ts'

/** `t` for the supervisor dashboard: its strings, the staff portal's (risk, roles, tiers), then the portal's. */
export const t = withStrings({
  'zh-CN': { ...staffZhCN, ...insightZhCN },
  en: { ...staffEn, ...insightEn },
})
