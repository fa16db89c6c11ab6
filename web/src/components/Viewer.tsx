import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import type { PointerEvent as ReactPointerEvent } from 'react'
import { useLocation, useNavigate, useParams, useSearchParams } from 'react-router'
import { getImage, getNeighbors } from '../api/endpoints'
import { isAbort } from '../api/client'
import { ApiError, errorMessage } from '../api/errors'
import type { Image } from '../api/types'
import { imageAlt, imageTitle } from '../lib/format'
import { useDocumentTitle } from '../lib/hooks'
import { loadNavList, neighbours } from '../lib/nav'
import { contextFromParams, navListMatches, neighborsFilter, viewerHref } from '../lib/viewerUrl'
import {
  browserDisplayable,
  clampView,
  FIT,
  fitSize,
  maxScale,
  panBy,
  pinchView,
  swipeAction,
  toggleZoom,
  viewerKey,
  wheelFactor,
  zoomAt,
} from '../lib/zoom'
import type { Point, Size, View } from '../lib/zoom'
import { ChevronLeft, ChevronRight, CloseIcon, ZoomInIcon, ZoomOutIcon } from './icons'

/** History state of a viewer opened from within the app: closing goes back to that page. */
export interface ViewerState {
  viewerFrom?: string
}

/** Images seen by the viewer (the neighbours come whole): stepping shows them at once. */
const seen = new Map<string, Image>()

interface Neighbours {
  prev: string | null
  next: string | null
}

type Gesture =
  | { kind: 'pan'; id: number; from: Point; start: View; moved: boolean; t0: number }
  | { kind: 'swipe'; id: number; from: Point; now: Point; t0: number }
  | { kind: 'pinch'; ids: [number, number]; from: [Point, Point]; start: View }

const STEP = 1.5

export function Viewer() {
  const { id = '' } = useParams()
  const [params] = useSearchParams()
  const navigate = useNavigate()
  const location = useLocation()
  const ctx = useMemo(() => contextFromParams(params), [params])
  const ctxKey = JSON.stringify(ctx)

  const [image, setImage] = useState<Image | null>(() => seen.get(id) ?? null)
  const [error, setError] = useState<Error | null>(null)
  const [nb, setNb] = useState<Neighbours>({ prev: null, next: null })
  const [view, setView] = useState<View>(FIT)
  const [animate, setAnimate] = useState(false)
  const [stage, setStage] = useState<Size>({ w: 0, h: 0 })
  const [previewSize, setPreviewSize] = useState<Size | null>(null)
  const [hiRes, setHiRes] = useState<string | null>(null)
  const [loaded, setLoaded] = useState(false)
  const [swipeDx, setSwipeDx] = useState(0)
  const stageRef = useRef<HTMLDivElement>(null)
  const rootRef = useRef<HTMLDivElement>(null)
  const pointers = useRef(new Map<number, Point>())
  const gesture = useRef<Gesture | null>(null)
  const lastTap = useRef<{ t: number; p: Point } | null>(null)

  useDocumentTitle(image ? imageTitle(image) : 'Photo')

  // The photo.
  useEffect(() => {
    const ac = new AbortController()
    setError(null)
    setView(FIT)
    setHiRes(null)
    setLoaded(false)
    setPreviewSize(null)
    const known = seen.get(id)
    setImage(known ?? null)
    getImage(id, ac.signal)
      .then((img) => {
        seen.set(img.id, img)
        setImage(img)
      })
      .catch((e) => {
        if (!isAbort(e) && !known) setError(e as Error)
      })
    return () => ac.abort()
  }, [id])

  // Its neighbours in the list the user came from: the server's answer for the list's filters,
  // else (a search, or a server without /neighbors) the order the user last browsed.
  useEffect(() => {
    const ac = new AbortController()
    const list = loadNavList()
    const fromList = navListMatches(list, ctx, id) ? neighbours(list!.ids, id) : null
    setNb(fromList ? { prev: fromList.prev, next: fromList.next } : { prev: null, next: null })
    const filter = neighborsFilter(ctx)
    if (!filter) return
    getNeighbors(id, filter, ac.signal)
      .then((r) => {
        for (const img of [r.previous, r.next]) if (img) seen.set(img.id, img)
        setNb({ prev: r.previous?.id ?? null, next: r.next?.id ?? null })
      })
      .catch((e) => {
        if (isAbort(e)) return
        // Keep the remembered order (the endpoint may not exist on this server yet).
      })
    return () => ac.abort()
  }, [id, ctxKey])

  // Preload the neighbours' previews so a step shows at once.
  useEffect(() => {
    for (const n of [nb.prev, nb.next]) {
      const img = n ? seen.get(n) : null
      if (img?.urls?.preview) new window.Image().src = img.urls.preview
    }
  }, [nb])

  // The stage's size.
  useLayoutEffect(() => {
    const el = stageRef.current
    if (!el) return
    const measure = () => setStage({ w: el.clientWidth, h: el.clientHeight })
    measure()
    if (typeof ResizeObserver === 'undefined') {
      window.addEventListener('resize', measure)
      return () => window.removeEventListener('resize', measure)
    }
    const ro = new ResizeObserver(measure)
    ro.observe(el)
    return () => ro.disconnect()
  }, [])

  // The photo's own size, its shape from the preview (which is turned upright).
  const natural = useMemo<Size>(() => {
    const w = image?.width || previewSize?.w || 4
    const h = image?.height || previewSize?.h || 3
    if (!previewSize) return { w, h }
    const aspect = previewSize.w / previewSize.h
    const long = Math.max(w, h)
    return aspect >= 1 ? { w: long, h: long / aspect } : { w: long * aspect, h: long }
  }, [image, previewSize])
  // Fitted to the screen, small photos too (as photo viewers do); 100% is a zoom step away.
  const fit = useMemo(() => fitSize(natural, stage, true), [natural, stage])
  const max = maxScale(natural, fit)

  // Zoomed in: the original, when the browser can show it (not HEIC or TIFF).
  const original = image?.urls?.original
  const wantOriginal = view.scale > 1.05 && !!original && browserDisplayable(image?.content_type)
  useEffect(() => {
    if (!wantOriginal || !original || hiRes === original) return
    let live = true
    const im = new window.Image()
    im.onload = () => live && setHiRes(original)
    im.src = original
    return () => {
      live = false
    }
  }, [wantOriginal, original, hiRes])

  // Lock the page behind.
  useEffect(() => {
    const prev = document.body.style.overflow
    document.body.style.overflow = 'hidden'
    rootRef.current?.focus()
    return () => {
      document.body.style.overflow = prev
    }
  }, [])

  const close = useCallback(() => {
    const st = location.state as ViewerState | null
    if (st?.viewerFrom) navigate(-1)
    else navigate(`/images/${encodeURIComponent(id)}`, { replace: true })
  }, [location.state, navigate, id])

  const go = useCallback(
    (dir: 'prev' | 'next') => {
      const target = dir === 'prev' ? nb.prev : nb.next
      if (!target) return
      // Replace: Back and Escape return to where the viewer was opened, not through each photo.
      navigate(viewerHref(target, ctx), { replace: true, state: location.state })
    },
    [nb, ctx, navigate, location.state],
  )

  const centre: Point = { x: 0, y: 0 }
  const zoomBy = (factor: number, at: Point = centre) => {
    setAnimate(true)
    setView((v) => zoomAt(v, factor, at, fit, stage, max))
  }

  // Keep the view valid when the stage or photo size changes.
  useEffect(() => {
    setView((v) => clampView(v, fit, stage, max))
  }, [fit.w, fit.h, stage.w, stage.h, max])

  // Keyboard.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return
      const k = viewerKey(e)
      if (!k) return
      e.preventDefault()
      if (k === 'close') close()
      else if (k === 'prev' || k === 'next') go(k)
      else if (k === 'zoom-in') zoomBy(STEP)
      else if (k === 'zoom-out') zoomBy(1 / STEP)
      else if (k === 'fit') {
        setAnimate(true)
        setView(FIT)
      } else if (k === 'toggle') {
        setAnimate(true)
        setView((v) => toggleZoom(v, centre, natural, fit, stage))
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  })

  // The wheel zooms around the cursor (a listener of our own: React's is passive).
  const toStage = useCallback((clientX: number, clientY: number): Point => {
    const r = stageRef.current?.getBoundingClientRect()
    if (!r) return { x: 0, y: 0 }
    return { x: clientX - r.left - r.width / 2, y: clientY - r.top - r.height / 2 }
  }, [])
  useEffect(() => {
    const el = stageRef.current
    if (!el) return
    const onWheel = (e: WheelEvent) => {
      e.preventDefault()
      const at = toStage(e.clientX, e.clientY)
      const f = wheelFactor(e.deltaY, e.deltaMode, e.ctrlKey, stage.h)
      setAnimate(false)
      setView((v) => zoomAt(v, f, at, fit, stage, max))
    }
    el.addEventListener('wheel', onWheel, { passive: false })
    return () => el.removeEventListener('wheel', onWheel)
  }, [fit, stage, max, toStage])

  // Pointers: drag to pan (zoomed), swipe to step or close (fitted), pinch, double-tap.
  const onPointerDown = (e: ReactPointerEvent) => {
    if (e.button !== 0 && e.pointerType === 'mouse') return
    ;(e.currentTarget as HTMLElement).setPointerCapture?.(e.pointerId)
    const p = toStage(e.clientX, e.clientY)
    pointers.current.set(e.pointerId, p)
    setAnimate(false)
    if (pointers.current.size === 2) {
      const [[a, pa], [b, pb]] = [...pointers.current.entries()]
      gesture.current = { kind: 'pinch', ids: [a, b], from: [pa, pb], start: view }
      setSwipeDx(0)
    } else if (pointers.current.size === 1) {
      gesture.current =
        view.scale > 1.01
          ? { kind: 'pan', id: e.pointerId, from: p, start: view, moved: false, t0: e.timeStamp }
          : { kind: 'swipe', id: e.pointerId, from: p, now: p, t0: e.timeStamp }
    }
  }
  const onPointerMove = (e: ReactPointerEvent) => {
    if (!pointers.current.has(e.pointerId)) return
    const p = toStage(e.clientX, e.clientY)
    pointers.current.set(e.pointerId, p)
    const g = gesture.current
    if (!g) return
    if (g.kind === 'pinch') {
      const a = pointers.current.get(g.ids[0])
      const b = pointers.current.get(g.ids[1])
      if (a && b) setView(pinchView(g.start, g.from, [a, b], fit, stage, max))
    } else if (g.kind === 'pan' && g.id === e.pointerId) {
      if (Math.hypot(p.x - g.from.x, p.y - g.from.y) > 4) g.moved = true
      setView(panBy(g.start, p.x - g.from.x, p.y - g.from.y, fit, stage, max))
    } else if (g.kind === 'swipe' && g.id === e.pointerId) {
      g.now = p
      const dx = p.x - g.from.x
      const dy = p.y - g.from.y
      setSwipeDx(Math.abs(dx) > Math.abs(dy) ? dx : 0)
    }
  }
  const onPointerUp = (e: ReactPointerEvent) => {
    if (!pointers.current.has(e.pointerId)) return
    const p = toStage(e.clientX, e.clientY)
    pointers.current.delete(e.pointerId)
    const g = gesture.current
    if (g?.kind === 'pinch') {
      // One finger stays: it pans from here.
      const rest = [...pointers.current.entries()][0]
      gesture.current = rest ? { kind: 'pan', id: rest[0], from: rest[1], start: view, moved: true, t0: e.timeStamp } : null
      return
    }
    gesture.current = null
    let tapped = false
    if (g?.kind === 'swipe') {
      const dx = p.x - g.from.x
      const dy = p.y - g.from.y
      setSwipeDx(0)
      const action = e.type === 'pointercancel' ? null : swipeAction(dx, dy, e.timeStamp - g.t0, stage.w)
      if (action === 'close') return close()
      if (action) return go(action)
      tapped = Math.hypot(dx, dy) < 10 && e.timeStamp - g.t0 < 400
    } else if (g?.kind === 'pan') {
      tapped = !g.moved && e.timeStamp - g.t0 < 400
    }
    if (!tapped) return
    const last = lastTap.current
    if (last && e.timeStamp - last.t < 350 && Math.hypot(p.x - last.p.x, p.y - last.p.y) < 30) {
      lastTap.current = null
      setAnimate(true)
      setView((v) => toggleZoom(v, p, natural, fit, stage))
    } else {
      lastTap.current = { t: e.timeStamp, p }
    }
  }

  // Once the original has loaded it stays (it is the sharper picture at any scale).
  const src = image?.urls ? (hiRes ?? image.urls.preview) : null
  const title = image ? imageTitle(image) : 'Photo'
  const notFound = error instanceof ApiError && error.status === 404
  const pct = Math.round(view.scale * (fit.w > 0 ? (fit.w / natural.w) * 100 : 100))

  return (
    <div
      className="viewer"
      ref={rootRef}
      tabIndex={-1}
      role="dialog"
      aria-modal="true"
      aria-label={`Photo viewer: ${title}`}
      data-testid="viewer"
      data-image-id={id}
      onKeyDown={(e) => {
        // Keep Tab inside the viewer.
        if (e.key !== 'Tab' || !rootRef.current) return
        const f = rootRef.current.querySelectorAll<HTMLElement>('button:not([disabled])')
        if (!f.length) return
        const first = f[0]
        const last = f[f.length - 1]
        if (e.shiftKey && (document.activeElement === first || document.activeElement === rootRef.current)) {
          e.preventDefault()
          last.focus()
        } else if (!e.shiftKey && document.activeElement === last) {
          e.preventDefault()
          first.focus()
        }
      }}
    >
      <div
        className={'viewer-stage' + (view.scale > 1.01 ? ' is-zoomed' : '')}
        ref={stageRef}
        data-testid="viewer-stage"
        data-scale={view.scale.toFixed(3)}
        data-x={Math.round(view.x)}
        data-y={Math.round(view.y)}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
      >
        {src && fit.w > 0 && (
          <img
            key={id}
            className={'viewer-img' + (animate ? ' is-animating' : '') + (loaded ? ' is-loaded' : '')}
            src={src}
            alt={image ? imageAlt(image) : ''}
            draggable={false}
            onLoad={(e) => {
              const im = e.currentTarget
              setLoaded(true)
              if (!previewSize && im.naturalWidth > 0) setPreviewSize({ w: im.naturalWidth, h: im.naturalHeight })
            }}
            onTransitionEnd={() => setAnimate(false)}
            style={{
              width: fit.w,
              height: fit.h,
              transform: `translate(-50%, -50%) translate(${view.x + swipeDx}px, ${view.y}px) scale(${view.scale})`,
            }}
            data-testid="viewer-image"
            data-original={src === original ? 'true' : 'false'}
          />
        )}
        {!loaded && !error && <span className="spinner viewer-spinner" aria-hidden="true" />}
        {error && (
          <div className="viewer-message" role="alert">
            <p>{notFound ? 'This photo isn’t available: it may have been deleted, or it is private.' : errorMessage(error)}</p>
          </div>
        )}
        {image && !image.urls && <div className="viewer-message">No preview available</div>}
      </div>

      <div className="viewer-bar">
        <p className="viewer-title" title={title}>
          {title}
        </p>
        <div className="viewer-tools">
          <button type="button" className="viewer-btn" onClick={() => zoomBy(1 / STEP)} disabled={view.scale <= 1.001} aria-label="Zoom out" aria-keyshortcuts="-" data-testid="viewer-zoom-out">
            <ZoomOutIcon />
          </button>
          <button
            type="button"
            className="viewer-btn viewer-pct"
            onClick={() => {
              setAnimate(true)
              setView((v) => toggleZoom(v, centre, natural, fit, stage))
            }}
            aria-label={view.scale > 1.01 ? `Zoomed to ${pct}%. Fit to screen` : `Fitted, ${pct}%. Zoom in`}
            data-testid="viewer-zoom-level"
          >
            {pct}%
          </button>
          <button type="button" className="viewer-btn" onClick={() => zoomBy(STEP)} disabled={view.scale >= max - 0.001} aria-label="Zoom in" aria-keyshortcuts="+" data-testid="viewer-zoom-in">
            <ZoomInIcon />
          </button>
          <button type="button" className="viewer-btn" onClick={close} aria-label="Close viewer" aria-keyshortcuts="Escape" data-testid="viewer-close">
            <CloseIcon />
          </button>
        </div>
      </div>
      <button
        type="button"
        className="viewer-btn viewer-nav viewer-prev"
        onClick={() => go('prev')}
        disabled={!nb.prev}
        aria-label="Previous photo"
        aria-keyshortcuts="ArrowLeft"
        data-testid="viewer-prev"
      >
        <ChevronLeft />
      </button>
      <button
        type="button"
        className="viewer-btn viewer-nav viewer-next"
        onClick={() => go('next')}
        disabled={!nb.next}
        aria-label="Next photo"
        aria-keyshortcuts="ArrowRight"
        data-testid="viewer-next"
      >
        <ChevronRight />
      </button>
    </div>
  )
}
