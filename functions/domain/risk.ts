import { z } from 'zod'
import { DisputeType } from './case.ts'
import { VisibleError } from './errors.ts'
import type { Locale } from './messages.ts'
import { fieldErrors } from './validation.ts'

/**
 * Risk grading of a dispute (风险等级评估, seed 002): red / orange / yellow, plus `none` for calm
 * disputes. The grade decides who looks at a case first and which cases the supervisor's risk board
 * shows, so a wrong `none` is the expensive mistake: rules lean towards flagging, and every flag says
 * why (a signal with the words that triggered it) so an officer can overrule it with a reason.
 *
 * The rules read structured intake fields when the police have them and always the free-text
 * description. They look for kinds of danger (a threat to kill, a weapon in hand, a crowd planning to
 * gather…), not for the wording of any example: each pattern lists the many ways Chinese speakers say
 * the same thing, and negation (没有动手, 不会动手) is honoured.
 */

export const RISK_LEVELS = ['none', 'yellow', 'orange', 'red'] as const
export const RiskLevel = z.enum(RISK_LEVELS, { error: 'validation.option' })
export type RiskLevel = z.infer<typeof RiskLevel>
export type SignalLevel = Exclude<RiskLevel, 'none'>

const RANK: Record<RiskLevel, number> = { none: 0, yellow: 1, orange: 2, red: 3 }

/** The higher of two levels. */
export const maxLevel = (a: RiskLevel, b: RiskLevel): RiskLevel => (RANK[a] >= RANK[b] ? a : b)

/**
 * Every signal and the one level it carries. A code is also an i18n key (riskSignalLabels), so the
 * portal, the risk board and the timeline all explain a grade in the reader's language.
 *
 * - red: imminent danger to life, or a group incident in the making.
 * - orange: violence has happened or nearly happened, or the people involved make escalation likely.
 * - yellow: worth watching: money that matters to a household, a long or stuck conflict, one earlier call.
 */
export const RISK_SIGNAL_LEVELS = {
  'risk.threat_to_life': 'red',
  'risk.self_harm': 'red',
  'risk.armed_threat': 'red',
  'risk.group_gathering': 'red',
  'risk.domestic_violence_injury': 'red',
  'risk.dependant_abuse': 'red',
  'risk.threat_of_violence': 'orange',
  'risk.weapon': 'orange',
  'risk.confrontation': 'orange',
  'risk.injury': 'orange',
  'risk.domestic_violence': 'orange',
  'risk.group': 'orange',
  'risk.repeat_calls': 'orange',
  'risk.mental_illness': 'orange',
  'risk.vulnerable_at_risk': 'orange',
  'risk.wage_arrears_escalating': 'orange',
  'risk.prior_call': 'yellow',
  'risk.large_wage_arrears': 'yellow',
  'risk.sizeable_amount': 'yellow',
  'risk.long_running': 'yellow',
  'risk.failed_mediation': 'yellow',
  'risk.many_affected': 'yellow',
  'risk.counterparty_unreachable': 'yellow',
  'risk.verbal_abuse': 'yellow',
  'risk.family_dispute': 'yellow',
  'risk.public_order_offence': 'yellow',
} as const satisfies Record<string, SignalLevel>
export type RiskSignalCode = keyof typeof RISK_SIGNAL_LEVELS
export const RISK_SIGNAL_CODES = Object.keys(RISK_SIGNAL_LEVELS) as [RiskSignalCode, ...RiskSignalCode[]]

/** Thresholds, in one place so a deployment can argue about them in one place. */
export const RISK_THRESHOLDS = {
  /**
   * Yuan. About two months of a migrant worker's wage (national average ~4,800 yuan a month in
   * 2023): an amount a household feels, so the dispute is worth watching.
   */
  sizeableAmount: 10_000,
  /** Yuan of unpaid wages that, with talk of escalation, makes a wage dispute orange. */
  largeWageArrears: 50_000,
  /** People on one side from which a dispute is a group (群体性) matter. */
  groupSize: 5,
  /** Earlier police calls about the same matter (90 days) from which it is a repeat call (重复警情). */
  repeatCalls: 2,
} as const

/**
 * What the grader reads. The case workflow fills the structured fields from police intake when it has
 * them and always passes the description. Structured fields are the officer's judgement and only ever
 * add signals: a `false` never cancels what the text says, because intake forms are often left at
 * their defaults. Not strict: the workflow may pass a whole case, and grading must not fail on fields
 * it does not read.
 */
export const RiskInput = z
  .object({
    disputeType: DisputeType,
    description: z.string({ error: 'validation.required' }).max(10_000, { error: 'validation.too_long' }),
    amountInDispute: z
      .number({ error: 'validation.number' })
      .nonnegative({ error: 'validation.amount' })
      .optional(),
    partiesCount: z
      .number({ error: 'validation.number' })
      .int({ error: 'validation.number' })
      .min(1, { error: 'validation.number' })
      .optional()
      .meta({ description: 'People involved on all sides' }),
    repeatCalls: z
      .number({ error: 'validation.number' })
      .int({ error: 'validation.number' })
      .min(0, { error: 'validation.number' })
      .optional()
      .meta({ description: 'Earlier calls or cases about the same phone, address or party in 90 days' }),
    minorsOrElderlyAtRisk: z.boolean({ error: 'validation.type' }).optional(),
    mentalIllness: z.boolean({ error: 'validation.type' }).optional(),
    weapons: z.boolean({ error: 'validation.type' }).optional(),
    threats: z
      .boolean({ error: 'validation.type' })
      .optional()
      .meta({ description: 'Threats of violence against others were made' }),
    selfHarm: z
      .boolean({ error: 'validation.type' })
      .optional()
      .meta({ description: 'A party threatened or attempted self-harm' }),
    injury: z
      .boolean({ error: 'validation.type' })
      .optional()
      .meta({ description: 'Someone was hurt by another party' }),
    gatheringPlanned: z
      .boolean({ error: 'validation.type' })
      .optional()
      .meta({ description: 'A group plans to gather, block or petition' }),
  })
  .meta({ id: 'RiskInput' })
export type RiskInput = z.infer<typeof RiskInput>

export const RiskSignal = z
  .object({
    code: z.enum(RISK_SIGNAL_CODES).meta({ description: 'An i18n key such as risk.self_harm' }),
    level: z.enum(['yellow', 'orange', 'red']),
    evidence: z.string().optional().meta({ description: 'The words or intake field that triggered it' }),
  })
  .meta({ id: 'RiskSignal' })
export type RiskSignal = z.infer<typeof RiskSignal>

export const RiskAssessment = z.object({ level: RiskLevel, signals: z.array(RiskSignal) }).meta({
  id: 'RiskAssessment',
  description: 'The overall level is the highest signal; none without signals',
})
export type RiskAssessment = z.infer<typeof RiskAssessment>

// ---------------------------------------------------------------------------------------------------
// Text matching. Descriptions are normalised with NFKC first, so full-width digits and punctuation
// (３０, ，！？) read like their ASCII forms; the patterns below therefore use ASCII , ! ? ; for
// clause ends, and 。 and 、 which NFKC keeps.
// ---------------------------------------------------------------------------------------------------

/** NFKC plus whitespace removed: Chinese needs no spaces, and stray ones would split words. */
export const normaliseText = (text: string) =>
  text
    .normalize('NFKC')
    .replace(/\s+/g, '')
    // 12,000元 → 12000元
    .replace(/(\d),(?=\d{3}(?!\d))/g, '$1')

const CLAUSE_END = /[,。!?;:、\n]/
const SENTENCE_END = /[。!?;\n]/

/**
 * A negation just before a word, in the same clause: 没(有), 不(会/要/敢), 未(曾), 并非, 别, 绝不…,
 * optionally with a pronoun object or a filler between (没有跟他动手, 没有人动手, 不会再动手).
 */
const NEGATED_BEFORE =
  /(?:没有?|不会|不要|不敢|不曾|不是|并非|并没有?|未曾|未|从未|从没有?|从来没有?|别|绝不|决不|不)(?:[跟和与对同向](?:他们|她们|我们|他|她|我|你|对方|人家|邻居))?人?(?:有|会|敢|要|想|曾|再|能|打算|可能|至于|去|过)?再?$/

function clausePrefix(text: string, index: number): string {
  let start = index
  while (start > 0 && !CLAUSE_END.test(text[start - 1] ?? '')) start--
  return text.slice(start, index)
}

/** Options for a match: words that must not come just before it in its clause. */
interface MatchOptions {
  /** Skip a match whose clause, up to the match, ends with this. */
  notAfter?: RegExp
  /** Skip a match when these words occur in the few characters before it (e.g. 被 for a passive). */
  notNear?: RegExp
  /** Keep negated matches (for words whose meaning negation does not flip). */
  allowNegated?: boolean
}

/**
 * The first match of `pattern` in `text` that is not negated (nor excluded by the options), or
 * undefined. `pattern` must not be global; a global copy is made here.
 */
export function findUnnegated(text: string, pattern: RegExp, options: MatchOptions = {}): string | undefined {
  const re = new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`)
  for (const m of text.matchAll(re)) {
    const prefix = clausePrefix(text, m.index)
    if (!options.allowNegated && NEGATED_BEFORE.test(prefix)) continue
    if (options.notAfter?.test(prefix)) continue
    if (options.notNear?.test(prefix.slice(-6))) continue
    return m[0]
  }
  return undefined
}

const sentencesOf = (text: string) => text.split(SENTENCE_END).filter((s) => s.length > 0)

/** The first sentence in which both patterns match (un-negated), as evidence. */
function inOneSentence(
  text: string,
  a: RegExp,
  b: RegExp,
  options: { b?: MatchOptions } = {},
): string | undefined {
  for (const sentence of sentencesOf(text)) {
    const first = findUnnegated(sentence, a, { allowNegated: true })
    if (!first) continue
    const second = findUnnegated(sentence, b, options.b)
    if (second) return `${first}…${second}`
  }
  return undefined
}

// ---------------------------------------------------------------------------------------------------
// Numbers: people counts (五个人, 二十多个工友, 几十名, 30多人) and amounts (一万二千元, 四十万, 1.5万).
// ---------------------------------------------------------------------------------------------------

const CN_DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
  // "A few": counted at the low end, so 几个人 is not a group but 几十个人 is.
  几: 2,
  数: 2,
}
const CN_SMALL_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 }
const CN_BIG_UNITS: Record<string, number> = { 万: 10_000, 亿: 100_000_000 }

/**
 * Reads a Chinese or Arabic number as people say it, taking the lower bound of vague forms:
 * 二十多 → 20, 十几 → 12, 几十 → 20, 七八 → 7, 三四十 → 30, 上百 → 100, 30多 → 30, 1.5万 → 15000,
 * and the colloquial elisions 一万二 → 12000, 两千四 → 2400. Undefined when it is not a number.
 */
export function parseChineseNumber(raw: string): number | undefined {
  const s = raw.replace(/^(?:好|上|将近|近|约)/, '').replace(/[多余来]+$/, '')
  if (!s) return undefined
  const arabic = /^(\d+(?:\.\d+)?)([十百千万亿]*)$/.exec(s)
  if (arabic) {
    let n = Number(arabic[1])
    for (const unit of arabic[2] ?? '') n *= CN_SMALL_UNITS[unit] ?? CN_BIG_UNITS[unit] ?? 1
    return n
  }
  let total = 0
  let section = 0
  let digit: number | undefined
  let lastUnit = 0
  let afterZero = false
  let sawSomething = false
  for (const ch of s) {
    const d = CN_DIGITS[ch]
    if (d !== undefined) {
      sawSomething = true
      if (d === 0) {
        afterZero = true
        continue
      }
      // 七八个, 三四十: a range; keep its lower (first) end.
      if (digit === undefined) digit = d
      continue
    }
    const small = CN_SMALL_UNITS[ch]
    if (small !== undefined) {
      sawSomething = true
      section += (digit ?? 1) * small
      digit = undefined
      lastUnit = small
      afterZero = false
      continue
    }
    const big = CN_BIG_UNITS[ch]
    if (big !== undefined) {
      sawSomething = true
      total += (section + (digit ?? 0) || 1) * big
      section = 0
      digit = undefined
      lastUnit = big
      afterZero = false
      continue
    }
    return undefined
  }
  if (!sawSomething) return undefined
  if (digit !== undefined) section += !afterZero && lastUnit >= 10 ? digit * (lastUnit / 10) : digit
  return total + section
}

const NUM = '[0-9]+(?:\\.[0-9]+)?|[零〇一二两三四五六七八九十百千万几数]+'

/** People nouns that are counted: 人 (not 人民币), workers, villagers, members, households… */
const PEOPLE_COUNT = new RegExp(
  `(?:好|上(?=[百千万]))?(${NUM})(?:多|余|来)?(?:个|名|位)?(?:人(?!民币)|工友|工人|农民工|民工|村民|群众|家属|亲属|亲戚|兄弟|会员|业主|住户|户|家人|员工|同事|老乡|学员|师傅|男子|青年|小伙子?|人员)`,
  'g',
)

/** The largest group of people the text counts (五个人 → 5), or 0. */
function largestCount(text: string): { size: number; evidence?: string } {
  let best: { size: number; evidence?: string } = { size: 0 }
  for (const m of text.matchAll(PEOPLE_COUNT)) {
    const num = m[1] ?? ''
    // 欠了五万工人工资: a sum of money before a noun, not tens of thousands of workers.
    if (/[万亿]/.test(num) && !/[万亿][多余来]?(?:个|名|位)?人$/.test(m[0])) continue
    const n = parseChineseNumber(num)
    if (n !== undefined && n > best.size) best = { size: n, evidence: m[0] }
  }
  return best
}

const MONEY = new RegExp(`(${NUM})(多|余|来)?([万千])?(?:多|余)?(块钱|块|元|圆)?`, 'g')
/** Counters after which a number is not money (一万多人, 三千米, 两千年). */
const NOT_MONEY_AFTER = /^[个名位人岁年天次户米平里斤吨亩份件台套间栋层月周号辆头只条张本]/

/** The largest amount of money the text names (四十万 → 400000), or undefined. */
export function amountInText(text: string): number | undefined {
  let best: number | undefined
  for (const m of text.matchAll(MONEY)) {
    const [whole, num = '', , unit = '', yuan] = m
    const hasBigUnit = /[万千]/.test(num + unit)
    if (!yuan && (!hasBigUnit || NOT_MONEY_AFTER.test(text.slice(m.index + whole.length)))) continue
    const n = parseChineseNumber(num)
    if (n === undefined) continue
    const value = n * (unit === '万' ? 10_000 : unit === '千' ? 1000 : 1)
    if (best === undefined || value > best) best = value
  }
  return best
}

// ---------------------------------------------------------------------------------------------------
// The vocabulary of danger. Each pattern covers a concept, not an example sentence.
// ---------------------------------------------------------------------------------------------------

/** Any punctuation-free stretch of up to n characters: "in the same clause, nearby". */
const near = (n: number) => `[^,。!?;:、\\n]{0,${n}}?`
const PRONOUN = '(?:你们|他们|她们|你|他|她|对方|人家)'
/** Who a threat is against: the applicant usually writes, so 我 is the commonest object (废了我). */
const VICTIM = '(?:你们|他们|她们|我们|你|他|她|我|对方|人家)'
const PLACE = '(?:家|房子|房|屋|厂子|厂|店|公司|车|楼|工地|铺子)'

/** Threats to kill or maim others, arson and explosion threats. 被 before it means a past event. */
const THREAT_TO_LIFE = new RegExp(
  [
    '(?:杀了|杀死|杀掉)(?!猪|鸡|鸭|鱼|羊|牛|虫)',
    '杀人',
    `(?:弄|整|搞|砍|捅|掐|毒|烧|炸|勒|打)死(?![也都]不)(?!了?${near(3)}(?:狗|猫|鸡|鸭|鹅|鱼|羊|牛|猪|树|苗|庄稼))`,
    '同归于尽',
    '一起死',
    '陪葬',
    '偿命',
    '血债血偿',
    '血洗',
    '灭门',
    `灭了?${PRONOUN}?(?:全家|满门)`,
    '报复社会',
    `让${near(6)}不得好死`,
    `要了?${VICTIM}(?:的|的狗)?命`,
    `(?:砍|捅)了?${VICTIM}(?![家的们])`,
    `废了${VICTIM}`,
    '(?:打|弄)残',
    `打断${VICTIM}的?腿`,
    '放火',
    '纵火',
    '一把火',
    `(?:烧|点|炸)了${PRONOUN}?(?:们)?的?${PLACE}`,
    `把${near(4)}${PLACE}(?:给)?(?:炸了|烧了|点了)`,
  ].join('|'),
)

/** Threats of violence short of killing: veiled (让你好看), conditional (再…就动手) or via others. */
const THREAT_OF_VIOLENCE = new RegExp(
  [
    '扬言',
    '恐吓',
    '报复(?!社会)',
    `让(?:你|我|他|她)(?:们)?(?:全家)?(?:好看|吃不了兜着走)`,
    `给${PRONOUN}?点颜色`,
    `(?:收拾|教训|揍)(?:你|他|她|我|一顿)`,
    '(?:找人|叫人)(?:收拾|教训|打(?!听|扫|工|印|官司|电话)|弄)',
    '不会放过',
    '饶不了',
    '走着瞧',
    '等着瞧',
    `(?:就|要|会|便|准备|想)(?:动手(?!术)|揍|打(?:你|他|她|我|人)(?![^,。]{0,3}(?:电话|手机|微信)))`,
    '见(?:一次)?[打砍]一次',
    `(?:跟|和|与)${VICTIM}?(?:拼命|拼了)`,
    '豁出去',
  ].join('|'),
)

/** Self-harm and suicide, said outright or in the usual euphemisms (想不开, 死给你看, 爬上塔吊). */
const SELF_HARM = new RegExp(
  [
    '跳(?:楼|河|江|湖|桥|海|崖)',
    '跳下去',
    `(?:楼顶|塔吊|天台|楼上|桥上|高处|顶上|上面)${near(4)}跳`,
    `爬(?:上|到)了?${near(4)}(?:塔吊|楼顶|天台|屋顶|高处|吊车|脚手架|桥)`,
    '喝(?:了)?(?:农)?药',
    '吞药',
    '服毒',
    '喝(?:百草枯|敌敌畏|老鼠药)',
    '上吊',
    '割腕',
    '自杀',
    '自尽',
    '轻生',
    '寻死',
    '寻短见',
    '想不开',
    '不想活',
    '活不下去',
    '不活了',
    '一死了之',
    '以死相逼',
    `死给${PRONOUN}?看`,
    '自焚',
    '往(?:自己)?身上(?:浇|泼)',
    '烧炭',
    '卧轨',
    '结束自己的生命',
    '了结自己',
  ].join('|'),
)

const WEAPONS =
  '(?:菜刀|砍刀|水果刀|尖刀|匕首|西瓜刀|柴刀|镰刀|弹簧刀|刀子|大刀|长刀|刀|斧头|斧子|斧|棍子|棍棒|木棍|铁棍|棒球棍|钢管|铁管|铁棒|木棒|棒子|锄头|铁锹|铁锨|铁镐|镐头|钉耙|铁叉|砖头|石头|酒瓶|扳手|锤子|榔头|汽油|柴油|农药|百草枯|敌敌畏|老鼠药|毒鼠强|硫酸|强酸|炸药|雷管|爆炸物|煤气罐|液化气罐|猎枪|枪|弓弩|弩|电棍|电击器)'
const WIELD =
  '(?:拿[着起了出把]?|手持|持|举[着起]|挥舞|挥[着起]|抄起|操起|拎[着了起]|提[着了起]|带[着了]|掏出|亮出|扛[着了]|握[着]|揣[着了]|别[着]|藏[着了])'
const DANGEROUS_SUBSTANCE = '(?:汽油|柴油|农药|百草枯|敌敌畏|老鼠药|毒鼠强|硫酸|强酸|炸药|雷管)'

/** A weapon or dangerous tool in someone's hands or brought along (a kitchen knife in a contract is not). */
const WEAPON_IN_HAND = new RegExp(
  `${WIELD}${near(8)}${WEAPONS}|(?:买了|买来|买好了?|准备了|备好了?|囤了)${near(6)}${DANGEROUS_SUBSTANCE}`,
)

/** A weapon used on someone: 砍伤, 捅了两刀, 用砖头砸, 泼硫酸. */
const WEAPON_USED = new RegExp(
  [
    '(?:砍|捅|刺|劈)(?:伤|向|了(?:我|他|她|人|一刀|几刀|两刀))(?![家的们])',
    '扎伤',
    '(?:砍|捅|刺|扎)了?[一两几\\d]+刀',
    '挨了[一两几\\d]+刀',
    `用${near(6)}${WEAPONS}${near(4)}(?:砍|捅|打|砸|刺|扎|劈|泼|浇|伤)`,
    `(?:泼|浇)了?${near(4)}(?:汽油|硫酸|强酸|柴油)`,
  ].join('|'),
)

/** Physical confrontation that happened or nearly happened (差点动手). Not DIY (自己动手) or surgery. */
const CONFRONTATION = new RegExp(
  [
    '动(?:了|过)?手(?!术|机|脚)',
    '打起来',
    '打了起来',
    '打架',
    '打成一团',
    '扭打',
    '厮打',
    '撕打',
    '互殴',
    '斗殴',
    '殴打',
    '推搡',
    '拉扯(?!大|长大)',
    '撕扯',
    '推了(?:我|他|她|一把|几下)',
    `打[了过]?(?:我|他|她|人|孩子|老人|妻子|老婆|丈夫|老公)(?!家|们家)(?![^,。]{0,3}(?:电话|手机|微信))`,
    '打了(?:一拳|一巴掌|几拳|一顿|几下|耳光)',
    '[一两几]个?(?:拳|巴掌|耳光)',
    '扇(?:了)?(?:我|他|她)?(?:一个)?(?:耳光|巴掌)',
    '[踢踹]了?(?:我|他|她)(?![家的们])',
    '[踢踹]了?[一两几]脚',
    '掐(?:住|着)?(?:我|他|她)?的?脖子',
    '揪(?:住|着)?(?:我|他|她)?的?(?:头发|衣领)',
    '肢体冲突',
    '拉架',
    '劝架',
  ].join('|'),
)
/** Beaten: a person, not the dog or the cat (他家的猫被人打死了). */
const BEATEN = /被(?:他|她|对方|人)?打(?!扰|印|包|卡|开|针|湿|电话|回|发|败|动)|挨了?打/
const ANIMAL = /狗|猫|鸡|鸭|鹅|鱼|羊|牛|猪|鸟|鸽/
/** Pushed over: a person, not a wall or a shed (推倒重建). */
const PUSHED_DOWN = /推倒(?!重建|重来|重做)/
const THING_PUSHED = /墙|房|屋|棚|树|门|车|柜|杆|篱笆/
/** Modal words before 动手/打 turn a confrontation into a threat (就动手): see THREAT_OF_VIOLENCE. */
const MODAL_BEFORE = /(?:就|要|会|想|准备|打算|敢|自己|亲自)$/

/** Injuries. Counted only alongside violence: a fall at work is a compensation matter, not a risk. */
const INJURY =
  /受伤|受了伤|有伤(?!害|心)|伤口|伤痕|伤情|出血|流血|流了血|骨折|淤青|青一块紫一块|青紫|红肿|缝了?[^,。]{0,3}针|脑震荡|轻微伤|轻伤|重伤|[摔打划烫咬抓砍捅刺扎踢]伤|鼻青脸肿|头破血流|牙(?:被)?打掉/

const DOMESTIC_VIOLENCE =
  /家暴|家庭暴力|(?:经常|总是|老是|动不动就?|一喝酒就|喝醉了?就?|天天|又)(?:打我|打人|动手|打孩子|打老婆|打妻子)/
const PARTNER = /丈夫|老公|妻子|老婆|前夫|前妻|男友|男朋友|女友|女朋友|未婚夫|未婚妻|对象/

/** Collective action that in itself means a crowd: red on its own. */
const COLLECTIVE_ACTION =
  /聚集|聚众|围堵|围攻|拉(?:着)?横幅|打横幅|挂横幅|举(?:着)?牌子|静坐|集体上访|联名上访|冲击(?:政府|派出所|工地|公司|项目部|厂|单位|机关)|游行|示威/
/** Acting together: red only when the text also shows a group of at least five. */
const GROUP_ACTION = new RegExp(
  [
    `(?:一起|一块儿?|集体|结伴|组团|约好|组织|商量好?)${near(6)}(?:去|到|找|上)`,
    '堵(?:住|了)?(?:大门|路口|道路|马路|公路|门|路)',
    '把(?:路|路口|大门|门口|门|马路|公路)(?:给)?堵',
    '讨(?:个)?说法',
    '上访',
    '闹事',
    '围(?:住|了)',
  ].join('|'),
)
/** Going together through a legal channel is not a gathering. */
const LEGAL_CHANNEL = /仲裁|法院|起诉|劳动监察|律师|调解|投诉|12345|咨询|打官司/
/** A crowd of people (一群小孩在玩 is children playing, not a group in a dispute). */
const CROWD =
  /(?:一群|一帮|一伙|一大帮|一大群)(?!小孩|孩子|学生|鸡|鸭|鹅|鸽子|狗|羊)|大批|成群|成批|众多|全体(?:工人|员工|村民|业主|工友)|全村|上百人|成百上千/
/** Many people harmed, without a count: a dispute with many victims, not a group acting as one. */
const MANY_AFFECTED =
  /(?:很多|许多|好多|不少|大量|多名|一批)(?:的)?(?:会员|业主|顾客|消费者|学员|家长|人|户|村民|工人|工友|住户|租户|受害者|客户|员工|老人)/

const MENTAL_ILLNESS =
  /精神病(?!院|医院|专科)|精神疾病|精神障碍|精神分裂|精神(?:不太|不大|有点|有些)?(?:不正常|失常|异常|有问题)|躁狂|双相|抑郁症/

/** Children, old people and others who depend on care; ages under 18 or from 60 count. */
const VULNERABLE =
  /孩子|小孩|儿童|幼儿|婴儿|宝宝|未成年|小学生|中学生|初中生|高中生|老人|老年人|老太太|老太|老大爷|老大娘|老爷子|老母亲|老父亲|老伴|爷爷|奶奶|外公|外婆|姥姥|姥爷|残疾|瘫痪|卧床|孕妇|怀孕|(?<![0-9一二三四五六七八九])(?:[六七八九]十|[6-9][0-9])[多几]?岁|(?<![0-9一二两三四五六七八九十百])(?:十[一二三四五六七]?|[一二两三四五六七八九]|1[0-7]|[1-9])(?:个)?(?:多)?岁/
/** Harm or neglect by people, in the same sentence as a child or old person. */
const VULNERABLE_HARM = new RegExp(
  [
    '欺负',
    '霸凌',
    '欺凌',
    '殴打',
    '打骂',
    '体罚',
    '被打',
    '挨打',
    `打了?(?:孩子|老人|他|她)(?![^,。]{0,3}(?:电话|手机|微信))`,
    '推倒',
    '威胁',
    '恐吓',
    '没人管',
    '无人照顾',
    '没人照顾',
    '无人看护',
    '没人照看',
    '不管不顾',
    '不闻不问',
    '(?:也|都|根本|从来)不管',
    '走失',
    '失踪',
    '离家出走',
    '辍学',
    '不让(?:他|她)?上学',
  ].join('|'),
)
/** Confinement, starvation, abuse or abandonment of a dependant: danger to life. */
const DEPENDANT_ABUSE = new RegExp(
  [
    '虐待',
    '遗弃',
    '赶出(?:家)?门',
    '扔下不管',
    '不给(?:他|她|老人|孩子)?(?:饭)?吃',
    '不让(?:他|她)?吃饭',
    '饿(?:着|肚子|得|了[^,。]{0,3}天)',
    `(?:锁|关)(?:在|进)${near(4)}(?:屋|房|家|里|厕所|卫生间|地下室|柴房|猪圈|笼)`,
    '(?:锁|关)起来',
    '反锁',
    '猥亵',
    '性侵',
    '拐卖',
  ].join('|'),
)
/** Things, not people, being locked up: 把钥匙锁在屋里, 把狗关在笼子里. */
const THING_LOCKED = /钥匙|车|门|东西|手机|狗|猫|鸡|鸭|猪|牛|羊|货/

const CALL = '(?:报警|报了警|报过警|报案|打了?110|拨打了?110|打过110|叫了?警察|出警)'
const COUNT_WORD = '(?:[0-9]+|[一二两三四五六七八九十几]+|好几|很多|多|无数)'
const CALLS_MANY_BEFORE = new RegExp(
  `(?:多次|屡次|反复|频繁|经常|三番五次|好几次|几次|很多次|无数次|一再|多回)${near(4)}${CALL}`,
)
const CALLS_COUNTED = new RegExp(
  [
    `${CALL}${near(3)}(${COUNT_WORD})(?:次|回)`,
    `(${COUNT_WORD})(?:次|回)${CALL}`,
    `(?:报|打)(?:了|过)(${COUNT_WORD})(?:次|回)(?:警|110)`,
    `(?:民警|警察|派出所)${near(4)}来(?:了|过)(${COUNT_WORD})(?:次|回)`,
  ].join('|'),
)
const CALL_AGAIN = new RegExp(`(?:又|再次|再一次|又一次)${CALL}`)
const CALL_NTH = new RegExp(`第(${COUNT_WORD})次${CALL}`)
const CALL_BEFORE = new RegExp(`报过(?:一次)?警|(?:之前|以前|上次|曾经?|前几天|上个月|去年)${near(6)}${CALL}`)

const ESCALATION =
  /讨(?:个)?说法|要(?:个)?说法|没办法了|走投无路|逼急了|急眼|过不了年|回不了家|揭不开锅|吃不上饭|(?:要|去|就)闹|闹大|找媒体|曝光|上访|拼了|豁出去/

const LONG_RUNNING = new RegExp(
  [
    `(?:吵|闹|争|斗|矛盾|纠纷|恩怨|不和|官司)${near(4)}(?:好几年|好多年|多年|几年|十几年|几十年|(?:[一二两三四五六七八九十]+|[0-9]{1,2})年(?!前|后|底|初)|很久|很长时间)`,
    `(?:好几年|好多年|多年|十几年|几十年|长期)${near(4)}(?:矛盾|纠纷|恩怨|不和|积怨|争吵)`,
    '积怨',
    '宿怨',
    '世仇',
    '(?:吵|闹)了?(?:很多|好多|无数|多)次',
    '(?:三番五次|反反复复)(?:吵|闹)',
  ].join('|'),
)
/** A mediation that already took place and failed (调解过一次没谈拢), not a hypothetical (调解不成就起诉). */
const FAILED_MEDIATION = new RegExp(
  `调解(?:过|了)${near(6)}(?:没谈拢|没有谈拢|谈不拢|不成|失败|无果|没成|没有结果|没用|没解决|没有解决)|调解(?:失败|无果)|多次调解`,
)
const COUNTERPARTY_UNREACHABLE =
  /跑路|卷款|卷钱|失联|联系不上|找不到(?:人|他|她|老板)|人间蒸发|(?:电话|手机)(?:也)?(?:打不通|关机|停机)|拉黑|躲起来|避而不见|玩失踪/
const VERBAL_ABUSE =
  /辱骂|谩骂|骂(?:我|人|他|她|你|得很难听)|破口大骂|侮辱|诽谤|造谣|诋毁|(?:发|挂|传)到网上|曝光|人肉|骚扰|泼油漆|大字报/

// ---------------------------------------------------------------------------------------------------
// Grading.
// ---------------------------------------------------------------------------------------------------

const countOf = (word: string | undefined): number => {
  if (!word) return 0
  if (/^(?:好几|很多|多|无数)$/.test(word)) return 2
  return parseChineseNumber(word) ?? 0
}

/** Earlier police calls the text mentions: 报警三次, 多次报警, 又报警 → 2+, 报过一次警 → 1. */
function callsInText(text: string): { calls: number; evidence?: string } {
  const many = findUnnegated(text, CALLS_MANY_BEFORE)
  if (many) return { calls: 2, evidence: many }
  // 第三次报警: this call is the third, so two came before.
  const nth = CALL_NTH.exec(text)
  if (nth) return { calls: Math.max(countOf(nth[1]) - 1, 0), evidence: nth[0] }
  const re = new RegExp(CALLS_COUNTED.source, 'g')
  for (const m of text.matchAll(re)) {
    if (NEGATED_BEFORE.test(clausePrefix(text, m.index))) continue
    const n = countOf(m.slice(1).find((g) => g !== undefined))
    if (n >= 1) return { calls: n, evidence: m[0] }
  }
  const again = findUnnegated(text, CALL_AGAIN)
  if (again) return { calls: 2, evidence: again }
  const before = findUnnegated(text, CALL_BEFORE)
  if (before) return { calls: 1, evidence: before }
  return { calls: 0 }
}

/**
 * Grades a dispute. Pure and deterministic: the same input always gives the same signals, in the
 * same order (highest level first), so the grade can be recomputed and audited.
 *
 * Rules (each produces a signal; the overall level is the highest):
 * - red: a threat to kill or maim, or arson (threat_to_life); self-harm or suicide talk (self_harm);
 *   a weapon in hand together with a threat, a fight, mental illness or a crowd, or a weapon used
 *   (armed_threat); a group (≥5, or a crowd word) planning to gather, block or petition, or a
 *   collective action word such as 聚集/拉横幅/静坐 (group_gathering); domestic violence with injury;
 *   a child or old person confined, starved, abused or abandoned (dependant_abuse).
 * - orange: a threat of violence (扬言, 让你好看, 再…就动手); a weapon in hand without a threat; a
 *   physical confrontation that happened or nearly did; an injury from it; domestic violence; a group
 *   of ≥5 without a plan to gather; ≥2 earlier calls; mental illness; a child or old person harmed or
 *   neglected; large wage arrears (≥50,000 yuan, a group or many workers) with talk of escalation.
 * - yellow: one earlier call; wage arrears ≥50,000 yuan; any amount ≥10,000 yuan; a conflict of
 *   years or many rows; a failed earlier mediation; many victims without a count; the other side
 *   gone; insults or exposure online; and two floors by type: family disputes (seed 002 grades risk
 *   around family and marriage, and family disputes are the bulk of repeat calls) and minor
 *   public-order cases (an offence such as 殴打 or 侮辱 has already happened between the parties).
 */
export function gradeRisk(input: RiskInput): RiskAssessment {
  const text = normaliseText(input.description)
  const found = new Map<RiskSignalCode, string | undefined>()
  const add = (code: RiskSignalCode, evidence: string | undefined) => {
    if (!found.has(code)) found.set(code, evidence)
  }
  /** Adds the signal only when its evidence was found. */
  const addFound = (code: RiskSignalCode, evidence: string | undefined) => {
    if (evidence) add(code, evidence)
  }

  // Facts read from the text (and the structured fields that say the same thing).
  const threatToLife = findUnnegated(text, THREAT_TO_LIFE, { notNear: /被/ })
  const threat = findUnnegated(text, THREAT_OF_VIOLENCE) ?? (input.threats ? 'threats' : undefined)
  const selfHarm = findUnnegated(text, SELF_HARM) ?? (input.selfHarm ? 'selfHarm' : undefined)
  const weaponInHand = findUnnegated(text, WEAPON_IN_HAND) ?? (input.weapons ? 'weapons' : undefined)
  const weaponUsed = findUnnegated(text, WEAPON_USED)
  const confrontation =
    findUnnegated(text, CONFRONTATION, { notAfter: MODAL_BEFORE }) ??
    findUnnegated(text, BEATEN, { notNear: ANIMAL }) ??
    findUnnegated(text, PUSHED_DOWN, { notNear: THING_PUSHED })
  const mental = findUnnegated(text, MENTAL_ILLNESS) ?? (input.mentalIllness ? 'mentalIllness' : undefined)
  const injuryWords = findUnnegated(text, INJURY) ?? (input.injury ? 'injury' : undefined)

  const counted = largestCount(text)
  const crowd = findUnnegated(text, CROWD)
  const parties = input.partiesCount ?? 0
  const groupSize = Math.max(counted.size, parties, crowd ? RISK_THRESHOLDS.groupSize : 0)
  const isGroup = groupSize >= RISK_THRESHOLDS.groupSize
  const groupEvidence = crowd ?? (counted.size >= parties ? counted.evidence : `partiesCount=${parties}`)
  const manyAffected = findUnnegated(text, MANY_AFFECTED)

  const domestic =
    findUnnegated(text, DOMESTIC_VIOLENCE) ??
    (confrontation && input.disputeType === 'family' ? confrontation : undefined) ??
    inOneSentence(text, PARTNER, CONFRONTATION, { b: { notAfter: MODAL_BEFORE } })
  const violence = confrontation ?? domestic ?? weaponUsed

  // Red.
  if (threatToLife) add('risk.threat_to_life', threatToLife)
  if (selfHarm) add('risk.self_harm', selfHarm)
  if (weaponUsed) add('risk.armed_threat', weaponUsed)
  if (weaponInHand) {
    const aggravation =
      threatToLife ?? threat ?? confrontation ?? mental ?? (isGroup ? groupEvidence : undefined)
    if (aggravation) add('risk.armed_threat', `${weaponInHand} + ${aggravation}`)
    else add('risk.weapon', weaponInHand)
  }
  const collective = findUnnegated(text, COLLECTIVE_ACTION)
  const together = findUnnegated(text, GROUP_ACTION)
  const legalChannel = together
    ? sentencesOf(text).some((s) => s.includes(together) && LEGAL_CHANNEL.test(s))
    : false
  if (collective) add('risk.group_gathering', collective)
  else if (isGroup && together && !legalChannel) add('risk.group_gathering', `${groupEvidence} + ${together}`)
  else if (input.gatheringPlanned) add('risk.group_gathering', 'gatheringPlanned')
  const injury = violence ? injuryWords : undefined
  if (domestic && injury) add('risk.domestic_violence_injury', `${domestic} + ${injury}`)
  const abuse = inOneSentence(text, VULNERABLE, DEPENDANT_ABUSE, { b: { notNear: THING_LOCKED } })
  if (abuse) add('risk.dependant_abuse', abuse)

  // Orange.
  if (threat) add('risk.threat_of_violence', threat)
  if (confrontation) add('risk.confrontation', confrontation)
  if (injury) add('risk.injury', injury)
  if (domestic && !injury) add('risk.domestic_violence', domestic)
  if (isGroup) add('risk.group', groupEvidence)
  const textCalls = callsInText(text)
  const calls = Math.max(textCalls.calls, input.repeatCalls ?? 0)
  const callsEvidence = textCalls.calls >= calls ? textCalls.evidence : `repeatCalls=${input.repeatCalls}`
  if (calls >= RISK_THRESHOLDS.repeatCalls) add('risk.repeat_calls', callsEvidence)
  if (mental) add('risk.mental_illness', mental)
  const vulnerable =
    inOneSentence(text, VULNERABLE, VULNERABLE_HARM) ??
    (violence ? inOneSentence(text, VULNERABLE, INJURY) : undefined) ??
    (input.minorsOrElderlyAtRisk ? 'minorsOrElderlyAtRisk' : undefined)
  if (vulnerable) add('risk.vulnerable_at_risk', vulnerable)

  const amount = input.amountInDispute ?? amountInText(text)
  const wages = input.disputeType === 'wage_arrears'
  const largeArrears = wages && amount !== undefined && amount >= RISK_THRESHOLDS.largeWageArrears
  if (wages && (largeArrears || isGroup || manyAffected)) {
    const escalation = findUnnegated(text, ESCALATION)
    if (escalation) add('risk.wage_arrears_escalating', escalation)
  }

  // Yellow.
  if (calls === 1) add('risk.prior_call', callsEvidence)
  if (largeArrears) add('risk.large_wage_arrears', `${amount}`)
  else if (amount !== undefined && amount >= RISK_THRESHOLDS.sizeableAmount)
    add('risk.sizeable_amount', `${amount}`)
  addFound('risk.long_running', findUnnegated(text, LONG_RUNNING))
  addFound('risk.failed_mediation', findUnnegated(text, FAILED_MEDIATION))
  if (!isGroup) addFound('risk.many_affected', manyAffected)
  addFound('risk.counterparty_unreachable', findUnnegated(text, COUNTERPARTY_UNREACHABLE))
  addFound('risk.verbal_abuse', findUnnegated(text, VERBAL_ABUSE))
  if (input.disputeType === 'family') add('risk.family_dispute', undefined)
  if (input.disputeType === 'minor_public_order') add('risk.public_order_offence', undefined)

  const signals: RiskSignal[] = [...found.entries()]
    .map(([code, evidence]) => ({
      code,
      level: RISK_SIGNAL_LEVELS[code],
      ...(evidence === undefined ? {} : { evidence: evidence.slice(0, 60) }),
    }))
    // Stable sort: highest level first, then in rule order.
    .sort((a, b) => RANK[b.level] - RANK[a.level])
  const level = signals.reduce<RiskLevel>((acc, s) => maxLevel(acc, s.level), 'none')
  return { level, signals }
}

// ---------------------------------------------------------------------------------------------------
// Staff override.
// ---------------------------------------------------------------------------------------------------

/**
 * A staff member's override of the computed level. The reason is required (at least 4 characters,
 * e.g. 双方已和解) because the rules can be wrong both ways and a supervisor reviewing the risk board
 * must see who lowered a red and why; an override that changes nothing is refused, so the timeline
 * only records real decisions.
 */
export const RiskOverrideInput = z
  .strictObject({
    level: RiskLevel,
    reason: z
      .string({ error: 'validation.required' })
      .trim()
      .min(1, { error: 'validation.required' })
      .min(4, { error: 'validation.too_short' })
      .max(500, { error: 'validation.too_long' }),
  })
  .meta({ id: 'RiskOverrideInput' })
export type RiskOverrideInput = z.infer<typeof RiskOverrideInput>

export interface RiskOverride {
  level: RiskLevel
  overriddenFrom: RiskLevel
  reason: string
}

/**
 * Validates an override of `current` (a level or a whole assessment). Throws a VisibleError with
 * field codes when the level or reason is invalid, or when the level would not change
 * (`risk.override_unchanged`).
 */
export function overrideRisk(current: RiskLevel | RiskAssessment, override: unknown): RiskOverride {
  const parsed = RiskOverrideInput.safeParse(override)
  if (!parsed.success)
    throw new VisibleError('input', 'validation.failed', undefined, fieldErrors(parsed.error.issues))
  const from = typeof current === 'string' ? current : current.level
  if (parsed.data.level === from) {
    throw new VisibleError('input', 'validation.failed', undefined, { level: 'risk.override_unchanged' })
  }
  return { level: parsed.data.level, overriddenFrom: from, reason: parsed.data.reason }
}

// ---------------------------------------------------------------------------------------------------
// Labels.
// ---------------------------------------------------------------------------------------------------

/** What each signal means, for officers and supervisors, in every portal language. */
export const riskSignalLabels = {
  'zh-CN': {
    'risk.threat_to_life': '扬言杀人、伤人或纵火',
    'risk.self_harm': '有自伤、轻生言行',
    'risk.armed_threat': '持械并有威胁、冲突或已持械伤人',
    'risk.group_gathering': '群体聚集、堵门或上访苗头',
    'risk.domestic_violence_injury': '家庭暴力致人受伤',
    'risk.dependant_abuse': '老人或未成年人被关押、挨饿、虐待或遗弃',
    'risk.threat_of_violence': '有威胁、报复言语',
    'risk.weapon': '携带刀具、棍棒等器械或危险物品',
    'risk.confrontation': '已发生或险些发生肢体冲突',
    'risk.injury': '冲突中有人受伤',
    'risk.domestic_violence': '家庭暴力',
    'risk.group': '一方人数较多（5人以上）',
    'risk.repeat_calls': '重复报警',
    'risk.mental_illness': '当事人疑似患有精神疾病',
    'risk.vulnerable_at_risk': '老人或未成年人受到伤害或无人照顾',
    'risk.wage_arrears_escalating': '欠薪数额大或人数多，且有激化苗头',
    'risk.prior_call': '此前报过警',
    'risk.large_wage_arrears': '欠薪数额较大（5万元以上）',
    'risk.sizeable_amount': '争议金额较大（1万元以上）',
    'risk.long_running': '矛盾持续时间长、反复争吵',
    'risk.failed_mediation': '此前调解未成功',
    'risk.many_affected': '受损失的人较多',
    'risk.counterparty_unreachable': '对方失联或跑路',
    'risk.verbal_abuse': '辱骂、骚扰或扬言网上曝光',
    'risk.family_dispute': '家庭、婚姻纠纷',
    'risk.public_order_offence': '已发生违反治安管理行为',
  },
  en: {
    'risk.threat_to_life': 'Threat to kill, maim or set fire',
    'risk.self_harm': 'Self-harm or suicide threat',
    'risk.armed_threat': 'Weapon together with a threat or fight, or a weapon used',
    'risk.group_gathering': 'A group gathering, blocking or petitioning',
    'risk.domestic_violence_injury': 'Domestic violence with injury',
    'risk.dependant_abuse': 'Child or elderly person confined, starved, abused or abandoned',
    'risk.threat_of_violence': 'Threats of violence or revenge',
    'risk.weapon': 'Knife, club or other weapon or dangerous substance',
    'risk.confrontation': 'Physical confrontation, or nearly',
    'risk.injury': 'Someone was hurt',
    'risk.domestic_violence': 'Domestic violence',
    'risk.group': 'A group of five or more on one side',
    'risk.repeat_calls': 'Repeated police calls',
    'risk.mental_illness': 'A party may have a mental illness',
    'risk.vulnerable_at_risk': 'Child or elderly person harmed or left without care',
    'risk.wage_arrears_escalating': 'Large or collective wage arrears, with signs of escalation',
    'risk.prior_call': 'Police were called before',
    'risk.large_wage_arrears': 'Large wage arrears (50,000 yuan or more)',
    'risk.sizeable_amount': 'Sizeable amount in dispute (10,000 yuan or more)',
    'risk.long_running': 'Long-running or repeated conflict',
    'risk.failed_mediation': 'An earlier mediation failed',
    'risk.many_affected': 'Many people have lost money',
    'risk.counterparty_unreachable': 'The other party cannot be reached',
    'risk.verbal_abuse': 'Insults, harassment or threats to expose online',
    'risk.family_dispute': 'Family or marriage dispute',
    'risk.public_order_offence': 'A public-order offence has taken place',
  },
} as const satisfies Record<Locale, Record<RiskSignalCode, string>>

/** Names of the levels and the override error, in every portal language. */
export const riskMessages = {
  'zh-CN': {
    'risk.level.red': '红色（高风险）',
    'risk.level.orange': '橙色（较高风险）',
    'risk.level.yellow': '黄色（一般风险）',
    'risk.level.none': '无明显风险',
    'risk.override_unchanged': '调整后的等级与当前等级相同',
  },
  en: {
    'risk.level.red': 'Red (high risk)',
    'risk.level.orange': 'Orange (elevated risk)',
    'risk.level.yellow': 'Yellow (some risk)',
    'risk.level.none': 'No notable risk',
    'risk.override_unchanged': 'The new level is the same as the current one',
  },
} as const satisfies Record<Locale, Record<string, string>>
