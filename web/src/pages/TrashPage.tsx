import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { Link } from 'react-router'
import { bulkImages, emptyTrash, listTrash, restoreTrash } from '../api/endpoints'
import type { TrashItem } from '../api/types'
import { isAbort } from '../api/client'
import { errorMessage } from '../api/errors'
import { SelectButton, SelectCheck, SelectionProvider, useSelectionState, useSelectionStore, useTileSelection } from '../components/Selection'
import { clear } from '../lib/selection'
import { SelectionBar } from '../components/SelectionBar'
import { ConfirmDialog, EmptyState, ErrorBox, Spinner } from '../components/ui'
import { formatShortDate, parseWallClock, toLocalRfc3339 } from '../lib/dates'
import { imageAlt, imageTitle, relativeTime } from '../lib/format'
import { clearGalleries } from '../lib/galleryCache'
import { useDocumentTitle, useInfiniteScroll } from '../lib/hooks'
import { mergePage } from '../lib/pagination'
import { trashDays, useSession } from '../lib/session'
import { useBulkList } from '../lib/useBulkList'
import { RequireSignIn } from './AccountPage'
import '../components/library.css'

const PAGE = 60
const key = (t: TrashItem) => t.image.id

/** "3 Dec 2026": the day of an instant in the browser's time zone, as the gallery writes dates. */
export function formatDay(iso: string | null | undefined): string {
  const t = iso ? Date.parse(iso) : NaN
  const w = Number.isNaN(t) ? null : parseWallClock(toLocalRfc3339(t))
  return w ? formatShortDate(w) : '—'
}

/** "Deleted 3 Dec 2026 · removed for good on 2 Jan 2027" */
export function trashDates(t: Pick<TrashItem, 'trashed_at' | 'purge_at'>): string {
  const deleted = `Deleted ${formatDay(t.trashed_at)}`
  return t.purge_at ? `${deleted} · removed for good on ${formatDay(t.purge_at)}` : deleted
}

export function TrashPage() {
  useDocumentTitle('Trash')
  const { user, info } = useSession()
  const [items, setItems] = useState<TrashItem[]>([])
  const [next, setNext] = useState<string | null>(null)
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState<string | null>(null)
  const [attempt, setAttempt] = useState(0)
  const [confirmEmpty, setConfirmEmpty] = useState(false)
  const [emptying, setEmptying] = useState(false)
  const [notice, setNotice] = useState<{ text: string; error?: boolean } | null>(null)
  const busy = useRef(false)

  useEffect(() => {
    if (!user) return
    const ac = new AbortController()
    setLoading(true)
    setError(null)
    listTrash({ limit: PAGE }, ac.signal)
      .then((r) => {
        setItems(r.items)
        setNext(r.next_cursor)
      })
      .catch((e) => !isAbort(e) && setError(errorMessage(e)))
      .finally(() => !ac.signal.aborted && setLoading(false))
    return () => ac.abort()
  }, [user, attempt])

  const more = useCallback(async () => {
    if (busy.current || !next) return
    busy.current = true
    setLoading(true)
    try {
      const r = await listTrash({ limit: PAGE, cursor: next })
      setItems((prev) => mergePage(prev, r.items, key))
      setNext(r.next_cursor)
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      busy.current = false
      setLoading(false)
    }
  }, [next])
  const sentinel = useInfiniteScroll(() => void more(), !!next && !error, items.length)

  const ids = useMemo(() => items.map(key), [items])
  const applyBulk = useBulkList(items, setItems, 'trash', (t) => t.image, (t, image) => ({ ...t, image }))

  const restoreOne = async (t: TrashItem) => {
    setNotice(null)
    try {
      await restoreTrash([t.image.id])
      setItems((prev) => prev.filter((x) => x.image.id !== t.image.id))
      clearGalleries()
      setNotice({ text: `Restored “${imageTitle(t.image)}”.` })
    } catch (e) {
      setNotice({ text: `Could not restore: ${errorMessage(e)}`, error: true })
    }
  }

  const purge = async (chosen: string[]) => {
    setNotice(null)
    try {
      const r = await bulkImages({ action: 'purge', image_ids: chosen })
      const gone = new Set(r.results.filter((x) => x.ok).map((x) => x.id))
      setItems((prev) => prev.filter((x) => !gone.has(x.image.id)))
      const n = r.succeeded
      const failed = r.failed ? ` ${r.failed} could not be deleted.` : ''
      setNotice({ text: `Deleted ${n} ${n === 1 ? 'photo' : 'photos'} for good.${failed}`, error: r.failed > 0 })
    } catch (e) {
      setNotice({ text: errorMessage(e), error: true })
    }
  }

  const empty = async () => {
    setEmptying(true)
    setNotice(null)
    try {
      const r = await emptyTrash()
      setItems([])
      setNext(null)
      setConfirmEmpty(false)
      const n = r?.purged ?? 0
      setNotice({ text: `Deleted ${n} ${n === 1 ? 'photo' : 'photos'} for good.` })
    } catch (e) {
      setConfirmEmpty(false)
      setNotice({ text: errorMessage(e), error: true })
    } finally {
      setEmptying(false)
    }
  }

  if (user === undefined) return <div className="page"><Spinner /></div>
  if (user === null) return <RequireSignIn what="see your trash" />
  const days = trashDays(info)
  const countText = `${items.length}${next ? '+' : ''} ${items.length === 1 && !next ? 'photo' : 'photos'}`

  return (
    <SelectionProvider order={ids}>
      <div className="page page-wide" data-testid="trash-page">
        <div className="page-head">
          <div>
            <h1 data-testid="trash-title">Trash</h1>
            {days === 0 ? (
              <p className="muted" data-testid="no-trash">
                This server keeps no trash: deleting a photo removes it for good at once.
              </p>
            ) : (
              <p className="muted">
                Photos you moved to the trash{days ? ` are deleted for good after ${days} days` : ' stay here until you empty it'}. Until
                then you can restore them; they do not show anywhere else, and their share links do not work.
              </p>
            )}
            <p className="muted small">
              Cleaning up? <Link to="/duplicates" data-testid="trash-duplicates-link">Review near-identical copies</Link> of your photos.
            </p>
          </div>
          {items.length > 0 && (
            <div className="head-actions">
              <SelectButton />
              <button type="button" className="btn btn-danger-outline" onClick={() => setConfirmEmpty(true)} data-testid="empty-trash">
                Empty trash
              </button>
            </div>
          )}
        </div>
        {notice && (
          <p className={notice.error ? 'err-text' : 'ok-text'} role={notice.error ? 'alert' : 'status'} data-testid="trash-notice">
            {notice.text}
          </p>
        )}
        {error && <ErrorBox message={error} onRetry={() => (items.length ? (setError(null), void more()) : setAttempt((n) => n + 1))} />}
        {loading && items.length === 0 && <Spinner label="Loading the trash…" />}
        {!loading && !error && items.length === 0 && (
          <EmptyState title="The trash is empty" testId="trash-empty">
            <p>
              Photos you delete wait here before they go for good. <Link to="/">Back to the gallery</Link>
            </p>
          </EmptyState>
        )}
        {items.length > 0 && (
          <ul className="trash-grid" aria-label={`In the trash: ${countText}`} data-testid="trash-list">
            {items.map((t) => (
              <TrashTile key={t.image.id} item={t} onRestore={() => void restoreOne(t)} />
            ))}
          </ul>
        )}
        {loading && items.length > 0 && <Spinner label="Loading more…" />}
        {next && !error && (
          <div ref={sentinel} className="sentinel">
            <button type="button" className="btn btn-ghost" onClick={() => void more()} disabled={loading}>
              Load more
            </button>
          </div>
        )}
        <SelectionBar view="trash" onApplied={applyBulk} extra={<DeleteForever onPurge={purge} />} />
        {confirmEmpty && (
          <ConfirmDialog
            title="Empty the trash?"
            confirmLabel="Delete for good"
            busy={emptying}
            onCancel={() => setConfirmEmpty(false)}
            onConfirm={() => void empty()}
          >
            <p>
              {next ? `All ${countText}` : items.length === 1 ? 'The photo' : `All ${items.length} photos`} in the trash, their labels and share
              links will be deleted for good. This cannot be undone.
            </p>
          </ConfirmDialog>
        )}
      </div>
    </SelectionProvider>
  )
}

/**
 * "Delete forever" in the bar: the selected photos go for good (bulk `purge`), after asking.
 */
function DeleteForever({ onPurge }: { onPurge: (ids: string[]) => Promise<void> }) {
  const state = useSelectionState()
  const store = useSelectionStore()
  const [asking, setAsking] = useState(false)
  const [busy, setBusy] = useState(false)
  const ids = state ? [...state.selected] : []
  return (
    <>
      <button
        type="button"
        className="btn btn-small btn-danger-outline"
        onClick={() => setAsking(true)}
        disabled={ids.length === 0}
        title="Delete the selected photos for good"
        data-testid="bulk-delete-forever"
      >
        Delete forever
      </button>
      {asking && (
        <ConfirmDialog
          title={`Delete ${ids.length} ${ids.length === 1 ? 'photo' : 'photos'} for good?`}
          confirmLabel="Delete for good"
          busy={busy}
          onCancel={() => setAsking(false)}
          onConfirm={() => {
            setBusy(true)
            void onPurge(ids).finally(() => {
              setBusy(false)
              setAsking(false)
              store?.update(clear)
            })
          }}
        >
          <p>They, their labels and share links are deleted for good. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </>
  )
}

function TrashTile({ item, onRestore }: { item: TrashItem; onRestore: () => void }) {
  const img = item.image
  const sel = useTileSelection(img.id)
  const [failed, setFailed] = useState(false)
  const title = imageTitle(img)
  const purgeSoon = item.purge_at ? new Date(item.purge_at).getTime() - Date.now() < 3 * 86400000 : false
  return (
    <li
      className={'trash-tile is-selectable' + (sel?.selecting ? ' is-selecting' : '') + (sel?.selected ? ' is-selected' : '')}
      data-testid="trash-item"
      data-image-id={img.id}
      data-selected={sel ? String(sel.selected) : undefined}
    >
      <div className="trash-thumb tile" {...sel?.pressHandlers}>
        {/* Nothing to open in the trash: the picture selects. */}
        <button type="button" className="trash-pick" aria-label={`${sel?.selected ? 'Deselect' : 'Select'} ${title}`} onClick={sel?.onCheck}>
          {img.urls?.thumbnail && !failed ? (
            <img src={img.urls.thumbnail} alt={imageAlt(img)} loading="lazy" className="is-loaded" onError={() => setFailed(true)} />
          ) : (
            <span className="tile-broken">Preview unavailable</span>
          )}
        </button>
        {sel && <SelectCheck selected={sel.selected} label={`Select ${title}`} onCheck={sel.onCheck} />}
      </div>
      <div className="trash-meta">
        <span className="trash-name" title={title}>
          {title}
        </span>
        <span className={'trash-dates small' + (purgeSoon ? ' is-soon' : '')} data-testid="trash-dates" title={item.purge_at ? `Removed for good ${relativeTime(item.purge_at)}` : undefined}>
          {trashDates(item)}
        </span>
        <button type="button" className="btn btn-secondary btn-small" onClick={onRestore} data-testid="restore-one">
          Restore
        </button>
      </div>
    </li>
  )
}
