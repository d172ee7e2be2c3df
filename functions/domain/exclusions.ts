import { z } from 'zod'
import type { Locale } from './messages.ts'
import { findUnnegated, normaliseText } from './risk.ts'

/**
 * Exclusions for entrusted (委托) public-order cases. Public-order mediation is only for minor
 * offences caused by a civil dispute, and the joint-mediation rules (seed 000, 委托调解的范围) list
 * cases that must NOT be mediated: (1) 雇凶伤害他人的 (2) 结伙斗殴的 (3) 寻衅滋事的
 * (4) 多次实施违反治安管理行为的 (5) 当事人在治安调解过程中又挑起事端的 (6) 其他不宜治安调解的.
 * The system refuses such a case and says which rule applies.
 *
 * Two sources, kept apart on purpose:
 * - `confirmed` (returned as `reasons`): the exclusion flags the officer ticks on the intake form. These
 *   are legal characterisations the police make after their inquiry, so they are authoritative and
 *   alone decide `excluded`.
 * - `suspected`: the same concepts found in the description's words (找人打, 带了一帮人, 又动手…).
 *   Words are not facts: the description may be the applicant's account, a threat rather than a deed
 *   (他说要找人打我), or a word used loosely (多次 about phone calls). Refusing mediation on a keyword
 *   would deny citizens a lawful route, and ignoring the words would let an excluded case through, so a
 *   suspicion blocks entrustment until the officer confirms it (ticks the flag) or dismisses it.
 *   `entrustable` encodes that rule for the workflow.
 */

export const EXCLUSION_CODES = [
  'exclusion.hired_violence',
  'exclusion.gang_fight',
  'exclusion.picking_quarrels',
  'exclusion.repeated_offence',
  'exclusion.provoked_during_mediation',
  'exclusion.other_unsuitable',
] as const
export const ExclusionCode = z.enum(EXCLUSION_CODES)
export type ExclusionCode = z.infer<typeof ExclusionCode>

export const ExclusionFlags = z
  .strictObject({
    hiredViolence: z.boolean({ error: 'validation.type' }).optional(),
    gangFight: z.boolean({ error: 'validation.type' }).optional(),
    pickingQuarrels: z.boolean({ error: 'validation.type' }).optional(),
    repeatedOffence: z.boolean({ error: 'validation.type' }).optional(),
    provokedDuringMediation: z.boolean({ error: 'validation.type' }).optional(),
    otherUnsuitable: z
      .string({ error: 'validation.type' })
      .trim()
      .min(1, { error: 'validation.required' })
      .min(4, { error: 'validation.too_short' })
      .max(500, { error: 'validation.too_long' })
      .optional()
      .meta({ description: "The officer's reason why the case is otherwise unsuitable; absent when not" }),
  })
  .meta({ id: 'ExclusionFlags', description: 'Ticked by the officer on the intake form' })
export type ExclusionFlags = z.infer<typeof ExclusionFlags>

export const ExclusionInput = z
  .object({
    description: z.string({ error: 'validation.required' }).max(10_000, { error: 'validation.too_long' }),
    flags: ExclusionFlags.optional(),
  })
  .meta({ id: 'ExclusionInput' })
export type ExclusionInput = z.infer<typeof ExclusionInput>

export const SuspectedExclusion = z
  .object({
    code: ExclusionCode,
    evidence: z.string().meta({ description: 'The words in the description that raised the suspicion' }),
  })
  .meta({ id: 'SuspectedExclusion' })
export type SuspectedExclusion = z.infer<typeof SuspectedExclusion>

export const ExclusionResult = z
  .discriminatedUnion('excluded', [
    z.object({ excluded: z.literal(false), suspected: z.array(SuspectedExclusion) }),
    z.object({
      excluded: z.literal(true),
      reasons: z.array(ExclusionCode).min(1).meta({ description: 'Confirmed by the officer: i18n keys' }),
      otherReason: z.string().optional(),
      suspected: z.array(SuspectedExclusion),
    }),
  ])
  .meta({ id: 'ExclusionResult' })
export type ExclusionResult = z.infer<typeof ExclusionResult>

const FLAG_CODES: [keyof Omit<ExclusionFlags, 'otherUnsuitable'>, ExclusionCode][] = [
  ['hiredViolence', 'exclusion.hired_violence'],
  ['gangFight', 'exclusion.gang_fight'],
  ['pickingQuarrels', 'exclusion.picking_quarrels'],
  ['repeatedOffence', 'exclusion.repeated_offence'],
  ['provokedDuringMediation', 'exclusion.provoked_during_mediation'],
]

const near = (n: number) => `[^,。!?;:、\\n]{0,${n}}?`
/** Up to n characters within one sentence (a comma may come between: 调解的时候，他又…). */
const inSentence = (n: number) => `[^。!?;\\n]{0,${n}}?`
/** Doing harm, not 打听 (asking around) or 打电话 (calling). */
const VIOLENCE = '(?:打(?!听|扫|工|印|官司|电话|招呼)|砍|收拾|教训|报复|伤害|堵)'

/**
 * The words for each concept. `other_unsuitable` has none: it is the officer's judgement of the whole
 * case, not something a phrase can show.
 */
const PATTERNS: [Exclude<ExclusionCode, 'exclusion.other_unsuitable'>, RegExp][] = [
  [
    'exclusion.hired_violence',
    new RegExp(
      [
        '雇凶',
        '买凶',
        `(?:雇|找)了?${near(8)}(?:人|打手|混混)${near(6)}${VIOLENCE}`,
        `花了?${near(6)}钱${near(4)}(?:请|雇|找)了?${near(8)}(?:人|打手|混混)`,
        '(?:请|叫)(?:了)?(?:打手|混混|社会上的人)',
        '打手(?!机|势|电|印|心)',
      ].join('|'),
    ),
  ],
  [
    'exclusion.gang_fight',
    new RegExp(
      [
        '结伙',
        '纠集',
        '聚众斗殴',
        '群殴',
        '带(?:了|着)?(?:一帮|一伙|一群|一大帮|好几个|十几个|几十个|[0-9]+个)人',
        '双方各(?:自)?(?:叫|喊|找|带)(?:了|来)?(?:人|帮手|[一几十两三四五六七八九]+个人)',
        '(?:叫|喊|找)(?:了|来了?)(?:一帮|一伙|一群|一大帮|十几个|几十个)人',
        '两(?:伙|帮|拨)人',
      ].join('|'),
    ),
  ],
  [
    'exclusion.picking_quarrels',
    new RegExp(
      [
        '寻衅',
        '无故(?:挑衅|殴打|打人|辱骂|滋事|找事|找茬|动手)',
        '随意(?:殴打|打人|辱骂|损毁)',
        '随便打人',
        '耍横',
        '强拿硬要',
        '起哄闹事',
        '借故生非',
        '无事生非',
        '酒后(?:闹事|滋事)',
        `(?:素不相识|不认识|陌生)${near(10)}(?:打(?!电话|听|扰)|动手|殴打|踹|推|扇)`,
      ].join('|'),
    ),
  ],
  [
    'exclusion.repeated_offence',
    new RegExp(
      [
        `(?:多次|屡次|好几次|三番五次|经常)${near(2)}(?:殴打|打人|打我|动手|骚扰|辱骂|损毁|砸|偷|违法|闹事)`,
        '屡教不改',
        '又一次(?:打|动手|殴打)',
        '又(?:打(?!电话|听|工|扫|印|算|车|针|卡|折|官司|了?[一几两]?个?电话)|动手|殴打)',
        '再次(?:殴打|动手|打人|打我)',
        '第[二三四五六七八九十0-9]+次(?:打|动手|殴打)',
        `(?:之前|以前|上次|去年|曾经?)${near(8)}(?:被)?(?:拘留|行政处罚|治安处罚)`,
        '前科',
        '惯犯',
        '不是第一次(?:打|动手)',
      ].join('|'),
    ),
  ],
  [
    'exclusion.provoked_during_mediation',
    new RegExp(
      `(?:调解|调处)(?:中|时|过程中|期间|的时候|现场|室里|当天)${inSentence(12)}(?:又|再次|再|突然|当场)${near(2)}(?:动手|打(?!电话|听|算|印)|骂|辱骂|闹|挑起|挑衅|威胁|砸|摔|掀|推|冲突)`,
    ),
  ],
]

/**
 * Checks an entrusted case for exclusions. Pure. `reasons` (confirmed, from the officer's flags) decide
 * `excluded`; `suspected` (from the description) never does by itself, and lists only what the flags
 * have not already confirmed.
 */
export function checkExclusions(input: ExclusionInput): ExclusionResult {
  const flags = input.flags ?? {}
  const reasons: ExclusionCode[] = FLAG_CODES.filter(([flag]) => flags[flag] === true).map(([, code]) => code)
  const otherReason = flags.otherUnsuitable?.trim() || undefined
  if (otherReason) reasons.push('exclusion.other_unsuitable')

  const text = normaliseText(input.description)
  const suspected: SuspectedExclusion[] = []
  for (const [code, pattern] of PATTERNS) {
    if (reasons.includes(code)) continue
    const evidence = findUnnegated(text, pattern)
    if (evidence) suspected.push({ code, evidence })
  }

  if (reasons.length === 0) return { excluded: false, suspected }
  return { excluded: true, reasons, ...(otherReason ? { otherReason } : {}), suspected }
}

/**
 * Whether the case may be entrusted now: nothing confirmed and nothing left to review. A suspected
 * exclusion holds the case until the officer ticks the flag (then it is refused with the reason) or
 * dismisses the suspicion.
 */
export const entrustable = (result: ExclusionResult): boolean =>
  !result.excluded && result.suspected.length === 0

/** Why the system refuses (or asks the officer to check), in every portal language. */
export const exclusionMessages = {
  'zh-CN': {
    'exclusion.hired_violence': '雇凶伤害他人的案件不适用治安调解',
    'exclusion.gang_fight': '结伙斗殴的案件不适用治安调解',
    'exclusion.picking_quarrels': '寻衅滋事的案件不适用治安调解',
    'exclusion.repeated_offence': '多次实施违反治安管理行为的案件不适用治安调解',
    'exclusion.provoked_during_mediation': '当事人在治安调解过程中又挑起事端的，不适用治安调解',
    'exclusion.other_unsuitable': '民警认定本案不宜治安调解',
    'exclusion.review_required': '案情描述中可能涉及不得治安调解的情形，请民警核实后确认或排除',
  },
  en: {
    'exclusion.hired_violence':
      'Hired violence against another person cannot be settled by public-order mediation',
    'exclusion.gang_fight': 'Gang fights cannot be settled by public-order mediation',
    'exclusion.picking_quarrels':
      'Picking quarrels and provoking trouble cannot be settled by public-order mediation',
    'exclusion.repeated_offence':
      'Repeated public-order offences cannot be settled by public-order mediation',
    'exclusion.provoked_during_mediation':
      'A party provoked trouble again during mediation, so public-order mediation no longer applies',
    'exclusion.other_unsuitable': 'The police officer found this case unsuitable for public-order mediation',
    'exclusion.review_required':
      'The description may describe a case that cannot be mediated; the officer must confirm or dismiss this',
  },
} as const satisfies Record<Locale, Record<ExclusionCode | 'exclusion.review_required', string>>
