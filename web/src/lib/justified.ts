export interface LayoutInput {
  width: number | null | undefined
  height: number | null | undefined
}

export interface LayoutBox {
  /** index into the input list */
  index: number
  width: number
  height: number
}

export interface LayoutRow {
  height: number
  boxes: LayoutBox[]
  /** true when the row was stretched to the full container width */
  justified: boolean
}

export interface LayoutOptions {
  containerWidth: number
  targetRowHeight: number
  gap: number
  /** a justified row never gets taller than this factor × target (default 1.5) */
  maxRowHeightFactor?: number
}

/** Aspect ratio (w/h), clamped so panoramas and slivers still lay out sanely. */
export function aspectRatio(item: LayoutInput): number {
  const w = item.width ?? 0
  const h = item.height ?? 0
  if (!(w > 0) || !(h > 0)) return 1
  return Math.min(Math.max(w / h, 0.25), 5)
}

/**
 * Justified ("Flickr-style") layout: fill each row with items at the target
 * height until they would overflow, then scale the row so it exactly fills the
 * container width. The last, incomplete row keeps the target height (left
 * aligned) instead of being blown up.
 *
 * Widths are rounded to whole pixels and the rounding error is given to the
 * last box, so every justified row sums exactly to containerWidth.
 */
export function justifiedLayout(items: LayoutInput[], opts: LayoutOptions): LayoutRow[] {
  const { containerWidth, targetRowHeight, gap } = opts
  const maxH = targetRowHeight * (opts.maxRowHeightFactor ?? 1.5)
  const rows: LayoutRow[] = []
  if (containerWidth <= 0 || items.length === 0) return rows

  let rowStart = 0
  let arSum = 0
  for (let i = 0; i < items.length; i++) {
    arSum += aspectRatio(items[i])
    const count = i - rowStart + 1
    const gaps = gap * (count - 1)
    const widthAtTarget = arSum * targetRowHeight + gaps
    if (widthAtTarget >= containerWidth) {
      // Row is full: scale it to fit exactly.
      const height = (containerWidth - gaps) / arSum
      rows.push(buildRow(items, rowStart, i, Math.min(height, maxH), containerWidth, gap, height <= maxH))
      rowStart = i + 1
      arSum = 0
    }
  }
  if (rowStart < items.length) {
    rows.push(buildRow(items, rowStart, items.length - 1, targetRowHeight, containerWidth, gap, false))
  }
  return rows
}

function buildRow(
  items: LayoutInput[],
  from: number,
  to: number,
  height: number,
  containerWidth: number,
  gap: number,
  justified: boolean,
): LayoutRow {
  const boxes: LayoutBox[] = []
  const h = Math.round(height)
  let used = 0
  for (let i = from; i <= to; i++) {
    const w = Math.max(1, Math.round(aspectRatio(items[i]) * height))
    boxes.push({ index: i, width: w, height: h })
    used += w
  }
  if (justified) {
    const target = containerWidth - gap * (to - from)
    const last = boxes[boxes.length - 1]
    last.width = Math.max(1, last.width + (target - used))
  } else {
    // An unjustified row must still never overflow (e.g. one very wide image).
    const avail = containerWidth - gap * (to - from)
    if (used > avail) {
      const scale = avail / used
      let sum = 0
      for (const b of boxes) {
        b.width = Math.max(1, Math.floor(b.width * scale))
        sum += b.width
      }
      boxes[boxes.length - 1].width += avail - sum
      const newH = Math.round(h * scale)
      for (const b of boxes) b.height = newH
    }
  }
  return { height: boxes[0].height, boxes, justified }
}

/** A target row height that suits the viewport: smaller rows on phones. */
export function targetRowHeightFor(containerWidth: number): number {
  if (containerWidth < 480) return 140
  if (containerWidth < 900) return 180
  return 230
}
