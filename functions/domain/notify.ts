import type { Deps } from './ports.ts'

/**
 * A text that reports a write already committed: an invitation, a reminder, a result. If the SMS
 * service fails, the write still stands and the caller still hears success. Answering 500 would
 * make a client retry something that already happened (and get a conflict), and would stop the
 * scheduled job's run for every case after this one. The failure goes to the error log, masked;
 * each text's own recovery is said where it is sent (staff see the state, the job repeats).
 * Codes someone is waiting to type are sent with deps.sms directly: their failure must show.
 */
export async function textAfterWrite(deps: Deps, what: string, phone: string, text: string): Promise<void> {
  try {
    await deps.sms.send(phone, text)
  } catch (error) {
    deps.log?.error('SMS failed after its write', { what, error })
  }
}
