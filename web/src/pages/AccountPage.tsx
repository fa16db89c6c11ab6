import { useEffect, useState } from 'react'
import type { FormEvent } from 'react'
import { Link, useNavigate } from 'react-router'
import { changePassword, endSession, listSessions } from '../api/endpoints'
import { isAbort } from '../api/client'
import { errorMessage } from '../api/errors'
import type { SessionInfo } from '../api/types'
import { ErrorBox, Spinner } from '../components/ui'
import { formatDate, relativeTime } from '../lib/format'
import { clearGalleries } from '../lib/galleryCache'
import { useDocumentTitle } from '../lib/hooks'
import { useSession } from '../lib/session'
import { MIN_PASSWORD } from './AuthPages'

export function RequireSignIn({ what }: { what: string }) {
  return (
    <div className="page page-narrow">
      <h1>Sign in required</h1>
      <p className="muted">
        <Link to={`/login?next=${encodeURIComponent(window.location.pathname)}`}>Sign in</Link> to {what}.
      </p>
    </div>
  )
}

export function AccountPage() {
  useDocumentTitle('Account')
  const { user, signOut } = useSession()
  const navigate = useNavigate()
  if (user === undefined) return <div className="page"><Spinner /></div>
  if (!user) return <RequireSignIn what="see your account" />
  return (
    <div className="page page-narrow">
      <h1>Account</h1>
      <div className="card account-card">
        <div className="account-id">
          <span className="avatar avatar-lg" aria-hidden="true">{user.username.slice(0, 1).toUpperCase()}</span>
          <div>
            <p className="account-name" data-testid="account-username">{user.username}</p>
            <p className="muted small">
              {user.is_admin ? 'Administrator' : 'Member'} · since {formatDate(user.created_at)}
            </p>
          </div>
        </div>
        <ul className="link-list">
          <li>
            <Link to="/account/tokens">API tokens</Link>
            <span className="muted small">Personal tokens for scripts and the command line</span>
          </li>
          <li>
            <Link to="/trash" data-testid="account-trash">Trash</Link>
            <span className="muted small">Deleted photos, until they go for good; restore or empty</span>
          </li>
          <li>
            <Link to="/duplicates" data-testid="account-duplicates">Duplicates</Link>
            <span className="muted small">Near-identical copies of your photos, to keep one of each</span>
          </li>
          {user.is_admin && (
            <li>
              <Link to="/admin/users">Users</Link>
              <span className="muted small">Create, disable and delete accounts</span>
            </li>
          )}
        </ul>
        <button
          type="button"
          className="btn btn-secondary"
          onClick={async () => {
            await signOut()
            clearGalleries()
            navigate('/')
          }}
        >
          Sign out
        </button>
      </div>
      <PasswordCard />
      <SessionsCard />
    </div>
  )
}

/** "Firefox on Linux" from a user agent string; the raw string when nothing is recognised. */
export function describeAgent(ua: string | null): string {
  if (!ua) return 'Unknown browser'
  const browser =
    [
      ['Edg/', 'Edge'],
      ['OPR/', 'Opera'],
      ['Firefox/', 'Firefox'],
      ['Chrome/', 'Chrome'],
      ['Safari/', 'Safari'],
      ['curl/', 'curl'],
    ].find(([needle]) => ua.includes(needle))?.[1] ?? null
  const os =
    [
      ['Android', 'Android'],
      ['iPhone', 'iOS'],
      ['iPad', 'iPadOS'],
      ['Windows', 'Windows'],
      ['Mac OS X', 'macOS'],
      ['Linux', 'Linux'],
    ].find(([needle]) => ua.includes(needle))?.[1] ?? null
  if (!browser) return ua.length > 60 ? `${ua.slice(0, 57)}…` : ua
  return os ? `${browser} on ${os}` : browser
}

function PasswordCard() {
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [confirm, setConfirm] = useState('')
  const [revokeTokens, setRevokeTokens] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setError(null)
    setNotice(null)
    if (next.length < MIN_PASSWORD) {
      setError(`Use at least ${MIN_PASSWORD} characters for the new password.`)
      return
    }
    if (next !== confirm) {
      setError('The new passwords do not match.')
      return
    }
    setBusy(true)
    try {
      await changePassword(current, next, revokeTokens)
      setCurrent('')
      setNext('')
      setConfirm('')
      setNotice(
        revokeTokens
          ? 'Password changed. Your other sessions and your API tokens were ended.'
          : 'Password changed. Your other sessions were signed out.',
      )
      setRevokeTokens(false)
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="card form-card" onSubmit={submit} aria-labelledby="password-h" data-testid="password-form">
      <h2 id="password-h">Change password</h2>
      <div className="field">
        <label htmlFor="pw-current">Current password</label>
        <input id="pw-current" type="password" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.target.value)} data-testid="pw-current" />
      </div>
      <div className="field">
        <label htmlFor="pw-new">New password</label>
        <input id="pw-new" type="password" autoComplete="new-password" required minLength={MIN_PASSWORD} value={next} onChange={(e) => setNext(e.target.value)} data-testid="pw-new" />
      </div>
      <div className="field">
        <label htmlFor="pw-confirm">Repeat the new password</label>
        <input id="pw-confirm" type="password" autoComplete="new-password" required value={confirm} onChange={(e) => setConfirm(e.target.value)} data-testid="pw-confirm" />
      </div>
      <div className="field checkbox">
        <input id="pw-revoke" type="checkbox" checked={revokeTokens} onChange={(e) => setRevokeTokens(e.target.checked)} data-testid="pw-revoke-tokens" />
        <label htmlFor="pw-revoke">Also revoke my API tokens</label>
      </div>
      <p className="muted small">Every other session of your account is signed out; this one stays.</p>
      <button type="submit" className="btn btn-primary" disabled={busy} data-testid="pw-submit">
        {busy ? 'Changing…' : 'Change password'}
      </button>
      {error && <p className="err-text" role="alert" data-testid="pw-error">{error}</p>}
      {notice && <p className="ok-text" role="status" data-testid="pw-notice">{notice}</p>}
    </form>
  )
}

function SessionsCard() {
  const [sessions, setSessions] = useState<SessionInfo[] | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    const ac = new AbortController()
    setLoadError(null)
    listSessions(ac.signal)
      .then((r) => setSessions(r.items))
      .catch((e) => !isAbort(e) && setLoadError(errorMessage(e)))
    return () => ac.abort()
  }, [attempt])

  const signOut = async (s: SessionInfo) => {
    setError(null)
    try {
      await endSession(s.id)
      setSessions((prev) => (prev ?? []).filter((x) => x.id !== s.id))
    } catch (err) {
      setError(errorMessage(err))
    }
  }

  return (
    <section className="card" aria-labelledby="sessions-h">
      <h2 id="sessions-h">Sessions</h2>
      <p className="muted small">Where your account is signed in. Sign out any you do not recognise.</p>
      {loadError && <ErrorBox message={loadError} onRetry={() => setAttempt((n) => n + 1)} />}
      {!loadError && sessions === null && <Spinner />}
      {sessions && (
        <div className="table-wrap">
          <table className="table" data-testid="session-table">
            <thead>
              <tr>
                <th scope="col">Browser</th>
                <th scope="col">Address</th>
                <th scope="col">Signed in</th>
                <th scope="col">Last active</th>
                <th scope="col"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr key={s.id} data-testid="session-row" data-current={s.current ? 'true' : 'false'}>
                  <td title={s.user_agent ?? undefined}>
                    {describeAgent(s.user_agent)}
                    {s.current && <span className="pill pill-on session-current">This browser</span>}
                  </td>
                  <td className="mono">{s.client_ip ?? '—'}</td>
                  <td>{formatDate(s.created_at)}</td>
                  <td>{relativeTime(s.last_used_at ?? s.created_at)}</td>
                  <td className="actions">
                    {!s.current && (
                      <button type="button" className="btn btn-secondary btn-small" onClick={() => void signOut(s)} data-testid="end-session">
                        Sign out<span className="sr-only"> {describeAgent(s.user_agent)}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {error && <p className="err-text" role="alert">{error}</p>}
    </section>
  )
}
