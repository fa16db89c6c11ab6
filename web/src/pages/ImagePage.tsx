import { useCallback, useEffect, useState } from 'react'
import type { CSSProperties, FormEvent } from 'react'
import { Link, useLocation, useNavigate, useParams } from 'react-router'
import {
  addAlbumImages,
  createAlbum,
  createShare,
  deleteImage,
  deleteShare,
  getImage,
  listAlbums,
  listImages,
  listShares,
  removeAlbumImages,
  restoreTrash,
  patchImage,
  rejectImageLabel,
  similarImages,
} from '../api/endpoints'
import { isAbort } from '../api/client'
import { ApiError, errorMessage } from '../api/errors'
import type { Album, Image, SearchHit } from '../api/types'
import { FavoriteButton } from '../components/Favorite'
import { PhotoInfo } from '../components/PhotoInfo'
import { SharePanel, shareAbsoluteUrl } from '../components/SharePanel'
import { Breakable, ConfirmDialog, ErrorBox, Spinner, StatusBadge } from '../components/ui'
import { dismissToast, showToast } from '../lib/toast'
import {
  formatBytes,
  formatDate,
  formatPercent,
  imageAlt,
  imageTitle,
  labelDisplayName,
} from '../lib/format'
import { clearGalleries, removeFromGalleries, updateInGalleries } from '../lib/galleryCache'
import { useDocumentTitle, usePendingPoll } from '../lib/hooks'
import { isTypingTarget, loadNavList, neighbours, removeFromNav, saveNavList } from '../lib/nav'
import { canEdit, trashDays, useSession } from '../lib/session'
import { contextFromNavList, viewerHref } from '../lib/viewerUrl'
import type { ViewerState } from '../components/Viewer'
import { ExpandIcon } from '../components/icons'

export function ImagePage() {
  const { id = '' } = useParams()
  const navigate = useNavigate()
  const location = useLocation()
  const { user } = useSession()
  const [image, setImage] = useState<Image | null>(null)
  const [error, setError] = useState<ApiError | Error | null>(null)
  const [nav, setNav] = useState(() => neighbours(loadNavList()?.ids ?? [], id))
  const [facesShown, setFacesShown] = useState(false)
  const [rejecting, setRejecting] = useState<string | null>(null)

  useDocumentTitle(image ? imageTitle(image) : 'Image')

  const load = useCallback(
    async (signal?: AbortSignal) => {
      setError(null)
      try {
        setImage(await getImage(id, signal))
      } catch (e) {
        if (!isAbort(e)) setError(e as Error)
      }
    },
    [id],
  )

  useEffect(() => {
    const ac = new AbortController()
    setImage(null)
    void load(ac.signal)
    setNav(neighbours(loadNavList()?.ids ?? [], id))
    return () => ac.abort()
  }, [id, load])

  usePendingPoll(image ? [image] : [], (u) => {
    setImage(u[0])
    updateInGalleries(u[0])
  })

  // When at the end of the loaded gallery list, fetch its next page so → keeps working.
  useEffect(() => {
    const list = loadNavList()
    if (!list || nav.index < 0 || nav.next || !list.nextCursor) return
    const ac = new AbortController()
    listImages({ limit: 40, cursor: list.nextCursor, ...list.filter, label: list.label, scope: list.scope === 'mine' ? undefined : list.scope }, ac.signal)
      .then((page) => {
        const ids = [...list.ids, ...page.items.map((i) => i.id).filter((x) => !list.ids.includes(x))]
        saveNavList({ ...list, ids, nextCursor: page.next_cursor })
        setNav(neighbours(ids, id))
      })
      .catch(() => {})
    return () => ac.abort()
  }, [nav, id])

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || isTypingTarget(e.target)) return
      if (document.querySelector('[aria-modal="true"]')) return
      if (e.key === 'ArrowLeft' && nav.prev) navigate(`/images/${encodeURIComponent(nav.prev)}`)
      else if (e.key === 'ArrowRight' && nav.next) navigate(`/images/${encodeURIComponent(nav.next)}`)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [nav, navigate])

  if (error) {
    const notFound = error instanceof ApiError && error.status === 404
    return (
      <div className="page page-narrow">
        <h1>{notFound ? 'Image not found' : 'Could not load the image'}</h1>
        {notFound ? (
          <p className="muted">
            It may have been deleted, or it is private. <Link to="/">Back to the gallery</Link>
          </p>
        ) : (
          <ErrorBox message={errorMessage(error)} onRetry={() => void load()} />
        )}
      </div>
    )
  }
  if (!image) return <div className="page"><Spinner label="Loading image…" /></div>

  const editable = canEdit(user, image.owner)
  const isOwner = !!user && !!image.owner && user.id === image.owner.id
  // Tags are listed (and edited) in the info panel; this list is what the model saw.
  const modelLabels = image.labels.filter((l) => l.source !== 'user')
  const changed = (img: Image) => {
    setImage(img)
    updateInGalleries(img)
  }
  const reject = async (labelId: string) => {
    setRejecting(labelId)
    try {
      changed(await rejectImageLabel(image.id, labelId))
    } catch (e) {
      showToast({ text: `Could not remove the label: ${errorMessage(e)}`, tone: 'error' })
    } finally {
      setRejecting(null)
    }
  }
  const list = loadNavList()
  // Full screen, stepping through the list this page steps through.
  const openViewer = () =>
    navigate(viewerHref(image.id, contextFromNavList(list, image.id)), {
      state: { viewerFrom: location.pathname + location.search } satisfies ViewerState,
    })

  return (
    <div className="page page-wide image-page" data-testid="image-page" data-image-id={image.id}>
      <div className="image-topbar">
        <Link to={list?.source ?? '/'} className="btn btn-ghost btn-small">
          ← Back
        </Link>
        <div className="stepper">
          {image.urls && (
            <button type="button" className="btn btn-secondary btn-small" onClick={openViewer} data-testid="open-viewer">
              <ExpandIcon /> Full screen
            </button>
          )}
          <button
            type="button"
            className="btn btn-secondary btn-small"
            disabled={!nav.prev}
            onClick={() => nav.prev && navigate(`/images/${encodeURIComponent(nav.prev)}`)}
            aria-label="Previous image"
            aria-keyshortcuts="ArrowLeft"
            data-testid="prev-image"
          >
            ‹ Prev
          </button>
          <button
            type="button"
            className="btn btn-secondary btn-small"
            disabled={!nav.next}
            onClick={() => nav.next && navigate(`/images/${encodeURIComponent(nav.next)}`)}
            aria-label="Next image"
            aria-keyshortcuts="ArrowRight"
            data-testid="next-image"
          >
            Next ›
          </button>
        </div>
      </div>

      <div className="image-layout">
        <figure className="preview">
          <PreviewImage image={image} onOpen={openViewer} showFaces={facesShown} />
        </figure>
        <aside className="image-side">
          <div className="side-head">
            <h1 className="image-title" data-testid="image-title"><Breakable text={imageTitle(image)} /></h1>
            <StatusBadge status={image.status} reason={image.status_reason} />
          </div>
          {user && <FavoriteButton image={image} onChange={setImage} />}
          {image.attribution && <p className="attribution">{image.attribution}</p>}

          <section aria-labelledby="labels-h" className="side-section">
            <h2 id="labels-h">Labels</h2>
            {image.status === 'pending' && modelLabels.length === 0 && <p className="muted">Labeling in progress…</p>}
            {image.status === 'failed' && (
              <p className="muted">Labeling failed{image.status_reason ? `: ${image.status_reason}` : '.'}</p>
            )}
            {modelLabels.length > 0 && (
              <ul className="label-scores" data-testid="image-labels">
                {modelLabels.map((l) => (
                  <li key={l.id} className={isOwner ? 'label-score-row' : undefined}>
                    <Link to={`/?label=${encodeURIComponent(l.id)}`} className="label-score-link" data-testid="image-label" title={l.name}>
                      <span className="ls-name">{labelDisplayName(l.name)}</span>
                      <span className="ls-bar" aria-hidden="true">
                        <span style={{ width: `${Math.max(2, Math.round(l.score * 100))}%` }} />
                      </span>
                      <span className="ls-score">{formatPercent(l.score)}</span>
                    </Link>
                    {isOwner && (
                      <button
                        type="button"
                        className="label-reject"
                        onClick={() => void reject(l.id)}
                        disabled={rejecting !== null}
                        aria-label={`Not this: remove “${labelDisplayName(l.name)}”`}
                        title="Not this — remove the label (it will not come back)"
                        data-testid="reject-label"
                      >
                        ×
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </section>

          {user && (
            <AlbumPanel
              image={image}
              inAlbum={list?.album && nav.index >= 0 ? list.album : null}
              onRemoved={() => removeFromNav(image.id)}
            />
          )}

          {/* Only the owner corrects the date and place (the server refuses admins: places are
              the owner's alone). A new date or place moves the photo: lists start over. */}
          <PhotoInfo
            image={image}
            editable={isOwner}
            onSaved={(img) => { setImage(img); clearGalleries() }}
            canTag={editable}
            onChanged={changed}
            onFacesHover={setFacesShown}
          />

          {editable && <EditPanel image={image} onSaved={(img) => { setImage(img); updateInGalleries(img) }} />}

          <section className="side-section" aria-labelledby="details-h">
            <h2 id="details-h">Details</h2>
            <dl className="details">
              <dt>Dimensions</dt>
              <dd>{image.width} × {image.height}</dd>
              <dt>Size</dt>
              <dd>{formatBytes(image.bytes)}</dd>
              <dt>Type</dt>
              <dd>{image.content_type}</dd>
              {image.filename && (<><dt>File</dt><dd className="break">{image.filename}</dd></>)}
              <dt>Uploaded</dt>
              <dd>{formatDate(image.created_at)}</dd>
              {image.owner && (<><dt>Owner</dt><dd>{image.owner.username}</dd></>)}
            </dl>
            <div className="button-row">
              {image.urls && (
                <a className="btn btn-secondary" href={image.urls.original} download={image.filename ?? true} data-testid="download-original">
                  Download original
                </a>
              )}
            </div>
          </section>

          {editable && (
            <SharePanel
              subject={image.id}
              hint="Anyone with the link can view and download this image, without an account, until it expires."
              api={{
                list: (signal) => listShares(image.id, signal),
                create: (expiresIn) => createShare(image.id, expiresIn),
                revoke: (shareId) => deleteShare(image.id, shareId),
              }}
            />
          )}

          {editable && (
            <TrashPanel
              image={image}
              onTrashed={() => {
                removeFromGalleries(image.id)
                removeFromNav(image.id)
                navigate(list?.source ?? '/', { replace: true })
              }}
            />
          )}
        </aside>
      </div>

      <SimilarStrip id={image.id} />
    </div>
  )
}

/** Never upscale past the preview's own size (≤ 1280 px) and keep within 78% of the viewport height. */
export function previewFrameStyle(img: { width: number; height: number }): CSSProperties {
  const w = img.width > 0 ? img.width : 4
  const h = img.height > 0 ? img.height : 3
  const scale = Math.min(1, 1280 / Math.max(w, h))
  const maxW = Math.round(w * scale)
  const ratio = w / h
  return {
    aspectRatio: `${w} / ${h}`,
    width: `min(100%, ${maxW}px, calc(78vh * ${ratio.toFixed(4)}))`,
  }
}

function PreviewImage({ image, onOpen, showFaces }: { image: Image; onOpen: () => void; showFaces: boolean }) {
  const [loaded, setLoaded] = useState(false)
  const [hover, setHover] = useState(false)
  useEffect(() => setLoaded(false), [image.id])
  const faces = image.faces ?? []
  if (!image.urls) return <div className="preview-missing">No preview available</div>
  return (
    <button
      type="button"
      className={'preview-frame' + (loaded ? ' is-loaded' : '')}
      style={previewFrameStyle(image)}
      onClick={onOpen}
      aria-label={`View full screen: ${imageAlt(image)}`}
      title="View full screen"
      onMouseEnter={() => setHover(true)}
      onMouseLeave={() => setHover(false)}
    >
      {!loaded && image.urls.thumbnail && (
        <img className="preview-blur" src={image.urls.thumbnail} alt="" aria-hidden="true" />
      )}
      <img
        key={image.id}
        className="preview-img"
        src={image.urls.preview}
        alt={imageAlt(image)}
        width={image.width}
        height={image.height}
        onLoad={() => setLoaded(true)}
        data-testid="image-preview"
      />
      {faces.length > 0 && (hover || showFaces) && <FaceBoxes faces={faces} />}
    </button>
  )
}

/**
 * The faces found, as outlines over the photo (the frame has the photo's own aspect ratio, so
 * the boxes' fractions of the image are fractions of the frame). Only the owner gets boxes.
 */
function FaceBoxes({ faces }: { faces: NonNullable<Image['faces']> }) {
  const pct = (v: number | undefined) => `${(Math.min(1, Math.max(0, v ?? 0)) * 100).toFixed(2)}%`
  return (
    <span className="face-overlay" aria-hidden="true" data-testid="face-overlay">
      {faces
        .filter((f) => f.box.length === 4)
        .map((f, i) => (
          <span
            key={i}
            className="face-box"
            style={{ left: pct(f.box[0]), top: pct(f.box[1]), width: pct(f.box[2]), height: pct(f.box[3]) }}
            data-testid="face-box"
          />
        ))}
    </span>
  )
}

function EditPanel({ image, onSaved }: { image: Image; onSaved: (img: Image) => void }) {
  const [title, setTitle] = useState(image.title ?? '')
  const [attribution, setAttribution] = useState(image.attribution ?? '')
  const [saving, setSaving] = useState(false)
  const [visBusy, setVisBusy] = useState(false)
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null)
  useEffect(() => {
    setTitle(image.title ?? '')
    setAttribution(image.attribution ?? '')
    setMsg(null)
  }, [image.id, image.title, image.attribution])

  const dirty = title !== (image.title ?? '') || attribution !== (image.attribution ?? '')
  const save = async (e: FormEvent) => {
    e.preventDefault()
    setSaving(true)
    setMsg(null)
    try {
      const img = await patchImage(image.id, { title: title.trim() || null, attribution: attribution.trim() || null })
      onSaved(img)
      setMsg({ ok: true, text: 'Saved.' })
    } catch (err) {
      setMsg({ ok: false, text: errorMessage(err) })
    } finally {
      setSaving(false)
    }
  }
  const isPublic = image.visibility === 'public'
  const toggle = async () => {
    setVisBusy(true)
    setMsg(null)
    try {
      onSaved(await patchImage(image.id, { visibility: isPublic ? 'private' : 'public' }))
    } catch (err) {
      setMsg({ ok: false, text: errorMessage(err) })
    } finally {
      setVisBusy(false)
    }
  }

  return (
    <section className="side-section" aria-labelledby="edit-h">
      <h2 id="edit-h">Edit</h2>
      <div className="switch-row">
        <button
          type="button"
          role="switch"
          aria-checked={isPublic}
          aria-labelledby="vis-label"
          aria-describedby="vis-desc"
          className={'switch' + (isPublic ? ' on' : '')}
          onClick={toggle}
          disabled={visBusy}
          data-testid="visibility-toggle"
        >
          <span className="switch-knob" />
        </button>
        <div>
          <span id="vis-label" className="switch-label">Public</span>
          <p id="vis-desc" className="hint" data-testid="visibility-state">
            {isPublic ? 'Anyone can see this image, also signed out.' : 'Only you (and admins) can see this image.'}
          </p>
        </div>
      </div>
      <form onSubmit={save} className="edit-form">
        <div className="field">
          <label htmlFor="img-title">Title</label>
          <input id="img-title" type="text" maxLength={1000} value={title} onChange={(e) => setTitle(e.target.value)} data-testid="edit-title" />
        </div>
        <div className="field">
          <label htmlFor="img-attr">Attribution</label>
          <input id="img-attr" type="text" maxLength={1000} value={attribution} onChange={(e) => setAttribution(e.target.value)} data-testid="edit-attribution" />
        </div>
        <div className="button-row">
          <button type="submit" className="btn btn-primary" disabled={!dirty || saving} data-testid="save-details">
            {saving ? 'Saving…' : 'Save'}
          </button>
          {msg && (
            <span className={msg.ok ? 'ok-text' : 'err-text'} role={msg.ok ? 'status' : 'alert'}>
              {msg.text}
            </span>
          )}
        </div>
      </form>
    </section>
  )
}

const NEW_ALBUM = '__new__'

/** "Add to album" (an existing album or a new one), and "remove" when opened from an album. */
function AlbumPanel({
  image,
  inAlbum,
  onRemoved,
}: {
  image: Image
  inAlbum: { id: string; name: string } | null
  onRemoved: () => void
}) {
  const [open, setOpen] = useState(false)
  const [albums, setAlbums] = useState<Album[] | null>(null)
  const [pick, setPick] = useState('')
  const [name, setName] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [added, setAdded] = useState<Album | null>(null)
  const [removed, setRemoved] = useState<string | null>(null)
  useEffect(() => {
    setOpen(false)
    setAdded(null)
    setRemoved(null)
    setError(null)
  }, [image.id])

  useEffect(() => {
    if (!open) return
    const ac = new AbortController()
    setAlbums(null)
    listAlbums(ac.signal)
      .then((r) => {
        setAlbums(r.items)
        setPick(r.items[0]?.id ?? NEW_ALBUM)
      })
      .catch((e) => {
        if (!isAbort(e)) {
          setAlbums([])
          setPick(NEW_ALBUM)
          setError(errorMessage(e))
        }
      })
    return () => ac.abort()
  }, [open])

  const creating = pick === NEW_ALBUM
  const add = async (e: FormEvent) => {
    e.preventDefault()
    if (creating && !name.trim()) return setError('Give the new album a name.')
    setBusy(true)
    setError(null)
    try {
      const album = creating ? await createAlbum(name.trim()) : albums!.find((a) => a.id === pick)!
      await addAlbumImages(album.id, [image.id])
      setAdded(album)
      setOpen(false)
      setName('')
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }
  const remove = async () => {
    if (!inAlbum) return
    setBusy(true)
    setError(null)
    try {
      await removeAlbumImages(inAlbum.id, [image.id])
      setRemoved(inAlbum.name)
      onRemoved()
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="side-section" aria-labelledby="albums-h" data-testid="album-panel">
      <h2 id="albums-h">Albums</h2>
      {inAlbum && !removed && (
        <div className="button-row album-context">
          <span>
            In <Link to={`/albums/${encodeURIComponent(inAlbum.id)}`}>{inAlbum.name}</Link>
          </span>
          <button type="button" className="btn btn-ghost btn-small" onClick={() => void remove()} disabled={busy} data-testid="remove-from-album">
            Remove from album
          </button>
        </div>
      )}
      {removed && (
        <p className="ok-text" role="status" data-testid="album-removed">
          Removed from “{removed}”. The photo stays in your library.
        </p>
      )}
      {added && (
        <p className="ok-text" role="status" data-testid="album-added">
          Added to <Link to={`/albums/${encodeURIComponent(added.id)}`}>{added.name}</Link>.
        </p>
      )}
      {!open ? (
        <button type="button" className="btn btn-secondary" onClick={() => (setOpen(true), setAdded(null), setError(null))} data-testid="add-to-album">
          Add to album
        </button>
      ) : albums === null ? (
        <Spinner label="Loading albums…" />
      ) : (
        <form className="album-form" onSubmit={add} aria-label="Add to album" data-testid="album-form">
          {albums.length > 0 && (
            <div className="field">
              <label htmlFor="album-pick">Album</label>
              <select id="album-pick" value={pick} onChange={(e) => setPick(e.target.value)} data-testid="album-select">
                {albums.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
                <option value={NEW_ALBUM}>New album…</option>
              </select>
            </div>
          )}
          {creating && (
            <div className="field">
              <label htmlFor="new-album-name">New album name</label>
              <input id="new-album-name" type="text" maxLength={200} value={name} onChange={(e) => setName(e.target.value)} autoFocus data-testid="new-album-name" />
            </div>
          )}
          <div className="button-row">
            <button type="submit" className="btn btn-primary" disabled={busy} data-testid="album-add-submit">
              {busy ? 'Adding…' : creating ? 'Create and add' : 'Add'}
            </button>
            <button type="button" className="btn btn-ghost" onClick={() => setOpen(false)} disabled={busy}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {error && (
        <p className="err-text" role="alert">
          {error}
        </p>
      )}
    </section>
  )
}

export { shareAbsoluteUrl }

/** "Move to trash": no question asked, since the toast that follows offers Undo. */
function TrashPanel({ image, onTrashed }: { image: Image; onTrashed: () => void }) {
  const navigate = useNavigate()
  const days = trashDays(useSession().info)
  const [busy, setBusy] = useState(false)
  const [confirming, setConfirming] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const trash = async () => {
    setBusy(true)
    setError(null)
    try {
      await deleteImage(image.id)
      onTrashed()
      showToast({
        text: `Moved to trash · “${imageTitle(image)}”`,
        action: {
          label: 'Undo',
          run: async () => {
            try {
              await restoreTrash([image.id])
              clearGalleries()
              dismissToast()
              navigate(`/images/${encodeURIComponent(image.id)}`)
            } catch (e) {
              showToast({ text: `Could not restore: ${errorMessage(e)}`, tone: 'error' })
            }
          },
        },
      })
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }
  if (days === 0) {
    // This server keeps no trash: deleting is for good, so ask first.
    return (
      <section className="side-section danger-zone">
        <button type="button" className="btn btn-danger-outline" onClick={() => setConfirming(true)} data-testid="delete-image">
          Delete image
        </button>
        {error && <p className="err-text" role="alert">{error}</p>}
        {confirming && (
          <ConfirmDialog
            title="Delete this image?"
            confirmLabel="Delete"
            busy={busy}
            onCancel={() => setConfirming(false)}
            onConfirm={async () => {
              setBusy(true)
              setError(null)
              try {
                await deleteImage(image.id)
                setConfirming(false)
                onTrashed()
              } catch (e) {
                setError(errorMessage(e))
                setConfirming(false)
              } finally {
                setBusy(false)
              }
            }}
          >
            <p>“{imageTitle(image)}”, its labels and all its share links will be removed for good. This cannot be undone.</p>
          </ConfirmDialog>
        )}
      </section>
    )
  }
  return (
    <section className="side-section danger-zone">
      <button type="button" className="btn btn-danger-outline" onClick={() => void trash()} disabled={busy} data-testid="trash-image">
        {busy ? 'Moving…' : 'Move to trash'}
      </button>
      <p className="hint">
        It goes to the <Link to="/trash">trash</Link>
        {days ? `, where it is kept for ${days} days` : ''}. Share links stop working while it is there.
      </p>
      {error && <p className="err-text" role="alert">{error}</p>}
    </section>
  )
}

function SimilarStrip({ id }: { id: string }) {
  const [hits, setHits] = useState<SearchHit[] | null>(null)
  const [failed, setFailed] = useState(false)
  useEffect(() => {
    const ac = new AbortController()
    setHits(null)
    setFailed(false)
    similarImages(id, 12, ac.signal)
      .then((r) => setHits(r.items))
      .catch((e) => {
        if (!isAbort(e)) setFailed(true)
      })
    return () => ac.abort()
  }, [id])
  if (failed) return null
  return (
    <section className="similar" aria-labelledby="similar-h">
      <h2 id="similar-h">More like this</h2>
      {hits === null ? (
        <div className="strip">
          {Array.from({ length: 6 }, (_, i) => <div key={i} className="strip-item skeleton" />)}
        </div>
      ) : hits.length === 0 ? (
        <p className="muted">No similar images yet.</p>
      ) : (
        <ul className="strip" data-testid="similar-strip">
          {hits.map((h) => (
            <li key={h.image.id}>
              <Link
                to={`/images/${encodeURIComponent(h.image.id)}`}
                className="strip-item"
                data-testid="similar-item"
                title={`${imageTitle(h.image)} — similarity ${formatPercent(h.score)}`}
              >
                {h.image.urls && <img src={h.image.urls.thumbnail} alt={imageAlt(h.image)} loading="lazy" />}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
