import { useEffect, useId, useRef, useState } from 'react'
import type { FormEvent } from 'react'
import { Link, Navigate, NavLink, Outlet, useLocation, useNavigate, useSearchParams } from 'react-router'
import type { User } from '../api/types'
import { useSession } from '../lib/session'
import { THEME_CHOICES, useTheme } from '../lib/theme'
import type { ThemePref } from '../lib/theme'
import { useUploads } from '../lib/uploads'
import { formatTimeLeft, secondsLeft, summarize } from '../lib/uploadStore'
import { DropOverlay } from './DropOverlay'
import { BackIcon, MenuIcon, SearchIcon, UploadIcon } from './icons'

function SearchBox({ open, onClose }: { open: boolean; onClose: () => void }) {
  const navigate = useNavigate()
  const location = useLocation()
  const [params] = useSearchParams()
  const current = location.pathname === '/search' ? (params.get('q') ?? '') : ''
  const [q, setQ] = useState(current)
  const input = useRef<HTMLInputElement>(null)
  useEffect(() => setQ(current), [current])
  useEffect(() => {
    if (open) input.current?.focus()
  }, [open])
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const t = q.trim()
    if (!t) return
    input.current?.blur()
    onClose()
    navigate(`/search?q=${encodeURIComponent(t)}`)
  }
  return (
    <form
      role="search"
      className="searchbox"
      onSubmit={submit}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.preventDefault()
          onClose()
        }
      }}
    >
      <button type="button" className="icon-btn search-close" onClick={onClose} aria-label="Cancel search" data-testid="search-close">
        <BackIcon />
      </button>
      <label htmlFor="site-search" className="sr-only">
        Search images
      </label>
      <span className="search-icon" aria-hidden="true">
        <SearchIcon />
      </span>
      <input
        ref={input}
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

/** Uploads still going (or failed) while the user is elsewhere: a link to the Upload page. */
function UploadIndicator() {
  const { items, rate } = useUploads()
  const location = useLocation()
  const s = summarize(items)
  // Successes stay on show until the Upload page has been seen once they are all done.
  const [seenDone, setSeenDone] = useState(0)
  const onUploadPage = location.pathname === '/upload'
  useEffect(() => {
    if (onUploadPage && s.active === 0) setSeenDone(s.done + s.duplicate)
  }, [onUploadPage, s.active, s.done, s.duplicate])
  const fresh = s.done + s.duplicate > seenDone
  if (s.active === 0 && s.rejected === 0 && !fresh) return null
  if (s.active === 0 && onUploadPage && s.rejected === 0) return null
  const left = s.active > 0 ? formatTimeLeft(secondsLeft(s.bytesLeft, rate)) : null
  const pct = Math.round(s.fraction * 100)
  const text =
    s.active > 0
      ? `${s.active} uploading`
      : s.rejected > 0
        ? `${s.rejected} failed`
        : `${s.done + s.duplicate} uploaded`
  const label = [
    s.active > 0 ? `${s.active} ${s.active === 1 ? 'photo' : 'photos'} uploading, ${pct}%${left ? `, ${left}` : ''}` : null,
    s.rejected > 0 ? `${s.rejected} failed` : null,
    s.active === 0 && s.rejected === 0 ? `${s.done + s.duplicate} uploaded` : null,
  ]
    .filter(Boolean)
    .join(', ')
  return (
    <Link
      to="/upload"
      className={'upload-indicator' + (s.active > 0 ? ' is-active' : s.rejected > 0 ? ' is-failed' : ' is-done')}
      data-testid="upload-indicator"
      data-active={s.active}
      data-failed={s.rejected}
      aria-label={`${label}. Open uploads`}
      title={label}
    >
      {s.active > 0 ? (
        <span className="ring" aria-hidden="true" style={{ ['--p' as string]: `${pct}` }} />
      ) : (
        <span className="ui-dot" aria-hidden="true">{s.rejected > 0 ? '!' : '✓'}</span>
      )}
      <span className="ui-text" aria-hidden="true">{text}</span>
      <span className="ui-count" aria-hidden="true">
        {s.active > 0 ? s.active : s.rejected > 0 ? s.rejected : s.done + s.duplicate}
      </span>
      {s.active > 0 && s.rejected > 0 && (
        <span className="ui-failed" aria-hidden="true">
          {s.rejected} failed
        </span>
      )}
    </Link>
  )
}

interface NavItem {
  to: string
  label: string
  id: string
  /** 1: in the bar from tablet width up; 2: in the bar on wide screens only; 0: menu only. */
  tier: 0 | 1 | 2
  end?: boolean
}

function navItems(user: User | null | undefined): NavItem[] {
  const items: NavItem[] = [{ to: '/', label: 'Gallery', id: 'gallery', tier: 1, end: true }]
  if (user) {
    items.push(
      { to: '/albums', label: 'Albums', id: 'albums', tier: 1 },
      { to: '/favorites', label: 'Favourites', id: 'favorites', tier: 1 },
      { to: '/places', label: 'Places', id: 'places', tier: 2 },
    )
  }
  items.push({ to: '/labels', label: 'Labels', id: 'labels', tier: 2 })
  return items
}

function ThemeSwitch({ pref, onChange }: { pref: ThemePref; onChange: (p: ThemePref) => void }) {
  return (
    <div className="segmented theme-switch" role="radiogroup" aria-label="Appearance" data-testid="theme-switch">
      {THEME_CHOICES.map((c) => (
        <label key={c.value}>
          <input type="radio" name="theme" value={c.value} checked={pref === c.value} onChange={() => onChange(c.value)} data-testid={`theme-${c.value}`} />
          <span>{c.label}</span>
        </label>
      ))}
    </div>
  )
}

/** The header's menu: the sections the bar has no room for, the account, and the theme. */
function HeaderMenu({ items }: { items: NavItem[] }) {
  const { user, info, signOut, canRegister } = useSession()
  const { pref, setPref } = useTheme()
  const navigate = useNavigate()
  const location = useLocation()
  const [open, setOpen] = useState(false)
  const panelId = useId()
  const root = useRef<HTMLDivElement>(null)
  const button = useRef<HTMLButtonElement>(null)

  useEffect(() => setOpen(false), [location.pathname, location.search])
  useEffect(() => {
    if (!open) return
    const onDown = (e: PointerEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false)
    }
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false)
        button.current?.focus()
      }
    }
    document.addEventListener('pointerdown', onDown)
    document.addEventListener('keydown', onKey)
    return () => {
      document.removeEventListener('pointerdown', onDown)
      document.removeEventListener('keydown', onKey)
    }
  }, [open])

  const link = (to: string, label: string, testId: string, cls = '', end = false) => (
    <NavLink key={testId} to={to} end={end} className={'menu-link ' + cls} data-testid={testId}>
      {label}
    </NavLink>
  )

  return (
    <div className="header-menu" ref={root}>
      <button
        ref={button}
        type="button"
        className={user ? 'user-pill' : 'icon-btn'}
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={user ? `Account: ${user.username}` : 'Menu'}
        onClick={() => setOpen((o) => !o)}
        data-testid={user ? 'nav-account' : 'menu-button'}
      >
        {user ? (
          <>
            <span className="avatar" aria-hidden="true">
              {user.username.slice(0, 1).toUpperCase()}
            </span>
            <span className="user-name">{user.username}</span>
          </>
        ) : (
          <MenuIcon />
        )}
      </button>
      {open && (
        <div
          className="menu-panel"
          id={panelId}
          data-testid="menu-panel"
          // A link closes the menu, also one to the page already shown.
          onClick={(e) => (e.target as HTMLElement).closest('a') && setOpen(false)}
        >
          {user && (
            <div className="menu-who">
              <span className="avatar" aria-hidden="true">
                {user.username.slice(0, 1).toUpperCase()}
              </span>
              <div>
                <p className="menu-name">{user.username}</p>
                <p className="muted small">{user.is_admin ? 'Administrator' : 'Member'}</p>
              </div>
            </div>
          )}
          <nav aria-label="Sections" className="menu-section menu-sections">
            {items.map((it) => link(it.to, it.label, `menu-${it.id}`, `menu-tier-${it.tier}`, it.end))}
            {(user || info?.demo) && link('/upload', 'Upload', 'menu-upload', 'menu-tier-1')}
          </nav>
          {user && (
            <nav aria-label="Tidy up" className="menu-section">
              {link('/trash', 'Trash', 'menu-trash')}
              {link('/duplicates', 'Duplicates', 'menu-duplicates')}
            </nav>
          )}
          {user && (
            <nav aria-label="Account" className="menu-section">
              {link('/account', 'Account and password', 'nav-account-page', '', true)}
              {link('/account/tokens', 'API tokens', 'nav-tokens')}
              {user.is_admin && link('/admin/users', 'Users', 'nav-admin')}
            </nav>
          )}
          {!user && user !== undefined && (
            <div className="menu-section">
              {link('/login', 'Sign in', 'menu-sign-in')}
              {canRegister && link('/register', info?.needs_setup ? 'Set up Banana' : 'Create account', 'menu-register')}
            </div>
          )}
          <div className="menu-section">
            <p className="menu-label" id={`${panelId}-theme`}>
              Appearance
            </p>
            <ThemeSwitch pref={pref} onChange={setPref} />
          </div>
          {user && (
            <div className="menu-section">
              <button
                type="button"
                className="menu-link menu-button-link"
                data-testid="sign-out"
                onClick={async () => {
                  setOpen(false)
                  await signOut()
                  navigate('/')
                }}
              >
                Sign out
              </button>
            </div>
          )}
        </div>
      )}
    </div>
  )
}

function SignedOutActions() {
  const { user, canRegister, info } = useSession()
  if (user !== null) return null
  if (info?.needs_setup) {
    return (
      <Link to="/register" className="btn btn-primary btn-small" data-testid="nav-register">
        Set up Banana
      </Link>
    )
  }
  return (
    <>
      <Link to="/login" className="btn btn-secondary btn-small" data-testid="nav-sign-in">
        Sign in
      </Link>
      {canRegister && (
        <Link to="/register" className="btn btn-primary btn-small hide-phone" data-testid="nav-register">
          Create account
        </Link>
      )}
    </>
  )
}

export function Layout() {
  const { info, user } = useSession()
  const location = useLocation()
  const [searchOpen, setSearchOpen] = useState(false)
  useEffect(() => {
    window.scrollTo?.(0, 0)
  }, [location.pathname])
  useEffect(() => setSearchOpen(false), [location.pathname])

  // A server without any account: the first visit goes to "Set up Banana".
  if (info?.needs_setup && user === null && (location.pathname === '/' || location.pathname === '/login')) {
    return <Navigate to="/register" replace />
  }

  const modelsNote =
    info?.models && info.models.state !== 'ready' && user
      ? info.models.state === 'loading'
        ? 'Labeling models are loading; new uploads will be labeled shortly.'
        : info.models.state === 'failed'
          ? `Labeling is unavailable: ${info.models.message ?? 'the models failed to load.'}`
          : `Labeling models are missing${info.models.message ? `: ${info.models.message}` : '.'} Uploads still work and will be labeled once models are present.`
      : null
  const items = navItems(user)
  const canUpload = !!user || !!info?.demo
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
      <header className="site-header" data-testid="site-header">
        <div className={'header-inner' + (searchOpen ? ' search-open' : '')}>
          <Link to="/" className="brand" aria-label="Banana home">
            <svg viewBox="0 0 64 64" className="brand-mark" aria-hidden="true">
              <rect width="64" height="64" rx="14" fill="#1f2430" />
              <path d="M16 40c10 8 28 6 34-12 1-3 2-6 1-9-3 11-12 19-25 19-4 0-7 0-10 2z" fill="#f7c948" />
              <path d="M50 16l3-4" stroke="#f7c948" strokeWidth="4" strokeLinecap="round" />
            </svg>
            <span className="brand-name">Banana</span>
          </Link>
          <SearchBox open={searchOpen} onClose={() => setSearchOpen(false)} />
          <nav aria-label="Main" className="main-nav">
            {items
              .filter((it) => it.tier > 0)
              .map((it) => (
                <NavLink key={it.id} to={it.to} end={it.end} className={`nav-tier-${it.tier}`} data-testid={`nav-${it.id}`}>
                  {it.label}
                </NavLink>
              ))}
          </nav>
          <div className="header-actions">
            <button
              type="button"
              className="icon-btn search-toggle"
              onClick={() => setSearchOpen(true)}
              aria-label="Search"
              aria-expanded={searchOpen}
              data-testid="search-toggle"
            >
              <SearchIcon />
            </button>
            <UploadIndicator />
            {canUpload && (
              <NavLink to="/upload" className="btn btn-primary btn-small upload-btn" data-testid="nav-upload" aria-label="Upload">
                <UploadIcon />
                <span className="upload-btn-text">Upload</span>
              </NavLink>
            )}
            <SignedOutActions />
            <HeaderMenu items={items} />
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="site-footer">
        <span>Banana{info?.version ? ` ${info.version}` : ''}</span>
      </footer>
      <DropOverlay canUpload={canUpload} />
    </div>
  )
}
