import { useEffect, useState } from 'react'
import { Link, useParams } from 'react-router'
import { getShared } from '../api/endpoints'
import { isAbort } from '../api/client'
import { ApiError, errorMessage } from '../api/errors'
import type { Image } from '../api/types'
import { Breakable, ErrorBox, Spinner } from '../components/ui'
import { formatTakenAt } from '../lib/dates'
import { formatBytes, imageAlt, imageTitle, labelDisplayName } from '../lib/format'
import { useDocumentTitle } from '../lib/hooks'
import { previewFrameStyle } from './ImagePage'

export function SharedPage() {
  const { token = '' } = useParams()
  const [image, setImage] = useState<Image | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [attempt, setAttempt] = useState(0)
  useDocumentTitle(image ? imageTitle(image) : 'Shared image')

  useEffect(() => {
    const ac = new AbortController()
    setError(null)
    getShared(token, ac.signal)
      // Album links are shown by the album view (a separate change); here only images.
      .then((shared) => ('album' in shared ? setError(new ApiError(404, 'not_found', 'album link')) : setImage(shared)))
      .catch((e) => !isAbort(e) && setError(e))
    return () => ac.abort()
  }, [token, attempt])

  if (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 410)) {
      return (
        <div className="page page-narrow" data-testid="shared-gone">
          <h1>This link is no longer valid</h1>
          <p className="muted">It has expired or was revoked by its owner. <Link to="/">Go to Banana</Link></p>
        </div>
      )
    }
    return (
      <div className="page page-narrow">
        <ErrorBox message={errorMessage(error)} onRetry={() => setAttempt((n) => n + 1)} />
      </div>
    )
  }
  if (!image) return <div className="page"><Spinner label="Loading shared image…" /></div>

  return (
    <div className="page page-wide shared-page" data-testid="shared-page">
      <p className="eyebrow">Shared with you</p>
      <h1 data-testid="shared-title"><Breakable text={imageTitle(image)} /></h1>
      {image.attribution && <p className="attribution">{image.attribution}</p>}
      <figure className="preview">
        {image.urls && (
          <div className="preview-frame is-loaded" style={previewFrameStyle(image)}>
            <img className="preview-img" src={image.urls.preview} alt={imageAlt(image)} width={image.width} height={image.height} data-testid="shared-preview" />
          </div>
        )}
      </figure>
      <div className="shared-meta">
        {image.labels.length > 0 && (
          <ul className="chips" aria-label="Labels">
            {image.labels.slice(0, 5).map((l) => (
              <li key={l.id}>
                <span className="chip chip-static">{labelDisplayName(l.name)}</span>
              </li>
            ))}
          </ul>
        )}
        {image.taken_at && image.taken_at_source !== 'upload' && (
          <span className="muted small" data-testid="shared-taken">
            Taken {formatTakenAt(image.taken_at, image.taken_at_source)}
          </span>
        )}
        <span className="muted small">
          {image.width} × {image.height} · {formatBytes(image.bytes)}
        </span>
        {image.urls && (
          <a className="btn btn-primary" href={image.urls.original} download={image.filename ?? true} data-testid="shared-download">
            Download original
          </a>
        )}
      </div>
    </div>
  )
}
