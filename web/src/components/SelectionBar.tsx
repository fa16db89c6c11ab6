import { useEffect, useLayoutEffect, useRef, useState } from 'react'
import type { FormEvent, ReactNode } from 'react'
import { Link } from 'react-router'
import { bulkImages, createAlbum, downloadImages, listAlbums } from '../api/endpoints'
import type { BulkAction, BulkRequest, BulkResponse } from '../api/types'
import { isAbort } from '../api/client'
import { errorMessage } from '../api/errors'
import type { Album, Visibility } from '../api/types'
import { outcome, summarize } from '../lib/bulk'
import type { BulkChange, ListView } from '../lib/bulk'
import { filenameFromDisposition, readWithProgress, saveBlob, zipName } from '../lib/download'
import type { Progress } from '../lib/download'
import { formatBytes } from '../lib/format'
import { clear, retain, selectedInOrder } from '../lib/selection'
import { trashDays, useSession } from '../lib/session'
import { selectAllLoaded, useSelectionState, useSelectionStore } from './Selection'
import { ConfirmDialog } from './ui'
import './library.css'

/** The server takes at most this many ids per bulk request. */
export const BULK_MAX = 1000

/** Runs one bulk action over any number of ids (1000 a request), as one response. */
export async function bulkAll(ids: readonly string[], req: Omit<BulkRequest, 'image_ids'>): Promise<BulkResponse> {
  const all: BulkResponse = { results: [], succeeded: 0, failed: 0 }
  for (let i = 0; i < ids.length; i += BULK_MAX) {
    const r = await bulkImages({ ...req, image_ids: ids.slice(i, i + BULK_MAX) })
    all.results.push(...r.results)
    all.succeeded += r.succeeded
    all.failed += r.failed
  }
  return all
}

interface Report {
  /** What was done ("Moved to trash"), before the counts. */
  prefix?: string
  text: string
  reason?: string | null
  error?: boolean
  link?: { to: string; text: string }
  /** After a move to trash: the ids Undo brings back. */
  undo?: string[]
}

const VERB: Partial<Record<BulkAction, string>> = {
  trash: 'Moved to trash',
  restore: 'Restored',
  favorite: 'Added to favourites',
  unfavorite: 'Removed from favourites',
  remove_from_album: 'Removed from the album',
  tag: 'Tagged',
  untag: 'Untagged',
}

const NEW_ALBUM = '__new__'

/**
 * The bar along the bottom while tiles are selected: the count, the actions for this list, and
 * what the last action did ("4 done, 1 failed"). Items an action failed for stay selected.
 * `onApplied` gets what worked, so the page can update its list without loading it again.
 */
export function SelectionBar({
  view,
  album = null,
  onApplied,
  onShareAlbum,
  extra,
}: {
  view: ListView
  /** In an album's view: the album (remove from album, share album). */
  album?: { id: string; name: string } | null
  onApplied: (change: BulkChange) => void
  onShareAlbum?: () => void
  /** More buttons (the trash page's "Delete forever"). */
  extra?: ReactNode
}) {
  const store = useSelectionStore()
  const state = useSelectionState()
  const [busy, setBusy] = useState<string | null>(null)
  const [report, setReport] = useState<Report | null>(null)
  const [panel, setPanel] = useState<null | 'album' | 'visibility' | 'tag'>(null)
  const [download, setDownload] = useState<Progress | null>(null)
  const downloadAbort = useRef<AbortController | null>(null)
  // A server without a trash deletes for good at once: the bar says so, and asks first.
  const noTrash = trashDays(useSession().info) === 0
  const [confirmDelete, setConfirmDelete] = useState(false)
  const count = state?.selected.size ?? 0
  const active = !!state?.active

  // A report stays while selecting; once nothing is selected it goes after a while.
  useEffect(() => {
    if (!report || active) return
    const t = setTimeout(() => setReport(null), 12000)
    return () => clearTimeout(t)
  }, [report, active])
  useEffect(() => {
    if (!active) setPanel(null)
  }, [active])
  useEffect(() => () => downloadAbort.current?.abort(), [])
  // Toasts (this app's and the uploads') float above the bar: its height as a CSS variable.
  const root = useRef<HTMLDivElement>(null)
  const shown = !!store && !!state && (active || !!report || !!download)
  useLayoutEffect(() => {
    const el = root.current
    const doc = document.documentElement
    if (!shown || !el) return
    const set = () => doc.style.setProperty('--selection-bar-h', `${Math.ceil(el.getBoundingClientRect().height)}px`)
    set()
    const ro = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(set)
    ro?.observe(el)
    return () => {
      ro?.disconnect()
      doc.style.removeProperty('--selection-bar-h')
    }
  }, [shown])

  if (!store || !state || !shown) return null
  const ids = () => selectedInOrder(store.get(), store.order())
  const total = store.order().length

  const run = async (action: BulkAction, opts: { visibility?: Visibility; albumId?: string; albumName?: string; tag?: string } = {}) => {
    const asked = ids()
    if (!asked.length) return
    setBusy(opts.visibility ?? action.replace(/_/g, '-'))
    setReport(null)
    try {
      const r = await bulkAll(asked, {
        action,
        ...(opts.visibility ? { visibility: opts.visibility } : {}),
        ...(opts.albumId ? { album_id: opts.albumId } : {}),
        ...(opts.tag ? { tag: opts.tag } : {}),
      })
      const { ok, failed } = outcome(asked, r)
      if (ok.size) onApplied({ action, ids: ok, visibility: opts.visibility, albumId: opts.albumId, tag: opts.tag })
      store.update((s) => retain(s, failed))
      const { text, reason } = summarize(r)
      const verb =
        action === 'set_visibility'
          ? opts.visibility === 'public'
            ? 'Made public'
            : 'Made private'
          : action === 'add_to_album'
            ? 'Added to'
            : action === 'trash' && noTrash
              ? 'Deleted'
              : VERB[action]
      const albumLink =
        action === 'add_to_album' && opts.albumId ? { to: `/albums/${encodeURIComponent(opts.albumId)}`, text: `“${opts.albumName ?? 'the album'}”` } : undefined
      setReport({
        prefix: verb,
        link: albumLink,
        text,
        reason,
        error: ok.size === 0,
        undo: action === 'trash' && !noTrash && ok.size ? [...ok] : undefined,
      })
      setPanel(null)
    } catch (e) {
      setReport({ text: errorMessage(e), error: true })
    } finally {
      setBusy(null)
    }
  }

  const undo = async (undoIds: string[]) => {
    setBusy('undo')
    try {
      const r = await bulkAll(undoIds, { action: 'restore' })
      const { ok } = outcome(undoIds, r)
      if (ok.size) onApplied({ action: 'restore', ids: ok })
      const { text, reason } = summarize(r)
      setReport({ prefix: 'Restored', text, reason, error: ok.size === 0 })
    } catch (e) {
      setReport({ text: errorMessage(e), error: true })
    } finally {
      setBusy(null)
    }
  }

  const zip = async () => {
    const asked = ids()
    if (!asked.length) return
    const ac = new AbortController()
    downloadAbort.current = ac
    setReport(null)
    setDownload({ received: 0, total: null })
    try {
      const res = await downloadImages(asked, ac.signal)
      const blob = await readWithProgress(res, setDownload)
      saveBlob(blob, filenameFromDisposition(res.headers.get('Content-Disposition')) ?? zipName(asked.length))
      setReport({ text: `Downloaded ${asked.length} ${asked.length === 1 ? 'photo' : 'photos'} as a ZIP (${formatBytes(blob.size)})` })
    } catch (e) {
      if (!isAbort(e)) setReport({ text: `Download failed: ${errorMessage(e)}`, error: true })
    } finally {
      if (downloadAbort.current === ac) downloadAbort.current = null
      setDownload(null)
    }
  }

  const disabled = !!busy || count === 0
  const btn = (action: string, label: string, onClick: () => void, cls = 'btn-secondary') => (
    <button type="button" className={`btn btn-small ${cls}`} onClick={onClick} disabled={disabled} data-testid={`bulk-${action}`} aria-busy={busy === action || undefined}>
      {busy === action ? 'Working…' : label}
    </button>
  )

  return (
    <div className="selection-bar" role="region" aria-label="Selection" data-testid="selection-bar" ref={root}>
      {panel === 'album' && active && (
        <AddToAlbumPanel
          busy={busy === 'add_to_album'}
          onCancel={() => setPanel(null)}
          onAdd={(a) => void run('add_to_album', { albumId: a.id, albumName: a.name })}
        />
      )}
      {panel === 'tag' && active && (
        <TagPanel busy={busy === 'tag' || busy === 'untag'} onCancel={() => setPanel(null)} onApply={(tag, on) => void run(on ? 'tag' : 'untag', { tag })} />
      )}
      {panel === 'visibility' && active && (
        <div className="sb-panel sb-menu" role="group" aria-label="Visibility">
          {btn('public', 'Make public', () => void run('set_visibility', { visibility: 'public' }))}
          {btn('private', 'Make private', () => void run('set_visibility', { visibility: 'private' }))}
        </div>
      )}
      {(report || download) && (
        <div className={'sb-report' + (report?.error ? ' is-error' : report?.reason ? ' is-partial' : '')} role="status" data-testid="bulk-result">
          {download ? (
            <>
              <span data-testid="download-progress">
                Preparing ZIP… {formatBytes(download.received)}
                {download.total ? ` of ${formatBytes(download.total)}` : ''}
              </span>
              {download.total && <progress className="progress sb-progress" max={download.total} value={download.received} />}
              <button type="button" className="btn btn-ghost btn-small" onClick={() => downloadAbort.current?.abort()}>
                Cancel
              </button>
            </>
          ) : (
            report && (
              <>
                <span className="sb-msg">
                <span data-testid="bulk-result-text">
                  {report.prefix && (
                    <>
                      {report.prefix}
                      {report.link && (
                        <>
                          {' '}
                          <Link to={report.link.to}>{report.link.text}</Link>
                        </>
                      )}
                      {': '}
                    </>
                  )}
                  {report.text}
                </span>
                {report.reason && <span className="sb-reason">{report.reason}</span>}
                </span>
                {report.undo && (
                  <button type="button" className="btn btn-ghost btn-small sb-undo" onClick={() => void undo(report.undo!)} disabled={!!busy} data-testid="bulk-undo">
                    Undo
                  </button>
                )}
                <button type="button" className="sb-dismiss" aria-label="Dismiss" onClick={() => setReport(null)}>
                  ×
                </button>
              </>
            )
          )}
        </div>
      )}
      {active && (
        <div className="sb-main">
          <button type="button" className="sb-close" aria-label="Clear selection (Escape)" title="Clear selection (Esc)" onClick={() => store.update(clear)} data-testid="bulk-clear">
            ×
          </button>
          <span className="sb-count" data-testid="selection-count" aria-live="polite">
            {count === 0 ? 'Select photos' : `${count} selected`}
          </span>
          {count < total && (
            <button type="button" className="btn btn-ghost btn-small" onClick={() => selectAllLoaded(store)} data-testid="bulk-select-all">
              Select all {total}
            </button>
          )}
          <div className="sb-actions">
            {view === 'trash' ? (
              <>
                {btn('restore', 'Restore', () => void run('restore'), 'btn-primary')}
                {extra}
              </>
            ) : (
              <>
                {btn('add-to-album', 'Add to album', () => setPanel(panel === 'album' ? null : 'album'))}
                {btn('favorite', '♥ Favourite', () => void run('favorite'))}
                {btn('unfavorite', 'Unfavourite', () => void run('unfavorite'))}
                {btn('visibility', 'Visibility ▾', () => setPanel(panel === 'visibility' ? null : 'visibility'))}
                {btn('tag', 'Tag…', () => setPanel(panel === 'tag' ? null : 'tag'))}
                <button type="button" className="btn btn-small btn-secondary" onClick={() => void zip()} disabled={disabled || !!download} data-testid="bulk-download">
                  Download ZIP
                </button>
                {album && btn('remove-from-album', 'Remove from album', () => void run('remove_from_album', { albumId: album.id }))}
                {album && onShareAlbum && (
                  <button type="button" className="btn btn-small btn-secondary" onClick={onShareAlbum} data-testid="bulk-share-album">
                    Share album
                  </button>
                )}
                {noTrash
                  ? btn('trash', 'Delete', () => setConfirmDelete(true), 'btn-danger-outline')
                  : btn('trash', 'Move to trash', () => void run('trash'), 'btn-danger-outline')}
                {extra}
              </>
            )}
          </div>
        </div>
      )}
      {confirmDelete && (
        <ConfirmDialog
          title={`Delete ${count} ${count === 1 ? 'photo' : 'photos'}?`}
          confirmLabel="Delete for good"
          busy={busy === 'trash'}
          onCancel={() => setConfirmDelete(false)}
          onConfirm={async () => {
            await run('trash')
            setConfirmDelete(false)
          }}
        >
          <p>This server keeps no trash: the photos, their labels and share links are removed for good. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </div>
  )
}

/** Pick one of the caller's albums, or name a new one. */
function AddToAlbumPanel({ busy, onAdd, onCancel }: { busy: boolean; onAdd: (a: Album) => void; onCancel: () => void }) {
  const [albums, setAlbums] = useState<Album[] | null>(null)
  const [pick, setPick] = useState('')
  const [name, setName] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [creating, setCreating] = useState(false)
  useEffect(() => {
    const ac = new AbortController()
    listAlbums(ac.signal)
      .then((r) => {
        setAlbums(r.items)
        setPick(r.items[0]?.id ?? NEW_ALBUM)
      })
      .catch((e) => {
        if (isAbort(e)) return
        setAlbums([])
        setPick(NEW_ALBUM)
        setError(errorMessage(e))
      })
    return () => ac.abort()
  }, [])
  const isNew = pick === NEW_ALBUM
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setError(null)
    if (!isNew) return onAdd(albums!.find((a) => a.id === pick)!)
    if (!name.trim()) return setError('Give the new album a name.')
    setCreating(true)
    try {
      onAdd(await createAlbum(name.trim()))
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setCreating(false)
    }
  }
  return (
    <form className="sb-panel" onSubmit={submit} aria-label="Add to album" data-testid="bulk-album-form">
      {albums === null ? (
        <span className="muted small">Loading albums…</span>
      ) : (
        <>
          {albums.length > 0 && (
            <div className="field inline">
              <label htmlFor="bulk-album-pick">Album</label>
              <select id="bulk-album-pick" value={pick} onChange={(e) => setPick(e.target.value)} data-testid="bulk-album-select">
                {albums.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
                <option value={NEW_ALBUM}>New album…</option>
              </select>
            </div>
          )}
          {isNew && (
            <div className="field inline">
              <label htmlFor="bulk-album-name">New album</label>
              <input id="bulk-album-name" type="text" maxLength={200} value={name} onChange={(e) => setName(e.target.value)} placeholder="Name" autoFocus data-testid="bulk-new-album-name" />
            </div>
          )}
          <button type="submit" className="btn btn-primary btn-small" disabled={busy || creating} data-testid="bulk-album-submit">
            {busy || creating ? 'Adding…' : isNew ? 'Create and add' : 'Add'}
          </button>
          <button type="button" className="btn btn-ghost btn-small" onClick={onCancel}>
            Cancel
          </button>
        </>
      )}
      {error && (
        <span className="err-text small" role="alert">
          {error}
        </span>
      )}
    </form>
  )
}

/** The bar's tag form: one tag (1–50 characters) put on, or taken off, the selected photos. */
function TagPanel({ busy, onCancel, onApply }: { busy: boolean; onCancel: () => void; onApply: (tag: string, on: boolean) => void }) {
  const [tag, setTag] = useState('')
  const clean = tag.trim().replace(/\s+/g, ' ')
  return (
    <form
      className="sb-panel"
      aria-label="Tag"
      data-testid="bulk-tag-form"
      onSubmit={(e) => {
        e.preventDefault()
        if (clean) onApply(clean, true)
      }}
    >
      <label htmlFor="bulk-tag-input">Tag</label>
      <input id="bulk-tag-input" type="text" maxLength={50} value={tag} onChange={(e) => setTag(e.target.value)} placeholder="e.g. summer 2019" autoFocus data-testid="bulk-tag-input" />
      <button type="submit" className="btn btn-primary btn-small" disabled={busy || !clean} data-testid="bulk-tag-add">
        Add tag
      </button>
      <button type="button" className="btn btn-secondary btn-small" disabled={busy || !clean} onClick={() => onApply(clean, false)} data-testid="bulk-tag-remove">
        Remove tag
      </button>
      <button type="button" className="btn btn-ghost btn-small" onClick={onCancel}>
        Cancel
      </button>
    </form>
  )
}
