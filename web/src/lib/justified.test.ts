import { describe, expect, it } from 'vitest'
import { aspectRatio, justifiedLayout, targetRowHeightFor } from './justified'

const sq = { width: 100, height: 100 }
const wide = { width: 200, height: 100 }

describe('justifiedLayout', () => {
  it('returns no rows for zero width or no items', () => {
    expect(justifiedLayout([sq], { containerWidth: 0, targetRowHeight: 100, gap: 0 })).toEqual([])
    expect(justifiedLayout([], { containerWidth: 500, targetRowHeight: 100, gap: 0 })).toEqual([])
  })

  it('fills full rows exactly to the container width, gaps included', () => {
    const items = [sq, wide, sq, sq, wide, sq, wide, sq, sq]
    const rows = justifiedLayout(items, { containerWidth: 1003, targetRowHeight: 180, gap: 8 })
    const full = rows.filter((r) => r.justified)
    expect(full.length).toBeGreaterThan(0)
    for (const r of full) {
      const sum = r.boxes.reduce((s, b) => s + b.width, 0) + 8 * (r.boxes.length - 1)
      expect(sum).toBe(1003)
    }
  })

  it('keeps every item exactly once, in order', () => {
    const items = Array.from({ length: 37 }, (_, i) => ({ width: 100 + (i % 5) * 60, height: 100 + (i % 3) * 50 }))
    const rows = justifiedLayout(items, { containerWidth: 900, targetRowHeight: 200, gap: 4 })
    const idx = rows.flatMap((r) => r.boxes.map((b) => b.index))
    expect(idx).toEqual(items.map((_, i) => i))
  })

  it('computes the row height from the aspect ratios', () => {
    // Two squares and one 2:1 image: sum of ratios 4 → height = width / 4 with no gap.
    // (At a smaller target the row would not be full, and the last row is never stretched.)
    const rows = justifiedLayout([sq, sq, wide], { containerWidth: 400, targetRowHeight: 100, gap: 0 })
    expect(rows).toHaveLength(1)
    expect(rows[0].justified).toBe(true)
    expect(rows[0].height).toBe(100)
    expect(rows[0].boxes.map((b) => b.width)).toEqual([100, 100, 200])
  })

  it('leaves the last incomplete row at the target height, not stretched', () => {
    const rows = justifiedLayout([sq, sq, sq, sq, sq], { containerWidth: 300, targetRowHeight: 100, gap: 0 })
    expect(rows).toHaveLength(2)
    expect(rows[0].boxes).toHaveLength(3)
    expect(rows[1].justified).toBe(false)
    expect(rows[1].height).toBe(100)
    expect(rows[1].boxes.map((b) => b.width)).toEqual([100, 100])
  })

  it('preserves each box aspect ratio within rounding', () => {
    const items = [{ width: 4000, height: 3000 }, { width: 3000, height: 4000 }, { width: 1920, height: 1080 }, sq]
    const rows = justifiedLayout(items, { containerWidth: 800, targetRowHeight: 150, gap: 6 })
    for (const r of rows) {
      for (const b of r.boxes.slice(0, -1)) {
        expect(b.width / b.height).toBeCloseTo(aspectRatio(items[b.index]), 1)
      }
    }
  })

  it('caps the height of rows that would become too tall', () => {
    // A single very narrow container with one portrait: scaling would make a huge row.
    const rows = justifiedLayout([{ width: 100, height: 400 }, { width: 100, height: 400 }], {
      containerWidth: 1000,
      targetRowHeight: 200,
      gap: 0,
      maxRowHeightFactor: 1.5,
    })
    for (const r of rows) expect(r.height).toBeLessThanOrEqual(300)
  })

  it('never lets a lone very wide image overflow the container', () => {
    const rows = justifiedLayout([{ width: 10000, height: 100 }], { containerWidth: 320, targetRowHeight: 140, gap: 4 })
    const total = rows[0].boxes.reduce((s, b) => s + b.width, 0)
    expect(total).toBeLessThanOrEqual(320)
  })

  it('treats missing or zero dimensions as square', () => {
    expect(aspectRatio({ width: 0, height: 0 })).toBe(1)
    expect(aspectRatio({ width: null, height: 50 })).toBe(1)
    expect(aspectRatio({ width: 100000, height: 1 })).toBe(5)
    expect(aspectRatio({ width: 1, height: 100000 })).toBe(0.25)
  })

  it('uses smaller rows on phones', () => {
    expect(targetRowHeightFor(375)).toBeLessThan(targetRowHeightFor(1400))
  })
})
