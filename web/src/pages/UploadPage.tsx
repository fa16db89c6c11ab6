import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { DragEvent } from 'react'
import { Link } from 'react-router'
import type { Image, Visibility } from '../api/types'
import { LabelChips, StatusBadge } from '../components/ui'
import { formatBytes, imageTitle } from '../lib/format'
import { clearGalleries } from '../lib/galleryCache'
import { useDocumentTitle, usePendingPoll } from '../lib/hooks'
import { BoundedQueue } from '../lib/queue'
import { ACCEPT, browserCanShow, uploadFile, looksLikeImage } from '../lib/upload'
import type { UploadFields, UploadOutcome } from '../lib/upload'
import { useSession } from '../lib/session'

export const UPLOAD_CONCURRENCY = 3

type ItemState = 'queued' | 'uploading' | 'processing' | 'done' | 'duplicate' | 'rejected'

interface UploadItem {
  key: string
  file: File
  previewUrl: string | null
  progress: number
  state: ItemState
  outcome?: UploadOutcome
  abort?: () => void
}

let seq = 0

export function UploadPage() {
  useDocumentTitle('Upload')
  const { user, info } = useSession()
  const [items, setItems] = useState<UploadItem[]>([])
  const [title, setTitle] = useState('')
  const [attribution, setAttribution] = useState('')
  const [visibility, setVisibility] = useState<Visibility>('private')
  const [dragging, setDragging] = useState(false)
  const [skipped, setSkipped] = useState<string[]>([])
  const queue = useMemo(() => new BoundedQueue(UPLOAD_CONCURRENCY), [])
  const inputRef = useRef<HTMLInputElement>(null)
  const mounted = useRef(true)
  const itemsRef = useRef(items)
  itemsRef.current = items

  useEffect(() => {
    mounted.current = true
    return () => {
      mounted.current = false
      for (const it of itemsRef.current) {
        if (it.previewUrl) URL.revokeObjectURL(it.previewUrl)
      }
    }
  }, [])

  const update = useCallback((key: string, patch: Partial<UploadItem>) => {
    if (!mounted.current) return
    setItems((prev) => prev.map((it) => (it.key === key ? { ...it, ...patch } : it)))
  }, [])

  const addFiles = useCallback(
    (files: FileList | File[]) => {
      const list = Array.from(files)
      const ok = list.filter(looksLikeImage)
      setSkipped(list.filter((f) => !looksLikeImage(f)).map((f) => f.name))
      const fields: UploadFields = { title, attribution, visibility }
      const fresh: UploadItem[] = ok.map((file) => ({
        key: `u${++seq}`,
        file,
        previewUrl: typeof URL.createObjectURL === 'function' && browserCanShow(file) ? URL.createObjectURL(file) : null,
        progress: 0,
        state: 'queued',
      }))
      setItems((prev) => [...prev, ...fresh])
      for (const it of fresh) {
        void queue.push(async () => {
          const h = uploadFile(it.file, fields, (p) => update(it.key, { progress: p, state: p >= 1 ? 'processing' : 'uploading' }))
          update(it.key, { state: 'uploading', abort: h.abort })
          const outcome = await h.promise
          const state: ItemState = outcome.kind === 'done' ? 'done' : outcome.kind === 'duplicate' ? 'duplicate' : 'rejected'
          if (outcome.kind === 'done') clearGalleries()
          update(it.key, { state, outcome, progress: 1, abort: undefined })
        })
      }
    },
    [queue, title, attribution, visibility, update],
  )

  usePendingPoll(
    items.flatMap((it) => (it.outcome?.kind === 'done' && it.outcome.image.urls ? [it.outcome.image] : [])),
    (updated) =>
      setItems((prev) =>
        prev.map((it) => {
          if (it.outcome?.kind !== 'done') return it
          const u = updated.find((x) => x.id === (it.outcome as { image: Image }).image.id)
          return u ? { ...it, outcome: { kind: 'done', image: u } } : it
        }),
      ),
  )

  const onDrop = (e: DragEvent) => {
    e.preventDefault()
    setDragging(false)
    if (e.dataTransfer?.files?.length) addFiles(e.dataTransfer.files)
  }

  if (user === null && !info?.demo) {
    return (
      <div className="page page-narrow">
        <h1>Upload</h1>
        <div className="card">
          <p>
            Please <Link to="/login?next=/upload">sign in</Link> to upload images.
          </p>
        </div>
      </div>
    )
  }

  const counts = {
    total: items.length,
    finished: items.filter((i) => i.state === 'done' || i.state === 'duplicate' || i.state === 'rejected').length,
    done: items.filter((i) => i.state === 'done').length,
    dup: items.filter((i) => i.state === 'duplicate').length,
    rej: items.filter((i) => i.state === 'rejected').length,
  }

  return (
    <div className="page page-narrow">
      <div className="page-head">
        <h1>Upload</h1>
      </div>
      <div
        className={'dropzone' + (dragging ? ' is-dragging' : '')}
        data-testid="dropzone"
        onDragEnter={(e) => {
          e.preventDefault()
          setDragging(true)
        }}
        onDragOver={(e) => {
          e.preventDefault()
          if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy'
        }}
        onDragLeave={(e) => {
          if (e.currentTarget.contains(e.relatedTarget as Node | null)) return
          setDragging(false)
        }}
        onDrop={onDrop}
      >
        <svg viewBox="0 0 48 48" className="drop-icon" aria-hidden="true">
          <path d="M24 32V12m0 0l-8 8m8-8l8 8" fill="none" stroke="currentColor" strokeWidth="3" strokeLinecap="round" strokeLinejoin="round" />
          <path d="M8 30v6a4 4 0 004 4h24a4 4 0 004-4v-6" fill="none" stroke="currentColor" strokeWidth="3" strokeLinecap="round" />
        </svg>
        <p className="drop-title">Drag photos here</p>
        <p className="muted">JPEG, HEIC, AVIF, PNG, WebP, GIF, TIFF or BMP — as many as you like</p>
        <input
          ref={inputRef}
          id="file-input"
          className="sr-only"
          type="file"
          multiple
          accept={ACCEPT}
          data-testid="file-input"
          onChange={(e) => {
            if (e.target.files?.length) addFiles(e.target.files)
            e.target.value = ''
          }}
        />
        <label htmlFor="file-input" className="btn btn-primary">
          Choose files
        </label>
      </div>

      <details className="upload-options card">
        <summary>Options for the next files: title, attribution, visibility</summary>
        <div className="form-grid">
          <div className="field">
            <label htmlFor="up-title">Title</label>
            <input id="up-title" type="text" maxLength={1000} value={title} onChange={(e) => setTitle(e.target.value)} />
            <p className="hint">Applied to each file added after you set it.</p>
          </div>
          <div className="field">
            <label htmlFor="up-attr">Attribution</label>
            <input id="up-attr" type="text" maxLength={1000} value={attribution} onChange={(e) => setAttribution(e.target.value)} placeholder="e.g. Photo by Ada, CC BY 4.0" />
          </div>
          <fieldset className="field">
            <legend>Visibility</legend>
            <div className="segmented">
              <label>
                <input type="radio" name="up-vis" value="private" checked={visibility === 'private'} onChange={() => setVisibility('private')} />
                <span>Private</span>
              </label>
              <label>
                <input type="radio" name="up-vis" value="public" checked={visibility === 'public'} onChange={() => setVisibility('public')} data-testid="upload-public" />
                <span>Public</span>
              </label>
            </div>
          </fieldset>
        </div>
      </details>

      {skipped.length > 0 && (
        <p className="notice" role="status">
          Skipped {skipped.length === 1 ? 'a file that is not an image' : `${skipped.length} files that are not images`}: {skipped.join(', ')}
        </p>
      )}

      {items.length > 0 && (
        <section aria-labelledby="uploads-h" className="uploads">
          <div className="uploads-head">
            <h2 id="uploads-h">Uploads</h2>
            <p className="muted" role="status" data-testid="upload-summary">
              {counts.finished} of {counts.total} finished
              {counts.done ? ` · ${counts.done} uploaded` : ''}
              {counts.dup ? ` · ${counts.dup} already in library` : ''}
              {counts.rej ? ` · ${counts.rej} rejected` : ''}
            </p>
            {counts.finished === counts.total && counts.done > 0 && (
              <Link to="/" className="btn btn-secondary btn-small" data-testid="upload-view-gallery">
                View in gallery
              </Link>
            )}
          </div>
          <ul className="upload-list">
            {items.map((it) => (
              <UploadRow key={it.key} item={it} />
            ))}
          </ul>
        </section>
      )}
    </div>
  )
}

function UploadRow({ item }: { item: UploadItem }) {
  const pct = Math.round(item.progress * 100)
  const o = item.outcome
  return (
    <li className={`upload-row state-${item.state}`} data-testid="upload-item" data-state={item.state} data-filename={item.file.name}>
      <div className="upload-thumb" aria-hidden="true">
        {/* A HEIC file cannot be shown by the browser: its server thumbnail once uploaded. */}
        {item.previewUrl ? (
          <img src={item.previewUrl} alt="" />
        ) : o?.kind === 'done' && o.image.urls ? (
          <img src={o.image.urls.thumbnail} alt="" data-testid="upload-server-thumb" />
        ) : null}
      </div>
      <div className="upload-main">
        <div className="upload-line">
          <span className="upload-name" title={item.file.name}>
            {item.file.name}
          </span>
          <span className="muted upload-size">{formatBytes(item.file.size)}</span>
        </div>
        {(item.state === 'queued' || item.state === 'uploading' || item.state === 'processing') && (
          <>
            <progress
              className="progress"
              max={100}
              value={item.state === 'queued' ? 0 : pct}
              aria-label={`Upload progress for ${item.file.name}`}
            />
            <span className="upload-status muted">
              {item.state === 'queued' ? 'Waiting…' : item.state === 'processing' ? 'Processing…' : `${pct}%`}
            </span>
            {item.abort && (
              <button type="button" className="btn btn-ghost btn-small" onClick={item.abort}>
                Cancel <span className="sr-only">{item.file.name}</span>
              </button>
            )}
          </>
        )}
        {o?.kind === 'done' && (
          <div className="upload-result ok">
            {o.image.demo || !o.image.urls ? (
              <span data-testid="upload-result">Processed (demo mode — not stored)</span>
            ) : (
              <Link to={`/images/${encodeURIComponent(o.image.id)}`} data-testid="upload-result">
                Uploaded — view “{imageTitle(o.image)}”
              </Link>
            )}
            <StatusBadge status={o.image.status} />
            <LabelChips labels={o.image.labels} max={3} />
          </div>
        )}
        {o?.kind === 'duplicate' && (
          <div className="upload-result dup">
            <span>Already in your library.</span>{' '}
            {o.imageId ? (
              <Link to={`/images/${encodeURIComponent(o.imageId)}`} data-testid="upload-result">
                View the existing image
              </Link>
            ) : (
              <span data-testid="upload-result">{o.message}</span>
            )}
          </div>
        )}
        {o?.kind === 'rejected' && (
          <div className="upload-result bad" role="alert" data-testid="upload-result">
            {o.message}
          </div>
        )}
      </div>
    </li>
  )
}
