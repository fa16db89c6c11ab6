import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react'
import { Link, useSearchParams } from 'react-router'
import { listImages, listLabels } from '../api/endpoints'
import { isAbort } from '../api/client'
import { errorMessage } from '../api/errors'
import type { Image, Library } from '../api/types'
import { JustifiedGallery } from '../components/Gallery'
import { effectiveScope, ScopeTabs, scopeParam } from '../components/ScopeTabs'
import { EmptyState, ErrorBox, Spinner } from '../components/ui'
import { labelDisplayName } from '../lib/format'
import { galleryKey, getGallery, setGallery } from '../lib/galleryCache'
import { useDocumentTitle, useInfiniteScroll, usePendingPoll } from '../lib/hooks'
import { saveNavList } from '../lib/nav'
import { mergePage, prependItems, replaceItems } from '../lib/pagination'
import { useSession } from '../lib/session'

export const PAGE_SIZE = 40
const key = (i: Image) => i.id

function galleryPath(scope: Library, label: string | null): string {
  const q = new URLSearchParams()
  if (scope !== 'mine') q.set('scope', scope)
  if (label) q.set('label', label)
  const s = q.toString()
  return s ? `/?${s}` : '/'
}

export function GalleryPage() {
  const [params] = useSearchParams()
  const label = params.get('label')
  const { user, info } = useSession()
  const signedOut = user === null
  const scope = effectiveScope(params.get('scope'), user)
  const cacheKey = galleryKey(label, scope)

  const cached = getGallery(cacheKey)
  const [items, setItems] = useState<Image[]>(cached?.items ?? [])
  const [nextCursor, setNextCursor] = useState<string | null>(cached?.nextCursor ?? null)
  const [done, setDone] = useState(cached?.done ?? false)
  const [loading, setLoading] = useState(!cached)
  const [error, setError] = useState<string | null>(null)
  const [labelName, setLabelName] = useState<string | null>(null)
  const inflight = useRef<AbortController | null>(null)
  const restoredScroll = useRef(false)

  useDocumentTitle(label ? `Label: ${labelName ?? '…'}` : 'Gallery')

  // First page: fetched right away, never waiting for session or info.
  const loadFirst = useCallback(
    async (hasCache: boolean) => {
      inflight.current?.abort()
      const ac = new AbortController()
      inflight.current = ac
      if (!hasCache) setLoading(true)
      setError(null)
      try {
        const page = await listImages({ limit: PAGE_SIZE, label, scope: scopeParam(scope) }, ac.signal)
        if (hasCache) {
          setItems((prev) => prependItems(prev, page.items, key))
        } else {
          setItems(page.items)
          setNextCursor(page.next_cursor)
          setDone(!page.next_cursor)
        }
      } catch (e) {
        if (!isAbort(e)) setError(errorMessage(e))
      } finally {
        if (inflight.current === ac) {
          inflight.current = null
          setLoading(false)
        }
      }
    },
    [label, scope],
  )

  useEffect(() => {
    const c = getGallery(galleryKey(label, scope))
    restoredScroll.current = false
    if (c) {
      setItems(c.items)
      setNextCursor(c.nextCursor)
      setDone(c.done)
      setLoading(false)
    } else {
      setItems([])
      setNextCursor(null)
      setDone(false)
    }
    void loadFirst(!!c)
    return () => inflight.current?.abort()
  }, [label, scope])

  // Sign in / out changes what is visible: start over.
  const prevUser = useRef(user)
  useEffect(() => {
    const before = prevUser.current
    prevUser.current = user
    if (before === undefined || user === undefined) return
    if ((before?.id ?? null) !== (user?.id ?? null)) void loadFirst(false)
  }, [user, loadFirst])

  const loadMore = useCallback(async () => {
    if (inflight.current || done || !nextCursor || error) return
    const ac = new AbortController()
    inflight.current = ac
    setLoading(true)
    try {
      const page = await listImages({ limit: PAGE_SIZE, cursor: nextCursor, label, scope: scopeParam(scope) }, ac.signal)
      setItems((prev) => mergePage(prev, page.items, key))
      setNextCursor(page.next_cursor)
      setDone(!page.next_cursor)
    } catch (e) {
      if (!isAbort(e)) setError(errorMessage(e))
    } finally {
      if (inflight.current === ac) {
        inflight.current = null
        setLoading(false)
      }
    }
  }, [done, nextCursor, error, label, scope])

  const sentinel = useInfiniteScroll(loadMore, !done && !!nextCursor && !error, items.length)

  usePendingPoll(items, (updated) => setItems((prev) => replaceItems(prev, updated, key)))

  // Keep the cache and the left/right navigation order in step.
  useEffect(() => {
    setGallery(cacheKey, { items, nextCursor, done, scrollY: getGallery(cacheKey)?.scrollY ?? 0 })
    saveNavList({
      source: galleryPath(scope, label),
      ids: items.map(key),
      nextCursor,
      label,
      scope,
    })
  }, [items, nextCursor, done, cacheKey, label, scope])

  useEffect(() => {
    const onScroll = () => {
      const c = getGallery(cacheKey)
      if (c) c.scrollY = window.scrollY
    }
    window.addEventListener('scroll', onScroll, { passive: true })
    return () => window.removeEventListener('scroll', onScroll)
  }, [cacheKey])

  useLayoutEffect(() => {
    if (restoredScroll.current || !items.length) return
    restoredScroll.current = true
    const y = getGallery(cacheKey)?.scrollY ?? 0
    if (y > 0) window.scrollTo?.(0, y)
  }, [items, cacheKey])

  // Name of the filtering label: from the images themselves, else the label list (not blocking).
  useEffect(() => {
    if (!label) {
      setLabelName(null)
      return
    }
    const fromItems = items.flatMap((i) => i.labels).find((l) => l.id === label)
    if (fromItems) {
      setLabelName(fromItems.name)
      return
    }
    if (loading) return
    const ac = new AbortController()
    listLabels(ac.signal, scopeParam(scope))
      .then((r) => setLabelName(r.items.find((l) => l.id === label)?.name ?? 'unknown label'))
      .catch(() => {})
    return () => ac.abort()
  }, [label, items, loading, scope])

  const title = signedOut || scope === 'public' ? 'Public images' : scope === 'all' ? 'All users' : 'Your library'
  return (
    <div className="page page-wide">
      <div className="page-head">
        {label ? (
          <div>
            <p className="eyebrow">Label</p>
            <h1 data-testid="gallery-title">{labelName ? labelDisplayName(labelName) : '…'}</h1>
            {labelName && labelName.includes(',') && <p className="muted">{labelName}</p>}
          </div>
        ) : (
          <div>
            <h1 data-testid="gallery-title">{title}</h1>
            {signedOut && !info?.demo && (
              <p className="muted">
                You are browsing public images. <Link to="/login">Sign in</Link> to see your own.
              </p>
            )}
            {!signedOut && scope === 'public' && <p className="muted">Everyone’s public images.</p>}
            {scope === 'all' && <p className="muted">Every account’s images, private ones included.</p>}
          </div>
        )}
        <div className="head-actions">
          {label && (
            <Link to="/" className="btn btn-secondary" data-testid="clear-filter">
              Show all images
            </Link>
          )}
          {(user || info?.demo) && (
            <Link to="/upload" className="btn btn-primary">
              Upload
            </Link>
          )}
        </div>
      </div>

      {user && !info?.demo && (
        <ScopeTabs scope={scope} user={user} hrefFor={(s) => galleryPath(s, label)} />
      )}

      {items.length > 0 && <JustifiedGallery images={items} ownerBadgesExcept={scope !== 'mine' ? (user?.id ?? '') : null} />}

      {loading && items.length === 0 && <SkeletonGrid />}
      {loading && items.length > 0 && <Spinner label="Loading more…" />}
      {error && <ErrorBox message={error} onRetry={() => (items.length ? (setError(null), void loadMore()) : void loadFirst(false))} />}
      {!loading && !error && items.length === 0 && (
        <EmptyState title={label ? 'No images with this label' : signedOut || scope === 'public' ? 'No public images yet' : 'No images yet'}>
          {info?.demo && !user ? (
            <p>
              This is a demo: <Link to="/upload">try an upload</Link> to see how Banana labels a photo. Nothing is stored.
            </p>
          ) : user ? (
            <p>
              <Link to="/upload">Upload your first photos</Link> — they are labeled automatically.
            </p>
          ) : signedOut ? (
            <p>
              <Link to="/login">Sign in</Link> to see and upload your own images.
            </p>
          ) : null}
        </EmptyState>
      )}
      {!done && nextCursor && !error && (
        <div ref={sentinel} className="sentinel">
          <button type="button" className="btn btn-ghost" onClick={() => void loadMore()} disabled={loading}>
            Load more
          </button>
        </div>
      )}
      {done && items.length > PAGE_SIZE && <p className="end-note">That’s everything.</p>}
    </div>
  )
}

function SkeletonGrid() {
  const widths = [260, 180, 320, 220, 240, 300, 200, 280, 190, 250]
  return (
    <div className="skeleton-grid" aria-busy="true" aria-label="Loading images" role="status">
      {widths.map((w, i) => (
        <div key={i} className="skeleton" style={{ flexGrow: w, width: w }} />
      ))}
    </div>
  )
}
