import { useEffect, useRef, useState } from 'react'
import type { FormEvent } from 'react'
import { Link, useNavigate, useParams } from 'react-router'
import {
  albumDownloadUrl,
  createAlbum,
  createAlbumShare,
  deleteAlbum,
  deleteAlbumShare,
  getAlbum,
  listAlbums,
  listAlbumShares,
  updateAlbum,
} from '../api/endpoints'
import { isAbort } from '../api/client'
import { ApiError, errorMessage } from '../api/errors'
import type { Album } from '../api/types'
import { ImageFeed } from '../components/ImageFeed'
import { SelectButton, SelectionProvider } from '../components/Selection'
import { SharePanel } from '../components/SharePanel'
import { ConfirmDialog, EmptyState, ErrorBox, Spinner } from '../components/ui'
import { useDocumentTitle } from '../lib/hooks'
import { useSession } from '../lib/session'

export const photoCount = (n: number) => `${n} ${n === 1 ? 'photo' : 'photos'}`

/** `/api/v1/images/{id}/thumbnail` of an album's cover, or null. */
export const coverUrl = (a: Album) =>
  a.cover_image_id ? `/api/v1/images/${encodeURIComponent(a.cover_image_id)}/thumbnail` : null

function SignInFirst({ what }: { what: string }) {
  return (
    <p className="muted">
      <Link to="/login">Sign in</Link> to see {what}.
    </p>
  )
}

export function AlbumsPage() {
  useDocumentTitle('Albums')
  const { user } = useSession()
  const [albums, setAlbums] = useState<Album[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [attempt, setAttempt] = useState(0)
  const [creating, setCreating] = useState(false)

  useEffect(() => {
    if (!user) return
    const ac = new AbortController()
    setError(null)
    listAlbums(ac.signal)
      .then((r) => setAlbums(r.items))
      .catch((e) => !isAbort(e) && setError(errorMessage(e)))
    return () => ac.abort()
  }, [user, attempt])

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Albums</h1>
          <p className="muted">Your own collections of photos. A photo can be in any number of albums.</p>
        </div>
        {user && !creating && (
          <div className="head-actions">
            <button type="button" className="btn btn-primary" onClick={() => setCreating(true)} data-testid="new-album">
              New album
            </button>
          </div>
        )}
      </div>
      {user === undefined && <Spinner />}
      {user === null && <SignInFirst what="your albums" />}
      {user && creating && (
        <NewAlbumForm
          onCancel={() => setCreating(false)}
          onCreated={(a) => {
            setAlbums((prev) => [a, ...(prev ?? []).filter((x) => x.id !== a.id)])
            setCreating(false)
          }}
        />
      )}
      {user && error && <ErrorBox message={error} onRetry={() => setAttempt((n) => n + 1)} />}
      {user && !error && albums === null && <Spinner label="Loading albums…" />}
      {user && albums && albums.length === 0 && !creating && (
        <EmptyState title="No albums yet">
          <p>
            Make one with <strong>New album</strong>, or from a photo’s page with <strong>Add to album</strong>.
          </p>
        </EmptyState>
      )}
      {albums && albums.length > 0 && (
        <ul className="album-grid" data-testid="album-list">
          {albums.map((a) => (
            <li key={a.id}>
              <AlbumCard album={a} />
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

function AlbumCard({ album }: { album: Album }) {
  const cover = coverUrl(album)
  const [failed, setFailed] = useState(false)
  return (
    <Link to={`/albums/${encodeURIComponent(album.id)}`} className="album-card" data-testid="album-card" data-album-id={album.id}>
      <div className="album-cover">
        {cover && !failed ? (
          <img src={cover} alt="" loading="lazy" onError={() => setFailed(true)} data-testid="album-cover" />
        ) : (
          <svg viewBox="0 0 120 80" aria-hidden="true" className="album-cover-empty">
            <rect x="6" y="10" width="108" height="64" rx="10" className="art-bg" />
            <circle cx="38" cy="32" r="9" fill="#f7c948" />
            <path d="M14 66l30-26 18 16 16-12 30 22z" className="art-hill" />
          </svg>
        )}
      </div>
      <div className="album-meta">
        <span className="album-name" data-testid="album-name">
          {album.name}
        </span>
        <span className="album-count muted small" data-testid="album-count">
          {photoCount(album.image_count)}
        </span>
      </div>
    </Link>
  )
}

/** An album's name and description fields with the form's buttons and error (creating and
 * editing share them). Limits as the server's: 200 characters of name, 1000 of description. */
function AlbumFields(p: {
  idPrefix: string
  testIds: [string, string, string]
  descriptionLabel: string
  submitLabel: string
  name: string
  setName: (v: string) => void
  description: string
  setDescription: (v: string) => void
  busy: boolean
  error: string | null
  onCancel: () => void
}) {
  const [nameId, descriptionId, submitId] = p.testIds
  return (
    <>
      <div className="field">
        <label htmlFor={`${p.idPrefix}-name`}>Name</label>
        <input id={`${p.idPrefix}-name`} type="text" maxLength={200} value={p.name} onChange={(e) => p.setName(e.target.value)} autoFocus data-testid={nameId} />
      </div>
      <div className="field">
        <label htmlFor={`${p.idPrefix}-description`}>{p.descriptionLabel}</label>
        <textarea id={`${p.idPrefix}-description`} rows={2} maxLength={1000} value={p.description} onChange={(e) => p.setDescription(e.target.value)} data-testid={descriptionId} />
      </div>
      <div className="button-row">
        <button type="submit" className="btn btn-primary" disabled={p.busy} data-testid={submitId}>
          {p.submitLabel}
        </button>
        <button type="button" className="btn btn-ghost" onClick={p.onCancel} disabled={p.busy}>
          Cancel
        </button>
        {p.error && (
          <span className="err-text" role="alert">
            {p.error}
          </span>
        )}
      </div>
    </>
  )
}

function NewAlbumForm({ onCreated, onCancel }: { onCreated: (a: Album) => void; onCancel: () => void }) {
  const [name, setName] = useState('')
  const [description, setDescription] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!name.trim()) return setError('Give the album a name.')
    setBusy(true)
    setError(null)
    try {
      onCreated(await createAlbum(name.trim(), description.trim() || null))
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <form className="card form-card" onSubmit={submit} aria-labelledby="new-album-h" data-testid="new-album-form">
      <h2 id="new-album-h">New album</h2>
      <AlbumFields
        idPrefix="album"
        testIds={['album-name-input', 'album-description-input', 'create-album']}
        descriptionLabel="Description (optional)"
        submitLabel={busy ? 'Creating…' : 'Create album'}
        {...{ name, setName, description, setDescription, busy, error, onCancel }}
      />
    </form>
  )
}

export function AlbumPage() {
  const { id = '' } = useParams()
  const navigate = useNavigate()
  const { user } = useSession()
  const [album, setAlbum] = useState<Album | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [attempt, setAttempt] = useState(0)
  const [editing, setEditing] = useState(false)
  const [confirming, setConfirming] = useState(false)
  const [busy, setBusy] = useState(false)
  const [actionError, setActionError] = useState<string | null>(null)
  const [sharing, setSharing] = useState(false)
  const shareRef = useRef<HTMLDivElement>(null)
  useDocumentTitle(album ? `Album: ${album.name}` : 'Album')

  useEffect(() => {
    if (!user) return
    const ac = new AbortController()
    setError(null)
    setAlbum(null)
    getAlbum(id, ac.signal)
      .then(setAlbum)
      .catch((e) => !isAbort(e) && setError(e))
    return () => ac.abort()
  }, [id, user, attempt])

  if (user === undefined) return <div className="page"><Spinner /></div>
  if (user === null) return <div className="page page-narrow"><h1>Album</h1><SignInFirst what="your albums" /></div>
  if (error) {
    const notFound = error instanceof ApiError && error.status === 404
    return (
      <div className="page page-narrow">
        <h1>{notFound ? 'Album not found' : 'Could not load the album'}</h1>
        {notFound ? (
          <p className="muted">
            It may have been deleted. <Link to="/albums">All albums</Link>
          </p>
        ) : (
          <ErrorBox message={errorMessage(error)} onRetry={() => setAttempt((n) => n + 1)} />
        )}
      </div>
    )
  }
  if (!album) return <div className="page"><Spinner label="Loading album…" /></div>

  const remove = async () => {
    setBusy(true)
    setActionError(null)
    try {
      await deleteAlbum(album.id)
      setConfirming(false)
      navigate('/albums', { replace: true })
    } catch (e) {
      setActionError(errorMessage(e))
      setConfirming(false)
    } finally {
      setBusy(false)
    }
  }

  const openShare = () => {
    setSharing(true)
    // After it renders: bring the panel into view.
    setTimeout(() => shareRef.current?.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' }), 0)
  }

  return (
    <SelectionProvider>
    <div className="page page-wide album-view" data-testid="album-page" data-album-id={album.id}>
      <p className="album-back">
        <Link to="/albums" className="btn btn-ghost btn-small">
          ← Albums
        </Link>
      </p>
      {editing ? (
        <EditAlbumForm
          album={album}
          onCancel={() => setEditing(false)}
          onSaved={(a) => {
            setAlbum(a)
            setEditing(false)
          }}
        />
      ) : (
        <div className="page-head">
          <div>
            <p className="eyebrow">Album</p>
            <h1 data-testid="album-title">{album.name}</h1>
            {album.description && (
              <p className="album-description" data-testid="album-description">
                {album.description}
              </p>
            )}
            <p className="muted" data-testid="album-photo-count">
              {photoCount(album.image_count)}
            </p>
          </div>
          <div className="head-actions">
            <SelectButton disabled={album.image_count === 0} />
            <button
              type="button"
              className={'btn btn-secondary' + (sharing ? ' is-pressed' : '')}
              aria-expanded={sharing}
              onClick={() => (sharing ? setSharing(false) : openShare())}
              data-testid="share-album"
            >
              Share
            </button>
            {album.image_count > 0 && (
              <a className="btn btn-secondary" href={albumDownloadUrl(album.id)} download data-testid="download-album">
                Download album
              </a>
            )}
            <button type="button" className="btn btn-secondary" onClick={() => setEditing(true)} data-testid="edit-album">
              Edit
            </button>
            <button type="button" className="btn btn-danger-outline" onClick={() => setConfirming(true)} data-testid="delete-album">
              Delete album
            </button>
          </div>
        </div>
      )}
      {actionError && (
        <p className="err-text" role="alert">
          {actionError}
        </p>
      )}
      {confirming && (
        <ConfirmDialog
          title={`Delete the album “${album.name}”?`}
          confirmLabel="Delete album"
          busy={busy}
          onCancel={() => setConfirming(false)}
          onConfirm={() => void remove()}
        >
          <p>
            Only the album goes: the {photoCount(album.image_count)} in it are kept in your library.
          </p>
        </ConfirmDialog>
      )}
      {sharing && (
        <div className="card album-share" ref={shareRef}>
          <SharePanel
            subject={album.id}
            title="Share this album"
            headingId="album-share-h"
            testId="album-share-panel"
            hint="Anyone with the link can see the album’s photos and download them, without an account, until it expires. Photos you add later show too."
            api={{
              list: (signal) => listAlbumShares(album.id, signal),
              create: (expiresIn) => createAlbumShare(album.id, expiresIn),
              revoke: (shareId) => deleteAlbumShare(album.id, shareId),
            }}
          />
          <button type="button" className="btn btn-ghost btn-small album-share-close" onClick={() => setSharing(false)}>
            Close
          </button>
        </div>
      )}
      <ImageFeed
        view="album"
        onShareAlbum={openShare}
        onApplied={(c) => {
          if (c.action === 'trash' || (c.action === 'remove_from_album' && c.albumId === album.id))
            setAlbum((a) => (a ? { ...a, image_count: Math.max(0, a.image_count - c.ids.size) } : a))
          else if (c.action === 'restore') setAlbum((a) => (a ? { ...a, image_count: a.image_count + c.ids.size } : a))
        }}
        filter={{ album: album.id }}
        source={`/albums/${encodeURIComponent(album.id)}`}
        album={{ id: album.id, name: album.name }}
        emptyTitle="No photos in this album yet"
        emptyBody={<p>Open a photo and choose <strong>Add to album</strong>, or select photos in the gallery and add them from the bar.</p>}
      />
    </div>
    </SelectionProvider>
  )
}

function EditAlbumForm({ album, onSaved, onCancel }: { album: Album; onSaved: (a: Album) => void; onCancel: () => void }) {
  const [name, setName] = useState(album.name)
  const [description, setDescription] = useState(album.description ?? '')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!name.trim()) return setError('An album needs a name.')
    setBusy(true)
    setError(null)
    try {
      onSaved(await updateAlbum(album.id, { name: name.trim(), description: description.trim() || null }))
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <form className="card form-card" onSubmit={submit} aria-labelledby="edit-album-h" data-testid="edit-album-form">
      <h2 id="edit-album-h">Edit album</h2>
      <AlbumFields
        idPrefix="edit-album"
        testIds={['edit-album-name', 'edit-album-description', 'save-album']}
        descriptionLabel="Description"
        submitLabel={busy ? 'Saving…' : 'Save'}
        {...{ name, setName, description, setDescription, busy, error, onCancel }}
      />
    </form>
  )
}
