import { withStrings } from './index.ts'
import { workflowEn } from './workflow.en.ts'
import { workflowZhCN } from './workflow.zh-CN.ts'

export type { WorkflowKey } from './workflow.zh-CN.ts'
export const workflowStrings = { 'zh-CN': workflowZhCN, en: workflowEn }

/** `t` for the workflow parts of the case pages: its own strings, then the portal's. */
export const t = withStrings(workflowStrings)
