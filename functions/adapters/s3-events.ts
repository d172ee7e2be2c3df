import { parseUploadKey } from '../domain/evidence.ts'

/** The S3 notification shape (AWS and the local S3 server send the same). */
export interface S3Notification {
  Records?: { eventName?: string; s3?: { object?: { key?: string } } }[]
}

/** The evidence uploads an ObjectCreated notification announces; anything else is ignored. */
export function uploadedEvidence(event: S3Notification): { caseId: string; evidenceId: string }[] {
  return (event.Records ?? []).flatMap((r) => {
    if (!r.eventName?.startsWith('ObjectCreated:')) return []
    // S3 URL-encodes keys in notifications, with '+' for spaces.
    const key = decodeURIComponent((r.s3?.object?.key ?? '').replace(/\+/g, ' '))
    const ids = parseUploadKey(key)
    return ids ? [ids] : []
  })
}
