import { useEffect, useState } from 'react'
import type { FormEvent } from 'react'
import { createToken, deleteToken, listTokens } from '../api/endpoints'
import { isAbort } from '../api/client'
import { errorMessage } from '../api/errors'
import type { ApiTokenInfo, NewApiToken } from '../api/types'
import { ConfirmDialog, CopyButton, ErrorBox, Spinner } from '../components/ui'
import { formatDate, relativeTime, TOKEN_EXPIRY_CHOICES } from '../lib/format'
import { useDocumentTitle } from '../lib/hooks'
import { useSession } from '../lib/session'
import { RequireSignIn } from './AccountPage'

export function TokensPage() {
  useDocumentTitle('API tokens')
  const { user } = useSession()
  const [tokens, setTokens] = useState<ApiTokenInfo[] | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [name, setName] = useState('')
  const [expiry, setExpiry] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [fresh, setFresh] = useState<NewApiToken | null>(null)
  const [revoking, setRevoking] = useState<ApiTokenInfo | null>(null)
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    if (!user) return
    const ac = new AbortController()
    setLoadError(null)
    listTokens(ac.signal)
      .then((r) => setTokens(r.items))
      .catch((e) => !isAbort(e) && setLoadError(errorMessage(e)))
    return () => ac.abort()
  }, [user, attempt])

  if (user === undefined) return <div className="page"><Spinner /></div>
  if (!user) return <RequireSignIn what="manage API tokens" />

  const create = async (e: FormEvent) => {
    e.preventDefault()
    if (!name.trim()) return
    setBusy(true)
    setError(null)
    try {
      const t = await createToken(name.trim(), expiry ? Number(expiry) : null)
      setFresh(t)
      setName('')
      setTokens((prev) => [
        { id: t.id, name: t.name, created_at: t.created_at, expires_at: t.expires_at, last_used_at: null },
        ...(prev ?? []),
      ])
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="page page-narrow">
      <h1>API tokens</h1>
      <p className="muted">
        Use a token as <code>Authorization: Bearer &lt;token&gt;</code> from scripts, e.g. to upload with curl.
      </p>

      <form className="card form-card" onSubmit={create} aria-labelledby="new-token-h">
        <h2 id="new-token-h">New token</h2>
        <div className="form-row">
          <div className="field grow">
            <label htmlFor="token-name">Name</label>
            <input id="token-name" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. laptop backup script" data-testid="token-name" />
          </div>
          <div className="field">
            <label htmlFor="token-expiry">Expires</label>
            <select id="token-expiry" value={expiry} onChange={(e) => setExpiry(e.target.value)} data-testid="token-expiry">
              {TOKEN_EXPIRY_CHOICES.map((c) => (
                <option key={c.label} value={c.seconds ? String(c.seconds) : ''}>
                  {c.label}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="btn btn-primary" disabled={busy || !name.trim()} data-testid="create-token">
            {busy ? 'Creating…' : 'Create token'}
          </button>
        </div>
        {error && <p className="err-text" role="alert">{error}</p>}
      </form>

      {fresh && (
        <div className="card token-once" role="status" data-testid="new-token">
          <h2>Copy your new token now</h2>
          <p className="muted small">It is shown only this once. Store it somewhere safe.</p>
          <div className="copy-row">
            <label htmlFor="fresh-token" className="sr-only">New token value</label>
            <input id="fresh-token" className="mono" readOnly value={fresh.token} onFocus={(e) => e.target.select()} data-testid="new-token-value" />
            <CopyButton text={fresh.token} label="Copy token" testId="copy-token" />
          </div>
          <button type="button" className="btn btn-ghost btn-small" onClick={() => setFresh(null)}>
            Done
          </button>
        </div>
      )}

      <section aria-labelledby="tokens-h">
        <h2 id="tokens-h">Your tokens</h2>
        {loadError && <ErrorBox message={loadError} onRetry={() => setAttempt((n) => n + 1)} />}
        {!loadError && tokens === null && <Spinner />}
        {tokens && tokens.length === 0 && <p className="muted">No tokens yet.</p>}
        {tokens && tokens.length > 0 && (
          <div className="table-wrap">
            <table className="table" data-testid="token-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Created</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Last used</th>
                  <th scope="col"><span className="sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((t) => (
                  <tr key={t.id} data-testid="token-row">
                    <td>{t.name}</td>
                    <td>{formatDate(t.created_at)}</td>
                    <td>{t.expires_at ? relativeTime(t.expires_at) : 'never'}</td>
                    <td>{t.last_used_at ? relativeTime(t.last_used_at) : 'never'}</td>
                    <td className="actions">
                      <button type="button" className="btn btn-ghost btn-small" onClick={() => setRevoking(t)} data-testid="revoke-token">
                        Revoke<span className="sr-only"> {t.name}</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {revoking && (
        <ConfirmDialog
          title={`Revoke “${revoking.name}”?`}
          confirmLabel="Revoke"
          onCancel={() => setRevoking(null)}
          onConfirm={async () => {
            const t = revoking
            setRevoking(null)
            try {
              await deleteToken(t.id)
              setTokens((prev) => (prev ?? []).filter((x) => x.id !== t.id))
              if (fresh?.id === t.id) setFresh(null)
            } catch (e) {
              setError(errorMessage(e))
            }
          }}
        >
          <p>Scripts using this token stop working at once.</p>
        </ConfirmDialog>
      )}
    </div>
  )
}
