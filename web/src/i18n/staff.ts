import { exclusionMessages } from '../../../functions/domain/exclusions.ts'
import { riskMessages, riskSignalLabels } from '../../../functions/domain/risk.ts'
import { withStrings } from './index.ts'
import { staffEn } from './staff.en.ts'
import { staffZhCN } from './staff.zh-CN.ts'
import { workflowStrings } from './workflow.ts'

export type { StaffKey } from './staff.zh-CN.ts'

/** `t` for the staff portal: its strings, the workflow's, risk and exclusion labels, then the portal's. */
export const t = withStrings({
  'zh-CN': {
    ...riskSignalLabels['zh-CN'],
    ...riskMessages['zh-CN'],
    ...exclusionMessages['zh-CN'],
    ...workflowStrings['zh-CN'],
    ...staffZhCN,
  },
  en: {
    ...riskSignalLabels.en,
    ...riskMessages.en,
    ...exclusionMessages.en,
    ...workflowStrings.en,
    ...staffEn,
  },
})
