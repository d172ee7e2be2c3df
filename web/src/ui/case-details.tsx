import { type JSX, Show } from 'solid-js'
import type { CaseView } from '../../../functions/domain/case.ts'
import { formatDateTime, formatPlainDate, formatYuan, t } from '../i18n/index.ts'

/** One labelled row of a details list. */
export function Detail(props: { label: string; children: JSX.Element }) {
  return (
    <div class="detail">
      <dt>{props.label}</dt>
      <dd>{props.children}</dd>
    </div>
  )
}

/** The case as filed: what, when, where, how much and how to meet. The citizen's view adds the respondent. */
export function CaseDetails(props: {
  case: CaseView
  /** Defaults to the application form's own label. */
  descriptionLabel?: string
  withRespondent?: boolean
}) {
  const c = () => props.case
  const place = () =>
    [c().location.district, c().location.street, c().location.village, c().location.address]
      .filter(Boolean)
      .join(' ')
  return (
    <section class="card" aria-labelledby="details-title">
      <h2 id="details-title">{t('case.detailsTitle')}</h2>
      <dl class="details">
        <Detail label={t('apply.disputeType')}>{t(`disputeType.${c().disputeType}`)}</Detail>
        <Detail label={props.descriptionLabel ?? t('apply.description')}>
          <span class="prewrap">{c().description}</span>
        </Detail>
        <Detail label={t('apply.occurredOn')}>
          {c().occurredOn ? formatPlainDate(c().occurredOn as string) : t('common.notProvided')}
        </Detail>
        <Detail label={t('case.location')}>{place()}</Detail>
        <Show when={props.withRespondent}>
          <Detail label={t('apply.respondentName')}>{c().respondent.name}</Detail>
          <Detail label={t('apply.respondentPhone')}>
            {c().respondent.phone ?? t('common.notProvided')}
          </Detail>
        </Show>
        <Detail label={t('apply.amount')}>
          {c().amountInDispute === undefined
            ? t('common.notProvided')
            : formatYuan(c().amountInDispute as number)}
        </Detail>
        <Detail label={t('apply.desiredOutcome')}>
          <span class="prewrap">{c().desiredOutcome}</span>
        </Detail>
        <Detail label={t('apply.meeting')}>{t(`meeting.${c().meetingPreference}`)}</Detail>
        <Detail label={t('case.filedAt')}>{formatDateTime(c().createdAt)}</Detail>
      </dl>
    </section>
  )
}
