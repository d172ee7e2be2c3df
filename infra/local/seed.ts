import type { CreateCaseInput } from '../../functions/domain/case.ts'
import { createCase } from '../../functions/domain/cases.ts'
import type { Deps } from '../../functions/domain/ports.ts'

/** The demo citizen; its sign-in code appears in the console and at /api/dev/outbox. */
export const DEMO_CITIZEN_PHONE = '13800138000'

const DEMO_CASES: CreateCaseInput[] = [
  {
    disputeType: 'wage_arrears',
    description: '饭店老板欠我两个月工资六千元，我已经离职回老家了，希望能视频调解，不想再跑一趟。',
    location: { district: '滨河区', street: '城东街道', address: '幸福路18号' },
    occurredOn: '2026-09-30',
    respondent: { name: '王某（饭店老板）', phone: '13900139000' },
    amountInDispute: 6000,
    desiredOutcome: '一次性结清拖欠的6000元工资',
    meetingPreference: 'video',
  },
  {
    disputeType: 'neighbour',
    description: '楼上住户家里经常半夜拖动家具、小孩跑跳，噪音很大，沟通过几次没有改善。',
    location: { district: '滨河区', street: '城西街道', village: '锦绣社区' },
    respondent: { name: '楼上住户' },
    desiredOutcome: '晚上十点后不再发出明显噪音',
    meetingPreference: 'either',
  },
]

/**
 * Seeds the demo citizen's cases through the same domain calls a real user makes. Fixed
 * idempotency keys make it safe to run at every start: the cases are filed once.
 */
export async function seedDemo(deps: Deps): Promise<void> {
  const phoneKey = deps.crypto.hmac(`phone:${DEMO_CITIZEN_PHONE}`)
  const citizenId = await deps.store.citizenFor(phoneKey, deps.crypto.id(), deps.clock.now())
  const actor = { kind: 'citizen' as const, citizenId, phone: DEMO_CITIZEN_PHONE }
  for (const [i, input] of DEMO_CASES.entries()) {
    await createCase(deps, actor, input, `demo-seed-case-${i}`)
  }
}
