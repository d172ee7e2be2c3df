import { adminEn } from './admin.en.ts'
import { adminZhCN } from './admin.zh-CN.ts'
import { withStrings } from './index.ts'
import { staffEn } from './staff.en.ts'
import { staffZhCN } from './staff.zh-CN.ts'

/** `t` for the admin pages: their strings, the staff portal's (roles, skills, tiers), then the portal's. */
export const t = withStrings({
  'zh-CN': { ...staffZhCN, ...adminZhCN },
  en: { ...staffEn, ...adminEn },
})
