import { Link } from 'react-router'
import type { Library, User } from '../api/types'

/** The scope a page asks for: `public` or (administrators) `all` when the URL says so, else
 *  the caller's own library — which, signed out, the server answers with the public images, so
 *  a page need not wait for the session before its first request. */
export function effectiveScope(raw: string | null, user: User | null | undefined): Library {
  if (raw === 'public') return 'public'
  if (raw === 'all' && user?.is_admin) return 'all'
  return 'mine'
}

/** The `scope` query parameter: absent for the default (`mine`). */
export const scopeParam = (scope: Library): Library | undefined => (scope === 'mine' ? undefined : scope)

/** Tabs between the caller's own images, everyone's public ones and, for administrators,
 *  every account's. `hrefFor` builds the page's URL for a scope. */
export function ScopeTabs({ scope, user, hrefFor }: { scope: Library; user: User; hrefFor: (s: Library) => string }) {
  const tabs: Array<[Library, string]> = [
    ['mine', 'Your library'],
    ['public', 'Public'],
  ]
  if (user.is_admin) tabs.push(['all', 'All users'])
  return (
    <nav className="scope-tabs" aria-label="Whose images" data-testid="scope-tabs">
      {tabs.map(([s, name]) => (
        <Link key={s} to={hrefFor(s)} aria-current={scope === s ? 'page' : undefined}>
          {name}
        </Link>
      ))}
    </nav>
  )
}
