import { Link, useNavigate } from 'react-router'
import { Spinner } from '../components/ui'
import { formatDate } from '../lib/format'
import { clearGalleries } from '../lib/galleryCache'
import { useDocumentTitle } from '../lib/hooks'
import { useSession } from '../lib/session'

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
    </div>
  )
}
