import { useEffect, useRef } from 'react'
import { Link } from 'react-router'
import { FolderIcon, UploadIcon } from '../components/icons'
import { LabelChips, StatusBadge } from '../components/ui'
import { formatBytes, imageTitle } from '../lib/format'
import { useDocumentTitle } from '../lib/hooks'
import { useSession } from '../lib/session'
import { ACCEPT } from '../lib/upload'
import { isRetryable, uploadFailureMessage } from '../lib/uploadErrors'
import type { UploadLimits } from '../lib/uploadErrors'
import { useUploads, useUploadStore } from '../lib/uploads'
import { formatRate, formatTimeLeft, secondsLeft, summarize } from '../lib/uploadStore'
import type { UploadItem } from '../lib/uploadStore'

export { UPLOAD_CONCURRENCY } from '../lib/uploadStore'

export function UploadPage() {
  useDocumentTitle('Upload')
  const { user, info } = useSession()
  const store = useUploadStore()
  const { items, fields, skipped, rate } = useUploads()
  const folderInput = useRef<HTMLInputElement>(null)

  // `webkitdirectory` is not in React's types: set it on the element.
  useEffect(() => {
    folderInput.current?.setAttribute('webkitdirectory', '')
  })

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

  const s = summarize(items)
  const left = s.active > 0 ? formatTimeLeft(secondsLeft(s.bytesLeft, rate)) : null
  const speed = s.uploading > 0 ? formatRate(rate) : null
  const limits = info?.limits ?? null

  return (
    <div className="page page-narrow">
      <div className="page-head">
        <div>
          <h1>Upload</h1>
          <p className="muted">Uploads keep going while you look around — drop photos on any page.</p>
        </div>
      </div>
      <div className="dropzone" data-testid="dropzone">
        <span className="drop-icon" aria-hidden="true">
          <UploadIcon />
        </span>
        <p className="drop-title">Drag photos or folders here</p>
        <p className="muted">JPEG, HEIC, AVIF, PNG, WebP, GIF, TIFF or BMP — as many as you like</p>
        <input
          id="file-input"
          className="sr-only"
          type="file"
          multiple
          accept={ACCEPT}
          data-testid="file-input"
          onChange={(e) => {
            if (e.target.files?.length) store.add(Array.from(e.target.files))
            e.target.value = ''
          }}
        />
        <input
          ref={folderInput}
          id="folder-input"
          className="sr-only"
          type="file"
          multiple
          data-testid="folder-input"
          onChange={(e) => {
            if (e.target.files?.length) store.add(Array.from(e.target.files))
            e.target.value = ''
          }}
        />
        <div className="button-row drop-buttons">
          <label htmlFor="file-input" className="btn btn-primary">
            Choose photos
          </label>
          <label htmlFor="folder-input" className="btn btn-secondary">
            <FolderIcon /> Choose a folder
          </label>
        </div>
      </div>

      <details className="upload-options card">
        <summary>Options for the next files: title, attribution, visibility</summary>
        <div className="form-grid">
          <div className="field">
            <label htmlFor="up-title">Title</label>
            <input id="up-title" type="text" maxLength={1000} value={fields.title ?? ''} onChange={(e) => store.setFields({ title: e.target.value })} />
            <p className="hint">Applied to each file added after you set it.</p>
          </div>
          <div className="field">
            <label htmlFor="up-attr">Attribution</label>
            <input id="up-attr" type="text" maxLength={1000} value={fields.attribution ?? ''} onChange={(e) => store.setFields({ attribution: e.target.value })} placeholder="e.g. Photo by Ada, CC BY 4.0" />
          </div>
          <fieldset className="field">
            <legend>Visibility</legend>
            <div className="segmented">
              <label>
                <input type="radio" name="up-vis" value="private" checked={fields.visibility !== 'public'} onChange={() => store.setFields({ visibility: 'private' })} />
                <span>Private</span>
              </label>
              <label>
                <input type="radio" name="up-vis" value="public" checked={fields.visibility === 'public'} onChange={() => store.setFields({ visibility: 'public' })} data-testid="upload-public" />
                <span>Public</span>
              </label>
            </div>
          </fieldset>
        </div>
      </details>

      {skipped && (
        <p className="notice" role="status" data-testid="upload-skipped">
          Skipped {skipped.count === 1 ? '1 file that isn’t a photo' : `${skipped.count} files that aren’t photos`}:{' '}
          {skipped.names.join(', ')}
          {skipped.count > skipped.names.length ? ` and ${skipped.count - skipped.names.length} more` : ''}.
          <button type="button" className="btn btn-ghost btn-small" onClick={() => store.dismissSkipped()}>
            Dismiss
          </button>
        </p>
      )}

      {items.length > 0 && (
        <section aria-labelledby="uploads-h" className="uploads">
          <div className="uploads-head">
            <h2 id="uploads-h">Uploads</h2>
            <p className="muted" role="status" data-testid="upload-summary">
              {s.finished} of {s.total} finished
              {s.done ? ` · ${s.done} uploaded` : ''}
              {s.duplicate ? ` · ${s.duplicate} already in your library` : ''}
              {s.rejected ? ` · ${s.rejected} not uploaded` : ''}
            </p>
            <div className="button-row">
              {s.retryable > 0 && (
                <button type="button" className="btn btn-primary btn-small" onClick={() => store.retryFailed()} data-testid="retry-failed">
                  Retry failed ({s.retryable})
                </button>
              )}
              {s.active > 0 && (
                <button type="button" className="btn btn-ghost btn-small" onClick={() => store.cancelAll()} data-testid="cancel-all">
                  Cancel all
                </button>
              )}
              {s.finished > 0 && (
                <button type="button" className="btn btn-ghost btn-small" onClick={() => store.clearFinished()} data-testid="clear-finished">
                  Clear finished
                </button>
              )}
              {s.active === 0 && s.done > 0 && (
                <Link to="/" className="btn btn-secondary btn-small" data-testid="upload-view-gallery">
                  View in gallery
                </Link>
              )}
            </div>
          </div>
          {s.active > 0 && (
            <div className="overall" data-testid="upload-overall">
              <progress className="progress" max={100} value={Math.round(s.fraction * 100)} aria-label="Overall upload progress" />
              <p className="muted small" data-testid="upload-time-left">
                {Math.round(s.fraction * 100)}% of {formatBytes(s.bytesTotal)}
                {speed ? ` · ${speed}` : ''}
                {left ? ` · ${left}` : ' · estimating time left…'}
              </p>
            </div>
          )}
          <ul className="upload-list">
            {items.map((it) => (
              <UploadRow key={it.key} item={it} limits={limits} onCancel={() => store.cancel(it.key)} onRetry={() => store.retry(it.key)} />
            ))}
          </ul>
        </section>
      )}
    </div>
  )
}

function UploadRow({ item, limits, onCancel, onRetry }: { item: UploadItem; limits: UploadLimits | null; onCancel: () => void; onRetry: () => void }) {
  const pct = Math.round(item.progress * 100)
  const o = item.outcome
  const name = item.path ?? item.file.name
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
          <span className="upload-name" title={name}>
            {name}
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
            <button type="button" className="btn btn-ghost btn-small" onClick={onCancel}>
              Cancel <span className="sr-only">{item.file.name}</span>
            </button>
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
                View it
              </Link>
            ) : (
              <span data-testid="upload-result" />
            )}
          </div>
        )}
        {o?.kind === 'rejected' && (
          <div className="upload-result bad">
            <span role="alert" data-testid="upload-result" data-code={o.code}>
              {uploadFailureMessage(o, limits)}
            </span>
            {isRetryable(o) && (
              <button type="button" className="btn btn-secondary btn-small" onClick={onRetry} data-testid="retry-upload">
                Retry <span className="sr-only">{item.file.name}</span>
              </button>
            )}
          </div>
        )}
      </div>
    </li>
  )
}
