import { t } from '../../i18n/staff.ts'

export type Risk = 'red' | 'orange' | 'yellow' | 'none'

/** The red / orange / yellow grade as a coloured chip with its name (never colour alone). */
export function RiskChip(props: { level: string }) {
  const level = () => (['red', 'orange', 'yellow'].includes(props.level) ? (props.level as Risk) : 'none')
  return <span class={`risk-chip risk-${level()}`}>{t(`risk.chip.${level()}`)}</span>
}

export function OverdueFlag() {
  return <span class="overdue-flag">{t('queue.overdueFlag')}</span>
}
