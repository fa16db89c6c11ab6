import { useState } from 'react'
import type { FormEvent } from 'react'
import { Link, useNavigate, useSearchParams } from 'react-router'
import { login, register } from '../api/endpoints'
import { errorMessage } from '../api/errors'
import { clearGalleries } from '../lib/galleryCache'
import { useDocumentTitle } from '../lib/hooks'
import { useSession } from '../lib/session'

export const MIN_PASSWORD = 8

/** Only same-site paths are allowed as a post-login destination. */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/'
  return next
}

export function LoginPage() {
  useDocumentTitle('Sign in')
  const [params] = useSearchParams()
  const navigate = useNavigate()
  const { user, setUser, canRegister, refresh } = useSession()
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const r = await login(username.trim(), password)
      clearGalleries()
      setUser(r.user)
      void refresh()
      navigate(safeNext(params.get('next')), { replace: true })
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  if (user && !busy) {
    return (
      <div className="page page-auth">
        <div className="card auth-card">
          <h1>You are signed in</h1>
          <p className="muted">Signed in as {user.username}.</p>
          <Link to={safeNext(params.get('next'))} className="btn btn-primary btn-block">
            Continue
          </Link>
        </div>
      </div>
    )
  }

  return (
    <div className="page page-auth">
      <form className="card auth-card" onSubmit={submit} aria-labelledby="login-h" data-testid="login-form">
        <h1 id="login-h">Sign in</h1>
        <div className="field">
          <label htmlFor="login-username">Username</label>
          <input id="login-username" name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} autoFocus />
        </div>
        <div className="field">
          <label htmlFor="login-password">Password</label>
          <input id="login-password" name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </div>
        {error && (
          <p className="err-text" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <button type="submit" className="btn btn-primary btn-block" disabled={busy} data-testid="login-submit">
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {canRegister && (
          <p className="muted center">
            New here? <Link to="/register">Create an account</Link>
          </p>
        )}
      </form>
    </div>
  )
}

export function RegisterPage() {
  useDocumentTitle('Create account')
  const navigate = useNavigate()
  const { info, setUser, refresh } = useSession()
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [confirm, setConfirm] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const open = !!info && (info.open_registration || info.needs_setup)
  const setup = !!info?.needs_setup

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setError(null)
    if (password.length < MIN_PASSWORD) {
      setError(`Use at least ${MIN_PASSWORD} characters for the password.`)
      return
    }
    if (password !== confirm) {
      setError('The passwords do not match.')
      return
    }
    setBusy(true)
    try {
      await register(username.trim(), password)
      const r = await login(username.trim(), password)
      clearGalleries()
      setUser(r.user)
      void refresh()
      navigate('/', { replace: true })
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  if (info && !open) {
    return (
      <div className="page page-auth">
        <div className="card auth-card">
          <h1>Registration is closed</h1>
          <p className="muted">Ask an administrator of this Banana server to create an account for you.</p>
          <Link to="/login" className="btn btn-primary btn-block">
            Sign in
          </Link>
        </div>
      </div>
    )
  }

  return (
    <div className="page page-auth">
      <form className="card auth-card" onSubmit={submit} aria-labelledby="reg-h" data-testid="register-form">
        <h1 id="reg-h" data-testid={setup ? 'setup-title' : undefined}>
          {setup ? 'Set up Banana' : 'Create account'}
        </h1>
        {setup && (
          <p className="muted" data-testid="setup-note">
            Welcome! This server has no accounts yet. The first account you create becomes the <strong>administrator</strong>: it
            can add other people and manage the server.
          </p>
        )}
        <div className="field">
          <label htmlFor="reg-username">Username</label>
          <input id="reg-username" name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} autoFocus />
        </div>
        <div className="field">
          <label htmlFor="reg-password">Password</label>
          <input id="reg-password" name="password" type="password" autoComplete="new-password" required minLength={MIN_PASSWORD} value={password} onChange={(e) => setPassword(e.target.value)} aria-describedby="reg-pw-hint" />
          <p className="hint" id="reg-pw-hint">At least {MIN_PASSWORD} characters.</p>
        </div>
        <div className="field">
          <label htmlFor="reg-confirm">Repeat password</label>
          <input id="reg-confirm" name="confirm" type="password" autoComplete="new-password" required value={confirm} onChange={(e) => setConfirm(e.target.value)} />
        </div>
        {error && (
          <p className="err-text" role="alert" data-testid="register-error">
            {error}
          </p>
        )}
        <button type="submit" className="btn btn-primary btn-block" disabled={busy} data-testid="register-submit">
          {busy ? 'Creating…' : setup ? 'Create admin account' : 'Create account'}
        </button>
        {!setup && (
          <p className="muted center">
            Already have an account? <Link to="/login">Sign in</Link>
          </p>
        )}
      </form>
    </div>
  )
}
