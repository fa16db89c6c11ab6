// The full-screen viewer's geometry, as pure functions. Coordinates are in CSS pixels relative
// to the centre of the stage (the viewer's area). A view is the photo's offset from that centre
// (x, y) and its scale over the fitted size (1 = the whole photo fits).

export interface Size {
  w: number
  h: number
}
export interface Point {
  x: number
  y: number
}
export interface View {
  scale: number
  x: number
  y: number
}

export const FIT: View = { scale: 1, x: 0, y: 0 }

/** The photo's size on screen at scale 1: as large as fits, never above its own pixels. */
export function fitSize(natural: Size, stage: Size, allowUpscale = false): Size {
  if (natural.w <= 0 || natural.h <= 0 || stage.w <= 0 || stage.h <= 0) return { w: 0, h: 0 }
  let k = Math.min(stage.w / natural.w, stage.h / natural.h)
  if (!allowUpscale) k = Math.min(1, k)
  return { w: natural.w * k, h: natural.h * k }
}

/** The scale at which one photo pixel is one CSS pixel ("100%"). */
export function actualPixelsScale(natural: Size, fit: Size): number {
  return fit.w > 0 ? natural.w / fit.w : 1
}

/** How far one may zoom in: at least 4×, and to twice the photo's own pixels, at most 16×. */
export function maxScale(natural: Size, fit: Size): number {
  return Math.min(16, Math.max(4, 2 * actualPixelsScale(natural, fit)))
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v))

/**
 * Keep the photo where it can be: not smaller than fitted, not past `max`, and (once larger
 * than the stage) with no empty band at an edge; centred on an axis where it is smaller.
 */
export function clampView(v: View, fit: Size, stage: Size, max: number): View {
  const scale = clamp(v.scale, 1, Math.max(1, max))
  const maxX = Math.max(0, (fit.w * scale - stage.w) / 2)
  const maxY = Math.max(0, (fit.h * scale - stage.h) / 2)
  // `+ 0` turns -0 into 0.
  return { scale, x: clamp(v.x, -maxX, maxX) + 0, y: clamp(v.y, -maxY, maxY) + 0 }
}

/** Scale by `factor` keeping the photo point under `at` where it is (zoom around the cursor). */
export function zoomAt(v: View, factor: number, at: Point, fit: Size, stage: Size, max: number): View {
  const scale = clamp(v.scale * factor, 1, Math.max(1, max))
  const k = scale / v.scale
  return clampView({ scale, x: at.x - k * (at.x - v.x), y: at.y - k * (at.y - v.y) }, fit, stage, max)
}

export function panBy(v: View, dx: number, dy: number, fit: Size, stage: Size, max: number): View {
  return clampView({ scale: v.scale, x: v.x + dx, y: v.y + dy }, fit, stage, max)
}

/**
 * Double-click / double-tap: back to fitted when zoomed in; else in around `at` to the photo's
 * own pixels ("100%"), but at least 2×.
 */
export function toggleZoom(v: View, at: Point, natural: Size, fit: Size, stage: Size): View {
  const max = maxScale(natural, fit)
  if (v.scale > 1.01) return FIT
  const target = Math.min(max, Math.max(2, actualPixelsScale(natural, fit)))
  return zoomAt(v, target / v.scale, at, fit, stage, max)
}

/** The zoom factor of one wheel event (trackpad pinches arrive as ctrl+wheel with small deltas). */
export function wheelFactor(deltaY: number, deltaMode = 0, ctrlKey = false, pageHeight = 800): number {
  const px = deltaMode === 1 ? deltaY * 16 : deltaMode === 2 ? deltaY * pageHeight : deltaY
  const k = ctrlKey ? 0.01 : 0.0025
  return Math.exp(clamp(-px * k, -0.7, 0.7))
}

const dist = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y)
const mid = (a: Point, b: Point): Point => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 })

/** Two fingers: scale by how far apart they moved, and move with their midpoint. */
export function pinchView(start: View, from: [Point, Point], to: [Point, Point], fit: Size, stage: Size, max: number): View {
  const d0 = dist(from[0], from[1])
  const d1 = dist(to[0], to[1])
  if (d0 < 1) return start
  const scale = clamp((start.scale * d1) / d0, 1, Math.max(1, max))
  const m0 = mid(from[0], from[1])
  const m1 = mid(to[0], to[1])
  // The photo point under the fingers' first midpoint follows the midpoint.
  const k = scale / start.scale
  return clampView({ scale, x: m1.x - k * (m0.x - start.x), y: m1.y - k * (m0.y - start.y) }, fit, stage, max)
}

export type SwipeAction = 'prev' | 'next' | 'close' | null

/**
 * What a one-finger drag at the fitted size means once the finger lifts: left/right for the
 * next/previous photo, down to close. Far enough, or a quick flick; mostly along one axis.
 */
export function swipeAction(dx: number, dy: number, ms: number, stageWidth = 400): SwipeAction {
  const ax = Math.abs(dx)
  const ay = Math.abs(dy)
  const fast = ms > 0 && ms < 300
  if (ax > 1.5 * ay && (ax > Math.min(120, stageWidth * 0.2) || (fast && ax > 40))) return dx < 0 ? 'next' : 'prev'
  if (dy > 0 && ay > 1.5 * ax && (ay > 120 || (fast && ay > 60))) return 'close'
  return null
}

export type ViewerKey = 'prev' | 'next' | 'close' | 'zoom-in' | 'zoom-out' | 'fit' | 'toggle' | null

/** The viewer's keyboard: ←/→ step, Esc closes, + / − / 0 zoom, Space/Enter? no: those press the focused button. */
export function viewerKey(e: { key: string; altKey?: boolean; ctrlKey?: boolean; metaKey?: boolean }): ViewerKey {
  if (e.altKey || e.metaKey) return null
  if (e.ctrlKey) {
    // Ctrl/⌘ +/− is the browser's page zoom; leave it alone.
    return null
  }
  switch (e.key) {
    case 'ArrowLeft':
      return 'prev'
    case 'ArrowRight':
      return 'next'
    case 'Escape':
      return 'close'
    case '+':
    case '=':
      return 'zoom-in'
    case '-':
    case '_':
      return 'zoom-out'
    case '0':
      return 'fit'
    case 'z':
    case 'Z':
      return 'toggle'
    default:
      return null
  }
}

/** Image types every current browser shows in an <img>: the original can replace the preview. */
export function browserDisplayable(contentType: string | null | undefined): boolean {
  return /^image\/(jpeg|png|webp|gif|avif)$/i.test((contentType ?? '').split(';')[0].trim())
}
