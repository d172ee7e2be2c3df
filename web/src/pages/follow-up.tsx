import { useParams } from '@solidjs/router'
import { createResource, createSignal, Match, Show, Switch } from 'solid-js'
import { ApiError, api, call, errorCodeOf, fieldErrorsOf } from '../api/client.ts'
import { t } from '../i18n/follow-up.ts'
import { errorText, formatPlainDate, formatYuan } from '../i18n/index.ts'
import { ChoiceCards, FormMessage, TextAreaField } from '../ui/form.tsx'
import { PageHeading } from '../ui/page-heading.tsx'

const CHOICES = ['yes', 'partly', 'no'] as const
type Carried = (typeof CHOICES)[number]

/**
 * Public, from the follow-up SMS: the link is the only credential, so nothing here needs signing
 * in. One question, one score, one optional comment — answered once, on a phone.
 */
export default function FollowUp() {
  const params = useParams<{ token: string }>()
  const [question, { mutate }] = createResource(
    () => params.token,
    (token) => call(() => api['follow-ups'][':token'].$get({ param: { token } })),
  )
  const [carried, setCarried] = createSignal<Carried | ''>('')
  const [score, setScore] = createSignal('')
  const [comment, setComment] = createSignal('')
  const [errors, setErrors] = createSignal<Record<string, string>>({})
  const [failure, setFailure] = createSignal<string>()
  const [busy, setBusy] = createSignal(false)
  const [done, setDone] = createSignal<Carried>()

  const submit = async () => {
    const missing: Record<string, string> = {}
    if (!carried()) missing.carriedOut = errorText('validation.required')
    if (!score()) missing.satisfaction = errorText('follow_up.satisfaction')
    setErrors(missing)
    setFailure(undefined)
    if (Object.keys(missing).length > 0) return
    setBusy(true)
    try {
      const answered = await call(() =>
        api['follow-ups'][':token'].$post({
          param: { token: params.token },
          json: {
            carriedOut: carried() as Carried,
            satisfaction: Number(score()),
            ...(comment().trim() ? { comment: comment().trim() } : {}),
          },
        }),
      )
      setDone(carried() as Carried)
      mutate(answered)
    } catch (e) {
      if (e instanceof ApiError && e.fields) setErrors(fieldErrorsOf(e, errorText))
      setFailure(errorText(errorCodeOf(e)))
    } finally {
      setBusy(false)
    }
  }

  return (
    <section class="card" aria-labelledby="follow-up-title">
      <PageHeading id="follow-up-title" title={t('followUp.title')} />
      <Switch>
        <Match when={question.error}>
          <p class="notice notice-error" role="alert">
            {errorText(errorCodeOf(question.error))}
          </p>
        </Match>
        <Match when={done()}>
          {(d) => (
            <p class="notice notice-info" role="status">
              {t('followUp.thanks')} {d() === 'no' ? t('followUp.reopened') : ''}
            </p>
          )}
        </Match>
        <Match when={question()?.answered}>
          <p class="notice notice-info">{t('followUp.answered')}</p>
        </Match>
        <Match when={question()}>
          {(q) => (
            <>
              <p class="lead">{t('followUp.lead', { number: q().caseNumber })}</p>
              <Show when={q().instalment}>
                {(i) => (
                  <p>
                    {t('followUp.instalment', {
                      date: formatPlainDate(i().dueOn),
                      amount: formatYuan(i().amount),
                    })}
                  </p>
                )}
              </Show>
              <form
                noValidate
                onSubmit={(e) => {
                  e.preventDefault()
                  void submit()
                }}
              >
                <ChoiceCards
                  id="carriedOut"
                  legend={t('followUp.carriedOut')}
                  required
                  options={CHOICES.map((c) => ({
                    value: c,
                    label: t(`followUp.carriedOut.${c}`),
                    ...(c === 'no' ? { hint: t('followUp.carriedOut.noHint') } : {}),
                  }))}
                  value={carried()}
                  onChange={(v) => {
                    setCarried(v as Carried)
                    setErrors(({ carriedOut: _, ...rest }) => rest)
                  }}
                  error={errors().carriedOut}
                />
                <ChoiceCards
                  id="satisfaction"
                  legend={t('followUp.satisfaction')}
                  required
                  options={['1', '2', '3', '4', '5'].map((n) => ({ value: n, label: n }))}
                  value={score()}
                  onChange={(v) => {
                    setScore(v)
                    setErrors(({ satisfaction: _, ...rest }) => rest)
                  }}
                  error={errors().satisfaction}
                />
                <TextAreaField
                  id="comment"
                  label={t('followUp.comment')}
                  rows={3}
                  maxLength={500}
                  value={comment()}
                  onInput={(e) => setComment(e.currentTarget.value)}
                  error={errors().comment}
                />
                <FormMessage error={failure()} />
                <button
                  type="submit"
                  class="button button-primary button-block"
                  disabled={busy()}
                  aria-busy={busy()}
                >
                  {t('followUp.submit')}
                </button>
              </form>
            </>
          )}
        </Match>
      </Switch>
    </section>
  )
}
