import { type Accessor, createMemo, createSignal, onCleanup, type Setter } from 'solid-js'
import type { EvidenceView } from '../../../functions/domain/evidence.ts'
import { ApiError, api, call, NetworkError } from '../api/client.ts'
import { t } from '../i18n/evidence.ts'
import { errorText } from '../i18n/index.ts'
import { cleanFileName, contentTypeFor, MAX_FILE_BYTES } from './evidence-files.ts'

export type Evidence = EvidenceView

interface Ticket {
  evidenceId: string
  upload: { url: string; fields: Record<string, string> }
  expiresAt: string
}

/** S3 answered the upload with an error (an expired or refused ticket, a wrong size). */
export class StorageError extends Error {
  constructor(
    readonly status: number,
    readonly code?: string,
  ) {
    super(`storage ${status} ${code ?? ''}`)
    this.name = 'StorageError'
  }
}

class Aborted extends Error {}

/** A ticket is only used with a minute to spare: S3 refuses a POST whose policy has expired. */
const usable = (ticket: Ticket) => Date.parse(ticket.expiresAt) - Date.now() > 60_000

/**
 * Posts the file to S3 with the presigned fields. XMLHttpRequest, not fetch: only it reports
 * upload progress. The file goes last, as S3 ignores form fields that follow it.
 */
function sendFile(ticket: Ticket, file: File, onProgress: (fraction: number) => void) {
  const xhr = new XMLHttpRequest()
  const done = new Promise<void>((resolve, reject) => {
    const form = new FormData()
    for (const [name, value] of Object.entries(ticket.upload.fields)) form.append(name, value)
    form.append('file', file)
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total)
    }
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve()
      else reject(new StorageError(xhr.status, /<Code>([^<]+)<\/Code>/.exec(xhr.responseText)?.[1]))
    }
    xhr.onerror = () => reject(new NetworkError(new Error('upload to storage failed')))
    xhr.ontimeout = xhr.onerror
    xhr.onabort = () => reject(new Aborted())
    xhr.open('POST', ticket.upload.url)
    xhr.send(form)
  })
  return { done, abort: () => xhr.abort() }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Tells the API the upload is there and waits for the verdict. When S3's own event got to the
 * file first, the answer is "verifying" for a moment: ask again.
 */
async function complete(caseId: string, evidenceId: string): Promise<Evidence> {
  for (let attempt = 1; ; attempt++) {
    const item = await call(() =>
      api.cases[':id'].evidence[':evidenceId'].complete.$post({ param: { id: caseId, evidenceId } }),
    )
    if (item.status !== 'verifying' || attempt >= 10) return item
    await sleep(Math.min(500 * attempt, 2000))
  }
}

/** The verdict if the file already arrived, undefined if it did not. */
async function completeIfUploaded(caseId: string, evidenceId: string): Promise<Evidence | undefined> {
  try {
    return await complete(caseId, evidenceId)
  } catch (e) {
    if (e instanceof ApiError && e.code === 'evidence.not_uploaded') return undefined
    throw e
  }
}

export type JobState = 'refused' | 'ready' | 'queued' | 'sending' | 'checking' | 'failed'

/** Why a file did not go up, in words of the current language, and whether trying again can help. */
export interface Failure {
  text: () => string
  retry: boolean
}

/** One picked file on its way up. The File is kept, so a failed upload is retried without picking it again. */
export interface Job {
  id: number
  file: File
  name: string
  contentType: string
  size: number
  /** An error code when the file is refused before asking the API. */
  refusal?: string
  state: Accessor<JobState>
  setState: Setter<JobState>
  /** 0–100 */
  progress: Accessor<number>
  description: Accessor<string>
  setDescription: Setter<string>
  failure: Accessor<Failure | undefined>
}

interface JobInternals extends Job {
  setProgress: Setter<number>
  setFailure: Setter<Failure | undefined>
  ticket?: Ticket
  /** The file was sent with this ticket and no answer came back: it may have arrived. */
  maybeSent: boolean
  /** Every evidence item this job asked for, hidden from the list while the job is on screen. */
  evidenceIds: string[]
  abort?: () => void
}

/** What came of a finished upload, shown until the next files are picked. */
export interface Result {
  name: string
  item: Evidence
}

const FINAL = new Set([
  'evidence.type_not_accepted',
  'evidence.too_large',
  'evidence.empty',
  'evidence.case_closed',
])

function failureFor(e: unknown): Failure {
  if (e instanceof NetworkError) return { text: () => t('evidence.networkError'), retry: true }
  if (e instanceof StorageError) return { text: () => t('evidence.storageError'), retry: true }
  if (e instanceof ApiError) {
    if (e.status >= 500 || e.status === 429) return { text: () => t('evidence.serviceError'), retry: true }
    // A field error names the problem better than "check the form": the type, the name, the size.
    const field = Object.values(e.fields ?? {})[0]
    const code = field ?? e.code
    // Trying the same file again cannot help with these; a full case (quota) can, after a withdrawal.
    const final = (e.status === 400 && field !== undefined) || e.status === 404 || FINAL.has(code)
    return { text: () => errorText(code), retry: !final }
  }
  return { text: () => errorText('internal'), retry: true }
}

function refusalFor(file: File, contentType: string | undefined): string | undefined {
  if (!contentType) return 'evidence.type_not_accepted'
  if (file.size === 0) return 'evidence.empty'
  if (file.size > MAX_FILE_BYTES) return 'evidence.too_large'
  return undefined
}

/**
 * The upload queue of the case page: files go up one at a time (a cheap phone on a weak network
 * does better with one), each with its own progress, failure and retry.
 */
export function createUploads(caseId: () => string, onSettled: () => Promise<unknown>) {
  const [jobs, setJobs] = createSignal<JobInternals[]>([])
  const [results, setResults] = createSignal<Result[]>([])
  const [announcement, setAnnouncement] = createSignal<() => string>(() => '')
  /** Items given up for a new ticket: they never receive a file, so the list does not show them. */
  const [abandoned, setAbandoned] = createSignal<ReadonlySet<string>>(new Set())
  let nextId = 1
  let pumping = false

  const announce = (text: () => string) => setAnnouncement(() => text)

  function newJob(file: File): JobInternals {
    const contentType = contentTypeFor(file)
    const refusal = refusalFor(file, contentType)
    const [state, setState] = createSignal<JobState>(refusal ? 'refused' : 'ready')
    const [progress, setProgress] = createSignal(0)
    const [description, setDescription] = createSignal('')
    const [failure, setFailure] = createSignal<Failure>()
    return {
      id: nextId++,
      file,
      name: cleanFileName(file.name),
      contentType: contentType ?? file.type,
      size: file.size,
      refusal,
      state,
      setState,
      progress,
      setProgress,
      description,
      setDescription,
      failure,
      setFailure,
      maybeSent: false,
      evidenceIds: [],
    }
  }

  function add(files: Iterable<File>) {
    const added = Array.from(files, newJob)
    if (!added.length) return
    setResults([])
    setJobs([...jobs(), ...added])
    announce(() => (added.length === 1 ? t('evidence.pickedOne') : t('evidence.picked', { n: added.length })))
  }

  function remove(job: Job) {
    const own = jobs().find((j) => j === job)
    if (!own) return
    own.abort?.()
    // An item whose file surely never arrived stays out of the list; one that may have arrived is
    // verified by the storage event and shows up there.
    if (!own.maybeSent) for (const id of own.evidenceIds) abandon(id)
    setJobs(jobs().filter((j) => j !== job))
  }

  function start() {
    for (const job of jobs()) if (job.state() === 'ready') job.setState('queued')
    void pump()
  }

  function retry(job: Job) {
    const own = jobs().find((j) => j === job)
    if (own?.state() !== 'failed') return
    own.setFailure(undefined)
    own.setState('queued')
    void pump()
  }

  async function pump() {
    if (pumping) return
    pumping = true
    try {
      for (;;) {
        const job = jobs().find((j) => j.state() === 'queued')
        if (!job) break
        await run(job)
      }
    } finally {
      pumping = false
    }
  }

  async function run(job: JobInternals) {
    const id = caseId()
    job.setState('sending')
    job.setProgress(0)
    announce(() => t('evidence.announceStart', { name: job.name }))
    try {
      // The last try's answer may have been lost although the file arrived: ask before resending.
      if (job.ticket && job.maybeSent) {
        const item = await completeIfUploaded(id, job.ticket.evidenceId)
        if (item) return await settle(job, item)
        job.maybeSent = false
      }
      for (let renewed = false; ; renewed = true) {
        if (!job.ticket || !usable(job.ticket)) {
          if (job.ticket) abandon(job.ticket.evidenceId)
          const description = job.description().trim()
          job.ticket = await call(() =>
            api.cases[':id'].evidence.$post({
              param: { id },
              json: {
                fileName: job.name,
                contentType: job.contentType,
                size: job.size,
                ...(description ? { description } : {}),
              },
            }),
          )
          job.evidenceIds.push(job.ticket.evidenceId)
        }
        job.setProgress(0)
        const sending = sendFile(job.ticket, job.file, (fraction) => progressed(job, fraction))
        job.abort = sending.abort
        job.maybeSent = true
        try {
          await sending.done
          break
        } catch (e) {
          if (e instanceof StorageError) job.maybeSent = false
          // S3 refused the ticket (expired while offline, clock skew): once with a new one.
          if (e instanceof StorageError && e.status === 403 && !renewed) {
            abandon(job.ticket.evidenceId)
            job.ticket = undefined
            continue
          }
          throw e
        } finally {
          job.abort = undefined
        }
      }
      job.setProgress(100)
      job.setState('checking')
      await settle(job, await complete(id, job.ticket.evidenceId))
    } catch (e) {
      if (e instanceof Aborted || !jobs().includes(job)) return
      const failure = failureFor(e)
      job.setFailure(failure)
      job.setState('failed')
      announce(failure.text)
    }
  }

  function abandon(evidenceId: string) {
    setAbandoned(new Set([...abandoned(), evidenceId]))
  }

  function progressed(job: JobInternals, fraction: number) {
    const before = job.progress()
    const pct = Math.min(100, Math.floor(fraction * 100))
    job.setProgress(pct)
    // Screen readers hear every quarter, not every percent.
    if (Math.floor(pct / 25) > Math.floor(before / 25) && pct < 100) {
      announce(() => t('evidence.announceProgress', { name: job.name, pct }))
    }
  }

  async function settle(job: JobInternals, item: Evidence) {
    setResults([...results(), { name: job.name, item }])
    announce(() => resultText({ name: job.name, item }))
    // The card goes once the list has the item, so the file is never in neither place.
    await onSettled().catch(() => undefined)
    setJobs(jobs().filter((j) => j !== job))
  }

  /** Items the list leaves out: those of uploads still on screen here, and abandoned ones. */
  const hiddenIds = createMemo(() => new Set([...abandoned(), ...jobs().flatMap((j) => j.evidenceIds)]))
  const busy = () => jobs().some((j) => ['queued', 'sending', 'checking'].includes(j.state()))

  onCleanup(() => {
    for (const job of jobs()) job.abort?.()
  })

  return {
    jobs: jobs as Accessor<Job[]>,
    results,
    announcement: () => announcement()(),
    hiddenIds,
    busy,
    add,
    remove,
    start,
    retry,
  }
}

export type Uploads = ReturnType<typeof createUploads>

export function resultText(result: Result): string {
  const { item, name } = result
  if (item.status === 'verified') return t('evidence.resultVerified', { name })
  if (item.status === 'rejected')
    return t('evidence.resultRejected', { name, reason: errorText(item.rejectReason ?? 'internal') })
  return t('evidence.resultVerifying', { name })
}
