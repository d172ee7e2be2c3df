import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { DisputeType } from '../../functions/domain/case.ts'
import { VisibleError } from '../../functions/domain/errors.ts'
import {
  amountInText,
  gradeRisk,
  overrideRisk,
  parseChineseNumber,
  RISK_SIGNAL_CODES,
  RISK_SIGNAL_LEVELS,
  type RiskInput,
  type RiskLevel,
  riskMessages,
  riskSignalLabels,
} from '../../functions/domain/risk.ts'

interface SampleDispute {
  disputeType: DisputeType
  description: string
  amountInDispute?: number
  expectedRisk: RiskLevel
  why: string
}

/** The 24 shared example disputes, each with the level an experienced officer gives. */
const samples: SampleDispute[] = readFileSync(new URL('../fixtures/disputes.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim().length > 0)
  .map((line) => JSON.parse(line) as SampleDispute)

const level = (input: RiskInput) => gradeRisk(input).level
const codes = (input: RiskInput) => gradeRisk(input).signals.map((s) => s.code)

describe('the shared sample of 24 disputes', () => {
  it('has all 24', () => {
    expect(samples).toHaveLength(24)
  })

  it.each(samples.map((s) => [s.expectedRisk, s.description, s] as const))(
    '%s: %s',
    (expected, _, sample) => {
      const { expectedRisk: _e, why: _w, ...input } = sample
      expect(level(input)).toBe(expected)
    },
  )
})

/**
 * Our own descriptions: other words for the same dangers (other weapons, other phrasings of threats,
 * numerals, negations) and calm disputes with scary-looking words. [expected, type, description, what it tests].
 */
const own: [RiskLevel, DisputeType, string, string, Partial<RiskInput>?][] = [
  // Red: imminent danger to life, or a group incident in the making.
  [
    'red',
    'wage_arrears',
    '工头跑了，欠我们三十多个兄弟的血汗钱，明天大伙儿准备去市政府门口拉横幅。',
    'banner',
  ],
  ['red', 'contract_debt', '他说要是再不还钱，就拿汽油把我家点了。', 'arson threat with petrol'],
  ['red', 'other', '女儿和男朋友分手后，对方天天在楼下守着，还说得不到她就一起死。', 'die together'],
  ['red', 'land', '母亲因为征地补偿的事想不开，已经买好了农药，说拿不到钱就喝下去。', 'suicide euphemism'],
  ['red', 'neighbour', '邻居扬言要拿斧头劈了我家的狗和我。', 'axe and threat'],
  ['red', 'family', '老公喝醉了掐住我的脖子，我差点喘不过气，身上到处是淤青。', 'strangling, bruises'],
  ['red', 'family', '前夫说要让我全家陪葬，我现在不敢回家。', 'death threat, other wording'],
  [
    'red',
    'wage_arrears',
    '工友老李被欠了两年工资，昨天爬上了工地的塔吊，说不给钱就不下来。',
    'tower crane protest',
    { amountInDispute: 60000 },
  ],
  [
    'red',
    'land',
    '两家为了水渠的事闹了十几年，昨天对方扛着铁锹到我家门口，说见一次打一次。',
    'shovel and threat',
  ],
  ['red', 'family', '我八十多岁的奶奶被大伯赶出家门，这几天一直睡在村口的桥洞里。', 'elderly thrown out'],
  [
    'red',
    'contract_debt',
    '他拎着一根钢管在小区门口等我，说今天不给钱就废了我。',
    'pipe, maiming threat at me',
  ],
  ['red', 'land', '村里十几户人约好后天一起去镇政府，把大门堵住要补偿款。', 'households block a gate'],
  ['red', 'minor_public_order', '对方叫来了几十个人把路口堵住，双方都拿着棍子。', 'dozens with sticks'],
  [
    'red',
    'wage_arrears',
    '30多名工人准备聚集到项目部讨薪。',
    'digits, gathering',
    { amountInDispute: 300000 },
  ],
  ['red', 'family', '儿子不给瘫痪在床的老父亲饭吃，把他关在柴房里。', 'dependant starved, confined'],
  ['red', 'neighbour', '楼下那个人说要把我们家炸了，他前几天还问人哪里能买到雷管。', 'bomb threat'],
  ['red', 'other', '我弟弟有精神分裂症，今天拿着一把水果刀站在邻居门口不肯走。', 'mental illness, knife'],
  ['red', 'contract_debt', '欠款的事谈崩了，对方用砖头砸破了我的头。', 'weapon used'],
  [
    'red',
    'wage_arrears',
    '包工头一直拖着不给钱，我都不想活了。',
    'suicidal, small sum',
    { amountInDispute: 8000 },
  ],
  ['red', 'wage_arrears', '工友们说要是过年前拿不到钱，就集体去县政府静坐。', 'sit-in'],
  // Orange: violence happened or nearly did, or escalation is likely.
  ['orange', 'neighbour', '对门邻居老是把垃圾放在我家门口，昨天我们扭打在一起，被物业保安拉开。', 'scuffle'],
  [
    'orange',
    'wage_arrears',
    '工地上三十多个工人的工资拖了半年，总共六十多万，老板一直推说没钱。',
    'group, no plan',
  ],
  [
    'orange',
    'other',
    '我弟弟有精神分裂症，最近停药了，在家里砸东西，邻居很害怕。',
    'mental illness, no weapon',
  ],
  ['orange', 'neighbour', '隔壁因为装修噪音跟我们闹了很久，这次又报警了。', 'called again'],
  ['orange', 'neighbour', '邻居说要找人收拾我，我们两家的矛盾已经好几年了。', 'veiled threat'],
  [
    'orange',
    'family',
    '丈夫经常打我，每次喝了酒就动手，我不敢跟他提离婚。',
    'domestic violence, no injury said',
  ],
  [
    'orange',
    'family',
    '老母亲一个人住在乡下，儿子儿媳常年不管，最近摔了一跤也没人照顾。',
    'elderly neglected',
  ],
  ['orange', 'neighbour', '对方两次报警说我家狗咬人，双方在小区里差点打起来。', 'two calls, nearly a fight'],
  [
    'orange',
    'wage_arrears',
    '包工头欠了我们八个人的工钱，大家都急了，说再不给就去闹。',
    'eight workers',
    { amountInDispute: 40000 },
  ],
  [
    'orange',
    'wage_arrears',
    '我们七个工人打算一起去劳动仲裁委申请仲裁，工资一共九万。',
    'group via a lawful channel',
  ],
  ['orange', 'neighbour', '他们那边来了七八个人，在我家门口吵了一下午。', '七八 people'],
  [
    'orange',
    'wage_arrears',
    '老板欠了很多工友的工资，加起来有二十多万，大家说要去公司讨个说法。',
    'arrears escalating',
  ],
  [
    'orange',
    'minor_public_order',
    '在网吧因为座位吵起来，对方踹了我一脚，又扇了我一个耳光。',
    'kick and slap',
  ],
  ['orange', 'other', '对方家长威胁我家孩子，说放学后在校门口等着他。', 'child threatened'],
  ['orange', 'neighbour', '邻居揣着一把匕首在小区里转悠，见人就瞪。', 'dagger, no threat said'],
  ['orange', 'neighbour', '他喝多了在楼道里大喊大叫，说要跟我们拼了。', 'threat to fight'],
  ['orange', 'other', '前男友打我，把我的手机也砸了。', 'partner violence outside a family case'],
  // Yellow: worth watching.
  ['yellow', 'contract_debt', '借给同事两万块钱，说好半年还，现在一年多了还没还。', 'amount read from text'],
  ['yellow', 'land', '和邻居因为地界的事吵了好多年，一直没解决，也没动过手。', 'long-running, no fight'],
  ['yellow', 'neighbour', '之前因为这事报过一次警，民警来了说是民事纠纷让我们自己协商。', 'one earlier call'],
  [
    'yellow',
    'contract_debt',
    '装修公司给我家厨房装的橱柜尺寸不对，连放菜刀的刀架都装不上，合同款一共两万八。',
    'kitchen knife, harmless',
  ],
  ['yellow', 'family', '婆婆总说我不会带孩子，我和老公为这事吵了好几次。', 'family quarrel'],
  ['yellow', 'family', '父亲去年被车撞死了，肇事司机的保险赔偿在兄弟之间分不拢。', 'a death, not a threat'],
  [
    'yellow',
    'wage_arrears',
    '在工厂上了一年班，老板说资金周转不开，欠了我五万三千块。',
    'large arrears, calm',
  ],
  ['yellow', 'family', '丈夫没有打过我，但是经常冷暴力，不给生活费。', 'negated violence'],
  ['yellow', 'family', '她情绪还算稳定，没有轻生的想法，只是想尽快离婚。', 'negated self-harm'],
  // None: calm, whatever the words look like.
  [
    'none',
    'consumer',
    '我七十岁了，在超市买的保健品是过期的，商家不肯退钱，一共八百元。',
    'elderly applicant',
  ],
  ['none', 'consumer', '快递把我新买的一套刀具弄丢了，快递公司只肯赔两百。', 'knife set lost'],
  [
    'none',
    'neighbour',
    '我们在讨论孩子学校门口的停车问题，没有人动手，也不会动手，就是想找人协调一下。',
    'negations',
  ],
  [
    'none',
    'property',
    '租的房子退租时房东扣了押金两千，说墙上有刀划的痕迹，其实是原来就有的。',
    'knife mark',
  ],
  ['none', 'contract_debt', '他说打死也不还钱，一共欠了我三千。', 'idiom 打死也不'],
  [
    'none',
    'wage_arrears',
    '我是精神病医院的护工，医院拖欠我三个月工资共九千元。',
    'psychiatric hospital employer',
  ],
  ['none', 'neighbour', '老人们在小区里跳广场舞，音乐声太大影响休息。', 'elderly dancing'],
  ['none', 'neighbour', '我在楼顶晒被子，楼上邻居说我占用公共区域，吵了几句。', 'rooftop, no jump'],
  ['none', 'consumer', '我母亲七十多岁，在超市门口的台阶上摔伤了，超市说不是他们的责任。', 'elderly fell'],
  ['none', 'contract_debt', '装修是我自己动手做的，材料商送错了瓷砖不给换，差价九百。', 'DIY 自己动手'],
  ['none', 'neighbour', '我们吵得很凶，但是没打起来，现在想请人评评理。', 'no fight'],
  ['none', 'neighbour', '邻居把围墙推倒重建，多占了半米，想请村里量一下。', 'wall pulled down'],
  ['none', 'neighbour', '邻居砍了他家门口的树，树枝掉到我家院子里。', 'tree cut, not a person'],
  ['none', 'neighbour', '他家的猫被人打死了，他怀疑是我干的，其实我根本不知道。', 'a cat, not a person'],
  ['none', 'neighbour', '我们小区有一群小孩天天在楼道里玩，吵得不行。', 'children playing'],
  ['none', 'neighbour', '邻居说再吵就报警，结果真的报了警。', 'this call is not an earlier one'],
  ['none', 'consumer', '买的菜刀生锈了，商家不给换，想投诉。', 'rusty kitchen knife'],
  ['none', 'neighbour', '对方没有带刀，也没有动手，只是在门口站了一会儿。', 'negated weapon and fight'],
]

describe('our own descriptions', () => {
  it('has at least 25, spanning every level', () => {
    expect(own.length).toBeGreaterThanOrEqual(25)
    expect(new Set(own.map(([l]) => l))).toEqual(new Set(['red', 'orange', 'yellow', 'none']))
  })

  it.each(own)('%s (%s): %s [%s]', (expected, disputeType, description, _note, extra) => {
    expect(level({ disputeType, description, ...extra })).toBe(expected)
  })
})

describe('signals', () => {
  it('names what it found, with the words, highest level first', () => {
    const { level: l, signals } = gradeRisk({
      disputeType: 'land',
      description: '两家因为宅基地吵了好几年，今天对方拿着锄头堵在我家门口，说再越界就动手。',
    })
    expect(l).toBe('red')
    expect(signals[0]).toEqual({ code: 'risk.armed_threat', level: 'red', evidence: '拿着锄头 + 就动手' })
    expect(signals.map((s) => s.code)).toEqual([
      'risk.armed_threat',
      'risk.threat_of_violence',
      'risk.long_running',
    ])
    const ranks = signals.map((s) => ['yellow', 'orange', 'red'].indexOf(s.level))
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a))
  })

  it('gives no signals and level none for a calm dispute', () => {
    expect(gradeRisk({ disputeType: 'consumer', description: '网购的鞋子尺码不对，商家不给换。' })).toEqual({
      level: 'none',
      signals: [],
    })
  })

  it('a weapon alone is orange; with a threat, a fight, mental illness or a crowd it is red', () => {
    const knife = '邻居拿着一把菜刀在楼道里走来走去'
    expect(codes({ disputeType: 'neighbour', description: `${knife}。` })).toEqual(['risk.weapon'])
    expect(level({ disputeType: 'neighbour', description: `${knife}，说要让我好看。` })).toBe('red')
    expect(level({ disputeType: 'neighbour', description: `${knife}，刚才还推了我一把。` })).toBe('red')
    expect(level({ disputeType: 'neighbour', description: `${knife}。`, mentalIllness: true })).toBe('red')
  })

  it('a group of five without a plan is orange; with a plan to go together it is red', () => {
    expect(level({ disputeType: 'wage_arrears', description: '我们五个人的工钱没结。' })).toBe('orange')
    expect(
      level({ disputeType: 'wage_arrears', description: '我们五个人的工钱没结，明天一起去公司门口。' }),
    ).toBe('red')
    expect(
      level({ disputeType: 'wage_arrears', description: '我们四个人的工钱没结，明天一起去公司门口。' }),
    ).not.toBe('red')
  })

  it('domestic violence is orange, and red with an injury', () => {
    expect(codes({ disputeType: 'family', description: '他动不动就打我。' })).toContain(
      'risk.domestic_violence',
    )
    expect(level({ disputeType: 'family', description: '他动不动就打我。' })).toBe('orange')
    expect(level({ disputeType: 'family', description: '他动不动就打我，上次打得我鼻青脸肿。' })).toBe('red')
  })

  it('an injury without violence (a fall at work) is not a risk signal', () => {
    expect(
      codes({ disputeType: 'contract_debt', description: '工人在装修时从梯子上摔伤了，老板不肯出医药费。' }),
    ).toEqual([])
  })

  it('wage arrears: ≥50,000 yuan is yellow, orange with talk of escalation', () => {
    const input = { disputeType: 'wage_arrears' as const, amountInDispute: 50000 }
    expect(level({ ...input, description: '老板欠我工资一直不给。' })).toBe('yellow')
    expect(level({ ...input, description: '老板欠我工资一直不给，我已经走投无路了。' })).toBe('orange')
    expect(
      level({ ...input, amountInDispute: 20000, description: '老板欠我工资一直不给，我已经走投无路了。' }),
    ).toBe('yellow')
  })

  it('below 10,000 yuan an amount alone is no risk; from 10,000 it is yellow', () => {
    expect(
      level({ disputeType: 'contract_debt', amountInDispute: 9999, description: '朋友借钱不还。' }),
    ).toBe('none')
    expect(
      level({ disputeType: 'contract_debt', amountInDispute: 10000, description: '朋友借钱不还。' }),
    ).toBe('yellow')
  })

  it.each([
    ['这个月已经报警三次了', 'orange'],
    ['我们多次报警都没用', 'orange'],
    ['这是第三次报警了', 'orange'],
    ['民警已经来过好几次', 'orange'],
    ['这是第二次报警', 'yellow'],
    ['上个月为这事打过110', 'yellow'],
    ['我们没有报警', 'none'],
  ] as const)('repeat calls in the text: %s → %s', (text, expected) => {
    expect(level({ disputeType: 'neighbour', description: `${text}，邻居的空调外机对着我家窗户。` })).toBe(
      expected,
    )
  })

  it.each([
    [{ repeatCalls: 3 }, 'orange', 'risk.repeat_calls'],
    [{ repeatCalls: 2 }, 'orange', 'risk.repeat_calls'],
    [{ repeatCalls: 1 }, 'yellow', 'risk.prior_call'],
    [{ mentalIllness: true }, 'orange', 'risk.mental_illness'],
    [{ minorsOrElderlyAtRisk: true }, 'orange', 'risk.vulnerable_at_risk'],
    [{ partiesCount: 6 }, 'orange', 'risk.group'],
    [{ weapons: true }, 'orange', 'risk.weapon'],
    [{ weapons: true, threats: true }, 'red', 'risk.armed_threat'],
    [{ threats: true }, 'orange', 'risk.threat_of_violence'],
    [{ selfHarm: true }, 'red', 'risk.self_harm'],
    [{ gatheringPlanned: true }, 'red', 'risk.group_gathering'],
  ] as const)('structured intake %o → %s (%s)', (fields, expected, code) => {
    const g = gradeRisk({ disputeType: 'neighbour', description: '邻居的空调外机对着我家窗户。', ...fields })
    expect(g.level).toBe(expected)
    expect(g.signals.map((s) => s.code)).toContain(code)
  })

  it('a structured false never cancels what the text says', () => {
    expect(level({ disputeType: 'other', description: '他说不想活了。', selfHarm: false })).toBe('red')
  })

  it('grades full-width digits and punctuation like ASCII', () => {
    expect(level({ disputeType: 'wage_arrears', description: '我们３０多个工人，明天一起去项目部！' })).toBe(
      'red',
    )
  })

  it('family and minor public-order cases are never none', () => {
    expect(level({ disputeType: 'family', description: '想咨询一下离婚后孩子的抚养费怎么算。' })).toBe(
      'yellow',
    )
    expect(level({ disputeType: 'minor_public_order', description: '对方把我的自行车弄坏了。' })).toBe(
      'yellow',
    )
  })
})

describe('reading numbers', () => {
  it.each([
    ['五', 5],
    ['二十多', 20],
    ['十几', 12],
    ['几十', 20],
    ['好几十', 20],
    ['七八', 7],
    ['三四十', 30],
    ['上百', 100],
    ['数百', 200],
    ['30多', 30],
    ['1.5万', 15000],
    ['一万二', 12000],
    ['一万二千', 12000],
    ['两千四', 2400],
    ['三千五百', 3500],
    ['一百零五', 105],
    ['十八万', 180000],
  ])('%s → %d', (text, n) => {
    expect(parseChineseNumber(text)).toBe(n)
  })

  it('is undefined for words that are not numbers', () => {
    expect(parseChineseNumber('很多')).toBeUndefined()
    expect(parseChineseNumber('')).toBeUndefined()
  })

  it.each([
    ['包工头欠我一万二千元', 12000],
    ['将近四十万', 400000],
    ['三万块钱', 30000],
    ['60多万', 600000],
    ['十几万', 120000],
    ['两千四', 2400],
    ['12000元', 12000],
  ])('finds the amount in %s → %d', (text, n) => {
    expect(amountInText(text)).toBe(n)
  })

  it.each(['一万多人', '三千米', '五月到九月', '八十岁'])('%s is not money', (text) => {
    expect(amountInText(text)).toBeUndefined()
  })

  it('does not count money as people: 欠了五万工人工资 is not a crowd', () => {
    expect(codes({ disputeType: 'wage_arrears', description: '公司欠了五万工人工资。' })).not.toContain(
      'risk.group',
    )
    expect(codes({ disputeType: 'wage_arrears', description: '欠了三万人民币。' })).not.toContain(
      'risk.group',
    )
  })
})

describe('overrideRisk', () => {
  it('records the new level, the old one and the reason', () => {
    expect(overrideRisk('red', { level: 'orange', reason: '  双方已当面和解  ' })).toEqual({
      level: 'orange',
      overriddenFrom: 'red',
      reason: '双方已当面和解',
    })
  })

  it('accepts a whole assessment as the current grade', () => {
    const current = gradeRisk({ disputeType: 'family', description: '他说不想活了。' })
    expect(overrideRisk(current, { level: 'yellow', reason: '已联系家属陪护' }).overriddenFrom).toBe('red')
  })

  const fieldsOf = (fn: () => unknown) => {
    try {
      fn()
    } catch (e) {
      expect(e).toBeInstanceOf(VisibleError)
      return (e as VisibleError).fields
    }
    throw new Error('expected a VisibleError')
  }

  it.each([
    [{ level: 'none', reason: '误报' }, { reason: 'validation.too_short' }],
    [{ level: 'none', reason: '   ' }, { reason: 'validation.required' }],
    [{ level: 'none' }, { reason: 'validation.required' }],
    [{ level: 'purple', reason: '情况已核实' }, { level: 'validation.option' }],
    [{ level: 'red', reason: '情况已核实' }, { level: 'risk.override_unchanged' }],
  ])('refuses %o', (override, fields) => {
    expect(fieldsOf(() => overrideRisk('red', override))).toEqual(fields)
  })
})

describe('labels', () => {
  it('every signal code has a level and a label in every language, and nothing extra', () => {
    for (const labels of Object.values(riskSignalLabels)) {
      expect(Object.keys(labels).sort()).toEqual([...RISK_SIGNAL_CODES].sort())
      for (const text of Object.values(labels)) expect(text.length).toBeGreaterThan(1)
    }
    expect(Object.keys(RISK_SIGNAL_LEVELS)).toEqual(RISK_SIGNAL_CODES)
  })

  it('level names and the override message exist in both languages', () => {
    expect(Object.keys(riskMessages['zh-CN'])).toEqual(Object.keys(riskMessages.en))
    expect(riskMessages['zh-CN']['risk.level.red']).toContain('红')
  })
})
