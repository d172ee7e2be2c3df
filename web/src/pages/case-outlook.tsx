import { createAsync } from '@solidjs/router'
import { Show } from 'solid-js'
import { withStrings } from '../i18n/index.ts'
import { getOutlook } from './outlook.data.ts'

const t = withStrings({
  'zh-CN': {
    'outlook.title': '同类纠纷一般怎么样',
    'outlook.scope.area': '本街道近来办结的{type}纠纷共 {n} 件：',
    'outlook.scope.district': '本区办结的{type}纠纷共 {n} 件：',
    'outlook.duration': '一半在 {median} 天内调解成功，九成在 {p90} 天内。',
    'outlook.outcomes': '调解成功 {resolved}%，未成功 {notResolved}%，申请人撤回 {withdrawn}%。',
    'outlook.note': '这是匿名的统计数字，不代表您的案件结果。',
  },
  en: {
    'outlook.title': 'How disputes like this usually go',
    'outlook.scope.area': '{n} disputes of this type ended recently in this street:',
    'outlook.scope.district': '{n} disputes of this type ended in this district:',
    'outlook.duration': 'half were resolved within {median} days, nine in ten within {p90} days.',
    'outlook.outcomes': 'Resolved {resolved}%, not resolved {notResolved}%, withdrawn {withdrawn}%.',
    'outlook.note': 'Anonymous figures; they do not predict your own case.',
  },
})

/**
 * For the parties: how long disputes of the same type in the same area typically take and how they
 * end. Anonymous counts from the aggregates; nothing shown until enough cases have ended.
 */
export default function CaseOutlook(props: { caseId: string; typeLabel: string }) {
  const outlook = createAsync(() => getOutlook(props.caseId))
  return (
    <Show when={outlook()}>
      {(o) => {
        const x = o()
        if (x.scope === 'none' || !('cases' in x)) return null
        return (
          <section class="card" aria-labelledby="outlook-title">
            <h2 id="outlook-title">{t('outlook.title')}</h2>
            <p>
              {t(x.scope === 'area' ? 'outlook.scope.area' : 'outlook.scope.district', {
                n: x.cases,
                type: props.typeLabel,
              })}{' '}
              <Show when={x.medianDays !== null && x.p90Days !== null}>
                {t('outlook.duration', { median: x.medianDays ?? 0, p90: x.p90Days ?? 0 })}
              </Show>
            </p>
            <p>{t('outlook.outcomes', x.outcomes)}</p>
            <p class="field-hint">{t('outlook.note')}</p>
          </section>
        )
      }}
    </Show>
  )
}
