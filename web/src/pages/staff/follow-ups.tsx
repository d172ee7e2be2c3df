import { createAsync, query, revalidate } from '@solidjs/router'
import { createSignal, For, Show } from 'solid-js'
import { ApiError, api, call } from '../../api/client.ts'
import { t } from '../../i18n/follow-up.ts'
import { errorText, formatDateTime, formatYuan } from '../../i18n/index.ts'
import { ChoiceCards } from '../../ui/form.tsx'
import { getCase } from '../cases.data.ts'

export const getFollowUps = query(
  async (id: string) => call(() => api.cases[':id']['follow-ups'].$get({ param: { id } })),
  'followUps',
)

const PARTIES = ['applicant', 'respondent'] as const
const CHOICES = ['yes', 'partly', 'no'] as const

/** Notes a party's answer given by phone; the handling organisation's staff only. */
function RecordByPhone(props: { caseId: string; followUpId: string; open: readonly string[] }) {
  const [party, setParty] = createSignal(props.open[0] ?? '')
  const [carried, setCarried] = createSignal('')
  const [score, setScore] = createSignal('')
  const [error, setError] = createSignal<string>()
  const [busy, setBusy] = createSignal(false)
  const save = async () => {
    if (!party() || !carried()) {
      setError(errorText('validation.failed'))
      return
    }
    setBusy(true)
    setError(undefined)
    try {
      await call(() =>
        api.cases[':id']['follow-ups'][':followUpId'].record.$post({
          param: { id: props.caseId, followUpId: props.followUpId },
          json: {
            party: party() as 'applicant',
            carriedOut: carried() as 'yes',
            ...(score() ? { satisfaction: Number(score()) } : {}),
          },
        }),
      )
      await revalidate([getFollowUps.keyFor(props.caseId), getCase.keyFor(props.caseId)])
    } catch (e) {
      setError(errorText(e instanceof ApiError ? e.code : 'internal'))
    } finally {
      setBusy(false)
    }
  }
  return (
    <form
      class="follow-up-record"
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        void save()
      }}
    >
      <ChoiceCards
        id={`fu-${props.followUpId}-party`}
        legend={t('followUp.channel.phone')}
        options={props.open.map((p) => ({ value: p, label: t(`followUp.party.${p as 'applicant'}`) }))}
        value={party()}
        onChange={setParty}
        columns={2}
      />
      <ChoiceCards
        id={`fu-${props.followUpId}-carried`}
        legend={t('followUp.carriedOut')}
        options={CHOICES.map((c) => ({ value: c, label: t(`followUp.carriedOut.${c}`) }))}
        value={carried()}
        onChange={setCarried}
      />
      <ChoiceCards
        id={`fu-${props.followUpId}-score`}
        legend={t('followUp.satisfaction')}
        options={['1', '2', '3', '4', '5'].map((n) => ({ value: n, label: n }))}
        value={score()}
        onChange={setScore}
      />
      <Show when={error()}>
        {(m) => (
          <p class="notice notice-error" role="alert">
            {m()}
          </p>
        )}
      </Show>
      <button type="submit" class="button" disabled={busy()} aria-busy={busy()}>
        {t('followUp.submit')}
      </button>
    </form>
  )
}

/** The case's follow-up visits (回访): when each is due, whether it was sent, what the parties said. */
export default function FollowUps(props: { caseId: string; canRecord: boolean }) {
  const list = createAsync(() => getFollowUps(props.caseId))
  return (
    <section class="card" aria-labelledby="follow-ups-title">
      <h2 id="follow-ups-title">{t('followUp.card')}</h2>
      <Show when={(list() ?? []).length > 0} fallback={<p class="lead">{t('followUp.none')}</p>}>
        <ol class="timeline">
          <For each={list()}>
            {(f) => {
              const open = () => PARTIES.filter((p) => !f.answeredBy.includes(p))
              return (
                <li class="timeline-item">
                  <time class="timeline-time" dateTime={f.dueAt}>
                    {formatDateTime(f.dueAt)}
                  </time>
                  <span class="timeline-text">
                    {f.instalment
                      ? t('followUp.kind.instalment', { amount: formatYuan(f.instalment.amount) })
                      : t('followUp.kind.days')}{' '}
                    · {t(`followUp.status.${f.status}`)}
                  </span>
                  <For each={f.answers ?? []}>
                    {(a) => (
                      <span class="timeline-note">
                        {t('followUp.answer', {
                          party: t(`followUp.party.${a.party}`),
                          carriedOut: t(`followUp.carriedOut.${a.carriedOut}`),
                          score: a.satisfaction ? t('followUp.score', { n: a.satisfaction }) : '',
                        })}
                        {a.channel === 'phone' ? ` (${t('followUp.channel.phone')})` : ''}
                        {a.comment ? ` — ${a.comment}` : ''}
                      </span>
                    )}
                  </For>
                  <Show when={props.canRecord && f.status !== 'skipped' && open().length > 0}>
                    <details>
                      <summary>{t('followUp.channel.phone')}</summary>
                      <RecordByPhone caseId={props.caseId} followUpId={f.id} open={open()} />
                    </details>
                  </Show>
                </li>
              )
            }}
          </For>
        </ol>
      </Show>
    </section>
  )
}
