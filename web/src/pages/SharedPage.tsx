import { useCallback, useEffect, useRef, useState } from 'react'
import { Link, useNavigate, useParams, useSearchParams } from 'react-router'
import { getShared, isSharedAlbum, sharedDownloadUrl } from '../api/endpoints'
import type { SharedAlbum } from '../api/types'
import { isAbort } from '../api/client'
import { ApiError, errorMessage } from '../api/errors'
import type { Image } from '../api/types'
import { JustifiedGallery } from '../components/Gallery'
import { Breakable, ErrorBox, Spinner } from '../components/ui'
import { formatTakenAt } from '../lib/dates'
import { formatBytes, imageAlt, imageTitle, labelDisplayName } from '../lib/format'
import { useDocumentTitle, useInfiniteScroll } from '../lib/hooks'
import { isTypingTarget } from '../lib/nav'
import { mergePage } from '../lib/pagination'
import { previewFrameStyle } from './ImagePage'
import '../components/library.css'

type Loaded = { kind: 'image'; image: Image } | { kind: 'album'; album: SharedAlbum['album']; images: Image[]; next: string | null }

/** `/s/{token}`: what a share link shows — one image, or an album with its photos. */
export function SharedPage() {
  const { token = '' } = useParams()
  const [data, setData] = useState<Loaded | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [attempt, setAttempt] = useState(0)
  useDocumentTitle(data ? (data.kind === 'image' ? imageTitle(data.image) : data.album.name) : 'Shared')

  useEffect(() => {
    const ac = new AbortController()
    setError(null)
    getShared(token, null, ac.signal)
      .then((r) =>
        setData(isSharedAlbum(r) ? { kind: 'album', album: r.album, images: r.images, next: r.next_cursor } : { kind: 'image', image: r }),
      )
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
  if (!data) return <div className="page"><Spinner label="Loading what was shared…" /></div>
  if (data.kind === 'image') return <SharedImage image={data.image} />
  return (
    <SharedAlbumView
      token={token}
      album={data.album}
      images={data.images}
      next={data.next}
      onPage={(images, next) => setData({ ...data, images, next })}
    />
  )
}

function SharedImage({ image }: { image: Image }) {
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
      <ImageMeta image={image} />
    </div>
  )
}

function ImageMeta({ image }: { image: Image }) {
  return (
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
  )
}

function SharedAlbumView({
  token,
  album,
  images,
  next,
  onPage,
}: {
  token: string
  album: SharedAlbum['album']
  images: Image[]
  next: string | null
  onPage: (images: Image[], next: string | null) => void
}) {
  const [params] = useSearchParams()
  const open = params.get('photo')
  const [loading, setLoading] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const busy = useRef(false)
  const more = useCallback(async () => {
    if (busy.current || !next) return
    busy.current = true
    setLoading(true)
    setError(null)
    try {
      const r = await getShared(token, next)
      if (isSharedAlbum(r)) onPage(mergePage(images, r.images, (i) => i.id), r.next_cursor)
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      busy.current = false
      setLoading(false)
    }
  }, [token, next, images, onPage])
  const sentinel = useInfiniteScroll(() => void more(), !!next && !error, images.length)
  const base = `/s/${encodeURIComponent(token)}`
  const openIndex = open ? images.findIndex((i) => i.id === open) : -1
  // Stepping to the last loaded photo fetches the next page, so → keeps going.
  const atEnd = openIndex >= 0 && openIndex === images.length - 1 && !!next
  useEffect(() => {
    if (atEnd) void more()
  }, [atEnd, more])

  return (
    <div className="page page-wide shared-album" data-testid="shared-album">
      <div className="page-head">
        <div>
          <p className="eyebrow">Shared album</p>
          <h1 data-testid="shared-album-title">{album.name}</h1>
          {album.description && (
            <p className="album-description" data-testid="shared-album-description">
              {album.description}
            </p>
          )}
          <p className="muted" data-testid="shared-album-count">
            {album.image_count} {album.image_count === 1 ? 'photo' : 'photos'}
          </p>
        </div>
        {album.image_count > 0 && (
          <div className="head-actions">
            <a className="btn btn-primary" href={sharedDownloadUrl(token)} download data-testid="shared-album-download">
              Download all (ZIP)
            </a>
          </div>
        )}
      </div>
      {images.length > 0 ? (
        <JustifiedGallery
          images={images}
          testId="shared-album-grid"
          itemTestId="shared-album-item"
          label={`Photos of ${album.name}`}
          hrefFor={(img) => `${base}?photo=${encodeURIComponent(img.id)}`}
        />
      ) : (
        <p className="muted">This album has no photos yet.</p>
      )}
      {loading && <Spinner label="Loading more…" />}
      {error && <ErrorBox message={error} onRetry={() => void more()} />}
      {next && !error && (
        <div ref={sentinel} className="sentinel">
          <button type="button" className="btn btn-ghost" onClick={() => void more()} disabled={loading} data-testid="shared-album-more">
            Load more
          </button>
        </div>
      )}
      {openIndex >= 0 && (
        <SharedLightbox
          image={images[openIndex]}
          prev={openIndex > 0 ? `${base}?photo=${encodeURIComponent(images[openIndex - 1].id)}` : null}
          next={openIndex < images.length - 1 ? `${base}?photo=${encodeURIComponent(images[openIndex + 1].id)}` : null}
          close={base}
          position={`${openIndex + 1} of ${album.image_count}`}
        />
      )}
    </div>
  )
}

/** One photo of a shared album, large, over the grid: ← → step, Escape closes. */
function SharedLightbox({ image, prev, next, close, position }: { image: Image; prev: string | null; next: string | null; close: string; position: string }) {
  const navigate = useNavigate()
  const closeRef = useRef<HTMLAnchorElement>(null)
  useEffect(() => {
    closeRef.current?.focus()
  }, [])
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTypingTarget(e.target)) return
      if (e.key === 'Escape') navigate(close, { replace: true })
      else if (e.key === 'ArrowLeft' && prev) navigate(prev, { replace: true })
      else if (e.key === 'ArrowRight' && next) navigate(next, { replace: true })
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [prev, next, close, navigate])
  return (
    <div className="lightbox" role="dialog" aria-modal="true" aria-label={imageTitle(image)} data-testid="shared-lightbox">
      <div className="lightbox-top">
        <span className="lightbox-pos">{position}</span>
        <span className="lightbox-title"><Breakable text={imageTitle(image)} /></span>
        <Link to={close} replace className="lightbox-close" aria-label="Close" ref={closeRef} data-testid="lightbox-close">
          ×
        </Link>
      </div>
      <div className="lightbox-stage">
        {prev ? (
          <Link to={prev} replace className="lightbox-nav" aria-label="Previous photo" data-testid="lightbox-prev">‹</Link>
        ) : (
          <span className="lightbox-nav is-off" aria-hidden="true" />
        )}
        {image.urls && (
          <img key={image.id} className="lightbox-img" src={image.urls.preview} alt={imageAlt(image)} width={image.width} height={image.height} data-testid="shared-preview" />
        )}
        {next ? (
          <Link to={next} replace className="lightbox-nav" aria-label="Next photo" data-testid="lightbox-next">›</Link>
        ) : (
          <span className="lightbox-nav is-off" aria-hidden="true" />
        )}
      </div>
      <div className="lightbox-bottom">
        <ImageMeta image={image} />
      </div>
    </div>
  )
}
