import { describe, expect, it } from 'vitest'
import {
  actualPixelsScale,
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
} from './zoom'

const stage = { w: 1000, h: 800 }
const natural = { w: 4000, h: 3000 }
const fit = fitSize(natural, stage) // 1000 × 750
const max = maxScale(natural, fit)

/** Where a photo point (relative to the photo's centre at scale 1) lands on the stage. */
const screenOf = (v: { scale: number; x: number; y: number }, u: { x: number; y: number }) => ({ x: v.x + v.scale * u.x, y: v.y + v.scale * u.y })

describe('fitting', () => {
  it('fits the whole photo, and never scales a small one up', () => {
    expect(fit).toEqual({ w: 1000, h: 750 })
    expect(fitSize({ w: 500, h: 375 }, stage)).toEqual({ w: 500, h: 375 })
    expect(fitSize({ w: 500, h: 375 }, stage, true)).toEqual({ w: 1000, h: 750 })
    expect(fitSize({ w: 3000, h: 4000 }, stage)).toEqual({ w: 600, h: 800 })
    expect(fitSize({ w: 0, h: 0 }, stage)).toEqual({ w: 0, h: 0 })
  })
  it('"100%" is one photo pixel per screen pixel; the limit is at least 4× and twice that', () => {
    expect(actualPixelsScale(natural, fit)).toBe(4)
    expect(max).toBe(8)
    expect(maxScale({ w: 500, h: 375 }, { w: 500, h: 375 })).toBe(4)
    expect(maxScale({ w: 40000, h: 30000 }, fit)).toBe(16)
  })
})

describe('zoom around a point', () => {
  it('keeps the photo point under the cursor where it is', () => {
    const at = { x: 300, y: -200 }
    // the photo point under `at` at the fitted size
    const u = { x: at.x, y: at.y }
    const v = zoomAt(FIT, 2, at, fit, stage, max)
    expect(v.scale).toBe(2)
    expect(screenOf(v, u).x).toBeCloseTo(at.x)
    expect(screenOf(v, u).y).toBeCloseTo(at.y)
    // and again from there
    const u2 = { x: (at.x - v.x) / v.scale, y: (at.y - v.y) / v.scale }
    const v2 = zoomAt(v, 1.5, at, fit, stage, max)
    expect(screenOf(v2, u2).x).toBeCloseTo(at.x)
  })
  it('stays between fitted and the limit; zooming out to fitted centres the photo', () => {
    expect(zoomAt(FIT, 0.5, { x: 100, y: 100 }, fit, stage, max)).toEqual(FIT)
    expect(zoomAt(FIT, 100, { x: 0, y: 0 }, fit, stage, max).scale).toBe(max)
    const zoomed = zoomAt(FIT, 3, { x: 400, y: 300 }, fit, stage, max)
    expect(zoomAt(zoomed, 1 / 3, { x: -400, y: 0 }, fit, stage, max)).toEqual(FIT)
  })
})

describe('panning', () => {
  it('moves the zoomed photo but never leaves an empty band at an edge', () => {
    const v = { scale: 2, x: 0, y: 0 } // 2000 × 1500 on a 1000 × 800 stage
    expect(panBy(v, 100, -50, fit, stage, max)).toEqual({ scale: 2, x: 100, y: -50 })
    expect(panBy(v, 5000, 5000, fit, stage, max)).toEqual({ scale: 2, x: 500, y: 350 })
    expect(panBy(v, -5000, -5000, fit, stage, max)).toEqual({ scale: 2, x: -500, y: -350 })
  })
  it('keeps a photo narrower than the stage centred on that axis', () => {
    const tall = fitSize({ w: 3000, h: 4000 }, stage) // 600 × 800
    expect(clampView({ scale: 1.5, x: 300, y: 300 }, tall, stage, 8)).toEqual({ scale: 1.5, x: 0, y: 200 })
    expect(panBy(FIT, 200, 200, fit, stage, max)).toEqual(FIT)
  })
})

describe('double-click / double-tap', () => {
  it('zooms in to 100% around the point, then back to fitted', () => {
    const at = { x: 200, y: 100 }
    const v = toggleZoom(FIT, at, natural, fit, stage)
    expect(v.scale).toBe(4)
    expect(screenOf(v, at).x).toBeCloseTo(at.x)
    expect(toggleZoom(v, at, natural, fit, stage)).toEqual(FIT)
  })
  it('a photo already at its own size zooms to 2×', () => {
    const small = { w: 500, h: 375 }
    expect(toggleZoom(FIT, { x: 0, y: 0 }, small, fitSize(small, stage), stage).scale).toBe(2)
  })
})

describe('wheel', () => {
  it('scrolling up zooms in, down zooms out; lines count as 16 px; one event is bounded', () => {
    expect(wheelFactor(-100)).toBeGreaterThan(1)
    expect(wheelFactor(100)).toBeLessThan(1)
    expect(wheelFactor(-100) * wheelFactor(100)).toBeCloseTo(1)
    expect(wheelFactor(-3, 1)).toBeCloseTo(wheelFactor(-48))
    expect(wheelFactor(-100000)).toBeCloseTo(Math.exp(0.7))
    // a trackpad pinch (ctrl + small deltas) is more sensitive
    expect(wheelFactor(-10, 0, true)).toBeGreaterThan(wheelFactor(-10))
  })
})

describe('pinch', () => {
  it('scales by the change in finger distance around their midpoint, and follows it', () => {
    const from: [{ x: number; y: number }, { x: number; y: number }] = [{ x: -100, y: 0 }, { x: 100, y: 0 }]
    const v = pinchView(FIT, from, [{ x: -200, y: 0 }, { x: 200, y: 0 }], fit, stage, max)
    expect(v).toEqual({ scale: 2, x: 0, y: 0 })
    // fingers apart and moved right together: the photo point under the midpoint follows
    const moved = pinchView(FIT, from, [{ x: -100, y: 0 }, { x: 300, y: 0 }], fit, stage, max)
    expect(moved.scale).toBe(2)
    expect(moved.x).toBe(100)
    // pinching in past fitted stays fitted
    expect(pinchView(FIT, from, [{ x: -10, y: 0 }, { x: 10, y: 0 }], fit, stage, max)).toEqual(FIT)
  })
})

describe('swipes', () => {
  it('left is next, right is previous, down closes; short or diagonal drags do nothing', () => {
    expect(swipeAction(-150, 10, 500, 400)).toBe('next')
    expect(swipeAction(150, -10, 500, 400)).toBe('prev')
    expect(swipeAction(-50, 0, 150, 400)).toBe('next') // a quick flick
    expect(swipeAction(-50, 0, 600, 400)).toBeNull()
    expect(swipeAction(-100, -90, 200, 400)).toBeNull()
    expect(swipeAction(5, 140, 500, 400)).toBe('close')
    expect(swipeAction(5, -140, 500, 400)).toBeNull()
  })
})

describe('keyboard', () => {
  it('maps keys to actions and leaves modified keys to the browser', () => {
    expect(viewerKey({ key: 'ArrowLeft' })).toBe('prev')
    expect(viewerKey({ key: 'ArrowRight' })).toBe('next')
    expect(viewerKey({ key: 'Escape' })).toBe('close')
    expect(viewerKey({ key: '+' })).toBe('zoom-in')
    expect(viewerKey({ key: '=' })).toBe('zoom-in')
    expect(viewerKey({ key: '-' })).toBe('zoom-out')
    expect(viewerKey({ key: '0' })).toBe('fit')
    expect(viewerKey({ key: 'z' })).toBe('toggle')
    expect(viewerKey({ key: '+', ctrlKey: true })).toBeNull()
    expect(viewerKey({ key: 'ArrowLeft', altKey: true })).toBeNull() // browser Back
    expect(viewerKey({ key: 'a' })).toBeNull()
  })
})

describe('which originals the browser shows', () => {
  it('JPEG, PNG, WebP, GIF and AVIF; not HEIC or TIFF', () => {
    for (const t of ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif', 'IMAGE/JPEG']) expect(browserDisplayable(t), t).toBe(true)
    for (const t of ['image/heic', 'image/heif', 'image/tiff', 'image/bmp', '', null]) expect(browserDisplayable(t), String(t)).toBe(false)
  })
})
