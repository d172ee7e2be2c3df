import { For, Show } from 'solid-js'
import { t } from '../i18n/agreement.ts'
import { formatDateTime, formatPlainDate, formatYuan } from '../i18n/index.ts'
import type { Agreement } from '../pages/agreement.data.ts'

/** The agreement as the parties read it: the same sections, in the same order, as the PDF. */
export function AgreementDocument(props: { agreement: Agreement }) {
  const a = () => props.agreement
  const c = () => a().content
  const role = (r: 'applicant' | 'respondent') => t(`agreement.${r}`)
  const paymentLine = () => {
    const p = c().payment
    if (!p) return undefined
    const list = p.instalments
    const plan =
      list.length === 1
        ? t('agreement.payment.once', { date: formatPlainDate(list[0]?.dueOn ?? '') })
        : t('agreement.payment.instalments', { n: list.length }) +
          list
            .map((i, k) =>
              t('agreement.payment.instalment', {
                k: k + 1,
                amount: formatYuan(i.amount),
                date: formatPlainDate(i.dueOn),
              }),
            )
            .join(t('agreement.payment.separator'))
    return t('agreement.payment', {
      payer: role(p.payer),
      payee: role(p.payer === 'respondent' ? 'applicant' : 'respondent'),
      total: formatYuan(p.total),
      plan,
    })
  }
  const terms = () => [...(paymentLine() ? [paymentLine() as string] : []), ...c().terms]
  return (
    <div class="agreement-doc">
      <h3>{t('agreement.parties')}</h3>
      <dl class="details">
        <For each={['applicant', 'respondent'] as const}>
          {(r) => (
            <div class="detail">
              <dt>{role(r)}</dt>
              <dd>
                {c()[r].name}
                <span class="agreement-id">
                  {t('agreement.idNumber')} {c()[r].idNumber}
                </span>
              </dd>
            </div>
          )}
        </For>
      </dl>
      <h3>{t('agreement.facts')}</h3>
      <p class="prewrap">{c().facts}</p>
      <h3>{t('agreement.terms')}</h3>
      <ol class="agreement-terms">
        <For each={terms()}>{(term) => <li>{term}</li>}</For>
      </ol>
      <h3>{t('agreement.performanceCheck')}</h3>
      <p class="prewrap">{c().performanceCheck}</p>
      <p class="agreement-hash">
        {t('agreement.fingerprint')} <code>{a().documentHash}</code>
      </p>
    </div>
  )
}

/** Who has signed (when, over which text) and who has not yet. */
export function SignatureList(props: { agreement: Agreement }) {
  return (
    <ul class="signature-list" aria-label={t('agreement.signatures')}>
      <For each={['applicant', 'respondent', 'mediator'] as const}>
        {(r) => {
          const s = () => props.agreement.signatures.find((x) => x.role === r)
          return (
            <li classList={{ 'signature-done': !!s() }}>
              <span class="signature-role">{t(`agreement.${r}`)}</span>
              <Show when={s()} fallback={<span class="signature-state">{t('agreement.waiting')}</span>}>
                {(sig) => (
                  <span class="signature-state">
                    <Show when={sig().image} fallback={<span class="signature-typed">{sig().name}</span>}>
                      <img class="signature-image" src={sig().image} alt={sig().name} />
                    </Show>
                    {t('agreement.signedAt', { at: formatDateTime(sig().at) })}
                  </span>
                )}
              </Show>
            </li>
          )
        }}
      </For>
    </ul>
  )
}
