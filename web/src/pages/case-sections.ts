import { lazy } from 'solid-js'
import { getMe, maybeSignedIn } from '../api/session.ts'
import { getAgreement, mayHaveAgreement } from './agreement.data.ts'
import { getCase } from './cases.data.ts'
import { getEvidence } from './evidence.data.ts'
import { getOutlook } from './outlook.data.ts'
import { getCaseSessions, SESSION_STATUSES } from './sessions.data.ts'

/** The evidence tools: their own chunk, so the case page's own code stays small. */
export const CaseEvidence = lazy(() => import('./case-evidence.tsx'))
/** The agreement, only on cases that may have one. */
export const CaseAgreement = lazy(() => import('./case-agreement.tsx'))
export const CaseOutlook = lazy(() => import('./case-outlook.tsx'))
export const CaseSessions = lazy(() => import('./case-sessions.tsx'))

const ignore = () => undefined

/**
 * Everything the citizen's case page shows, asked for at once when it is navigated to, while the
 * page's own code is still on its way: the case, its evidence section and list, and the outlook;
 * then, once the case says it has them, its sessions and agreement. One round trip instead of a
 * chain of them on a slow network, and the sections arrive together instead of pushing the page
 * down one after another.
 *
 * Only for someone who may be signed in on this phone; anyone else is asked who they are first
 * (the page asks that anyway), so an anonymous visit sends nothing that would be refused.
 */
export function preloadCase(id: string): void {
  const all = () => {
    void CaseEvidence.preload()
    void CaseOutlook.preload()
    void getEvidence(id).catch(ignore)
    void getOutlook(id).catch(ignore)
    void getCase(id).then((c) => {
      if (SESSION_STATUSES.has(c.status)) {
        void CaseSessions.preload()
        void getCaseSessions(id).catch(ignore)
      }
      if (mayHaveAgreement(c.status)) {
        void CaseAgreement.preload()
        void getAgreement(id).catch(ignore)
      }
    }, ignore)
  }
  if (maybeSignedIn()) {
    void getMe().catch(ignore)
    all()
  } else void getMe().then((me) => me && all(), ignore)
}
