import { useParams } from '@solidjs/router'
import { createSignal, Show } from 'solid-js'
import { VERIFY_CODE } from '../../../functions/domain/agreement.ts'
import { ApiError, api, call, NetworkError } from '../api/client.ts'
import { t } from '../i18n/agreement.ts'
import { errorText, formatPlainDate } from '../i18n/index.ts'
import { TextAreaField, TextField } from '../ui/form.tsx'
import { PageHeading } from '../ui/page-heading.tsx'
import './agreement.css'

type Result = {
  code: string
  signedOn: string
  organisation: string
  signatures: number
  match?: 'file' | 'content' | 'none'
}

/** Hex SHA-256 of a file, computed on the phone: the agreement itself never leaves it. */
async function fileSha256(file: File): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer())
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

/**
 * Public: anyone holding an agreement checks it by the code printed on it and its fingerprint.
 * The answer names the organisation and the date, never the people or the terms.
 */
export default function Verify() {
  const params = useParams<{ code?: string }>()
  const [code, setCode] = createSignal(params.code ?? '')
  const [file, setFile] = createSignal<File>()
  const [hash, setHash] = createSignal('')
  const [busy, setBusy] = createSignal(false)
  const [errors, setErrors] = createSignal<Record<string, string>>({})
  const [failure, setFailure] = createSignal<string>()
  const [result, setResult] = createSignal<Result>()

  const check = async () => {
    setResult(undefined)
    setFailure(undefined)
    const normalized = code().trim().toUpperCase()
    if (!VERIFY_CODE.test(normalized)) {
      setErrors({ code: t('verify.codeFormat') })
      return
    }
    const pasted = hash().trim().toLowerCase()
    if (pasted && !/^[0-9a-f]{64}$/.test(pasted)) {
      setErrors({ hash: errorText('agreement.hash') })
      return
    }
    setErrors({})
    setBusy(true)
    try {
      const f = file()
      const sha256 = f ? await fileSha256(f) : pasted || undefined
      setResult(
        await call(() =>
          api.verify[':code'].$get({ param: { code: normalized }, query: sha256 ? { sha256 } : {} }),
        ),
      )
    } catch (e) {
      setFailure(
        errorText(
          e instanceof ApiError ? e.code : e instanceof NetworkError ? 'service.unavailable' : 'internal',
        ),
      )
    } finally {
      setBusy(false)
    }
  }

  return (
    <section class="card" aria-labelledby="verify-title">
      <PageHeading id="verify-title" title={t('verify.title')} />
      <p class="lead">{t('verify.lead')}</p>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          void check()
        }}
      >
        <TextField
          id="verify-code"
          label={t('verify.code')}
          hint={t('verify.codeHint')}
          required
          autocomplete="off"
          autocapitalize="characters"
          maxLength={14}
          value={code()}
          onInput={(e) => setCode(e.currentTarget.value)}
          error={errors().code}
        />
        <div class="field">
          <label class="field-label" for="verify-file">
            {t('verify.file')}
          </label>
          <input
            id="verify-file"
            class="input"
            type="file"
            accept="application/pdf,.pdf"
            onChange={(e) => setFile(e.currentTarget.files?.[0])}
          />
        </div>
        <TextAreaField
          id="verify-hash"
          label={t('verify.hash')}
          rows={2}
          maxLength={64}
          value={hash()}
          onInput={(e) => setHash(e.currentTarget.value)}
          error={errors().hash}
        />
        <button type="submit" class="button button-primary button-block" disabled={busy()} aria-busy={busy()}>
          {t('verify.submit')}
        </button>
      </form>
      <div class="verify-result" aria-live="polite">
        <Show when={failure()}>{(f) => <p class="notice notice-error">{f()}</p>}</Show>
        <Show when={result()}>
          {(r) => (
            <>
              <p class="notice notice-info">
                {t('verify.found', {
                  org: r().organisation,
                  date: formatPlainDate(r().signedOn),
                  n: r().signatures,
                })}
              </p>
              <Show when={r().match}>
                {(m) => (
                  <p class={`notice ${m() === 'none' ? 'notice-error' : 'notice-info'}`} role="status">
                    {t(`verify.match.${m()}`)}
                  </p>
                )}
              </Show>
            </>
          )}
        </Show>
      </div>
    </section>
  )
}
