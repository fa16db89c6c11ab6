import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { ReactNode } from 'react'
import { listImages } from '../api/endpoints'
import type { ImageFilter } from '../api/endpoints'
import { isAbort } from '../api/client'
import { errorMessage } from '../api/errors'
import type { Image } from '../api/types'
import { useInfiniteScroll, usePendingPoll } from '../lib/hooks'
import { saveNavList } from '../lib/nav'
import type { NavList } from '../lib/nav'
import type { BulkChange } from '../lib/bulk'
import { mergePage, replaceItems } from '../lib/pagination'
import { useBulkList } from '../lib/useBulkList'
import { useSelectionOrder } from './Selection'
import { SelectionBar } from './SelectionBar'
import { Timeline } from './Timeline'
import { EmptyState, ErrorBox, Spinner } from './ui'

const PAGE_SIZE = 40
const key = (i: Image) => i.id

/**
 * A list of the caller's images by one filter (an album, the favourites) as the gallery's
 * timeline, paged by cursor. It becomes the image page's left/right order, with `source` as
 * the page "Back" returns to.
 */
export function ImageFeed({
  filter,
  source,
  album = null,
  emptyTitle,
  emptyBody,
  onCount,
  view,
  onApplied,
  onShareAlbum,
}: {
  filter: Pick<ImageFilter, 'album' | 'favorite'>
  source: string
  album?: NavList['album']
  emptyTitle: string
  emptyBody?: ReactNode
  /** The number of images loaded so far, when it changes. */
  onCount?: (n: number) => void
  /** Which list this is, for the selection bar (inside a SelectionProvider). */
  view: 'favorites' | 'album'
  /** After a bulk action worked (the feed has updated itself already). */
  onApplied?: (change: BulkChange) => void
  /** The bar's "Share album" (an album's feed). */
  onShareAlbum?: () => void
}) {
  const [items, setItems] = useState<Image[]>([])
  const [nextCursor, setNextCursor] = useState<string | null>(null)
  const [done, setDone] = useState(false)
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState<string | null>(null)
  const inflight = useRef<AbortController | null>(null)
  const filterKey = JSON.stringify(filter)

  const loadFirst = useCallback(async () => {
    inflight.current?.abort()
    const ac = new AbortController()
    inflight.current = ac
    setLoading(true)
    setError(null)
    try {
      const page = await listImages({ limit: PAGE_SIZE, ...filter }, ac.signal)
      setItems(page.items)
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
  }, [filterKey])

  useEffect(() => {
    setItems([])
    setNextCursor(null)
    setDone(false)
    void loadFirst()
    return () => inflight.current?.abort()
  }, [loadFirst])

  const loadMore = useCallback(async () => {
    if (inflight.current || done || !nextCursor || error) return
    const ac = new AbortController()
    inflight.current = ac
    setLoading(true)
    try {
      const page = await listImages({ limit: PAGE_SIZE, cursor: nextCursor, ...filter }, ac.signal)
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
  }, [done, nextCursor, error, filterKey])

  const ids = useMemo(() => items.map(key), [items])
  useSelectionOrder(ids)
  const applyToList = useBulkList(items, setItems, view, (i) => i, (_i, img) => img, album?.id)

  const sentinel = useInfiniteScroll(loadMore, !done && !!nextCursor && !error, items.length)
  usePendingPoll(items, (updated) => setItems((prev) => replaceItems(prev, updated, key)))

  useEffect(() => {
    saveNavList({ source, ids: items.map(key), nextCursor, label: null, filter, album })
    onCount?.(items.length)
  }, [items, nextCursor, source, filterKey, album?.id, album?.name])

  return (
    <div className="gallery-main" data-testid="image-feed">
      {items.length > 0 && <Timeline images={items} sort="taken" favorites />}
      {loading && items.length === 0 && <Spinner label="Loading photos…" />}
      {loading && items.length > 0 && <Spinner label="Loading more…" />}
      {error && <ErrorBox message={error} onRetry={() => (items.length ? (setError(null), void loadMore()) : void loadFirst())} />}
      {!loading && !error && items.length === 0 && <EmptyState title={emptyTitle}>{emptyBody}</EmptyState>}
      {!done && nextCursor && !error && (
        <div ref={sentinel} className="sentinel">
          <button type="button" className="btn btn-ghost" onClick={() => void loadMore()} disabled={loading}>
            Load more
          </button>
        </div>
      )}
      <SelectionBar
        view={view}
        album={album}
        onShareAlbum={onShareAlbum}
        onApplied={(change) => {
          applyToList(change)
          onApplied?.(change)
        }}
      />
    </div>
  )
}
