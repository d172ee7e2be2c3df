import { A } from '@solidjs/router'
import { t } from '../i18n/index.ts'
import { PageHeading } from '../ui/page-heading.tsx'

export default function NotFound() {
  return (
    <section class="card">
      <PageHeading title={t('notFound.title')} />
      <p>{t('notFound.body')}</p>
      <A href="/" class="button button-primary">
        {t('notFound.home')}
      </A>
    </section>
  )
}
