import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import { Link, useNavigate, useSearchParams } from 'react-router'
import { getTimeline, listImages, listLabels } from '../api/endpoints'
import { isAbort } from '../api/client'
import { errorMessage } from '../api/errors'
import type { Image, LabelCategory } from '../api/types'
import { effectiveScope, ScopeTabs, scopeParam } from '../components/ScopeTabs'
import { SelectButton, SelectionProvider } from '../components/Selection'
import { SelectionBar } from '../components/SelectionBar'
import { DateRangeForm, Timeline, YearScrubber } from '../components/Timeline'
import { EmptyState, ErrorBox, Spinner } from '../components/ui'
import { formatIsoDay, yearsOf } from '../lib/dates'
import { labelDisplayName } from '../lib/format'
import { galleryKey, getGallery, setGallery } from '../lib/galleryCache'
import { activeYear, apiFilter, EMPTY_QUERY, galleryPath, isFiltered, jumpToYear, readGalleryQuery } from '../lib/galleryQuery'
import type { GalleryQuery, GallerySort } from '../lib/galleryQuery'
import { useDocumentTitle, useInfiniteScroll, usePendingPoll } from '../lib/hooks'
import { saveNavList } from '../lib/nav'
import { mergePage, prependItems, replaceItems } from '../lib/pagination'
import { useSession } from '../lib/session'
import { useOnUploaded } from '../lib/uploads'
import { useBulkList } from '../lib/useBulkList'

export const PAGE_SIZE = 40
const key = (i: Image) => i.id

export function GalleryPage() {
  const [params] = useSearchParams()
  const navigate = useNavigate()
  const query = readGalleryQuery(params)
  const { label } = query
  const { user, info } = useSession()
  const signedOut = user === null
  const scope = effectiveScope(params.get('scope'), user)
  const path = galleryPath(scope, query)
  const cacheKey = galleryKey(path)
  const hrefWith = (over: Partial<GalleryQuery>) => galleryPath(scope, { ...query, ...over })

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
        const page = await listImages({ limit: PAGE_SIZE, ...apiFilter(scopeParam(scope), query) }, ac.signal)
        const known = new Set((getGallery(galleryKey(path))?.items ?? []).map(key))
        if (hasCache && query.sort === 'uploaded') {
          // Newest uploads first: anything new goes on top of the cached list.
          setItems((prev) => prependItems(prev, page.items, key))
        } else if (hasCache && page.items.every((i) => known.has(i.id))) {
          // By date taken a new photo can belong anywhere: keep the cached list only when
          // nothing is new, else start over from the fresh first page.
          setItems((prev) => replaceItems(prev, page.items, key))
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
    // `path` stands for the scope and every filter in `query`.
    [path],
  )

  useEffect(() => {
    const c = getGallery(galleryKey(path))
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
  }, [path])

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
      const page = await listImages({ limit: PAGE_SIZE, cursor: nextCursor, ...apiFilter(scopeParam(scope), query) }, ac.signal)
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
  }, [done, nextCursor, error, path])

  const sentinel = useInfiniteScroll(loadMore, !done && !!nextCursor && !error, items.length)

  // Photos uploaded (from any page, the uploads run in the background) appear without a reload.
  useOnUploaded(() => void loadFirst(true))

  usePendingPoll(items, (updated) => setItems((prev) => replaceItems(prev, updated, key)))

  // Keep the cache and the left/right navigation order in step.
  useEffect(() => {
    setGallery(cacheKey, { items, nextCursor, done, scrollY: getGallery(cacheKey)?.scrollY ?? 0 })
    const { label: _l, scope: _s, ...filter } = apiFilter(scope, query)
    saveNavList({ source: path, ids: items.map(key), nextCursor, label, scope, filter })
  }, [items, nextCursor, done, cacheKey, path])

  // Years for the scrubber: from the timeline of the whole scope (not the current filters, so
  // every year stays reachable). Signed out, that is the public images.
  const [years, setYears] = useState<Array<{ year: number; count: number }>>([])
  const timelineScope = user === null ? 'public' : scopeParam(scope)
  useEffect(() => {
    if (user === undefined) return
    const ac = new AbortController()
    getTimeline({ scope: timelineScope }, ac.signal)
      .then((t) => setYears(yearsOf(t.buckets)))
      .catch(() => {})
    return () => ac.abort()
  }, [user, timelineScope])

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
      .then((r) => setLabelName(r.items.find((l) => l.id === label)?.name ?? findCategory(r.categories ?? [], label)?.name ?? 'unknown label'))
      .catch(() => {})
    return () => ac.abort()
  }, [label, items, loading, scope])

  const ids = useMemo(() => items.map(key), [items])
  const applyBulk = useBulkList(items, setItems, 'library', (i) => i, (_i, img) => img)
  const selectable = !!user && !info?.demo

  const title = signedOut || scope === 'public' ? 'Public images' : scope === 'all' ? 'All users' : 'Your library'
  const place = query.country ? (query.city ? `${query.city}, ${countryName(items, query.country)}` : countryName(items, query.country)) : null
  const year = activeYear(query)
  const setSort = (sort: GallerySort) => navigate(hrefWith({ sort }))
  const cleared = galleryPath(scope, { ...EMPTY_QUERY, sort: query.sort })
  return (
    <SelectionProvider order={ids} enabled={selectable}>
    <div className="page page-wide">
      <div className="page-head">
        {label ? (
          <div>
            <p className="eyebrow">Label</p>
            <h1 data-testid="gallery-title">{labelName ? labelDisplayName(labelName) : '…'}</h1>
            {labelName && labelName.includes(',') && <p className="muted">{labelName}</p>}
          </div>
        ) : place ? (
          <div>
            <p className="eyebrow">Place</p>
            <h1 data-testid="gallery-title">{place}</h1>
            <p className="muted">
              <Link to="/places">All places</Link>
            </p>
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
          {isFiltered(query) && (
            <Link to={cleared} className="btn btn-secondary" data-testid="clear-filter">
              Show all images
            </Link>
          )}
          {selectable && items.length > 0 && <SelectButton />}
          {(user || info?.demo) && (
            <Link to="/upload" className="btn btn-primary">
              Upload
            </Link>
          )}
        </div>
      </div>

      {user && !info?.demo && (
        <ScopeTabs scope={scope} user={user} hrefFor={(s) => galleryPath(s, query)} />
      )}

      {(items.length > 0 || isFiltered(query) || query.sort !== 'taken') && (
      <div className="gallery-toolbar" data-testid="gallery-toolbar">
        <div className="segmented" role="radiogroup" aria-label="Sort by">
          {(
            [
              ['taken', 'Date taken'],
              ['uploaded', 'Date uploaded'],
            ] as const
          ).map(([s, name]) => (
            <label key={s}>
              <input type="radio" name="gallery-sort" value={s} checked={query.sort === s} onChange={() => setSort(s)} data-testid={`sort-${s}`} />
              <span>{name}</span>
            </label>
          ))}
        </div>
        <DateRangeForm from={query.from} to={query.to} onApply={(from, to) => navigate(hrefWith({ from, to }))} />
      </div>
      )}

      <FilterChips query={query} place={place} hrefWith={hrefWith} />

      <div className={'gallery-body' + (years.length ? ' has-scrubber' : '')}>
        <div className="gallery-main">
          {items.length > 0 && <Timeline images={items} sort={query.sort} ownerBadgesExcept={scope !== 'mine' ? (user?.id ?? '') : null} favorites={!!user && !info?.demo} />}

          {loading && items.length === 0 && <SkeletonGrid />}
          {loading && items.length > 0 && <Spinner label="Loading more…" />}
          {error && <ErrorBox message={error} onRetry={() => (items.length ? (setError(null), void loadMore()) : void loadFirst(false))} />}
          {!loading && !error && items.length === 0 && (
            <EmptyState
              title={
                label
                  ? 'No images with this label'
                  : isFiltered(query)
                    ? 'No images match these filters'
                    : signedOut || scope === 'public'
                      ? 'No public images yet'
                      : 'No images yet'
              }
            >
              {isFiltered(query) ? (
                <p>
                  Try a wider date range, or <Link to={cleared}>show all images</Link>.
                </p>
              ) : info?.demo && !user ? (
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
        <YearScrubber
          years={years}
          active={year}
          hrefFor={(y) => hrefWith(jumpToYear(query, y))}
          newestHref={hrefWith({ from: null, to: null })}
        />
      </div>
      <SelectionBar view="library" onApplied={applyBulk} />
    </div>
    </SelectionProvider>
  )
}

/** The name of a country: as the loaded images' places give it, else the browser's, else its code. */
function countryName(items: Image[], cc: string): string {
  const fromItems = items.find((i) => i.location?.country_code === cc)?.location?.country
  if (fromItems) return fromItems
  try {
    return new Intl.DisplayNames(['en'], { type: 'region' }).of(cc) ?? cc
  } catch {
    return cc
  }
}

/** The filters besides label and sort, each removable on its own. */
function FilterChips({
  query,
  place,
  hrefWith,
}: {
  query: GalleryQuery
  place: string | null
  hrefWith: (over: Partial<GalleryQuery>) => string
}) {
  const chips: Array<{ key: string; text: string; href: string }> = []
  if (query.from || query.to) {
    const text =
      query.from && query.to
        ? `Taken ${formatIsoDay(query.from)} – ${formatIsoDay(query.to)}`
        : query.from
          ? `Taken from ${formatIsoDay(query.from)}`
          : `Taken up to ${formatIsoDay(query.to!)}`
    chips.push({ key: 'date', text, href: hrefWith({ from: null, to: null }) })
  }
  if (query.country && place) {
    chips.push({ key: 'place', text: place, href: hrefWith({ country: null, city: null }) })
  }
  if (query.camera) chips.push({ key: 'camera', text: `Camera: ${query.camera}`, href: hrefWith({ camera: null }) })
  if (!chips.length) return null
  return (
    <ul className="filter-chips" aria-label="Filters" data-testid="filter-chips">
      {chips.map((c) => (
        <li key={c.key} data-testid={`filter-${c.key}`}>
          <span>{c.text}</span>
          <Link to={c.href} className="filter-x" aria-label={`Remove filter: ${c.text}`}>
            ×
          </Link>
        </li>
      ))}
    </ul>
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

/** The category `id` anywhere in the label tree (a `?label=` filter may name one). */
export function findCategory(nodes: LabelCategory[], id: string): LabelCategory | undefined {
  for (const n of nodes) {
    if (n.id === id) return n
    const below = findCategory(n.children, id)
    if (below) return below
  }
  return undefined
}
