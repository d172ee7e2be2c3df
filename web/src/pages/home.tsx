import { A } from '@solidjs/router'
import { For } from 'solid-js'
import { t } from '../i18n/index.ts'
import { PageHeading } from '../ui/page-heading.tsx'

const STEPS = [
  { title: 'home.step1.title', body: 'home.step1.body' },
  { title: 'home.step2.title', body: 'home.step2.body' },
  { title: 'home.step3.title', body: 'home.step3.body' },
] as const

/** The first page: what Jiefen is, and the two things people come to do. */
export default function Home() {
  return (
    <>
      <section class="hero" aria-labelledby="home-title">
        <PageHeading id="home-title" title={t('home.title')} class="hero-title" />
        <p class="hero-lead">{t('home.lead')}</p>
      </section>

      <nav class="actions" aria-label={t('app.name')}>
        <A href="/apply" class="action action-primary">
          <span class="action-label">{t('home.apply')}</span>
          <span class="action-hint">{t('home.applyHint')}</span>
        </A>
        <A href="/cases" class="action action-secondary">
          <span class="action-label">{t('home.track')}</span>
          <span class="action-hint">{t('home.trackHint')}</span>
        </A>
      </nav>

      <section class="card" aria-labelledby="steps-title">
        <h2 id="steps-title">{t('home.stepsTitle')}</h2>
        <ol class="steps">
          <For each={STEPS}>
            {(step) => (
              <li class="step">
                <span class="step-title">{t(step.title)}</span>
                <span class="step-body">{t(step.body)}</span>
              </li>
            )}
          </For>
        </ol>
      </section>

      <section class="card card-muted" aria-labelledby="notes-title">
        <h2 id="notes-title">{t('home.notesTitle')}</h2>
        <ul class="notes">
          <li>{t('home.note.free')}</li>
          <li>{t('home.note.privacy')}</li>
          <li class="note-emergency">{t('home.note.emergency')}</li>
        </ul>
      </section>
    </>
  )
}
