import { z } from 'zod'
import { type Actor, assertCitizen } from './actor.ts'
import { CaseView } from './case.ts'
import { getCase, listMyCases } from './cases.ts'
import { EvidenceView, listEvidence } from './evidence.ts'
import type { Deps } from './ports.ts'

/** What is kept, and for how long; shown with every export and in the README. */
export const RETENTION = {
  'zh-CN':
    '案件、时间线和调解记录在案件结束后保存10年（人民调解档案）；证据文件在案件结束后保存3年后删除；登录验证码5分钟、登录状态7天后自动失效；录像仅在各方同意时制作，随案件保存。',
  en: 'Cases, timelines and mediation records are kept for 10 years after the case ends (people’s mediation archives); evidence files are deleted 3 years after the case ends; sign-in codes expire after 5 minutes and sign-ins after 7 days; recordings exist only where every party agreed and are kept with the case.',
} as const

export const PersonalDataExport = z
  .object({
    generatedAt: z.string(),
    subject: z.object({ phone: z.string().meta({ description: 'The caller’s own number, in full' }) }),
    cases: z.array(CaseView.extend({ evidence: z.array(EvidenceView) })),
    retention: z.string(),
  })
  .meta({ id: 'PersonalDataExport' })
export type PersonalDataExport = z.infer<typeof PersonalDataExport>

/**
 * "What do you hold about me": every case the caller is a party to, as they see it (staff-only
 * events and other people's numbers stay out), with their evidence list and the retention rules.
 */
export async function exportMyData(
  deps: Deps,
  actor: Actor,
  locale: 'zh-CN' | 'en',
): Promise<PersonalDataExport> {
  const citizen = assertCitizen(actor)
  const cases = []
  for (const summary of await listMyCases(deps, actor)) {
    const view = await getCase(deps, actor, summary.id)
    cases.push({ ...view, evidence: await listEvidence(deps, actor, summary.id) })
  }
  return {
    generatedAt: deps.clock.now().toISOString(),
    subject: { phone: citizen.phone },
    cases,
    retention: RETENTION[locale],
  }
}
