import { useEffect, useState } from 'react'
import type { FormEvent } from 'react'
import { Link, NavLink, Outlet, useLocation, useNavigate, useSearchParams } from 'react-router'
import { useSession } from '../lib/session'

function SearchBox() {
  const navigate = useNavigate()
  const location = useLocation()
  const [params] = useSearchParams()
  const current = location.pathname === '/search' ? (params.get('q') ?? '') : ''
  const [q, setQ] = useState(current)
  useEffect(() => setQ(current), [current])
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const t = q.trim()
    if (!t) return
    navigate(`/search?q=${encodeURIComponent(t)}`)
  }
  return (
    <form role="search" className="searchbox" onSubmit={submit}>
      <label htmlFor="site-search" className="sr-only">
        Search images
      </label>
      <svg className="search-icon" viewBox="0 0 24 24" aria-hidden="true">
        <circle cx="11" cy="11" r="7" fill="none" stroke="currentColor" strokeWidth="2" />
        <path d="M20 20l-4-4" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
      </svg>
      <input
        id="site-search"
        type="search"
        name="q"
        placeholder="Search: “a cat on a sofa”"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        autoComplete="off"
        enterKeyHint="search"
        data-testid="search-input"
      />
      <button type="submit" className="btn btn-primary btn-small search-submit" data-testid="search-submit">
        Search
      </button>
    </form>
  )
}

function AccountArea() {
  const { user, signOut, canRegister } = useSession()
  const navigate = useNavigate()
  if (user === undefined) return <div className="account-area" aria-hidden="true" />
  if (!user) {
    return (
      <div className="account-area">
        <Link to="/login" className="btn btn-secondary btn-small" data-testid="nav-sign-in">
          Sign in
        </Link>
        {canRegister && (
          <Link to="/register" className="btn btn-primary btn-small" data-testid="nav-register">
            Create account
          </Link>
        )}
      </div>
    )
  }
  return (
    <div className="account-area">
      <Link to="/account" className="user-pill" data-testid="nav-account" aria-label={`Account: ${user.username}`}>
        <span className="avatar" aria-hidden="true">
          {user.username.slice(0, 1).toUpperCase()}
        </span>
        <span className="user-name">{user.username}</span>
      </Link>
      <button
        type="button"
        className="btn btn-ghost btn-small"
        data-testid="sign-out"
        onClick={async () => {
          await signOut()
          navigate('/')
        }}
      >
        Sign out
      </button>
    </div>
  )
}

export function Layout() {
  const { info, user } = useSession()
  const location = useLocation()
  // Move focus to main content on navigation for screen-reader users.
  useEffect(() => {
    window.scrollTo?.(0, 0)
  }, [location.pathname])
  const modelsNote =
    info?.models && info.models.state !== 'ready' && user
      ? info.models.state === 'loading'
        ? 'Labeling models are loading; new uploads will be labeled shortly.'
        : info.models.state === 'failed'
          ? `Labeling is unavailable: ${info.models.message ?? 'the models failed to load.'}`
          : `Labeling models are missing${info.models.message ? `: ${info.models.message}` : '.'} Uploads still work and will be labeled once models are present.`
      : null
  return (
    <div className="app">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      {info?.demo && (
        <div className="banner banner-demo" role="note" data-testid="demo-banner">
          <strong>Demo mode.</strong> Uploads are processed and labeled, but nothing is stored.
        </div>
      )}
      {modelsNote && (
        <div className="banner banner-info" role="note" data-testid="models-banner">
          {modelsNote}
        </div>
      )}
      <header className="site-header">
        <div className="header-inner">
          <Link to="/" className="brand" aria-label="Banana home">
            <svg viewBox="0 0 64 64" className="brand-mark" aria-hidden="true">
              <rect width="64" height="64" rx="14" fill="#1f2430" />
              <path d="M16 40c10 8 28 6 34-12 1-3 2-6 1-9-3 11-12 19-25 19-4 0-7 0-10 2z" fill="#f7c948" />
              <path d="M50 16l3-4" stroke="#f7c948" strokeWidth="4" strokeLinecap="round" />
            </svg>
            <span className="brand-name">Banana</span>
          </Link>
          <SearchBox />
          <nav aria-label="Main" className="main-nav">
            <NavLink to="/" end data-testid="nav-gallery">
              Gallery
            </NavLink>
            <NavLink to="/labels" data-testid="nav-labels">
              Labels
            </NavLink>
            {user && (
              <NavLink to="/places" data-testid="nav-places">
                Places
              </NavLink>
            )}
            {user && (
              <NavLink to="/favorites" data-testid="nav-favorites">
                Favourites
              </NavLink>
            )}
            {user && (
              <NavLink to="/albums" data-testid="nav-albums">
                Albums
              </NavLink>
            )}
            {user && (
              <NavLink to="/trash" data-testid="nav-trash">
                Trash
              </NavLink>
            )}
            {(user || info?.demo) && (
              <NavLink to="/upload" data-testid="nav-upload">
                Upload
              </NavLink>
            )}
            {user?.is_admin && (
              <NavLink to="/admin/users" data-testid="nav-admin">
                Users
              </NavLink>
            )}
          </nav>
          <AccountArea />
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="site-footer">
        <span>Banana{info?.version ? ` ${info.version}` : ''}</span>
      </footer>
    </div>
  )
}
