import { useEffect, useState } from 'react'
import type { FormEvent } from 'react'
import { createUser, deleteUser, listUsers, patchUser } from '../api/endpoints'
import { isAbort } from '../api/client'
import { errorMessage } from '../api/errors'
import type { User } from '../api/types'
import { ConfirmDialog, ErrorBox, Spinner } from '../components/ui'
import { formatBytes, formatDate } from '../lib/format'
import { useDocumentTitle } from '../lib/hooks'
import { useSession } from '../lib/session'
import { MIN_PASSWORD } from './AuthPages'
import { RequireSignIn } from './AccountPage'

export function AdminUsersPage() {
  useDocumentTitle('Users')
  const { user: me } = useSession()
  const [users, setUsers] = useState<User[] | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [isAdmin, setIsAdmin] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const [deleting, setDeleting] = useState<User | null>(null)
  const [resetting, setResetting] = useState<User | null>(null)
  const [resetPassword, setResetPassword] = useState('')
  const [resetError, setResetError] = useState<string | null>(null)
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    if (!me?.is_admin) return
    const ac = new AbortController()
    setLoadError(null)
    listUsers(ac.signal)
      .then((r) => setUsers(r.items))
      .catch((e) => !isAbort(e) && setLoadError(errorMessage(e)))
    return () => ac.abort()
  }, [me, attempt])

  if (me === undefined) return <div className="page"><Spinner /></div>
  if (!me) return <RequireSignIn what="manage users" />
  if (!me.is_admin) {
    return (
      <div className="page page-narrow">
        <h1>Users</h1>
        <p className="muted">Only administrators can manage users.</p>
      </div>
    )
  }

  const create = async (e: FormEvent) => {
    e.preventDefault()
    setError(null)
    setNotice(null)
    if (password.length < MIN_PASSWORD) {
      setError(`Use at least ${MIN_PASSWORD} characters for the password.`)
      return
    }
    setBusy(true)
    try {
      const u = await createUser(username.trim(), password, isAdmin)
      setUsers((prev) => [...(prev ?? []), u])
      setNotice(`Created ${u.username}.`)
      setUsername('')
      setPassword('')
      setIsAdmin(false)
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  const change = async (u: User, patch: { disabled?: boolean; is_admin?: boolean }) => {
    setError(null)
    setNotice(null)
    try {
      const updated = await patchUser(u.id, patch)
      setUsers((prev) => (prev ?? []).map((x) => (x.id === u.id ? updated : x)))
    } catch (err) {
      setError(errorMessage(err))
    }
  }
  const toggleDisabled = (u: User) => change(u, { disabled: !u.disabled })
  const toggleAdmin = (u: User) => change(u, { is_admin: !u.is_admin })

  const reset = async () => {
    const u = resetting
    if (!u) return
    if (resetPassword.length < MIN_PASSWORD) {
      setResetError(`Use at least ${MIN_PASSWORD} characters for the password.`)
      return
    }
    setBusy(true)
    try {
      await patchUser(u.id, { password: resetPassword })
      setNotice(`New password set for ${u.username}; their sessions were signed out.`)
      setResetting(null)
      setResetPassword('')
    } catch (err) {
      setResetError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="page">
      <h1>Users</h1>
      <form className="card form-card" onSubmit={create} aria-labelledby="new-user-h">
        <h2 id="new-user-h">Add a user</h2>
        <div className="form-row">
          <div className="field grow">
            <label htmlFor="nu-username">Username</label>
            <input id="nu-username" required autoComplete="off" value={username} onChange={(e) => setUsername(e.target.value)} data-testid="new-user-username" />
          </div>
          <div className="field grow">
            <label htmlFor="nu-password">Password</label>
            <input id="nu-password" type="password" autoComplete="new-password" required minLength={MIN_PASSWORD} value={password} onChange={(e) => setPassword(e.target.value)} data-testid="new-user-password" />
          </div>
          <div className="field checkbox">
            <input id="nu-admin" type="checkbox" checked={isAdmin} onChange={(e) => setIsAdmin(e.target.checked)} />
            <label htmlFor="nu-admin">Administrator</label>
          </div>
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="create-user">
            {busy ? 'Adding…' : 'Add user'}
          </button>
        </div>
        {error && <p className="err-text" role="alert">{error}</p>}
        {notice && <p className="ok-text" role="status">{notice}</p>}
      </form>

      {loadError && <ErrorBox message={loadError} onRetry={() => setAttempt((n) => n + 1)} />}
      {!loadError && users === null && <Spinner />}
      {users && (
        <div className="table-wrap">
          <table className="table table-cards" data-testid="user-table">
            <thead>
              <tr>
                <th scope="col">Username</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">Storage</th>
                <th scope="col"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id} data-testid="user-row" data-username={u.username}>
                  <td className="card-title">
                    {u.username}
                    {u.id === me.id && <span className="muted small"> (you)</span>}
                  </td>
                  <td data-label="Role">{u.is_admin ? 'Admin' : 'Member'}</td>
                  <td data-label="Status">
                    <span className={'pill ' + (u.disabled ? 'pill-off' : 'pill-on')}>{u.disabled ? 'Disabled' : 'Active'}</span>
                  </td>
                  <td data-label="Created">{formatDate(u.created_at)}</td>
                  <td data-label="Storage" data-testid="user-usage">
                    {u.usage
                      ? `${u.usage.images} ${u.usage.images === 1 ? 'photo' : 'photos'} · ${formatBytes(u.usage.bytes)}${
                          u.usage.quota_bytes ? ` of ${formatBytes(u.usage.quota_bytes)}` : ''
                        }`
                      : '—'}
                  </td>
                  <td className="actions">
                    {u.id !== me.id && (
                      <>
                        <button type="button" className="btn btn-secondary btn-small" onClick={() => void toggleDisabled(u)} data-testid="toggle-user">
                          {u.disabled ? 'Enable' : 'Disable'}
                          <span className="sr-only"> {u.username}</span>
                        </button>
                        <button type="button" className="btn btn-secondary btn-small" onClick={() => void toggleAdmin(u)} data-testid="toggle-admin">
                          {u.is_admin ? 'Remove admin' : 'Make admin'}
                          <span className="sr-only"> {u.username}</span>
                        </button>
                        <button
                          type="button"
                          className="btn btn-secondary btn-small"
                          onClick={() => {
                            setResetting(u)
                            setResetPassword('')
                            setResetError(null)
                          }}
                          data-testid="reset-password"
                        >
                          Reset password<span className="sr-only"> of {u.username}</span>
                        </button>
                        <button type="button" className="btn btn-danger-outline btn-small" onClick={() => setDeleting(u)} data-testid="delete-user">
                          Delete<span className="sr-only"> {u.username}</span>
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {resetting && (
        <ConfirmDialog
          title={`New password for ${resetting.username}`}
          confirmLabel="Set password"
          danger={false}
          busy={busy}
          onCancel={() => setResetting(null)}
          onConfirm={() => void reset()}
        >
          <div className="field">
            <label htmlFor="reset-pw">New password</label>
            <input
              id="reset-pw"
              type="password"
              autoComplete="new-password"
              minLength={MIN_PASSWORD}
              value={resetPassword}
              onChange={(e) => setResetPassword(e.target.value)}
              data-testid="reset-password-input"
            />
          </div>
          <p className="muted small">All of their sessions are signed out. Tell them the new password yourself.</p>
          {resetError && <p className="err-text" role="alert" data-testid="reset-error">{resetError}</p>}
        </ConfirmDialog>
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete ${deleting.username}?`}
          confirmLabel="Delete user"
          busy={busy}
          onCancel={() => setDeleting(null)}
          onConfirm={async () => {
            const u = deleting
            setBusy(true)
            try {
              await deleteUser(u.id)
              setUsers((prev) => (prev ?? []).filter((x) => x.id !== u.id))
              setNotice(`Deleted ${u.username}.`)
            } catch (err) {
              setError(errorMessage(err))
            } finally {
              setBusy(false)
              setDeleting(null)
            }
          }}
        >
          <p>All of their images and share links are deleted too. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </div>
  )
}
