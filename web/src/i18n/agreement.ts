import { agreementEn } from './agreement.en.ts'
import { agreementZhCN } from './agreement.zh-CN.ts'
import { withStrings } from './index.ts'
import { workflowStrings } from './workflow.ts'

export type { AgreementKey } from './agreement.zh-CN.ts'

/** `t` for the agreement: its strings, the workflow's, then the portal's. Arrives with its lazy chunk. */
export const t = withStrings({
  'zh-CN': { ...workflowStrings['zh-CN'], ...agreementZhCN },
  en: { ...workflowStrings.en, ...agreementEn },
})
