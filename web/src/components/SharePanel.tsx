import { useEffect, useState } from 'react'
import type { FormEvent } from 'react'
import { isAbort } from '../api/client'
import { errorMessage } from '../api/errors'
import type { Share } from '../api/types'
import { relativeTime, SHARE_EXPIRY_CHOICES } from '../lib/format'
import { CopyButton, Spinner } from './ui'

export function shareAbsoluteUrl(url: string, origin: string = window.location.origin): string {
  if (/^https?:\/\//i.test(url)) return url
  return origin.replace(/\/$/, '') + (url.startsWith('/') ? url : `/${url}`)
}

/** How one kind of thing (an image, an album) makes, lists and revokes its share links. */
export interface ShareApi {
  list: (signal: AbortSignal) => Promise<{ items: Share[] }>
  create: (expiresIn: number) => Promise<Share>
  revoke: (shareId: string) => Promise<void>
}

/**
 * Share links of one image or album: make one with an expiry, copy it, see the active ones and
 * revoke them. `subject` is the thing's id (the panel starts over when it changes).
 */
export function SharePanel({
  subject,
  api,
  hint,
  title = 'Share link',
  headingId = 'share-h',
  testId,
}: {
  subject: string
  api: ShareApi
  hint: string
  title?: string
  headingId?: string
  testId?: string
}) {
  const [shares, setShares] = useState<Share[] | null>(null)
  const [expiry, setExpiry] = useState(String(SHARE_EXPIRY_CHOICES[2].seconds))
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [created, setCreated] = useState<Share | null>(null)

  useEffect(() => {
    const ac = new AbortController()
    setShares(null)
    setCreated(null)
    setError(null)
    api
      .list(ac.signal)
      .then((r) => setShares(r.items))
      .catch((e) => {
        if (!isAbort(e)) {
          setShares([])
          setError(errorMessage(e))
        }
      })
    return () => ac.abort()
    // `api` is rebuilt on every render of the parent; the subject is what matters.
  }, [subject])

  const create = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const s = await api.create(Number(expiry))
      setCreated(s)
      setShares((prev) => [s, ...(prev ?? []).filter((x) => x.id !== s.id)])
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }
  const revoke = async (s: Share) => {
    setError(null)
    try {
      await api.revoke(s.id)
      setShares((prev) => (prev ?? []).filter((x) => x.id !== s.id))
      if (created?.id === s.id) setCreated(null)
    } catch (err) {
      setError(errorMessage(err))
    }
  }
  const now = Date.now()
  const active = (shares ?? []).filter((s) => !s.expires_at || new Date(s.expires_at).getTime() > now)

  return (
    <section className="side-section" aria-labelledby={headingId} data-testid={testId}>
      <h2 id={headingId}>{title}</h2>
      <p className="hint">{hint}</p>
      <form className="share-form" onSubmit={create}>
        <label htmlFor={`${headingId}-expiry`}>Expires after</label>
        <select id={`${headingId}-expiry`} value={expiry} onChange={(e) => setExpiry(e.target.value)} data-testid="share-expiry">
          {SHARE_EXPIRY_CHOICES.map((c) => (
            <option key={c.label} value={String(c.seconds)}>
              {c.label}
            </option>
          ))}
        </select>
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="create-share">
          {busy ? 'Creating…' : 'Create link'}
        </button>
      </form>
      {created && (
        <div className="share-created" role="status">
          <label htmlFor={`${headingId}-url-new`} className="sr-only">
            New share link
          </label>
          <input id={`${headingId}-url-new`} readOnly value={shareAbsoluteUrl(created.url ?? '')} onFocus={(e) => e.target.select()} data-testid="share-url" />
          <CopyButton text={shareAbsoluteUrl(created.url ?? '')} label="Copy link" testId="copy-share" />
        </div>
      )}
      {error && (
        <p className="err-text" role="alert">
          {error}
        </p>
      )}
      {shares === null ? (
        <Spinner label="Loading links…" />
      ) : active.length > 0 ? (
        <ul className="share-list" data-testid="share-list">
          {active.map((s) => (
            <li key={s.id} data-testid="share-item">
              {/* The server keeps only a hash of a link's token: a link can be copied when it
                  is made, and listed (and revoked) afterwards. */}
              {s.url ? (
                <a href={s.url} target="_blank" rel="noreferrer" className="share-link mono">
                  …{(s.token ?? s.id).slice(-8)}
                </a>
              ) : (
                <span className="share-link mono" title="Made earlier; the link itself was shown once, when it was made">
                  made {relativeTime(s.created_at, now)}
                </span>
              )}
              <span className="muted small">expires {relativeTime(s.expires_at, now)}</span>
              {s.url && <CopyButton text={shareAbsoluteUrl(s.url)} label="Copy" />}
              <button type="button" className="btn btn-ghost btn-small" onClick={() => void revoke(s)} data-testid="revoke-share">
                Revoke<span className="sr-only"> link {s.id.slice(-8)}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">No active links.</p>
      )}
    </section>
  )
}
