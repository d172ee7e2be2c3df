import type { Actor } from '../../functions/domain/actor.ts'
import type { CreateCaseInput } from '../../functions/domain/case.ts'
import { createCase } from '../../functions/domain/cases.ts'
import type { Deps } from '../../functions/domain/ports.ts'
import type { Department } from '../../functions/domain/referral.ts'
import { createReferral } from '../../functions/domain/referral-service.ts'
import type { Organisation, StaffRecord } from '../../functions/domain/staff.ts'
import { isJoinable, scheduleSession } from '../../functions/domain/video.ts'
import { act } from '../../functions/domain/workflow-service.ts'

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
export async function seedDemo(deps: Deps, password = DEFAULT_DEMO_PASSWORD): Promise<void> {
  await seedStaff(deps, password)
  const phoneKey = deps.crypto.hmac(`phone:${DEMO_CITIZEN_PHONE}`)
  const citizenId = await deps.store.citizenFor(phoneKey, deps.crypto.id(), deps.clock.now())
  const actor = { kind: 'citizen' as const, citizenId, phone: DEMO_CITIZEN_PHONE }
  for (const [i, input] of DEMO_CASES.entries()) {
    await createCase(deps, actor, input, `demo-seed-case-${i}`)
  }
  await seedVideoDemo(deps, actor)
}

/** The respondent of the demo video case; sign in with this number to join as the other party. */
export const DEMO_RESPONDENT_PHONE = '13900139001'

/**
 * A case both parties agreed to mediate, with mediator1 and a video session that can be joined
 * now: a fresh one at every start, since the last one may be over.
 */
async function seedVideoDemo(deps: Deps, applicant: Actor) {
  const { id } = await createCase(
    deps,
    applicant,
    {
      disputeType: 'wage_arrears',
      description: '在工地干了三个月活，包工头还欠我4500元工资，我已经回老家了，希望视频调解。',
      location: { district: '滨河区', street: '城东街道', address: '滨江花园工地' },
      respondent: { name: '赵某（包工头）', phone: DEMO_RESPONDENT_PHONE },
      amountInDispute: 4500,
      desiredOutcome: '年底前结清4500元',
      meetingPreference: 'video',
    },
    'demo-seed-case-video',
  )
  const staff = await deps.store.getStaff('mediator1')
  const org = staff ? await deps.store.getOrg(staff.orgId) : undefined
  if (!staff || !org) return
  const mediator: Actor = {
    kind: 'staff',
    username: staff.username,
    name: staff.name,
    role: staff.role,
    orgId: staff.orgId,
    tier: org.tier,
    jurisdiction: org.jurisdiction,
  }
  let record = await deps.store.getCase(id)
  if (record?.status === 'submitted')
    await act(deps, mediator, id, {
      action: 'accept',
      expectedVersion: record.version,
      mediatorId: 'mediator1',
    })
  record = await deps.store.getCase(id)
  if (record?.status === 'awaiting_consent') {
    const respondent = await deps.store.citizenFor(
      deps.crypto.hmac(`phone:${DEMO_RESPONDENT_PHONE}`),
      deps.crypto.id(),
      deps.clock.now(),
    )
    await act(deps, { kind: 'citizen', citizenId: respondent, phone: DEMO_RESPONDENT_PHONE }, id, {
      action: 'respond',
      expectedVersion: record.version,
      agreed: true,
    })
  }
  // A clue passed to labour inspection, so the referral card and the work list have something to show.
  if ((await deps.store.referralsOfCase(id)).length === 0)
    await createReferral(deps, mediator, id, {
      departmentId: DEMO_DEPARTMENTS[3]?.id ?? '',
      kind: 'clue',
      message: '申请人反映同一工地另有多名工人被拖欠工资，请劳动保障监察核查。',
      shareParties: false,
    })
  const now = deps.clock.now()
  const sessions = await deps.store.videoSessionsOfCase(id)
  if (sessions.some((s) => isJoinable(s, now))) return
  await scheduleSession(deps, mediator, id, {
    startsAt: new Date(now.getTime() + 10 * 60_000).toISOString(),
    durationMinutes: 60,
    extras: [],
  })
}

/** Demo organisations in one district: tier-1 street room, tier-2 police station, tier-3 centre, and the justice bureau. */
export const DEMO_ORGS: Organisation[] = [
  {
    id: 'binhe-chengdong-room',
    name: '城东街道人民调解委员会',
    tier: 1,
    kind: 'community_room',
    jurisdiction: '滨河区',
    areas: ['城东街道'],
  },
  {
    id: 'binhe-chengxi-room',
    name: '城西街道锦绣社区调解室',
    tier: 1,
    kind: 'community_room',
    jurisdiction: '滨河区',
    areas: ['城西街道'],
  },
  {
    id: 'binhe-chengdong-station',
    name: '城东派出所',
    tier: 2,
    kind: 'police_station',
    jurisdiction: '滨河区',
    areas: ['城东街道', '城西街道'],
  },
  {
    id: 'binhe-centre',
    name: '滨河区矛盾纠纷调处化解中心',
    tier: 3,
    kind: 'district_centre',
    jurisdiction: '滨河区',
    areas: [],
  },
  {
    id: 'binhe-justice',
    name: '滨河区司法局',
    tier: 3,
    kind: 'justice_office',
    jurisdiction: '滨河区',
    areas: [],
  },
]

type DemoStaff = Pick<StaffRecord, 'username' | 'name' | 'role' | 'orgId' | 'skills' | 'languages'>
export const DEMO_STAFF: DemoStaff[] = [
  {
    username: 'police1',
    name: '李警官',
    role: 'police',
    orgId: 'binhe-chengdong-station',
    skills: ['law'],
    languages: ['普通话'],
  },
  {
    username: 'mediator1',
    name: '张调解员',
    role: 'mediator',
    orgId: 'binhe-chengdong-room',
    skills: ['labour', 'law'],
    languages: ['普通话', '四川话'],
  },
  {
    username: 'mediator2',
    name: '王调解员',
    role: 'mediator',
    orgId: 'binhe-chengdong-room',
    skills: ['family', 'psychology'],
    languages: ['普通话'],
  },
  {
    username: 'mediator3',
    name: '赵律师',
    role: 'mediator',
    orgId: 'binhe-centre',
    skills: ['law', 'labour'],
    languages: ['普通话'],
  },
  {
    username: 'admin1',
    name: '陈主任',
    role: 'centre_admin',
    orgId: 'binhe-chengdong-room',
    skills: [],
    languages: ['普通话'],
  },
  {
    username: 'supervisor1',
    name: '刘科长',
    role: 'supervisor',
    orgId: 'binhe-justice',
    skills: [],
    languages: ['普通话'],
  },
  {
    username: 'sysadmin1',
    name: '系统管理员',
    role: 'system_admin',
    orgId: 'binhe-justice',
    skills: [],
    languages: ['普通话'],
  },
]

/** Red-risk notices to supervisor1 land in the local outbox under this number. */
export const DEMO_SUPERVISOR_PHONE = '13700000099'

/** Default demo password (local mode only); override with DEMO_PASSWORD. */
export const DEFAULT_DEMO_PASSWORD = 'jiefen-demo-2026'

/**
 * The demo district's partner departments (信息互通). Their contacts are demo numbers: the codes
 * they would receive appear at /api/dev/outbox like every other SMS.
 */
export const DEMO_DEPARTMENTS: Omit<Department, 'active' | 'updatedAt'>[] = (
  [
    ['court', '滨河区人民法院', 15],
    ['procuratorate', '滨河区人民检察院', 15],
    ['hrss', '滨河区人力资源和社会保障局', 7],
    ['labour_inspection', '滨河区劳动保障监察大队', 5],
    ['womens_federation', '滨河区妇女联合会', 7],
    ['petition_office', '滨河区信访局', 10],
  ] as const
).map(([kind, name, defaultDays], i) => ({
  id: `01JF0000000000000000DEPT0${i + 1}`,
  jurisdiction: '滨河区',
  kind,
  name,
  contactPhone: `1370013700${i + 1}`,
  defaultDays,
}))

/**
 * Seeds the demo organisations and staff once. Demo accounts are marked TOTP-exempt, which the
 * API honours only in local mode.
 */
export async function seedStaff(deps: Deps, password: string): Promise<void> {
  for (const org of DEMO_ORGS) if (!(await deps.store.getOrg(org.id))) await deps.store.putOrg(org)
  for (const d of DEMO_DEPARTMENTS)
    if (!(await deps.store.getDepartment(d.id)))
      await deps.store.putDepartment({ ...d, active: true, updatedAt: deps.clock.now().toISOString() })
  for (const s of DEMO_STAFF) {
    if (await deps.store.getStaff(s.username)) continue
    await deps.store.putStaff({
      ...s,
      jurisdiction: '滨河区',
      passwordHash: await deps.crypto.hashPassword(password),
      totpExempt: true,
      failedLogins: 0,
      sessionEpoch: 0,
      active: true,
      openCases: 0,
      ...(s.role === 'supervisor' ? { phone: DEMO_SUPERVISOR_PHONE } : {}),
    })
  }
}
