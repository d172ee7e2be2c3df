import { revalidate } from '@solidjs/router'
import { ErrorBoundary, For, Show, Suspense } from 'solid-js'
import type { CaseStatus, DisputeType } from '../../../functions/domain/case.ts'
import { t } from '../i18n/evidence.ts'
import { errorText } from '../i18n/index.ts'
import { LoadError, Loading } from '../ui/load-error.tsx'
import { getCase } from './cases.data.ts'
import { getEvidence } from './evidence.data.ts'
import { EvidenceList } from './evidence-list.tsx'
import { createUploads } from './evidence-upload.ts'
import { Uploader } from './evidence-uploader.tsx'
import './evidence.css'

/** Finished cases take no more evidence (the API answers evidence.case_closed). */
const CLOSED: ReadonlySet<CaseStatus> = new Set(['resolved', 'closed', 'declined', 'failed', 'withdrawn'])

const TIP_NUMBERS = [1, 2, 3, 4] as const

/**
 * The evidence part of the case page, its own chunk: what helps for this kind of dispute, the
 * upload, and the list of what was added.
 */
export default function CaseEvidence(props: {
  caseId: string
  disputeType: DisputeType
  status: CaseStatus
  /** Staff see the list without the citizen's tips; only the handling organisation may add files. */
  staff?: boolean
  canUpload?: boolean
}) {
  const refresh = () => revalidate([getEvidence.keyFor(props.caseId), getCase.keyFor(props.caseId)])
  const uploads = createUploads(() => props.caseId, refresh)
  return (
    <>
      <section class="card evidence" aria-labelledby="evidence-title">
        <h2 id="evidence-title">{t('evidence.title')}</h2>
        <Show when={!props.staff}>
          <p class="lead">{t('evidence.lead')}</p>
        </Show>
        <details class="tips" open={!props.staff}>
          <summary>{t('evidence.tipsTitle')}</summary>
          <ul class="tips-list">
            <For each={TIP_NUMBERS}>{(n) => <li>{t(`evidence.tips.${props.disputeType}.${n}`)}</li>}</For>
          </ul>
          <ul class="tips-notes">
            <li>{t('evidence.tips.screenshots')}</li>
            <li>{t('evidence.tips.original')}</li>
            <li>{t('evidence.tips.privacy')}</li>
          </ul>
        </details>
        <Show
          when={!CLOSED.has(props.status) && props.canUpload !== false}
          fallback={
            <Show when={CLOSED.has(props.status)}>
              <p class="notice notice-info">{errorText('evidence.case_closed')}</p>
            </Show>
          }
        >
          <Uploader uploads={uploads} />
        </Show>
      </section>

      <section class="card" aria-labelledby="evidence-list-title">
        <h2 id="evidence-list-title">{t('evidence.listTitle')}</h2>
        <ErrorBoundary
          fallback={(error, reset) => (
            <LoadError error={error} reset={reset} keys={[getEvidence.keyFor(props.caseId)]} />
          )}
        >
          <Suspense fallback={<Loading />}>
            <EvidenceList caseId={props.caseId} hide={uploads.hiddenIds()} />
          </Suspense>
        </ErrorBoundary>
      </section>
    </>
  )
}
