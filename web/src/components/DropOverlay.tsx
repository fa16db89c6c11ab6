import { useEffect, useRef, useState } from 'react'
import { Link, useLocation } from 'react-router'
import { dragHasFiles, filesFromDrop } from '../lib/dropFiles'
import { useUploads, useUploadStore } from '../lib/uploads'
import { isActive } from '../lib/uploadStore'
import { UploadIcon } from './icons'

/**
 * Photos dragged over any page: a full-window drop target. A file dropped anywhere is never
 * opened by the browser (which would leave the app); it is uploaded, or — signed out — the
 * overlay says to sign in first.
 */
export function DropOverlay({ canUpload }: { canUpload: boolean }) {
  const store = useUploadStore()
  const location = useLocation()
  const [over, setOver] = useState(false)
  const [toast, setToast] = useState<{ keys: string[]; skipped: number } | null>(null)
  const { items } = useUploads()
  const allowed = useRef(canUpload)
  allowed.current = canUpload

  useEffect(() => {
    let hideTimer: ReturnType<typeof setTimeout> | null = null
    const show = () => {
      if (hideTimer) clearTimeout(hideTimer)
      hideTimer = null
      setOver(true)
    }
    // dragleave fires on every child boundary; hide only when no dragover follows soon.
    const hideSoon = () => {
      if (hideTimer) clearTimeout(hideTimer)
      hideTimer = setTimeout(() => setOver(false), 120)
    }
    const onEnter = (e: DragEvent) => {
      if (!dragHasFiles(e.dataTransfer)) return
      e.preventDefault()
      show()
    }
    const onOver = (e: DragEvent) => {
      if (!dragHasFiles(e.dataTransfer)) return
      e.preventDefault()
      if (e.dataTransfer) e.dataTransfer.dropEffect = allowed.current ? 'copy' : 'none'
      show()
    }
    const onLeave = (e: DragEvent) => {
      if (!dragHasFiles(e.dataTransfer)) return
      hideSoon()
    }
    const onDrop = (e: DragEvent) => {
      // Any file drop: never let the browser navigate to the file.
      if (!e.dataTransfer || !dragHasFiles(e.dataTransfer)) return
      e.preventDefault()
      if (hideTimer) clearTimeout(hideTimer)
      setOver(false)
      if (!allowed.current) return
      void filesFromDrop(e.dataTransfer).then(({ files, paths }) => {
        const added = store.add(files, undefined, paths)
        const snap = store.getSnapshot()
        const skipped = snap.skipped?.count ?? 0
        if (added || skipped) setToast({ keys: snap.items.slice(snap.items.length - added).map((it) => it.key), skipped })
      })
    }
    const onEnd = () => setOver(false)
    window.addEventListener('dragenter', onEnter)
    window.addEventListener('dragover', onOver)
    window.addEventListener('dragleave', onLeave)
    window.addEventListener('drop', onDrop)
    window.addEventListener('dragend', onEnd)
    return () => {
      window.removeEventListener('dragenter', onEnter)
      window.removeEventListener('dragover', onOver)
      window.removeEventListener('dragleave', onLeave)
      window.removeEventListener('drop', onDrop)
      window.removeEventListener('dragend', onEnd)
      if (hideTimer) clearTimeout(hideTimer)
    }
  }, [store])

  useEffect(() => {
    if (!toast) return
    const t = setTimeout(() => setToast(null), 8000)
    return () => clearTimeout(t)
  }, [toast])

  const onUploadPage = location.pathname === '/upload'
  const mine = toast ? items.filter((it) => toast.keys.includes(it.key)) : []
  const going = mine.filter((it) => isActive(it.state)).length
  const n = mine.length
  const photos = (k: number) => `${k} ${k === 1 ? 'photo' : 'photos'}`
  return (
    <>
      {over && (
        <div className="drop-overlay" data-testid="drop-overlay" aria-hidden="true">
          <div className="drop-card">
            <UploadIcon />
            {canUpload ? (
              <>
                <p className="drop-title">Drop photos to upload</p>
                <p className="muted">Folders too — anything that isn’t a photo is skipped.</p>
              </>
            ) : (
              <>
                <p className="drop-title">Sign in to upload photos</p>
                <p className="muted">Dropped files are not opened or sent anywhere.</p>
              </>
            )}
          </div>
        </div>
      )}
      {toast && !onUploadPage && (
        <div className="toast" role="status" data-testid="drop-toast">
          <span>
            {n === 0 ? 'Nothing to upload' : going > 0 ? `Uploading ${photos(n)}` : `Finished ${photos(n)}`}
            {toast.skipped > 0 && ` · skipped ${toast.skipped} ${toast.skipped === 1 ? 'file that isn’t a photo' : 'files that aren’t photos'}`}
          </span>
          <Link to="/upload" className="btn btn-secondary btn-small">
            Show uploads
          </Link>
          <button type="button" className="icon-btn" aria-label="Dismiss" onClick={() => setToast(null)}>
            ×
          </button>
        </div>
      )}
    </>
  )
}
